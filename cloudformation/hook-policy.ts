/**
 * What the hook's role (serverless.ts) may do: write its own logs, and per strategy the config runs
 * the calls of that strategy's discovery, each on the narrowest resource the Service Authorization
 * Reference (SAR) allows. Blue/green: the CodeDeploy deployment, its AppSpec, the green task set, and
 * the status report. ECS canary: the target service revision. Both: the task definition and the test
 * listener (RESOURCE_STAR_ACTIONS in iam.ts says why those are on "*").
 */
import { namesFor, type PlaygroundConfig, runs } from '../config';
import { anyResourceStatement, type PolicyStatement } from './iam';
import { accountArn } from './intrinsics';

/** The statements of the hook role's policy, for the strategies `config` runs. */
export function hookStatements(config: PlaygroundConfig): PolicyStatement[] {
  const names = namesFor(config);
  const statements: PolicyStatement[] = [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      // No logs:CreateLogGroup: the stack creates the group (with retention).
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: accountArn('logs', `log-group:${names.hookLogGroup}:*`),
    },
  ];
  if (runs(config, 'bluegreen')) statements.push(...blueGreenStatements(config));
  if (runs(config, 'canary')) statements.push(...canaryStatements(config));
  const codeDeployTargets = runs(config, 'bluegreen')
    ? ['codedeploy:GetDeploymentTarget', 'codedeploy:ListDeploymentTargets']
    : [];
  // Read-only calls without resource-level permissions (RESOURCE_STAR_ACTIONS says why).
  statements.push(
    anyResourceStatement('DescribeWithoutResourceLevelPermissions', [
      ...codeDeployTargets,
      'ecs:DescribeTaskDefinition',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeRules',
    ]),
  );
  return statements;
}

/** CodeDeploy's side: the deployment, its AppSpec and green task set, and the status report. */
function blueGreenStatements(config: PlaygroundConfig): PolicyStatement[] {
  const names = namesFor(config);
  const { codeDeployApplication, deploymentGroup } = names.blueGreen;
  return [
    {
      Sid: 'ReadDeployment',
      Effect: 'Allow',
      // SAR: these act on the deploymentgroup resource type, so they are scoped to this app's blue/green
      // deployment group.
      Action: ['codedeploy:GetDeployment', 'codedeploy:GetDeploymentGroup'],
      Resource: accountArn('codedeploy', `deploymentgroup:${codeDeployApplication}/${deploymentGroup}`),
    },
    // The status report: the SAR lists no resource type for it, so "*" (RESOURCE_STAR_ACTIONS says why).
    anyResourceStatement('ReportHookStatus', 'codedeploy:PutLifecycleEventHookExecutionStatus'),
    {
      Sid: 'ReadAppSpecRevision',
      Effect: 'Allow',
      // GetApplicationRevision acts on the application resource type.
      Action: ['codedeploy:GetApplicationRevision'],
      Resource: accountArn('codedeploy', `application:${codeDeployApplication}`),
    },
    {
      Sid: 'DescribeGreenTaskSet',
      Effect: 'Allow',
      // Discovery's fallback when the revision has no AppSpec: the green task set's task definition.
      // DescribeTaskSets acts on the task-set resource type (SAR), so only this service's task sets.
      Action: ['ecs:DescribeTaskSets'],
      Resource: accountArn('ecs', `task-set/${names.cluster}/${names.blueGreen.service}/*`),
    },
  ];
}

/**
 * ECS's side: the target service revision the payload names (its task definition, container and
 * test listener rule). SAR: DescribeServiceRevisions requires both the service and the service-revision
 * resource types (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html),
 * so the canary service and its revisions only.
 */
function canaryStatements(config: PlaygroundConfig): PolicyStatement[] {
  const names = namesFor(config);
  const service = `${names.cluster}/${names.ecsCanary.service}`;
  return [
    {
      Sid: 'DescribeCanaryRevision',
      Effect: 'Allow',
      Action: ['ecs:DescribeServiceRevisions'],
      Resource: [accountArn('ecs', `service/${service}`), accountArn('ecs', `service-revision/${service}/*`)],
    },
  ];
}
