/**
 * Self-diagnosis of the test route, pure: does the route the probes take through the test
 * listener lead to the green task set's target group, and only there? If it does not, probing
 * would test the wrong tasks (blue: "old version", for a release that may be fine), so the hook
 * fails at once and says which listener or rule forwards where, and what fixes it.
 *
 * ALB rules (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html):
 * rules are evaluated in priority order and the default rule last; each rule ends with exactly one
 * forward, redirect or fixed-response action; a forward may split requests between target groups
 * by weight (0-999), and a weight of 0 gets none. The kit's test listeners only forward (a
 * header-token listener's default goes to a target group that never has targets), but a listener
 * changed by hand may answer itself: the diagnosis names either. AWS documents that CodeDeploy's test
 * listener serves the replacement task set at AfterAllowTestTraffic, and BeforeAllowTraffic only as
 * after that and "before traffic is shifted"
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs):
 * so at BeforeAllowTraffic the hook relies on the route only as this check finds it. CodeDeploy's
 * documented ECS setup is a test listener whose default rule forwards to a target group
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/tutorial-ecs-with-hooks-create-second-listener.html).
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { TEST_LISTENER_TOKEN_HEADER } from '../config/contracts/hook';

/** The route the probes take: the token rule when the listener has one, else its default action. */
export interface TestRoute {
  listenerArn: string;
  /** The rule carrying the probe token header; undefined: the default action routes the probes. */
  ruleArn?: string;
  actions: readonly Action[];
}

export interface Forward {
  targetGroup: string;
  /** undefined: a plain forward to one target group (all requests). */
  weight?: number;
}

/**
 * The target group name inside its ARN,
 * `arn:${Partition}:elasticloadbalancing:${Region}:${Account}:targetgroup/${TargetGroupName}/${TargetGroupId}`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html),
 * which is also what CodeDeploy's ECSTaskSet.targetGroup names.
 */
export function targetGroupName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const [kind, name] = resource.split('/');
  return kind === 'targetgroup' && name ? name : arn;
}

/** Target groups the route's terminal forward action sends requests to, or undefined when it does not forward. */
export function forwardsOf(actions: readonly Action[]): Forward[] | undefined {
  // The terminal action is the one performed last (highest Order); authenticate-* actions come first.
  const last = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0)).at(-1);
  if (last?.Type !== 'forward') return undefined;
  const weighted = last.ForwardConfig?.TargetGroups ?? [];
  if (weighted.length > 0) {
    return weighted.map((t) => ({ targetGroup: targetGroupName(t.TargetGroupArn ?? ''), weight: t.Weight }));
  }
  return last.TargetGroupArn ? [{ targetGroup: targetGroupName(last.TargetGroupArn) }] : [];
}

function describeForwards(forwards: readonly Forward[]): string {
  if (forwards.length === 0) return 'no target group';
  const list = forwards.map((f) =>
    f.weight === undefined ? `"${f.targetGroup}"` : `"${f.targetGroup}" (weight ${f.weight})`,
  );
  return `target group${forwards.length > 1 ? 's' : ''} ${list.join(', ')}`;
}

function describeAction(actions: readonly Action[]): string {
  const last = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0)).at(-1);
  if (last?.Type === 'fixed-response') {
    const code = last.FixedResponseConfig?.StatusCode;
    return `answers every request itself (fixed-response${code ? ` ${code}` : ''})`;
  }
  return `does not forward (${last?.Type ?? 'no action'})`;
}

const SWITCH = 'loadBalancer.testListenerAccess';

/** Who routed the test traffic: the protocol the hook serves names the fix. */
export type RouteOwner = 'codedeploy' | 'ecs';

/**
 * What is wrong with the route, or undefined when every request it carries reaches the green
 * target group (weighted forwards included: other groups may appear only with weight 0).
 * `owner` says who should have routed it there: CodeDeploy (blue/green) or ECS (its own canary,
 * through the service's test listener rule).
 */
export function diagnoseRoute(
  route: TestRoute,
  greenTargetGroup: string,
  owner: RouteOwner = 'codedeploy',
): string | undefined {
  const where = route.ruleArn
    ? `test listener rule ${route.ruleArn} (header ${TEST_LISTENER_TOKEN_HEADER})`
    : `test listener ${route.listenerArn} default action`;
  const forwards = forwardsOf(route.actions);
  if (owner === 'ecs') return diagnoseEcsRoute(route, where, forwards, greenTargetGroup);
  const expected = `the green task set's target group "${greenTargetGroup}"`;
  const fix = route.ruleArn
    ? `CodeDeploy did not re-point this rule to green. Set ${SWITCH} to "open" (the test listener's ` +
      'default action then forwards, the setup AWS documents for CodeDeploy) and redeploy the blue/green service stack'
    : `CodeDeploy re-points the test listener's default action to green before this hook runs, so this is not the listener it routed: ` +
      `check that the deployment group's test traffic route is this listener (${SWITCH} "open" creates it that way) ` +
      'and that nothing changed the listener since. With "header-token" the default forwards to a target group that ' +
      `never has targets and a rule on header ${TEST_LISTENER_TOKEN_HEADER} carries the probes: if that rule is gone, ` +
      'redeploy the blue/green service stack so that it recreates it';
  if (forwards === undefined) {
    const problem = `${where} ${describeAction(route.actions)}, expected a forward to ${expected}`;
    if (route.ruleArn) return `${problem}: ${fix}`;
    return (
      `${problem}, and the listener has no rule on header ${TEST_LISTENER_TOKEN_HEADER}: set ${SWITCH} to "open" ` +
      '(its default action then forwards) or, to keep "header-token", redeploy the blue/green service stack so that it recreates the token rule'
    );
  }
  if (onlyTo(forwards, greenTargetGroup)) return undefined;
  return `${where} forwards to ${describeForwards(forwards)}, expected only ${expected}: ${fix}`;
}

/**
 * ECS's side: it moves the service's test listener rule (LoadBalancers[].AdvancedConfiguration.
 * TestListenerRule) to the new revision's target group during TEST_TRAFFIC_SHIFT, so at
 * POST_TEST_TRAFFIC_SHIFT the rule forwards there only
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html).
 */
function diagnoseEcsRoute(
  route: TestRoute,
  where: string,
  forwards: Forward[] | undefined,
  greenTargetGroup: string,
): string | undefined {
  const expected = `the target service revision's target group "${greenTargetGroup}"`;
  const fix =
    "ECS routes test traffic through the service's test listener rule before POST_TEST_TRAFFIC_SHIFT: check that " +
    "this rule is the service's AdvancedConfiguration.TestListenerRule, that the hook runs at POST_TEST_TRAFFIC_SHIFT, " +
    'and that nothing changed the rule since (redeploying the canary service stack recreates it)';
  if (forwards === undefined)
    return `${where} ${describeAction(route.actions)}, expected a forward to ${expected}: ${fix}`;
  if (onlyTo(forwards, greenTargetGroup)) return undefined;
  return `${where} forwards to ${describeForwards(forwards)}, expected only ${expected}: ${fix}`;
}

function onlyTo(forwards: readonly Forward[], targetGroup: string): boolean {
  const receiving = forwards.filter((f) => f.weight !== 0);
  return receiving.length === 1 && receiving[0]?.targetGroup === targetGroup;
}
