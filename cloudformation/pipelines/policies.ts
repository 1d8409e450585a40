/**
 * The pipeline roles' permissions, as data: what every pipeline needs (artifacts, the connection, the
 * build), and what each deploy action needs on top (ECS on the rolling and the canary service,
 * CodeDeploy blue/green). A new deploy action adds its own list here.
 */
import { Fn } from 'cloudform';
import { passTaskRoles } from '../cluster';
import { deploymentConfigName } from '../codedeploy';
import { anyResourceStatement, type PolicyStatement } from '../iam';
import { accountArn } from '../intrinsics';
import { PIPELINES_IDS, type PipelinesContext } from './context';

/** What every pipeline role needs: artifacts, the connection, the build project. */
export function commonStatements(ctx: PipelinesContext): PolicyStatement[] {
  return [
    {
      Sid: 'ReadWriteArtifacts',
      Effect: 'Allow',
      // PutObjectAcl: the connection source action uploads with the bucket-owner-full-control ACL.
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'],
      Resource: ctx.bucketObjects,
    },
    {
      // The three bucket reads of AWS's minimum CodePipeline service-role policy ("AllowS3BucketAccess"),
      // on our bucket only: https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html#how-to-custom-role-policy
      Sid: 'InspectArtifactBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'],
      Resource: ctx.bucketArn,
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
      Resource: ctx.connectionArn,
    },
    {
      Sid: 'RunBuild',
      Effect: 'Allow',
      Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
      Resource: Fn.GetAtt(PIPELINES_IDS.buildProject, 'Arn'),
    },
    {
      // The Outcome action invokes the release-outcome check (pipeline.ts outcomeAction), and only it.
      Sid: 'InvokeOutcomeCheck',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: accountArn('lambda', `function:${ctx.names.outcomeFunction}`),
    },
  ];
}

/** The ECS deploy action on the rolling service. */
export function rollingStatements(ctx: PipelinesContext): PolicyStatement[] {
  return ecsDeployStatements(ctx, 'Rolling', ctx.names.rolling);
}

/** The ECS deploy action on the canary service: the same rights, on its service and family. */
export function canaryStatements(ctx: PipelinesContext): PolicyStatement[] {
  return ecsDeployStatements(ctx, 'Canary', ctx.names.ecsCanary);
}

/** The ECS deploy action: update a service to a new revision and watch its tasks. */
function ecsDeployStatements(
  ctx: PipelinesContext,
  label: string,
  target: { service: string; taskFamily: string },
): PolicyStatement[] {
  const { clusterName } = ctx;
  return [
    {
      Sid: `Update${label}Service`,
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: Fn.Sub(
        `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/\${Cluster}/${target.service}`,
        { Cluster: clusterName },
      ),
    },
    {
      Sid: `Watch${label}Tasks`,
      Effect: 'Allow',
      Action: 'ecs:DescribeTasks',
      Resource: Fn.Sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/\${Cluster}/*`, {
        Cluster: clusterName,
      }),
    },
    // ListTasks' only resource type is container-instance (Fargate has none): "*" held to our cluster.
    anyResourceStatement(`List${label}Tasks`, 'ecs:ListTasks', {
      ArnEquals: { 'ecs:cluster': ctx.clusterArn },
    }),
    // No resource type (see RESOURCE_STAR_ACTIONS in iam.ts for both).
    anyResourceStatement('RegisterTaskDefinitionRevision', [
      'ecs:DescribeTaskDefinition',
      'ecs:RegisterTaskDefinition',
    ]),
    tagNewRevision(target.taskFamily),
    // The action registers a revision naming the two task roles and updates the service to it. AWS's
    // ECS deploy action reference gives the service role iam:PassRole on the roles it passes with
    // iam:PassedToService ecs.amazonaws.com and ecs-tasks.amazonaws.com ("Service role permissions",
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html): that
    // condition, held to this kit's two task roles (no other role is named in a revision).
    passTaskRoles(ctx.names, 'PassTaskRoles', ['ecs.amazonaws.com', 'ecs-tasks.amazonaws.com']),
  ];
}

/** The CodeDeployToECS action: register taskdef.json and the AppSpec, start the deployment. */
export function blueGreenStatements(ctx: PipelinesContext): PolicyStatement[] {
  const { codeDeployApplication, deploymentGroup, taskFamily } = ctx.names.blueGreen;
  return [
    {
      Sid: 'RegisterRevision',
      Effect: 'Allow',
      Action: [
        'codedeploy:GetApplication',
        'codedeploy:GetApplicationRevision',
        'codedeploy:RegisterApplicationRevision',
      ],
      Resource: accountArn('codedeploy', `application:${codeDeployApplication}`),
    },
    {
      Sid: 'StartDeployment',
      Effect: 'Allow',
      Action: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
      Resource: accountArn('codedeploy', `deploymentgroup:${codeDeployApplication}/${deploymentGroup}`),
    },
    {
      Sid: 'ReadDeploymentConfig',
      Effect: 'Allow',
      Action: 'codedeploy:GetDeploymentConfig',
      Resource: accountArn('codedeploy', `deploymentconfig:${deploymentConfigName(ctx.config)}`),
    },
    // CodeDeployToECS registers taskdef.json itself; see RESOURCE_STAR_ACTIONS in iam.ts.
    anyResourceStatement('RegisterTaskDefinition', 'ecs:RegisterTaskDefinition'),
    tagNewRevision(taskFamily),
    // taskdef.json names the two task roles; ECS tasks are their only use.
    passTaskRoles(ctx.names, 'PassTaskRoles'),
  ];
}

/**
 * A new revision carries tags (the rolling action copies the current revision's, taskdef.json the
 * stack's); tagging is allowed only while registering, and only in the service's own family.
 */
function tagNewRevision(family: string): PolicyStatement {
  return {
    Sid: 'TagNewRevision',
    Effect: 'Allow',
    Action: 'ecs:TagResource',
    Resource: accountArn('ecs', `task-definition/${family}:*`),
    Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
  };
}
