/**
 * ECS discovery: from the payload's target service revision alone, find what to probe, the route
 * the probes take, the target group that route must reach, and the version to expect.
 *
 *   DescribeServiceRevisions(targetServiceRevisionArn) → its task definition, the container behind
 *     its load balancer, the test listener rule (LoadBalancers[].AdvancedConfiguration.TestListenerRule)
 *     and the target group it resolved to (resolvedConfiguration.loadBalancers[].targetGroupArn)
 *   ├─ DescribeTaskDefinition → that container's CODE_VERSION, else its image tag (version.ts)
 *   ├─ DescribeRules(the test rule) → its token header value and where it forwards
 *   └─ DescribeListeners(the rule's listener) → DescribeLoadBalancers → http://<DNS>:<port>
 *
 * AWS behaviour this rests on: a service revision records the task definition and load balancers it
 * deploys, and its resolved configuration the target group its tasks are registered to
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRevision.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResolvedConfiguration.html); ECS
 * routes the test listener rule to that target group before POST_TEST_TRAFFIC_SHIFT
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html).
 * AWS's own canary hook sample reads the resolved target group the same way and notes it may be
 * absent; then the route is not checked (the summary says so) and only the probes decide.
 */
import {
  DescribeServiceRevisionsCommand,
  type LoadBalancer,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { TEST_LISTENER_TOKEN_HEADER } from '../config/contracts/hook';
import type { CheckTarget } from './check';
import { type Clients, tokenRuleOf } from './discover';
import { DiscoveryError, type Opts } from './discovery-error';
import { describeTestListener, listenerArnOfRule, listenerBaseUrl } from './listener';
import { targetGroupName } from './route';
import { expectedVersion } from './version';

export interface EcsTarget extends CheckTarget {
  /** Where each value came from, for the summary log line. */
  source: {
    serviceRevision: string;
    taskDefinition: string;
    container: string;
    versionFrom: 'CODE_VERSION' | 'image tag';
    testListenerRule: string;
    /** The target revision's target group, or why the route is not checked. */
    targetGroup: string;
  };
}

export async function discoverEcsTarget(
  clients: Pick<Clients, 'ecs' | 'elbv2'>,
  revisionArn: string,
  signal?: AbortSignal,
): Promise<EcsTarget> {
  const opts: Opts = { abortSignal: signal };
  const revision = await describeRevision(clients, revisionArn, opts);
  const { lb, index } = testedLoadBalancer(revision, revisionArn);
  const ruleArn = lb.advancedConfiguration?.testListenerRule ?? '';
  const listenerArn = listenerArnOfRule(ruleArn);
  if (!listenerArn) {
    throw new DiscoveryError(`test listener rule ${JSON.stringify(ruleArn)} is not an ALB listener rule ARN`);
  }
  const taskDefinition = revision.taskDefinition ?? '';
  const containerName = lb.containerName ?? '';
  const [expected, rule, baseUrl] = await Promise.all([
    expectedVersion(clients.ecs, { taskDefinition, containerName }, opts),
    describeRule(clients, ruleArn, opts),
    describeTestListener(clients.elbv2, listenerArn, opts).then((l) =>
      listenerBaseUrl(clients.elbv2, l, opts),
    ),
  ]);
  const token = tokenRuleOf(rule);
  if (!token) {
    throw new DiscoveryError(
      `test listener rule ${ruleArn} has no http-header condition on ${TEST_LISTENER_TOKEN_HEADER}: the hook ` +
        'probes only through the token rule the canary service stack creates (redeploy it to recreate the rule)',
    );
  }
  const resolved = revision.resolvedConfiguration?.loadBalancers?.[index]?.targetGroupArn;
  const greenTargetGroup = resolved ? targetGroupName(resolved) : undefined;
  return {
    baseUrl,
    headers: { [TEST_LISTENER_TOKEN_HEADER]: token.token },
    expectedVersion: expected.version,
    route: greenTargetGroup
      ? { route: { listenerArn, ruleArn, actions: rule.Actions ?? [] }, greenTargetGroup, owner: 'ecs' }
      : undefined,
    source: {
      serviceRevision: revisionArn,
      taskDefinition,
      container: containerName,
      versionFrom: expected.versionFrom,
      testListenerRule: ruleArn,
      targetGroup:
        greenTargetGroup ?? 'not checked: the service revision has no resolvedConfiguration target group',
    },
  };
}

async function describeRevision(
  clients: Pick<Clients, 'ecs'>,
  revisionArn: string,
  opts: Opts,
): Promise<ServiceRevision> {
  const { serviceRevisions, failures } = await clients.ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }),
    opts,
  );
  const revision = serviceRevisions?.[0];
  if (!revision) {
    const why = failures?.[0]?.reason ? ` (${failures[0].reason})` : '';
    throw new DiscoveryError(`service revision ${revisionArn} was not found${why}`);
  }
  if (!revision.taskDefinition) {
    throw new DiscoveryError(`service revision ${revisionArn} names no task definition`);
  }
  return revision;
}

/** The load balancer whose test listener rule the hook probes through, and its position. */
function testedLoadBalancer(
  revision: ServiceRevision,
  revisionArn: string,
): { lb: LoadBalancer; index: number } {
  const lbs = revision.loadBalancers ?? [];
  const index = lbs.findIndex((l) => l.advancedConfiguration?.testListenerRule);
  const lb = lbs[index];
  if (!lb) {
    throw new DiscoveryError(
      `service revision ${revisionArn} has no test listener rule (LoadBalancers[].AdvancedConfiguration.` +
        'TestListenerRule): the hook probes the new revision through it, so the service needs one',
    );
  }
  if (!lb.containerName) {
    throw new DiscoveryError(`service revision ${revisionArn} names no container behind its load balancer`);
  }
  return { lb, index };
}

async function describeRule(clients: Pick<Clients, 'elbv2'>, ruleArn: string, opts: Opts) {
  const { Rules } = await clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }), opts);
  const rule = Rules?.[0];
  if (!rule) throw new DiscoveryError(`test listener rule ${ruleArn} not found`);
  return rule;
}
