/**
 * Every action on a listener a deployment uses forwards. ECS's guide lists as a limitation that its
 * blue/green, linear and canary deployments fail on ALB listeners whose rules mix forward and
 * non-forward actions (redirect, fixed-response, authenticate-*) ("Limitations",
 * https://docs.aws.amazon.com/de_de/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html,
 * https://docs.aws.amazon.com/pt_br/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html;
 * some English copies of the page lack the section). A deployment's listeners are:
 *
 * - ECS's: the listeners of the rules an ECS service's LoadBalancers[].AdvancedConfiguration names
 *   (ProductionListenerRule, TestListenerRule; a listener itself for a Network Load Balancer,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html);
 * - CodeDeploy's: the ListenerArns of a deployment group's ProdTrafficRoute and TestTrafficRoute. AWS
 *   documents the limitation for ECS's own deployments only; CodeDeploy's documented setup forwards
 *   on every listener (a precaution that costs nothing).
 *
 * A listener whose actions are all of one non-forward type (the HTTPS option's 80 → 443 redirect)
 * mixes nothing and is used by no deployment: neither is flagged.
 */
import type { CfnTemplate, Check, Finding, Json, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { asList, isObject, referencedId, resourcesOf } from '../walk';

export const MIXED_LISTENER_ACTIONS_CHECK = 'mixed-listener-actions';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

/** Listener logical ID → who uses it (e.g. `ECS service CanaryService (TestListenerRule)`). */
export function deploymentListeners(template: CfnTemplate): Map<string, string[]> {
  const resources = template.Resources ?? {};
  const used = new Map<string, string[]>();
  const use = (target: Json | undefined, by: string) => {
    const id = referencedId(target);
    const resource = id ? resources[id] : undefined;
    // A rule names its listener; a listener (NLB) is one itself.
    const listener = resource?.Type === RULE ? referencedId(resource.Properties?.ListenerArn) : id;
    if (listener && resources[listener]?.Type === LISTENER) {
      used.set(listener, [...(used.get(listener) ?? []), by]);
    }
  };
  for (const [id, service] of resourcesOf(template, 'AWS::ECS::Service')) {
    for (const lb of asList(service.Properties?.LoadBalancers)) {
      const advanced = isObject(lb) ? lb.AdvancedConfiguration : undefined;
      if (!isObject(advanced)) continue;
      for (const key of ['ProductionListenerRule', 'TestListenerRule']) {
        use(advanced[key], `ECS service ${id} (${key})`);
      }
    }
  }
  for (const [id, group] of resourcesOf(template, 'AWS::CodeDeploy::DeploymentGroup')) {
    const info = group.Properties?.LoadBalancerInfo;
    const pairs = isObject(info) ? asList(info.TargetGroupPairInfoList) : [];
    for (const pair of pairs.filter(isObject)) {
      for (const key of ['ProdTrafficRoute', 'TestTrafficRoute']) {
        const route = pair[key];
        const arns = isObject(route) ? asList(route.ListenerArns) : [];
        for (const arn of arns) use(arn, `CodeDeploy deployment group ${id} (${key})`);
      }
    }
  }
  return used;
}

interface Action {
  location: string;
  type: string;
}

/** The listener's default actions and those of every rule on it, with their locations. */
function actionsOf(template: CfnTemplate, listener: string): Action[] {
  const typed = (id: string, key: string, list: Json | undefined): Action[] =>
    asList(list).map((a, i) => ({
      location: `Resources/${id}/Properties/${key}/${i}`,
      type: isObject(a) && typeof a.Type === 'string' ? a.Type : '(no type)',
    }));
  const rules = resourcesOf(template, RULE).filter(
    ([, r]) => referencedId(r.Properties?.ListenerArn) === listener,
  );
  return [
    ...typed(listener, 'DefaultActions', template.Resources?.[listener]?.Properties?.DefaultActions),
    ...rules.flatMap(([id, r]) => typed(id, 'Actions', r.Properties?.Actions)),
  ];
}

export function checkMixedListenerActions(t: LintTemplate): Finding[] {
  const findings: Finding[] = [];
  for (const [listener, users] of deploymentListeners(t.template)) {
    const actions = actionsOf(t.template, listener);
    if (!actions.some((a) => a.type === 'forward')) continue;
    for (const action of actions.filter((a) => a.type !== 'forward')) {
      findings.push(
        finding(
          MIXED_LISTENER_ACTIONS_CHECK,
          t,
          action.location,
          `${action.type} action beside forward actions on listener ${listener}, which ${users.join(' and ')} uses: ` +
            'deployments fail on ALB listeners whose rules mix forward and non-forward actions; ' +
            'forward to a target group that never has targets instead (the ALB answers 503)',
        ),
      );
    }
  }
  return findings;
}

export const mixedListenerActionsCheck: Check = {
  name: MIXED_LISTENER_ACTIONS_CHECK,
  description: 'every action on a listener an ECS or CodeDeploy deployment uses is a forward',
  run: (ctx: LintContext) => ctx.templates.flatMap((t) => checkMixedListenerActions(t)),
};
