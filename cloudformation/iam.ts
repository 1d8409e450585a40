/**
 * The one IAM vocabulary of the kit: every policy document, every role's trust policy and every
 * `Resource: "*"` grant is written with these helpers, by the generators and by serverless.ts alike,
 * and the lint gate (scripts/lint/rules/iam-*.ts) checks the templates against the same tables.
 *
 * - policyDocument(statements): the document envelope (one policy language version, here).
 * - trustPolicy(service, guard): who may assume a role, with the confused-deputy guard
 *   (`aws:SourceAccount`, and `aws:SourceArn` where the service documents it) that TRUSTED_SERVICES
 *   records for that service principal, with the AWS page that says so.
 * - anyResourceStatement(sid, actions): a grant on `Resource: "*"`, only for the actions of
 *   RESOURCE_STAR_ACTIONS (each with the reason it cannot name a resource).
 */
import { Refs, type Value } from 'cloudform';

/** The current IAM policy language version; the only one with policy variables and condition sets. */
export const POLICY_VERSION = '2012-10-17';

/** One statement of an identity or resource policy (cloudform types policy documents as `any`). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource: Value<string> | Value<string>[];
  Condition?: Record<string, Record<string, unknown>>;
}

export function policyDocument<S>(statements: S[]): { Version: typeof POLICY_VERSION; Statement: S[] } {
  return { Version: POLICY_VERSION, Statement: statements };
}

/**
 * Which confused-deputy guard each service principal takes in a trust policy, and the AWS page it is
 * from (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html explains the attack).
 * - `source-arn`: `aws:SourceAccount` and `aws:SourceArn`, both documented for the service;
 * - `source-account`: `aws:SourceAccount` only;
 * - `none`: the service documents neither for its role, and an unsupported condition would make
 *   the role unusable, so there is none (the reason says why and what bounds the role instead).
 * A new service principal needs an entry here (the lint rule iam-trust-guard refuses one without).
 */
export const TRUSTED_SERVICES = {
  // "When creating your task IAM role, it is recommended that you use the aws:SourceAccount or
  // aws:SourceArn condition keys in the trust relationship"; a per-cluster source ARN is not supported,
  // so the ARN is every ECS resource of the account and region. The same principal assumes the task
  // execution role, which takes the same guard.
  'ecs-tasks.amazonaws.com': {
    guard: 'source-arn',
    docs: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
  },
  // The flow logs role's trust policy with aws:SourceAccount and aws:SourceArn (`vpc-flow-log/*`).
  'vpc-flow-logs.amazonaws.com': {
    guard: 'source-arn',
    docs: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html',
  },
  // CodeBuild names the build project in aws:SourceArn and its account in aws:SourceAccount.
  'codebuild.amazonaws.com': {
    guard: 'source-arn',
    docs: 'https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html',
  },
  // "For EC2/On-Premises, AWS Lambda, and regular Amazon ECS deployments, the value of aws:SourceArn
  // should include the CodeDeploy deployment group ARN with which CodeDeploy is allowed to assume the role."
  'codedeploy.amazonaws.com': {
    guard: 'source-arn',
    docs: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html',
  },
  // CodePipeline's pages show no trust condition; aws:SourceAccount, which the kit has always set on
  // the pipeline roles, is the general recommendation of the IAM guide for service roles.
  'codepipeline.amazonaws.com': {
    guard: 'source-account',
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention',
  },
  // ECS assumes two roles of the canary service: the infrastructure role that moves its listener rules
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html)
  // and the role that invokes its lifecycle hook (the docs URL below). Both pages show trust policies
  // without conditions, and no ECS page documents aws:SourceAccount or aws:SourceArn for this principal
  // (only for ecs-tasks.amazonaws.com); each role is bounded by its permissions: one stack's listener
  // rules and target groups, and one function.
  'ecs.amazonaws.com': {
    guard: 'none',
    docs: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-permissions.html',
  },
  // Lambda's execution role page shows a trust policy without conditions and documents neither key;
  // each role is bounded by its own permissions (the hook's: one deployment group, one log group; the
  // default security group's custom resource: revoking rules of that one group).
  'lambda.amazonaws.com': {
    guard: 'none',
    docs: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
} as const satisfies Record<string, { guard: 'source-arn' | 'source-account' | 'none'; docs: string }>;

export type ServicePrincipal = keyof typeof TRUSTED_SERVICES;
export type TrustGuardKind = (typeof TRUSTED_SERVICES)[ServicePrincipal]['guard'];

/** What trustPolicy() needs for a service: the source ARN pattern where the guard names one. */
export type TrustGuard<S extends ServicePrincipal> =
  (typeof TRUSTED_SERVICES)[S]['guard'] extends 'source-arn'
    ? { sourceArn: Value<string> }
    : (typeof TRUSTED_SERVICES)[S]['guard'];

/** The Sid every trust statement carries: the lint gate knows a trust policy from this helper by it. */
export const TRUST_STATEMENT_SID = 'AssumedByService';

/** A role's trust policy: only `service`, on behalf of this account (and source) where AWS supports it. */
export function trustPolicy<S extends ServicePrincipal>(service: S, guard: TrustGuard<S>) {
  const kind: TrustGuardKind = TRUSTED_SERVICES[service].guard;
  const given = typeof guard === 'object' ? 'source-arn' : guard;
  if (given !== kind) {
    throw new Error(`trustPolicy(${service}): the guard is "${kind}" (TRUSTED_SERVICES), not "${given}"`);
  }
  const condition =
    typeof guard === 'object'
      ? {
          StringEquals: { 'aws:SourceAccount': Refs.AccountId },
          ArnLike: { 'aws:SourceArn': guard.sourceArn },
        }
      : kind === 'source-account'
        ? { StringEquals: { 'aws:SourceAccount': Refs.AccountId } }
        : undefined;
  return policyDocument([
    {
      Sid: TRUST_STATEMENT_SID,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(condition ? { Condition: condition } : {}),
    },
  ]);
}

export interface ResourceStarAction {
  reason: string;
  /** A condition key the statement must use to narrow the action instead (e.g. `ecs:cluster`). */
  requiredCondition?: string;
}

/**
 * Actions that may be allowed on `Resource: "*"`, each with the reason: the IAM Service Authorization
 * Reference (SAR) lists no resource type for them, or none that applies to Fargate. The generators and
 * serverless.ts can only grant "*" through anyResourceStatement(), the lint rule iam-wildcard-resource
 * holds every template to this list, and it answers cdk-nag's `AwsSolutions-IAM5[Resource::*]`.
 */
export const RESOURCE_STAR_ACTIONS: Readonly<Record<string, ResourceStarAction>> = {
  'codedeploy:GetDeploymentTarget': {
    reason:
      'no resource-level permissions (SAR: no resource type); read-only (the hook finds the green task set)',
  },
  'codedeploy:ListDeploymentTargets': {
    reason:
      'no resource-level permissions (SAR: no resource type); read-only (the hook finds the green task set)',
  },
  'codedeploy:PutLifecycleEventHookExecutionStatus': {
    reason:
      'no resource type (SAR, "Actions defined by AWS CodeDeploy": its Resource types column is empty, ' +
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html), so a ' +
      'deployment-group ARN would not match it; it only reports on a hook execution whose ids CodeDeploy ' +
      'passed to this function when it invoked it',
  },
  'codepipeline:PutJobFailureResult': {
    reason:
      'no resource type (SAR): a job worker answers the job id CodePipeline handed it (the release-outcome check)',
  },
  'codepipeline:PutJobSuccessResult': {
    reason:
      'no resource type (SAR): a job worker answers the job id CodePipeline handed it (the release-outcome check)',
  },
  'ecr:GetAuthorizationToken': {
    reason: 'no resource-level permissions: the registry login token is account-wide (SAR: no resource type)',
  },
  'ecr-public:GetAuthorizationToken': {
    reason:
      'no resource-level permissions: the ECR Public login token (for pulling the base image) is account-wide (SAR: no resource type)',
  },
  'sts:GetServiceBearerToken': {
    reason:
      'no resource type (SAR); the statement narrows it to ECR Public with the sts:AWSServiceName condition key',
    requiredCondition: 'sts:AWSServiceName',
  },
  'ecs:RegisterTaskDefinition': {
    reason:
      'no resource-level permissions: the revision ARN does not exist before the call (SAR: no resource type; ' +
      'family-scoped ARNs are new, aws/containers-roadmap#929, and a gap would fail every deploy); iam:PassRole, ' +
      'scoped to our two task roles, bounds what a registered revision can do, and tagging the new revision is ' +
      'limited to the family by the ecs:TagResource statement',
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
  'elasticloadbalancing:DescribeTargetGroups': {
    reason:
      'Describe* actions of Elastic Load Balancing have no resource-level permissions (SAR); read-only (ECS reads ' +
      'the canary\'s target groups; AmazonECSInfrastructureRolePolicyForLoadBalancers grants the same on "*")',
  },
  'elasticloadbalancing:DescribeTargetHealth': {
    reason:
      'Describe* actions of Elastic Load Balancing have no resource-level permissions (SAR); read-only (ECS waits ' +
      'for the canary\'s new targets; AmazonECSInfrastructureRolePolicyForLoadBalancers grants the same on "*")',
  },
};

/** The allow-list entry of an action, case-insensitively (IAM action names are). */
export function resourceStarAction(action: string): ResourceStarAction | undefined {
  const key = Object.keys(RESOURCE_STAR_ACTIONS).find((a) => a.toLowerCase() === action.toLowerCase());
  return key ? RESOURCE_STAR_ACTIONS[key] : undefined;
}

/** An Allow on `Resource: "*"`: throws unless every action is allow-listed (with its required condition). */
export function anyResourceStatement(
  sid: string,
  action: string | string[],
  condition?: PolicyStatement['Condition'],
): PolicyStatement {
  const keys = Object.values(condition ?? {}).flatMap((operator) => Object.keys(operator));
  for (const a of [action].flat()) {
    const allowed = resourceStarAction(a);
    if (!allowed) throw new Error(`${sid}: ${a} is not in RESOURCE_STAR_ACTIONS (cloudformation/iam.ts)`);
    if (allowed.requiredCondition && !keys.includes(allowed.requiredCondition)) {
      throw new Error(`${sid}: ${a} on "*" needs the ${allowed.requiredCondition} condition`);
    }
  }
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: action,
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  };
}
