/**
 * THE one list of accepted exceptions to the security checks, each with the reason a reviewer
 * accepted it. Nothing else in the gate may suppress a finding (cfn-lint's ignores live in
 * `.cfnlintrc`, which cfn-lint reads itself, each with its reason).
 *
 * - RESOURCE_STAR_ACTIONS: actions that may be allowed on `Resource: "*"` because they have no
 *   usable resource-level permissions (IAM Service Authorization Reference: no resource type, or
 *   none that applies to Fargate). The `iam-wildcard-resource` rule enforces the list, and the same
 *   list answers cdk-nag's `AwsSolutions-IAM5[Resource::*]` finding, so each reason lives once.
 * - cdkNagSuppressions(config): cdk-nag AwsSolutions findings accepted on one resource, by exact
 *   finding id. It is a function of the config because some finding ids embed names
 *   (`…/aws/codebuild/<app>-<stage>…`) and some findings exist only with some settings.
 *   A suppression that matches no finding fails the gate, so this list cannot go stale.
 */
import { namesFor, type PlaygroundConfig } from '../../config';
import type { LintStackId } from './types';

export interface NagSuppression {
  stack: LintStackId;
  /** Logical id of the resource the finding is on. */
  resource: string;
  /** cdk-nag finding id, e.g. `AwsSolutions-EC23` or `AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`. */
  rule: string;
  reason: string;
}

export interface ResourceStarAction {
  reason: string;
  /** A condition key the statement must use to narrow the action instead (e.g. `ecs:cluster`). */
  requiredCondition?: string;
}

/** Action (as written in the policy) → why it may be allowed on `Resource: "*"`. */
export const RESOURCE_STAR_ACTIONS: Readonly<Record<string, ResourceStarAction>> = {
  'ecr:GetAuthorizationToken': {
    reason: 'no resource-level permissions: the registry login token is account-wide (SAR: no resource type)',
  },
  'ecr-public:GetAuthorizationToken': {
    reason:
      'no resource-level permissions: the ECR Public login token (for pulling the base image) is account-wide ' +
      '(SAR: no resource type)',
  },
  'sts:GetServiceBearerToken': {
    reason:
      'no resource type (SAR); the statement narrows it to ECR Public with the sts:AWSServiceName condition key',
    requiredCondition: 'sts:AWSServiceName',
  },
  'ecs:RegisterTaskDefinition': {
    reason:
      'no resource-level permissions: the revision ARN does not exist before the call (SAR: no resource type); ' +
      'tagging the new revision is limited to the family by the ecs:TagResource statement',
  },
  'ecs:DescribeTaskDefinition': {
    reason: 'no resource-level permissions (SAR: no resource type); read-only',
  },
  'ecs:ListTasks': {
    reason:
      'its only resource type is container-instance (EC2 hosts), which Fargate tasks have none of; the statement ' +
      'narrows it to our cluster with the ecs:cluster condition key instead; read-only',
    requiredCondition: 'ecs:cluster',
  },
  'elasticloadbalancing:DescribeListeners': {
    reason: 'Describe* actions of Elastic Load Balancing have no resource-level permissions (SAR); read-only',
  },
  'elasticloadbalancing:DescribeLoadBalancers': {
    reason: 'Describe* actions of Elastic Load Balancing have no resource-level permissions (SAR); read-only',
  },
  'elasticloadbalancing:DescribeRules': {
    reason: 'Describe* actions of Elastic Load Balancing have no resource-level permissions (SAR); read-only',
  },
};

/** The allow-list entry of an action, case-insensitively (IAM action names are). */
export function resourceStarAction(action: string): ResourceStarAction | undefined {
  const key = Object.keys(RESOURCE_STAR_ACTIONS).find((a) => a.toLowerCase() === action.toLowerCase());
  return key ? RESOURCE_STAR_ACTIONS[key] : undefined;
}

/** cdk-nag's rendering of `Fn::Sub` with pseudo parameters inside a finding id. */
const ACCOUNT_ARN = 'arn:<AWS::Partition>:{service}:<AWS::Region>:<AWS::AccountId>';
const arnOf = (service: string) => ACCOUNT_ARN.replace('{service}', service);

export function cdkNagSuppressions(config: PlaygroundConfig): NagSuppression[] {
  const names = namesFor(config);
  const artifactObjects = 'AwsSolutions-IAM5[Resource::<ArtifactBucket.Arn>/*]';
  const artifactObjectsReason =
    'pipeline artifacts are objects with keys CodePipeline generates per execution; access is limited to the ' +
    "stack's own artifact bucket";
  const list: NagSuppression[] = [
    {
      stack: 'network',
      resource: 'AlbSecurityGroup',
      rule: 'AwsSolutions-EC23',
      reason:
        'the public ALBs must accept 0.0.0.0/0 on their listener ports (80, 443 with a certificate, and the ' +
        'blue/green test port); tasks only accept the ALB group on the container port',
    },
    {
      stack: 'pipelines',
      resource: 'ArtifactBucket',
      rule: 'AwsSolutions-S1',
      reason:
        'server access logs would need a second bucket (itself unlogged) for short-lived pipeline artifacts ' +
        'that only the pipeline roles can read: objects expire, public access is blocked, TLS is enforced',
    },
    {
      stack: 'pipelines',
      resource: 'BuildProject',
      rule: 'AwsSolutions-CB4',
      reason:
        'without EncryptionKey CodeBuild encrypts its artifacts with the AWS-managed S3 key, and the bucket ' +
        'encrypts at rest (SSE-S3); a customer-managed KMS key costs $1/month plus a key policy to maintain, ' +
        'for non-secret artifacts (source zip, imagedefinitions.json, taskdef.json)',
    },
    {
      stack: 'pipelines',
      resource: 'BuildRole',
      rule: `AwsSolutions-IAM5[Resource::${arnOf('logs')}:log-group:/aws/codebuild/${names.codeBuildProject}:log-stream:*]`,
      reason:
        "CodeBuild names each build's log stream after the build id, unknown in advance; the wildcard is " +
        "limited to the project's own log group",
    },
    { stack: 'pipelines', resource: 'BuildRole', rule: artifactObjects, reason: artifactObjectsReason },
    {
      stack: 'pipelines',
      resource: 'RollingPipelineRole',
      rule: artifactObjects,
      reason: artifactObjectsReason,
    },
    {
      stack: 'pipelines',
      resource: 'BlueGreenPipelineRole',
      rule: artifactObjects,
      reason: artifactObjectsReason,
    },
    {
      stack: 'pipelines',
      resource: 'RollingPipelineRole',
      rule: `AwsSolutions-IAM5[Resource::${JSON.stringify([
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub text, as cdk-nag renders it
        'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*',
        { Cluster: { 'Fn::ImportValue': names.exportName('cluster', 'ClusterName') } },
      ])}]`,
      reason:
        "ECS's deploy action watches the tasks the deployment starts; task ids are unknown in advance, the " +
        'wildcard is limited to tasks of our cluster (ecs:DescribeTasks only)',
    },
    {
      stack: 'pipelines',
      resource: 'RollingPipelineRole',
      rule: `AwsSolutions-IAM5[Resource::${arnOf('ecs')}:task-definition/${names.rolling.taskFamily}:*]`,
      reason:
        'each deployment registers a new revision of the family (`<family>:<revision>`); the wildcard is the ' +
        'revision number of our own family (ecs:TagResource only, at registration)',
    },
    {
      stack: 'pipelines',
      resource: 'BlueGreenPipelineRole',
      rule: `AwsSolutions-IAM5[Resource::${arnOf('ecs')}:task-definition/${names.blueGreen.taskFamily}:*]`,
      reason:
        'each deployment registers a new revision of the family (`<family>:<revision>`); the wildcard is the ' +
        'revision number of our own family (ecs:TagResource only, at registration)',
    },
    ...(['service-rolling', 'service-bluegreen'] as const).map(
      (stack): NagSuppression => ({
        stack,
        resource: stack === 'service-rolling' ? 'RollingLoadBalancer' : 'BlueGreenLoadBalancer',
        rule: 'AwsSolutions-ELB2',
        reason:
          'ALB access logs need a dedicated bucket with an ELB delivery policy and cost storage per request; ' +
          'the kit watches the ALB CloudWatch metrics (5xx alarms) and the app logs every request instead',
      }),
    ),
    ...(['service-rolling', 'service-bluegreen'] as const).map(
      (stack): NagSuppression => ({
        stack,
        resource: stack === 'service-rolling' ? 'RollingTaskDefinition' : 'BlueGreenTaskDefinition',
        rule: 'AwsSolutions-ECS2',
        reason:
          'the environment holds only non-secret settings rendered from the config (port, ALB idle timeout, ' +
          'stop timeout; config/app-env.ts); there are no secrets to move to Secrets Manager',
      }),
    ),
    {
      stack: 'service-bluegreen',
      resource: 'CodeDeployServiceRole',
      rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECSLimited]',
      reason:
        'AWSCodeDeployRoleForECSLimited is the AWS-maintained least-privilege policy for CodeDeploy ECS ' +
        'deployments (it may only invoke Lambda hooks named CodeDeployHook_*); AWS updates it with the service',
    },
    {
      stack: 'hook',
      resource: 'HookRole',
      rule: `AwsSolutions-IAM5[Resource::${arnOf('logs')}:log-group:/aws/lambda/${names.hookFunction}:*]`,
      reason:
        'Lambda names each log stream per execution environment, unknown in advance; the wildcard is limited to ' +
        "the hook's own log group",
    },
    {
      stack: 'hook',
      resource: 'ServerlessDeploymentBucket',
      rule: 'AwsSolutions-S1',
      reason:
        "Serverless Framework's deployment bucket only holds the hook's code zips and templates; public access " +
        'is blocked and TLS enforced; access logs would need a second bucket for no operational use',
    },
    {
      stack: 'hook',
      resource: 'HookLambdaFunction',
      rule: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is a supported Lambda LTS runtime (deprecation scheduled 2027); cdk-nag wants nodejs24.x. ' +
        'Remove this entry when the hook moves to nodejs24.x',
    },
  ];
  if (!config.cluster.containerInsights) {
    list.push({
      stack: 'cluster',
      resource: 'Cluster',
      rule: 'AwsSolutions-ECS4',
      reason:
        'Container Insights is billed as custom metrics per task; it is off by default (config ' +
        'cluster.containerInsights) because the ALB and ECS service metrics cover the alarms the kit uses',
    });
  }
  return list;
}
