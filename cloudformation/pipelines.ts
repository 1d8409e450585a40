/**
 * The pipelines stack: the artifact bucket, the GitHub connection, one CodeBuild project and two
 * CodePipelines (V2) that deploy every push to the configured branch twice:
 *   1. Source → Build → Deploy (provider ECS): the ECS rolling update, guarded by the circuit breaker;
 *   2. Source → Build → Deploy (provider CodeDeployToECS): CodeDeploy blue/green with a canary,
 *      guarded by the BeforeAllowTraffic hook and the CloudWatch alarms.
 *
 * This stack deploys BEFORE the two service stacks (their first deployment needs an image that only
 * the first build pushes), so it imports nothing from them: the ECS service and the CodeDeploy
 * application/deployment group are named with `namesFor(config)`, the same names those stacks give.
 * It imports from the registry (repository) and cluster (cluster, task roles, log group) stacks only.
 */
import {
  CodeBuild,
  CodePipeline,
  CodeStarConnections,
  DeletionPolicy,
  Fn,
  IAM,
  type IntrinsicFunction,
  Logs,
  S3,
  type Value,
} from 'cloudform';
import { ARTIFACT_FILES, BUILD_ENV, IMAGE1_PLACEHOLDER, namesFor, type PlaygroundConfig } from '../config';
import { passTaskRoles } from './cluster';
import { exportedOutputs, importValue, tags, template } from './common';
import { anyResourceStatement, type PolicyStatement, policyDocument, trustPolicy } from './iam';
import { sub } from './intrinsics';

/** Logical ids, exported so tests and docs name the same resources. */
export const PIPELINES_IDS = {
  bucket: 'ArtifactBucket',
  bucketPolicy: 'ArtifactBucketPolicy',
  connection: 'GitHubConnection',
  buildLogGroup: 'BuildLogGroup',
  buildRole: 'BuildRole',
  buildProject: 'BuildProject',
  rollingRole: 'RollingPipelineRole',
  rollingPipeline: 'RollingPipeline',
  blueGreenRole: 'BlueGreenPipelineRole',
  blueGreenPipeline: 'BlueGreenPipeline',
} as const;

/** Artifact names shared by the stages of both pipelines. */
export const PIPELINE_ARTIFACTS = { source: 'SourceOutput', build: 'BuildOutput' } as const;

/** Stage and action names (the push trigger names the source action). */
export const PIPELINE_STAGES = { source: 'Source', build: 'Build', deploy: 'Deploy' } as const;

/**
 * CodeBuild's standard images per Fargate architecture: the build runs natively on the architecture
 * the tasks run on, so `docker build` needs no emulation. Both are Amazon Linux 2023 images whose
 * runtimes include Node.js 22 and Python 3.12, which buildspec.yml selects.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/available-runtimes.html
 */
export const BUILD_IMAGES = {
  X86_64: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0' },
  ARM64: { type: 'ARM_CONTAINER', image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' },
} as const;

type Statement = PolicyStatement;

type PipelineProperties = CodePipeline.Pipeline['Properties'];
type StageDeclaration = Exclude<PipelineProperties['Stages'], IntrinsicFunction>[number];
type ActionDeclaration = Exclude<StageDeclaration['Actions'], IntrinsicFunction>[number];

/** The properties CloudFormation has for V2 pipelines and cloudform's 2023 types lack. */
interface PipelineV2Properties extends PipelineProperties {
  PipelineType: 'V2';
  ExecutionMode: 'QUEUED' | 'SUPERSEDED' | 'PARALLEL';
  Triggers: {
    ProviderType: 'CodeStarSourceConnection';
    GitConfiguration: { SourceActionName: string; Push: { Branches: { Includes: string[] } }[] };
  }[];
}

export function pipelinesTemplate(config: PlaygroundConfig) {
  const names = namesFor(config);
  const ids = PIPELINES_IDS;
  // 1-60 minutes is all the ECS deploy action accepts; config/schema.ts enforces it.
  const timeout = config.rolling.deploymentTimeoutMinutes;

  const arn = (service: string, resource: string) =>
    sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
  const bucketArn = Fn.GetAtt(ids.bucket, 'Arn');
  const bucketObjects = sub(`\${${ids.bucket}.Arn}/*`);
  const repositoryArn = importValue(names, 'registry', 'RepositoryArn');
  const taskRoleArns = [
    importValue(names, 'cluster', 'ExecutionRoleArn'),
    importValue(names, 'cluster', 'TaskRoleArn'),
  ];
  const clusterName = importValue(names, 'cluster', 'ClusterName');
  const clusterArn = importValue(names, 'cluster', 'ClusterArn');
  const existingConnection = config.github.connectionArn;
  const connectionArn: Value<string> = existingConnection ?? Fn.GetAtt(ids.connection, 'ConnectionArn');
  const buildLogGroupName = `/aws/codebuild/${names.codeBuildProject}`;

  // --- Artifact bucket -------------------------------------------------------------------------
  // Deleted with the stack: artifacts are disposable (the destroy script empties the bucket first).
  const bucket = deletedWithStack(
    new S3.Bucket({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      // ACLs off: only the bucket policy and IAM decide access.
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-pipeline-artifacts',
            Status: 'Enabled',
            // Artifacts are only read during their own execution; old ones are cost without use.
            ExpirationInDays: config.pipelines.artifactExpiryDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
      Tags: tags(config),
    }),
  );
  // No server access logs (cdk-nag AwsSolutions-S1): accepted with its reason in
  // scripts/lint/suppressions.ts — a second bucket for short-lived artifacts only our roles can read.

  const bucketPolicy = new S3.BucketPolicy({
    Bucket: Fn.Ref(ids.bucket),
    PolicyDocument: policyDocument([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, bucketObjects],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      } satisfies Statement,
    ]),
  });

  // --- GitHub connection -----------------------------------------------------------------------
  // Created PENDING; someone approves it once in the console (docs/pipelines.md). With
  // github.connectionArn set, the existing connection is used and none is created: the choice is
  // made at synth time, not with a CloudFormation Condition on two literals.
  const connection: Record<string, CodeStarConnections.Connection> = existingConnection
    ? {}
    : {
        [ids.connection]: new CodeStarConnections.Connection({
          ConnectionName: `${names.prefix}-github`,
          ProviderType: 'GitHub',
          Tags: tags(config),
        }),
      };

  // --- CodeBuild -------------------------------------------------------------------------------
  const buildLogGroup = deletedWithStack(
    new Logs.LogGroup({
      LogGroupName: buildLogGroupName,
      RetentionInDays: config.logs.retentionDays,
      Tags: tags(config),
    }),
  );

  const buildRole = new IAM.Role({
    Description: `CodeBuild of ${names.prefix}: tests, docker build, push to ECR, render deploy artifacts`,
    // Only CodeBuild running this project may assume it (confused-deputy guard).
    AssumeRolePolicyDocument: trustPolicy('codebuild.amazonaws.com', {
      sourceArn: arn('codebuild', `project/${names.codeBuildProject}`),
    }),
    Policies: [
      {
        PolicyName: 'build',
        PolicyDocument: policyDocument([
          {
            Sid: 'WriteBuildLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: [
              arn('logs', `log-group:${buildLogGroupName}`),
              arn('logs', `log-group:${buildLogGroupName}:log-stream:*`),
            ],
          },
          {
            Sid: 'ReadSourceWriteBuildOutput',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
            Resource: bucketObjects,
          },
          {
            Sid: 'LocateArtifactBucket',
            Effect: 'Allow',
            Action: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
            Resource: bucketArn,
          },
          {
            // Push the commit image; pull and DescribeImages for --cache-from the newest image and
            // for "does this commit's image exist already" (the other pipeline may have pushed it).
            Sid: 'PushPullRepository',
            Effect: 'Allow',
            Action: [
              'ecr:BatchCheckLayerAvailability',
              'ecr:BatchGetImage',
              'ecr:CompleteLayerUpload',
              'ecr:DescribeImages',
              'ecr:GetDownloadUrlForLayer',
              'ecr:InitiateLayerUpload',
              'ecr:PutImage',
              'ecr:UploadLayerPart',
            ],
            Resource: repositoryArn,
          },
          // `aws ecr get-login-password`: the token is per registry, the action has no resource type.
          anyResourceStatement('RegistryLogin', 'ecr:GetAuthorizationToken'),
        ]),
      },
    ],
    Tags: tags(config),
  });

  const architecture = BUILD_IMAGES[config.container.architecture];
  const env = (Name: string, Value: Value<string>) => ({ Name, Value, Type: 'PLAINTEXT' });
  const buildProject = new CodeBuild.Project({
    Name: names.codeBuildProject,
    Description: `Tests, builds and pushes ${names.ecrRepository}:<commit>, renders the deploy artifacts`,
    ServiceRole: Fn.GetAtt(ids.buildRole, 'Arn'),
    Source: { Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yml' },
    Artifacts: { Type: 'CODEPIPELINE' },
    Environment: {
      Type: architecture.type,
      Image: architecture.image,
      ComputeType: config.build.computeType,
      // Docker-in-Docker for `docker build`.
      PrivilegedMode: true,
      ImagePullCredentialsType: 'CODEBUILD',
      EnvironmentVariables: [
        env(BUILD_ENV.repositoryUri, importValue(names, 'registry', 'RepositoryUri')),
        env(BUILD_ENV.executionRoleArn, taskRoleArns[0]),
        env(BUILD_ENV.taskRoleArn, taskRoleArns[1]),
        env(BUILD_ENV.logGroupName, importValue(names, 'cluster', 'LogGroupName')),
        // The exact config these templates were synthesized from (see config/contracts/build.ts).
        env(BUILD_ENV.config, JSON.stringify(config)),
      ],
    },
    // Layers of the previous build stay on the build host for back-to-back builds.
    Cache: { Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] },
    TimeoutInMinutes: config.build.timeoutMinutes,
    LogsConfig: {
      CloudWatchLogs: { Status: 'ENABLED', GroupName: Fn.Ref(ids.buildLogGroup) },
      S3Logs: { Status: 'DISABLED' },
    },
    Tags: tags(config),
  });

  // --- Pipelines -------------------------------------------------------------------------------
  /** What both pipeline roles need: artifacts, the connection, the build project. */
  const commonPipelineStatements: Statement[] = [
    {
      Sid: 'ReadWriteArtifacts',
      Effect: 'Allow',
      // PutObjectAcl: the connection source action uploads with the bucket-owner-full-control ACL.
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'],
      Resource: bucketObjects,
    },
    {
      Sid: 'InspectArtifactBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketVersioning', 's3:GetBucketLocation'],
      Resource: bucketArn,
    },
    {
      // The action's prefix follows the ARN's service: AWS::CodeStarConnections::Connection makes
      // `codestar-connections` ARNs, connections made since the CodeConnections rename have
      // `codeconnections` ones.
      Sid: 'UseGitHubConnection',
      Effect: 'Allow',
      Action: `${connectionService(existingConnection)}:UseConnection`,
      Resource: connectionArn,
    },
    {
      Sid: 'RunBuild',
      Effect: 'Allow',
      Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
      Resource: Fn.GetAtt(ids.buildProject, 'Arn'),
    },
    // The deploy registers task definitions that name these roles; ECS tasks are their only use.
    passTaskRoles(names, 'PassTaskRoles'),
  ];

  const rollingStatements: Statement[] = [
    {
      Sid: 'UpdateRollingService',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: Fn.Sub(
        `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/\${Cluster}/${names.rolling.service}`,
        { Cluster: clusterName },
      ),
    },
    {
      Sid: 'WatchRollingTasks',
      Effect: 'Allow',
      Action: 'ecs:DescribeTasks',
      Resource: Fn.Sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/\${Cluster}/*`, {
        Cluster: clusterName,
      }),
    },
    // ListTasks' only resource type is container-instance (Fargate has none): "*" held to our cluster.
    anyResourceStatement('ListRollingTasks', 'ecs:ListTasks', { ArnEquals: { 'ecs:cluster': clusterArn } }),
    // No resource type (see RESOURCE_STAR_ACTIONS in iam.ts for both).
    anyResourceStatement('RegisterTaskDefinitionRevision', [
      'ecs:DescribeTaskDefinition',
      'ecs:RegisterTaskDefinition',
    ]),
    {
      // The new revision copies the tags of the current one; tagging is allowed only while registering.
      Sid: 'TagNewRevision',
      Effect: 'Allow',
      Action: 'ecs:TagResource',
      Resource: arn('ecs', `task-definition/${names.rolling.taskFamily}:*`),
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    },
  ];

  const deploymentConfigName =
    typeof config.blueGreen.deploymentConfig === 'string'
      ? config.blueGreen.deploymentConfig
      : config.blueGreen.deploymentConfig.name;
  const { codeDeployApplication, deploymentGroup } = names.blueGreen;
  const blueGreenStatements: Statement[] = [
    {
      Sid: 'RegisterRevision',
      Effect: 'Allow',
      Action: [
        'codedeploy:GetApplication',
        'codedeploy:GetApplicationRevision',
        'codedeploy:RegisterApplicationRevision',
      ],
      Resource: arn('codedeploy', `application:${codeDeployApplication}`),
    },
    {
      Sid: 'StartDeployment',
      Effect: 'Allow',
      Action: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
      Resource: arn('codedeploy', `deploymentgroup:${codeDeployApplication}/${deploymentGroup}`),
    },
    {
      Sid: 'ReadDeploymentConfig',
      Effect: 'Allow',
      Action: 'codedeploy:GetDeploymentConfig',
      Resource: arn('codedeploy', `deploymentconfig:${deploymentConfigName}`),
    },
    // CodeDeployToECS registers taskdef.json itself; see RESOURCE_STAR_ACTIONS in iam.ts.
    anyResourceStatement('RegisterTaskDefinition', 'ecs:RegisterTaskDefinition'),
    {
      // taskdef.json carries the stack's tags; tagging is allowed only while registering.
      Sid: 'TagNewRevision',
      Effect: 'Allow',
      Action: 'ecs:TagResource',
      Resource: arn('ecs', `task-definition/${names.blueGreen.taskFamily}:*`),
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    },
  ];

  const sourceAndBuild = (): StageDeclaration[] => [
    {
      Name: PIPELINE_STAGES.source,
      Actions: [
        {
          Name: PIPELINE_STAGES.source,
          ActionTypeId: {
            Category: 'Source',
            Owner: 'AWS',
            Provider: 'CodeStarSourceConnection',
            Version: '1',
          },
          Configuration: {
            ConnectionArn: connectionArn,
            FullRepositoryId: `${config.github.owner}/${config.github.repo}`,
            BranchName: config.github.branch,
            // A zip of the commit: the build needs the files, not the git history.
            OutputArtifactFormat: 'CODE_ZIP',
          },
          OutputArtifacts: [{ Name: PIPELINE_ARTIFACTS.source }],
        },
      ],
    },
    {
      Name: PIPELINE_STAGES.build,
      Actions: [
        {
          Name: PIPELINE_STAGES.build,
          ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
          Configuration: { ProjectName: Fn.Ref(ids.buildProject) },
          InputArtifacts: [{ Name: PIPELINE_ARTIFACTS.source }],
          OutputArtifacts: [{ Name: PIPELINE_ARTIFACTS.build }],
        },
      ],
    },
  ];

  const pipeline = (name: string, roleId: string, deploy: ActionDeclaration) => {
    const props: PipelineV2Properties = {
      Name: name,
      RoleArn: Fn.GetAtt(roleId, 'Arn'),
      PipelineType: 'V2',
      // A newer push replaces a waiting older one; a running deployment is never interrupted.
      ExecutionMode: 'SUPERSEDED',
      ArtifactStore: { Type: 'S3', Location: Fn.Ref(ids.bucket) },
      Stages: [...sourceAndBuild(), { Name: PIPELINE_STAGES.deploy, Actions: [deploy] }],
      Triggers: [
        {
          ProviderType: 'CodeStarSourceConnection',
          GitConfiguration: {
            SourceActionName: PIPELINE_STAGES.source,
            Push: [{ Branches: { Includes: [config.github.branch] } }],
          },
        },
      ],
      Tags: tags(config),
    };
    return new CodePipeline.Pipeline(props);
  };

  const pipelineRole = (description: string, statements: Statement[]) =>
    new IAM.Role({
      Description: description,
      AssumeRolePolicyDocument: trustPolicy('codepipeline.amazonaws.com', 'source-account'),
      Policies: [
        {
          PolicyName: 'pipeline',
          PolicyDocument: policyDocument([...commonPipelineStatements, ...statements]),
        },
      ],
      Tags: tags(config),
    });

  const rollingPipeline = pipeline(names.rolling.pipeline, ids.rollingRole, {
    Name: PIPELINE_STAGES.deploy,
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'ECS', Version: '1' },
    Configuration: {
      ClusterName: clusterName,
      ServiceName: names.rolling.service,
      FileName: ARTIFACT_FILES.imageDefinitions,
      DeploymentTimeout: String(timeout),
    },
    InputArtifacts: [{ Name: PIPELINE_ARTIFACTS.build }],
  });

  const blueGreenPipeline = pipeline(names.blueGreen.pipeline, ids.blueGreenRole, {
    Name: PIPELINE_STAGES.deploy,
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CodeDeployToECS', Version: '1' },
    Configuration: {
      ApplicationName: codeDeployApplication,
      DeploymentGroupName: deploymentGroup,
      TaskDefinitionTemplateArtifact: PIPELINE_ARTIFACTS.build,
      TaskDefinitionTemplatePath: ARTIFACT_FILES.taskDefinition,
      AppSpecTemplateArtifact: PIPELINE_ARTIFACTS.build,
      AppSpecTemplatePath: ARTIFACT_FILES.appSpec,
      // imageDetail.json of this artifact fills <IMAGE1_NAME> in taskdef.json.
      Image1ArtifactName: PIPELINE_ARTIFACTS.build,
      Image1ContainerName: IMAGE1_PLACEHOLDER,
    },
    InputArtifacts: [{ Name: PIPELINE_ARTIFACTS.build }],
  });

  return template(
    `Pipelines of ${names.prefix}: artifact bucket, GitHub connection, CodeBuild, ECS rolling and CodeDeploy blue/green pipelines.`,
    {
      Resources: {
        [ids.bucket]: bucket,
        [ids.bucketPolicy]: bucketPolicy,
        ...connection,
        [ids.buildLogGroup]: buildLogGroup,
        [ids.buildRole]: buildRole,
        [ids.buildProject]: buildProject,
        [ids.rollingRole]: pipelineRole(
          `Pipeline ${names.rolling.pipeline}: ECS rolling deploy`,
          rollingStatements,
        ),
        [ids.rollingPipeline]: rollingPipeline,
        [ids.blueGreenRole]: pipelineRole(
          `Pipeline ${names.blueGreen.pipeline}: CodeDeploy blue/green deploy`,
          blueGreenStatements,
        ),
        [ids.blueGreenPipeline]: blueGreenPipeline,
      },
      Outputs: exportedOutputs(names, 'pipelines', {
        ArtifactBucketName: {
          value: Fn.Ref(ids.bucket),
          description: 'Pipeline artifact bucket (the destroy script empties it before deleting the stack)',
        },
        ConnectionArn: {
          value: connectionArn,
          description:
            'GitHub connection of both pipelines; a new one is PENDING until approved in the console',
        },
      }),
    },
  );
}

/** IAM prefix of UseConnection for the connection the pipelines use. */
export function connectionService(
  existingArn: string | undefined,
): 'codestar-connections' | 'codeconnections' {
  return existingArn?.split(':')[2] === 'codeconnections' ? 'codeconnections' : 'codestar-connections';
}

/**
 * Says explicitly what happens on stack deletion or replacement (cfn-lint I3011 asks for stateful
 * resources): build logs and pipeline artifacts are disposable, so they go with the stack.
 */
function deletedWithStack<T extends Logs.LogGroup | S3.Bucket>(resource: T): T {
  resource.DeletionPolicy = DeletionPolicy.Delete;
  // cloudform's Resource type predates UpdateReplacePolicy; CloudFormation reads it beside DeletionPolicy.
  (resource as T & { UpdateReplacePolicy: string }).UpdateReplacePolicy = 'Delete';
  return resource;
}
