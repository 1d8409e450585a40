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
  Refs,
  S3,
  type Value,
} from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { ARTIFACT_FILES, IMAGE1_PLACEHOLDER } from '../scripts/artifacts/files';
import { BUILD_ENV } from '../scripts/artifacts/inputs';
import { exportedOutputs, importValue, tags, template } from './common';
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

/**
 * Actions granted on `Resource: "*"`, each with the reason. Only actions that the IAM service
 * authorization reference lists with no resource type (or, for ecs:RegisterTaskDefinition, whose
 * resource-level support is too recent to rely on) may be here; a test holds the template to it.
 */
export const WILDCARD_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'issues a registry login token; the action has no resource type',
  'ecs:DescribeTaskDefinition': 'the action has no resource type',
  'ecs:RegisterTaskDefinition':
    'AWS managed policies and the CodePipeline ECS action docs grant it on "*"; family-scoped ARNs for it are ' +
    'new (aws/containers-roadmap#929) and a gap would fail every deploy. iam:PassRole, scoped to our two ' +
    'task roles, is what bounds a registered task definition',
  'ecs:ListTasks':
    'its only resource type is container-instance, which Fargate tasks lack; the ecs:cluster condition ' +
    'limits it to our cluster',
  'ecr-public:GetAuthorizationToken':
    'the ECR Public login token (pulls of the base image); the action has no resource type',
  'sts:GetServiceBearerToken':
    'the bearer token ECR Public login needs; no resource type, held to ECR Public by sts:AWSServiceName',
};

type Statement = {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: Value<string> | Value<string>[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
};

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
      // Versioned, as CodePipeline documents its artifact stores ("You can use any versioned S3
      // bucket as the artifact store for CodePipeline"):
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/security_iam_resource-based-policy-examples.html
      // The lifecycle below keeps the versions from piling up; `npm run destroy` deletes every
      // version and delete marker before the stack.
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-pipeline-artifacts',
            Status: 'Enabled',
            // Artifacts are only read during their own execution; old ones are cost without use.
            // In a versioned bucket expiry makes the artifact noncurrent; a day later it is gone.
            ExpirationInDays: config.pipelines.artifactExpiryDays,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
          {
            // The delete markers left once their versions expired (S3 allows this only in its own rule).
            Id: 'remove-expired-delete-markers',
            Status: 'Enabled',
            ExpiredObjectDeleteMarker: true,
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
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, bucketObjects],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        } satisfies Statement,
      ],
    },
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
    AssumeRolePolicyDocument: assumedBy('codebuild.amazonaws.com'),
    Policies: [
      {
        PolicyName: 'build',
        PolicyDocument: policy([
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
          {
            // `aws ecr get-login-password`: the token is per registry, the action has no resource type.
            Sid: 'RegistryLogin',
            Effect: 'Allow',
            Action: 'ecr:GetAuthorizationToken',
            Resource: '*',
          },
          {
            // `aws ecr-public get-login-password --region us-east-1` before `docker build` pulls the base
            // image from public.ecr.aws: anonymous pulls are throttled per source IP, and CodeBuild hosts
            // share IPs; a logged-in pull counts against this account's own, higher quota. The command
            // "requires the 'ecr-public:GetAuthorizationToken' and 'sts:GetServiceBearerToken' permissions":
            // https://docs.aws.amazon.com/cli/latest/reference/ecr-public/get-login-password.html
            // https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html
            Sid: 'PublicRegistryLogin',
            Effect: 'Allow',
            Action: 'ecr-public:GetAuthorizationToken',
            Resource: '*',
          },
          {
            // The bearer token only for ECR Public (the condition key of service bearer tokens):
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_bearer.html
            Sid: 'PublicRegistryBearerToken',
            Effect: 'Allow',
            Action: 'sts:GetServiceBearerToken',
            Resource: '*',
            Condition: { StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' } },
          },
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
        // The exact config these templates were synthesized from (see scripts/artifacts/inputs.ts).
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
      // Both prefixes: since the rename to AWS CodeConnections a connection's ARN may use either
      // service prefix ("When specifying a resource in the IAM policy, the service prefix needs to
      // match that of the resource"), and which one AWS::CodeStarConnections::Connection or an
      // existing connection has is decided by AWS, not this template:
      // https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
      Sid: 'UseGitHubConnection',
      Effect: 'Allow',
      Action: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
      Resource: connectionArn,
    },
    {
      Sid: 'RunBuild',
      Effect: 'Allow',
      Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
      Resource: Fn.GetAtt(ids.buildProject, 'Arn'),
    },
    {
      // The deploy registers task definitions that name these roles; ECS tasks are their only use.
      Sid: 'PassTaskRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: taskRoleArns,
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
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
    {
      // ListTasks' only resource type is container-instance (Fargate has none): "*" held to our cluster.
      Sid: 'ListRollingTasks',
      Effect: 'Allow',
      Action: 'ecs:ListTasks',
      Resource: '*',
      Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
    },
    {
      // No resource type (DescribeTaskDefinition) / see WILDCARD_RESOURCE_ACTIONS (RegisterTaskDefinition).
      Sid: 'RegisterTaskDefinitionRevision',
      Effect: 'Allow',
      Action: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'],
      Resource: '*',
    },
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
    {
      // CodeDeployToECS registers taskdef.json itself; see WILDCARD_RESOURCE_ACTIONS.
      Sid: 'RegisterTaskDefinition',
      Effect: 'Allow',
      Action: 'ecs:RegisterTaskDefinition',
      Resource: '*',
    },
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
      AssumeRolePolicyDocument: assumedBy('codepipeline.amazonaws.com'),
      Policies: [
        { PolicyName: 'pipeline', PolicyDocument: policy([...commonPipelineStatements, ...statements]) },
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

function policy(statements: Statement[]) {
  return { Version: '2012-10-17', Statement: statements };
}

/** Trust policy for a service, limited to calls on behalf of this account (confused deputy). */
function assumedBy(service: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AssumedByService',
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': Refs.AccountId } },
      },
    ],
  };
}
