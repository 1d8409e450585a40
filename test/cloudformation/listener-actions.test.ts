import { expect } from 'chai';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import { CANARY } from '../../cloudformation/service-canary';
import type { ServiceStackId } from '../../config';
import { CONFIG_VARIANTS, generated, type Json, ofType } from './helpers';

/**
 * `<listener> <DefaultActions|<rule> Actions>/<i>: <type>` for every action of every listener and
 * of every rule (named by the listener it is on).
 */
function listenerActions(template: Json): string[] {
  const listeners = ofType(template, 'AWS::ElasticLoadBalancingV2::Listener').flatMap(([id, l]) =>
    (l.Properties.DefaultActions as Json[]).map((a, i) => `${id} DefaultActions/${i}: ${a.Type}`),
  );
  const rules = ofType(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').flatMap(([id, r]) =>
    (r.Properties.Actions as Json[]).map(
      (a, i) => `${r.Properties.ListenerArn.Ref} ${id} Actions/${i}: ${a.Type}`,
    ),
  );
  return [...listeners, ...rules];
}

/** The listeners a deployment uses: ECS's through its rules, CodeDeploy's through its traffic routes. */
const DEPLOYMENT_LISTENERS: Record<string, (template: Json) => string[]> = {
  'service-canary': (t) => [
    t.Resources[CANARY.ProductionRule].Properties.ListenerArn.Ref,
    t.Resources[CANARY.TestRule].Properties.ListenerArn.Ref,
  ],
  'service-bluegreen': (t) => {
    const [pair] = t.Resources[BLUEGREEN.DeploymentGroup].Properties.LoadBalancerInfo.TargetGroupPairInfoList;
    return [pair.ProdTrafficRoute.ListenerArns[0].Ref, pair.TestTrafficRoute.ListenerArns[0].Ref];
  },
};

describe('listener actions of the canary and blue/green stacks', () => {
  const variants = {
    ...CONFIG_VARIANTS,
    'header-token without certificate': { loadBalancer: { testListenerAccess: 'header-token' } },
  };
  for (const stack of ['service-canary', 'service-bluegreen'] as ServiceStackId[]) {
    for (const [name, overrides] of Object.entries(variants)) {
      it(`forwards with every action of every listener a deployment uses (${stack}, ${name})`, () => {
        const t = generated(stack, overrides);
        const used = DEPLOYMENT_LISTENERS[stack]?.(t) ?? [];
        const actions = listenerActions(t).filter((a) => used.some((id) => a.startsWith(`${id} `)));
        // Each used listener's default action and its rules' (the canary has one on each listener).
        expect(actions.length).to.be.at.least(stack === 'service-canary' ? 4 : used.length);
        expect(actions.filter((a) => !a.endsWith(': forward'))).to.deep.equal([]);
      });
    }
  }

  it("has a non-forward action only on the HTTPS option's 80 → 443 redirect, a listener no deployment uses", () => {
    for (const stack of ['service-canary', 'service-bluegreen'] as ServiceStackId[]) {
      const https = generated(stack, CONFIG_VARIANTS[Object.keys(CONFIG_VARIANTS)[1] as string]);
      const ids = stack === 'service-canary' ? CANARY : BLUEGREEN;
      expect(listenerActions(https).filter((a) => !a.endsWith(': forward'))).to.deep.equal([
        `${ids.HttpListener} DefaultActions/0: redirect`,
      ]);
      expect(DEPLOYMENT_LISTENERS[stack]?.(https)).to.not.include(ids.HttpListener);
      expect(
        listenerActions(generated(stack)).every((a) => a.endsWith(': forward')),
        stack,
      ).to.equal(true);
    }
  });
});
