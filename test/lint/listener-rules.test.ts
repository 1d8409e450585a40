import { expect } from 'chai';
import {
  deploymentListeners,
  MIXED_LISTENER_ACTIONS_CHECK,
  mixedListenerActionsCheck,
} from '../../scripts/lint/rules/mixed-listener-actions';
import { renderedTemplates } from '../../scripts/lint/templates';
import { CERT, configWith } from '../cloudformation/helpers';
import { config, fixture, label } from './support';

const WHY =
  'deployments fail on ALB listeners whose rules mix forward and non-forward actions; ' +
  'forward to a target group that never has targets instead (the ALB answers 503)';

describe('lint: deployment listener actions', () => {
  it("fails for a fixed-response beside a forward on an ECS deployment's listener, and a redirect on CodeDeploy's", async () => {
    const findings = await mixedListenerActionsCheck.run({
      templates: [fixture('mixed-listener-actions.json')],
      config,
    });
    expect(findings).to.deep.equal([
      {
        check: MIXED_LISTENER_ACTIONS_CHECK,
        template: label('mixed-listener-actions.json'),
        location: 'Resources/TestListener/Properties/DefaultActions/0',
        message: `fixed-response action beside forward actions on listener TestListener, which ECS service Service (TestListenerRule) uses: ${WHY}`,
      },
      {
        check: MIXED_LISTENER_ACTIONS_CHECK,
        template: label('mixed-listener-actions.json'),
        location: 'Resources/CodeDeployRedirectRule/Properties/Actions/0',
        message: `redirect action beside forward actions on listener CodeDeployTestListener, which CodeDeploy deployment group DeploymentGroup (TestTrafficRoute) uses: ${WHY}`,
      },
    ]);
  });

  it('finds the listeners through the rules ECS is given and the routes of a deployment group, not the 80 → 443 redirect', () => {
    const used = deploymentListeners(fixture('mixed-listener-actions.json').template);
    expect(Object.fromEntries(used)).to.deep.equal({
      ProductionListener: [
        'ECS service Service (ProductionListenerRule)',
        'CodeDeploy deployment group DeploymentGroup (ProdTrafficRoute)',
      ],
      TestListener: ['ECS service Service (TestListenerRule)'],
      CodeDeployTestListener: ['CodeDeploy deployment group DeploymentGroup (TestTrafficRoute)'],
    });
  });

  it('passes the generated stacks, with and without a certificate and the header-token test listener', async () => {
    for (const overrides of [
      {},
      { loadBalancer: { certificateArn: CERT, testListenerAccess: 'header-token' } },
    ]) {
      const c = configWith(overrides);
      const templates = renderedTemplates(c);
      // The check sees the deployments' listeners: two per service stack that has a deployment.
      const used = templates.flatMap((t) =>
        [...deploymentListeners(t.template).keys()].map((l) => `${t.id} ${l}`),
      );
      expect(used, JSON.stringify(overrides)).to.have.length(4);
      expect(await mixedListenerActionsCheck.run({ templates, config: c })).to.deep.equal([]);
    }
  });
});
