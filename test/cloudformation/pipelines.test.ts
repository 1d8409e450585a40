// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { importValues } from '../../cloudformation/checks/references';
import { PIPELINES_IDS as IDS, WILDCARD_RESOURCE_ACTIONS } from '../../cloudformation/pipelines';
import { configWith, generated, type Json, ofType } from './helpers';

const EXISTING =
  'arn:aws:codeconnections:us-west-2:111122223333:connection/8e1f2b3c-aaaa-bbbb-cccc-0123456789ab';

/** Every IAM statement of every role and policy of a template, with where it is. */
function statements(t: Json): { at: string; s: Json }[] {
  const out: { at: string; s: Json }[] = [];
  for (const [id, r] of Object.entries(t.Resources as Record<string, Json>)) {
    for (const p of r.Properties?.Policies ?? [])
      for (const s of p.PolicyDocument.Statement) out.push({ at: id, s });
    if (r.Type === 'AWS::S3::BucketPolicy')
      for (const s of r.Properties.PolicyDocument.Statement) out.push({ at: id, s });
  }
  return out;
}

const actionsOf = (s: Json): string[] => ([] as string[]).concat(s.Action);
const statement = (t: Json, roleId: string, sid: string) =>
  t.Resources[roleId].Properties.Policies[0].PolicyDocument.Statement.find((s: Json) => s.Sid === sid);
const stages = (t: Json, id: string) => t.Resources[id].Properties.Stages as Json[];
const deployAction = (t: Json, id: string) => stages(t, id)[2].Actions[0];

describe('pipelines template', () => {
  const t = generated('pipelines');

  it('creates a versioned, encrypted, private, TLS-only artifact bucket whose objects expire after 30 days by default', () => {
    const bucket = t.Resources[IDS.bucket].Properties;
    expect(bucket.BucketEncryption).to.deep.equal({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.PublicAccessBlockConfiguration).to.deep.equal({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).to.deep.equal({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.VersioningConfiguration).to.deep.equal({ Status: 'Enabled' });
    expect(bucket.LifecycleConfiguration.Rules).to.deep.equal([
      {
        Id: 'expire-pipeline-artifacts',
        Status: 'Enabled',
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
      { Id: 'remove-expired-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
    ]);
    expect(t.Resources[IDS.bucketPolicy].Properties).to.deep.equal({
      Bucket: { Ref: IDS.bucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [{ 'Fn::GetAtt': [IDS.bucket, 'Arn'] }, { 'Fn::Sub': '${ArtifactBucket.Arn}/*' }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
    const days = generated('pipelines', { pipelines: { artifactExpiryDays: 7 } });
    expect(days.Resources[IDS.bucket].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).to.equal(
      7,
    );
  });

  it('creates a GitHub connection by default and uses it in both source actions', () => {
    expect(t.Resources[IDS.connection]).to.deep.equal({
      Type: 'AWS::CodeStarConnections::Connection',
      Properties: {
        ConnectionName: 'ecs-playground-dev-github',
        ProviderType: 'GitHub',
        Tags: [
          { Key: 'app', Value: 'ecs-playground' },
          { Key: 'stage', Value: 'dev' },
        ],
      },
    });
    const arn = { 'Fn::GetAtt': [IDS.connection, 'ConnectionArn'] };
    for (const id of [IDS.rollingPipeline, IDS.blueGreenPipeline]) {
      expect(stages(t, id)[0].Actions[0].Configuration).to.deep.equal({
        ConnectionArn: arn,
        FullRepositoryId: 'your-github-user/ecs-deploy-playground',
        BranchName: 'main',
        OutputArtifactFormat: 'CODE_ZIP',
      });
    }
    // Both service prefixes: which one the connection's ARN has is AWS's choice.
    expect(statement(t, IDS.rollingRole, 'UseGitHubConnection')).to.deep.include({
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: arn,
    });
    expect(t.Outputs.ConnectionArn).to.deep.equal({
      Description: 'GitHub connection of both pipelines; a new one is PENDING until approved in the console',
      Value: arn,
      Export: { Name: 'ecs-playground-dev-pipelines:ConnectionArn' },
    });
  });

  it('uses github.connectionArn instead of creating a connection when it is set', () => {
    const existing = generated('pipelines', { github: { connectionArn: EXISTING } });
    expect(existing.Resources).not.to.have.property(IDS.connection);
    expect(stages(existing, IDS.blueGreenPipeline)[0].Actions[0].Configuration.ConnectionArn).to.equal(
      EXISTING,
    );
    expect(statement(existing, IDS.blueGreenRole, 'UseGitHubConnection')).to.deep.include({
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: EXISTING,
    });
    expect(existing.Outputs.ConnectionArn.Value).to.equal(EXISTING);
  });

  it('creates one privileged CodeBuild project on the x86 standard image with the build variables by default', () => {
    const p = t.Resources[IDS.buildProject].Properties;
    expect(p.Name).to.equal('ecs-playground-dev');
    expect(p.Source).to.deep.equal({ Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yml' });
    expect(p.Environment).to.deep.include({
      Type: 'LINUX_CONTAINER',
      Image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      ComputeType: 'BUILD_GENERAL1_SMALL',
      PrivilegedMode: true,
    });
    const vars = Object.fromEntries(p.Environment.EnvironmentVariables.map((v: Json) => [v.Name, v.Value]));
    expect(vars).to.deep.equal({
      REPOSITORY_URI: { 'Fn::ImportValue': 'ecs-playground-dev-registry:RepositoryUri' },
      EXECUTION_ROLE_ARN: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ExecutionRoleArn' },
      TASK_ROLE_ARN: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:TaskRoleArn' },
      LOG_GROUP_NAME: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:LogGroupName' },
      PLAYGROUND_CONFIG_JSON: JSON.stringify(configWith()),
    });
    expect(p.Cache).to.deep.equal({ Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] });
    expect(p.TimeoutInMinutes).to.equal(20);
    expect(p.LogsConfig.CloudWatchLogs).to.deep.equal({
      Status: 'ENABLED',
      GroupName: { Ref: IDS.buildLogGroup },
    });
    expect(t.Resources[IDS.buildLogGroup].Properties).to.deep.include({
      LogGroupName: '/aws/codebuild/ecs-playground-dev',
      RetentionInDays: 14,
    });
  });

  it('builds on the ARM standard image with the configured compute type and timeout for ARM64 tasks', () => {
    const arm = generated('pipelines', {
      container: { architecture: 'ARM64' },
      build: { computeType: 'BUILD_GENERAL1_MEDIUM', timeoutMinutes: 30 },
    }).Resources[IDS.buildProject].Properties;
    expect(arm.Environment).to.deep.include({
      Type: 'ARM_CONTAINER',
      Image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0',
      ComputeType: 'BUILD_GENERAL1_MEDIUM',
    });
    expect(arm.TimeoutInMinutes).to.equal(30);
  });

  it('creates pipeline 1 as Source → Build → Deploy (ECS) on the rolling service with the deployment timeout', () => {
    const s = stages(t, IDS.rollingPipeline);
    expect(s.map((x) => [x.Name, x.Actions[0].ActionTypeId.Provider])).to.deep.equal([
      ['Source', 'CodeStarSourceConnection'],
      ['Build', 'CodeBuild'],
      ['Deploy', 'ECS'],
    ]);
    expect(s[0].Actions[0].OutputArtifacts).to.deep.equal([{ Name: 'SourceOutput' }]);
    expect(s[1].Actions[0]).to.deep.include({
      Configuration: { ProjectName: { Ref: IDS.buildProject } },
      InputArtifacts: [{ Name: 'SourceOutput' }],
      OutputArtifacts: [{ Name: 'BuildOutput' }],
    });
    expect(deployAction(t, IDS.rollingPipeline)).to.deep.include({
      Configuration: {
        ClusterName: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ClusterName' },
        ServiceName: 'ecs-playground-dev-rolling',
        FileName: 'imagedefinitions.json',
        DeploymentTimeout: '15',
      },
      InputArtifacts: [{ Name: 'BuildOutput' }],
    });
  });

  it('deploys pipeline 1 to the service the service-rolling stack creates', () => {
    const [[, service]] = ofType(generated('service-rolling'), 'AWS::ECS::Service');
    expect(deployAction(t, IDS.rollingPipeline).Configuration.ServiceName).to.equal(
      service.Properties.ServiceName,
    );
    expect(deployAction(t, IDS.rollingPipeline).Configuration.ClusterName).to.deep.equal(
      service.Properties.Cluster,
    );
  });

  it('creates pipeline 2 as Source → Build → Deploy (CodeDeployToECS) with taskdef.json, appspec.yml and Image1', () => {
    expect(stages(t, IDS.blueGreenPipeline).map((x) => x.Actions[0].ActionTypeId.Provider)).to.deep.equal([
      'CodeStarSourceConnection',
      'CodeBuild',
      'CodeDeployToECS',
    ]);
    expect(deployAction(t, IDS.blueGreenPipeline)).to.deep.include({
      Configuration: {
        ApplicationName: 'ecs-playground-dev',
        DeploymentGroupName: 'ecs-playground-dev-bluegreen',
        TaskDefinitionTemplateArtifact: 'BuildOutput',
        TaskDefinitionTemplatePath: 'taskdef.json',
        AppSpecTemplateArtifact: 'BuildOutput',
        AppSpecTemplatePath: 'appspec.yml',
        Image1ArtifactName: 'BuildOutput',
        Image1ContainerName: 'IMAGE1_NAME',
      },
      InputArtifacts: [{ Name: 'BuildOutput' }],
    });
  });

  it('points pipeline 2 at the CodeDeploy application and deployment group of the blue/green stack', () => {
    for (const app of ['ecs-playground', 'shop']) {
      const overrides = { app: { name: app, stage: 'prod' } };
      const bg = generated('service-bluegreen', overrides);
      const [[, application]] = ofType(bg, 'AWS::CodeDeploy::Application');
      const [[, group]] = ofType(bg, 'AWS::CodeDeploy::DeploymentGroup');
      const config = deployAction(generated('pipelines', overrides), IDS.blueGreenPipeline).Configuration;
      expect(config.ApplicationName).to.equal(application.Properties.ApplicationName);
      expect(config.DeploymentGroupName).to.equal(group.Properties.DeploymentGroupName);
    }
  });

  it('makes both pipelines V2, triggered by pushes to the configured branch', () => {
    const release = generated('pipelines', { github: { branch: 'release' } });
    for (const id of [IDS.rollingPipeline, IDS.blueGreenPipeline]) {
      expect(release.Resources[id].Properties).to.deep.include({
        PipelineType: 'V2',
        ExecutionMode: 'SUPERSEDED',
        Triggers: [
          {
            ProviderType: 'CodeStarSourceConnection',
            GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['release'] } }] },
          },
        ],
      });
      expect(stages(release, id)[0].Actions[0].Configuration.BranchName).to.equal('release');
    }
    expect(t.Resources[IDS.rollingPipeline].Properties.Name).to.equal('ecs-playground-dev-rolling');
    expect(t.Resources[IDS.blueGreenPipeline].Properties.Name).to.equal('ecs-playground-dev-bluegreen');
  });

  it('imports only from the registry and cluster stacks and exports the bucket and connection', () => {
    const imported = new Set(importValues(t).map((i) => String(i.name).split(':')[0]));
    expect([...imported].sort()).to.deep.equal(['ecs-playground-dev-cluster', 'ecs-playground-dev-registry']);
    expect(Object.values(t.Outputs).map((o: Json) => o.Export.Name)).to.deep.equal([
      'ecs-playground-dev-pipelines:ArtifactBucketName',
      'ecs-playground-dev-pipelines:ConnectionArn',
    ]);
  });

  it('grants no Action "*", no service-wide wildcard, and Resource "*" only for the allow-listed actions', () => {
    for (const variant of [t, generated('pipelines', { github: { connectionArn: EXISTING } })]) {
      for (const { at, s } of statements(variant)) {
        for (const action of actionsOf(s)) {
          expect(action, at).not.to.equal('*');
          if (s.Effect === 'Allow') expect(action, `${at} ${s.Sid}`).not.to.match(/:\*$/);
        }
        if (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))) {
          for (const action of actionsOf(s)) {
            expect(WILDCARD_RESOURCE_ACTIONS, `${at} ${s.Sid}: ${action} on "*"`).to.have.property(action);
          }
        }
      }
    }
    for (const reason of Object.values(WILDCARD_RESOURCE_ACTIONS))
      expect(reason.length).to.be.greaterThan(20);
  });

  it('lets the pipelines pass only the two task roles, and only to ECS tasks', () => {
    const passRoles = statements(t).filter(({ s }) => actionsOf(s).includes('iam:PassRole'));
    expect(passRoles.map(({ at }) => at)).to.deep.equal([IDS.rollingRole, IDS.blueGreenRole]);
    for (const { s } of passRoles) {
      expect(s.Resource).to.deep.equal([
        { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ExecutionRoleArn' },
        { 'Fn::ImportValue': 'ecs-playground-dev-cluster:TaskRoleArn' },
      ]);
      expect(s.Condition).to.deep.equal({
        StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      });
    }
  });

  it('limits each role to its own resources: repository, log group, bucket, service, deployment group', () => {
    expect(statement(t, IDS.buildRole, 'PushPullRepository').Resource).to.deep.equal({
      'Fn::ImportValue': 'ecs-playground-dev-registry:RepositoryArn',
    });
    expect(statement(t, IDS.buildRole, 'WriteBuildLogs').Resource).to.deep.equal([
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/ecs-playground-dev',
      },
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/ecs-playground-dev:log-stream:*',
      },
    ]);
    expect(statement(t, IDS.rollingRole, 'UpdateRollingService')).to.deep.include({
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: {
        'Fn::Sub': [
          'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${Cluster}/ecs-playground-dev-rolling',
          { Cluster: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ClusterName' } },
        ],
      },
    });
    expect(statement(t, IDS.blueGreenRole, 'StartDeployment').Resource).to.deep.equal({
      'Fn::Sub':
        'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:ecs-playground-dev/ecs-playground-dev-bluegreen',
    });
    expect(statement(t, IDS.blueGreenRole, 'ReadDeploymentConfig').Resource).to.deep.equal({
      'Fn::Sub':
        'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.ECSCanary10Percent5Minutes',
    });
    const custom = generated('pipelines', {
      blueGreen: {
        deploymentConfig: { name: 'Canary25', type: 'TimeBasedCanary', percentage: 25, intervalMinutes: 2 },
      },
    });
    expect(statement(custom, IDS.blueGreenRole, 'ReadDeploymentConfig').Resource['Fn::Sub']).to.match(
      /:deploymentconfig:Canary25$/,
    );
    // Neither pipeline may touch the other's target: the rolling role has no CodeDeploy, the blue/green none of ECS services.
    expect(
      statements(t)
        .filter(({ at }) => at === IDS.rollingRole)
        .flatMap(({ s }) => actionsOf(s)),
    ).to.satisfy((a: string[]) => !a.some((x) => x.startsWith('codedeploy:')));
    expect(
      statements(t)
        .filter(({ at }) => at === IDS.blueGreenRole)
        .flatMap(({ s }) => actionsOf(s)),
    ).to.satisfy((a: string[]) => !a.includes('ecs:UpdateService'));
  });

  it('lets CodeBuild log in to ECR Public (us-east-1) for the base image: the token, and a bearer token for ECR Public only', () => {
    expect(statement(t, IDS.buildRole, 'PublicRegistryLogin')).to.deep.equal({
      Sid: 'PublicRegistryLogin',
      Effect: 'Allow',
      Action: 'ecr-public:GetAuthorizationToken',
      Resource: '*',
    });
    expect(statement(t, IDS.buildRole, 'PublicRegistryBearerToken')).to.deep.equal({
      Sid: 'PublicRegistryBearerToken',
      Effect: 'Allow',
      Action: 'sts:GetServiceBearerToken',
      Resource: '*',
      Condition: { StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' } },
    });
  });

  it('lets only CodeBuild and CodePipeline of this account assume the roles', () => {
    const trust = (id: string) => t.Resources[id].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust(IDS.buildRole)).to.deep.equal([
      {
        Sid: 'AssumedByService',
        Effect: 'Allow',
        Principal: { Service: 'codebuild.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    for (const id of [IDS.rollingRole, IDS.blueGreenRole]) {
      expect(trust(id)[0].Principal).to.deep.equal({ Service: 'codepipeline.amazonaws.com' });
    }
  });
});
