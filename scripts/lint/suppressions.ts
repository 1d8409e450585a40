/**
 * THE one list of accepted exceptions to the gate's checks, each with the reason a reviewer
 * accepted it. Nothing else in the gate may suppress a finding (no `.cfnlintrc`, no cfn-lint
 * Metadata in the templates). The actions allowed on
 * `Resource: "*"` are not here: RESOURCE_STAR_ACTIONS in cloudformation/iam.ts is the one list
 * (the generators grant "*" through it, the `iam-wildcard-resource` rule enforces it, and it answers
 * cdk-nag's `AwsSolutions-IAM5[Resource::*]` finding), so each reason lives once.
 *
 * - cdkNagSuppressions(config): cdk-nag AwsSolutions findings accepted on one resource, by exact
 *   finding id. It is a function of the config because some finding ids embed names
 *   (`…/aws/codebuild/<app>-<stage>…`) and some findings exist only with some settings.
 *   A suppression that matches no finding fails the gate, so this list cannot go stale.
 * - cfnLintSuppressions(): cfn-lint matches (errors, warnings and informational ones) accepted on one
 *   resource, by rule id; stale ones fail the gate the same way.
 */
import { CLUSTER } from '../../cloudformation/cluster';
import { CODEDEPLOY_ECS_POLICY } from '../../cloudformation/codedeploy';
import { NETWORK } from '../../cloudformation/network';
import { PIPELINES_IDS } from '../../cloudformation/pipelines';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import { SERVICE_IDS } from '../../cloudformation/stacks';
import { namesFor, type PlaygroundConfig, runs, serviceStacksFor } from '../../config';
import type { LintStackId } from './types';

export interface NagSuppression {
  stack: LintStackId;
  /** Logical id of the resource the finding is on. */
  resource: string;
  /** cdk-nag finding id, e.g. `AwsSolutions-EC23` or `AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`. */
  rule: string;
  reason: string;
}

/** cdk-nag's rendering of `Fn::Sub` with pseudo parameters inside a finding id. */
const ACCOUNT_ARN = 'arn:<AWS::Partition>:{service}:<AWS::Region>:<AWS::AccountId>';
const arnOf = (service: string) => ACCOUNT_ARN.replace('{service}', service);

export function cdkNagSuppressions(config: PlaygroundConfig): NagSuppression[] {
  return [...networkAndCluster(config), ...pipelines(config), ...services(config), ...hook(config)];
}

function networkAndCluster(config: PlaygroundConfig): NagSuppression[] {
  const list: NagSuppression[] = [
    {
      stack: 'network',
      resource: NETWORK.AlbSecurityGroup,
      rule: 'AwsSolutions-EC23',
      reason:
        'the public ALBs must accept 0.0.0.0/0 on their listener ports (80, 443 with a certificate, and the ' +
        'blue/green test port); tasks only accept the ALB group on the container port',
    },
  ];
  if (!config.cluster.containerInsights) {
    list.push({
      stack: 'cluster',
      resource: CLUSTER.Cluster,
      rule: 'AwsSolutions-ECS4',
      reason:
        'Container Insights is billed as custom metrics per task; it is off by default (config ' +
        'cluster.containerInsights) because the ALB and ECS service metrics cover the alarms the kit uses',
    });
  }
  return list;
}

function pipelines(config: PlaygroundConfig): NagSuppression[] {
  const names = namesFor(config);
  const ids = PIPELINES_IDS;
  const artifactObjects = (resource: string): NagSuppression => ({
    stack: 'pipelines',
    resource,
    rule: 'AwsSolutions-IAM5[Resource::<ArtifactBucket.Arn>/*]',
    reason:
      'pipeline artifacts are objects with keys CodePipeline generates per execution; access is limited to the ' +
      "stack's own artifact bucket",
  });
  const revisionsOf = (resource: string, family: string): NagSuppression => ({
    stack: 'pipelines',
    resource,
    rule: `AwsSolutions-IAM5[Resource::${arnOf('ecs')}:task-definition/${family}:*]`,
    reason:
      'each deployment registers a new revision of the family (`<family>:<revision>`); the wildcard is the ' +
      'revision number of our own family (ecs:TagResource only, at registration)',
  });
  return [
    {
      stack: 'pipelines',
      resource: ids.bucket,
      rule: 'AwsSolutions-S1',
      reason:
        'server access logs would need a second bucket (itself unlogged) for short-lived pipeline artifacts ' +
        'that only the pipeline roles can read: objects expire, public access is blocked, TLS is enforced',
    },
    {
      stack: 'pipelines',
      resource: ids.buildProject,
      rule: 'AwsSolutions-CB4',
      reason:
        'without EncryptionKey CodeBuild encrypts its artifacts with the AWS-managed S3 key, and the bucket ' +
        'encrypts at rest (SSE-S3); a customer-managed KMS key costs $1/month plus a key policy to maintain, ' +
        'for non-secret artifacts (source zip, imagedefinitions.json, taskdef.json)',
    },
    {
      stack: 'pipelines',
      resource: ids.buildRole,
      rule: `AwsSolutions-IAM5[Resource::${arnOf('logs')}:log-group:/aws/codebuild/${names.codeBuildProject}:log-stream:*]`,
      reason:
        "CodeBuild names each build's log stream after the build id, unknown in advance; the wildcard is " +
        "limited to the project's own log group",
    },
    artifactObjects(ids.buildRole),
    ...(runs(config, 'rolling') ? ecsDeployRole(ids.rollingRole, names.rolling.taskFamily) : []),
    ...(runs(config, 'bluegreen')
      ? [artifactObjects(ids.blueGreenRole), revisionsOf(ids.blueGreenRole, names.blueGreen.taskFamily)]
      : []),
    ...(runs(config, 'canary') ? ecsDeployRole(ids.canaryRole, names.ecsCanary.taskFamily) : []),
  ];

  /** The three findings of a role of the ECS deploy action (rolling, canary). */
  function ecsDeployRole(resource: string, family: string): NagSuppression[] {
    return [
      artifactObjects(resource),
      {
        stack: 'pipelines',
        resource,
        rule: `AwsSolutions-IAM5[Resource::${JSON.stringify([
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub text, as cdk-nag renders it
          'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*',
          { Cluster: { 'Fn::ImportValue': names.exportName('cluster', 'ClusterName') } },
        ])}]`,
        reason:
          "ECS's deploy action watches the tasks the deployment starts; task ids are unknown in advance, the " +
          'wildcard is limited to tasks of our cluster (ecs:DescribeTasks only)',
      },
      revisionsOf(resource, family),
    ];
  }
}

/** Every service stack the config deploys has the same two; blue/green adds CodeDeploy's managed policy. */
function services(config: PlaygroundConfig): NagSuppression[] {
  const stacks = serviceStacksFor(config);
  return [
    ...stacks.map(
      (stack): NagSuppression => ({
        stack,
        resource: SERVICE_IDS[stack].LoadBalancer,
        rule: 'AwsSolutions-ELB2',
        reason:
          'ALB access logs need a dedicated bucket with an ELB delivery policy and cost storage per request; ' +
          'the kit watches the ALB CloudWatch metrics (5xx alarms) and the app logs every request instead',
      }),
    ),
    ...stacks.map(
      (stack): NagSuppression => ({
        stack,
        resource: SERVICE_IDS[stack].TaskDefinition,
        rule: 'AwsSolutions-ECS2',
        reason:
          'the environment holds only non-secret settings rendered from the config (port, ALB idle timeout, ' +
          'stop timeout; config/contracts/app.ts); there are no secrets to move to Secrets Manager',
      }),
    ),
    ...(runs(config, 'bluegreen')
      ? [
          {
            stack: 'service-bluegreen' as const,
            resource: BLUEGREEN.CodeDeployRole,
            rule: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${CODEDEPLOY_ECS_POLICY}]`,
            reason:
              'AWSCodeDeployRoleForECSLimited is the AWS-maintained least-privilege policy for CodeDeploy ECS ' +
              'deployments (it may only invoke Lambda hooks named CodeDeployHook_*); AWS updates it with the service',
          },
        ]
      : []),
  ];
}

/** The hook's stack: logical IDs as Serverless Framework (and serverless.ts) name them. */
function hook(config: PlaygroundConfig): NagSuppression[] {
  const names = namesFor(config);
  return [
    {
      stack: 'hook',
      resource: 'HookRole',
      rule: `AwsSolutions-IAM5[Resource::${arnOf('logs')}:log-group:/aws/lambda/${names.hookFunction}:*]`,
      reason:
        'Lambda names each log stream per execution environment, unknown in advance; the wildcard is limited to ' +
        "the hook's own log group",
    },
    ...(runs(config, 'bluegreen')
      ? [
          {
            stack: 'hook' as const,
            resource: 'HookRole',
            rule: `AwsSolutions-IAM5[Resource::${arnOf('ecs')}:task-set/${names.cluster}/${names.blueGreen.service}/*]`,
            reason:
              'CodeDeploy creates a new task set, with a new id, for every deployment; the wildcard is limited to ' +
              "the blue/green service's task sets, read-only (ecs:DescribeTaskSets)",
          },
        ]
      : []),
    ...(runs(config, 'canary')
      ? [
          {
            stack: 'hook' as const,
            resource: 'HookRole',
            rule: `AwsSolutions-IAM5[Resource::${arnOf('ecs')}:service-revision/${names.cluster}/${names.ecsCanary.service}/*]`,
            reason:
              'ECS creates a new service revision, with a new id, for every deployment; the wildcard is limited to ' +
              "the canary service's revisions, read-only (ecs:DescribeServiceRevisions)",
          },
        ]
      : []),
    {
      stack: 'hook',
      resource: 'ServerlessDeploymentBucket',
      rule: 'AwsSolutions-S1',
      reason:
        "Serverless Framework's deployment bucket only holds the hook's code zips and templates; public access " +
        'is blocked and TLS enforced; access logs would need a second bucket for no operational use',
    },
    ...['HookLambdaFunction', 'OutcomeLambdaFunction'].map((resource) => ({
      stack: 'hook' as const,
      resource,
      rule: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is a supported Lambda LTS runtime (deprecation scheduled 2027); cdk-nag wants nodejs24.x. ' +
        'Remove this entry when the hook moves to nodejs24.x',
    })),
    ...outcomeRoleSuppressions(config),
  ];
}

/** The release-outcome check's wildcards (cloudformation/outcome-policy.ts), each limited to our own. */
function outcomeRoleSuppressions(config: PlaygroundConfig): NagSuppression[] {
  const names = namesFor(config);
  const on = (resource: string, reason: string): NagSuppression => ({
    stack: 'hook',
    resource: 'OutcomeRole',
    rule: `AwsSolutions-IAM5[Resource::${arnOf('ecs')}:${resource}]`,
    reason,
  });
  const services = [
    ...(runs(config, 'rolling') ? [names.rolling.service] : []),
    ...(runs(config, 'canary') ? [names.ecsCanary.service] : []),
  ];
  return [
    {
      stack: 'hook',
      resource: 'OutcomeRole',
      rule: `AwsSolutions-IAM5[Resource::${arnOf('logs')}:log-group:${names.outcomeLogGroup}:*]`,
      reason:
        'Lambda names each log stream per execution environment, unknown in advance; the wildcard is limited to ' +
        "the function's own log group",
    },
    ...services.flatMap((service) => [
      on(
        `service-deployment/${names.cluster}/${service}/*`,
        `ECS creates a service deployment, with a new id, for every release; limited to ${service}'s, read-only (ecs:DescribeServiceDeployments)`,
      ),
      on(
        `service-revision/${names.cluster}/${service}/*`,
        `ECS creates a service revision, with a new id, for every release; limited to ${service}'s, read-only (ecs:DescribeServiceRevisions)`,
      ),
    ]),
    ...(services.length
      ? [
          on(
            `task/${names.cluster}/*`,
            "task ids are new for every task; limited to the cluster's tasks, read-only (ecs:DescribeTasks: why a failed release's tasks stopped)",
          ),
        ]
      : []),
  ];
}

export interface CfnLintSuppression {
  stack: LintStackId;
  /** Logical id of the resource the match is on (its path starts with `Resources/<resource>`). */
  resource: string;
  /** cfn-lint rule id, e.g. `I1022`. */
  rule: string;
  reason: string;
}

export function cfnLintSuppressions(): CfnLintSuppression[] {
  return [
    {
      stack: 'hook',
      resource: 'ServerlessDeploymentBucketPolicy',
      rule: 'I1022',
      reason:
        "Serverless Framework generates this bucket policy's ARNs as Fn::Join with an empty delimiter, which " +
        'cfn-lint would write as Fn::Sub; the two are equivalent and the resource is not ours to rewrite',
    },
  ];
}
