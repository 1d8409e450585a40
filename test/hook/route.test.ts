import { expect } from 'chai';
import { DEFAULT_CONFIG, namesFor, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { diagnoseRoute, forwardsOf, targetGroupName } from '../../hook/route';
import {
  BLUE_TG,
  forwardAction,
  GREEN_TG,
  LISTENER_ARN,
  TOKEN_RULE_ARN,
  tgArn,
} from '../../scripts/bench/hook/aws';
import { deadEndAction } from '../../scripts/bench/hook/deployment-fixtures';

const defaultRoute = (actions: Parameters<typeof diagnoseRoute>[0]['actions']) => ({
  listenerArn: LISTENER_ARN,
  actions,
});
const ruleRoute = (actions: Parameters<typeof diagnoseRoute>[0]['actions']) => ({
  listenerArn: LISTENER_ARN,
  ruleArn: TOKEN_RULE_ARN,
  actions,
});

const DEAD_END_TG = namesFor(DEFAULT_CONFIG).blueGreen.testDefaultTargetGroup;

describe('hook test route diagnosis', () => {
  it('passes a route that forwards to the green target group, plain or weighted 100/0', () => {
    expect(diagnoseRoute(defaultRoute([forwardAction(GREEN_TG)]), GREEN_TG)).to.equal(undefined);
    expect(diagnoseRoute(defaultRoute([forwardAction(GREEN_TG, true)]), GREEN_TG)).to.equal(undefined);
    expect(diagnoseRoute(ruleRoute([forwardAction(GREEN_TG, true)]), GREEN_TG)).to.equal(undefined);
  });

  it('fails a token rule still forwarding to blue, and names the switch to "open"', () => {
    expect(diagnoseRoute(ruleRoute([forwardAction(BLUE_TG)]), GREEN_TG)).to.equal(
      `test listener rule ${TOKEN_RULE_ARN} (header ${TEST_LISTENER_TOKEN_HEADER}) forwards to target group "${BLUE_TG}", ` +
        `expected only the green task set's target group "${GREEN_TG}": CodeDeploy did not re-point this rule to green. ` +
        'Set loadBalancer.testListenerAccess to "open" (the test listener\'s default action then forwards, the setup AWS ' +
        'documents for CodeDeploy) and redeploy the blue/green service stack',
    );
  });

  it('fails a default action forwarding to blue, naming the listener', () => {
    expect(diagnoseRoute(defaultRoute([forwardAction(BLUE_TG, true)]), GREEN_TG)).to.equal(
      `test listener ${LISTENER_ARN} default action forwards to target groups "${BLUE_TG}" (weight 100), "${GREEN_TG}" (weight 0), ` +
        `expected only the green task set's target group "${GREEN_TG}": CodeDeploy re-points the test listener's default action ` +
        "to green before this hook runs, so this is not the listener it routed: check that the deployment group's test traffic " +
        'route is this listener (loadBalancer.testListenerAccess "open" creates it that way) and that nothing changed the listener since. ' +
        'With "header-token" the default forwards to a target group that never has targets and a rule on header ' +
        `${TEST_LISTENER_TOKEN_HEADER} carries the probes: if that rule is gone, redeploy the blue/green service stack so that it recreates it`,
    );
  });

  it('fails a header-token listener whose token rule is gone: its default forwards to the group without targets', () => {
    const deadEnd = deadEndAction(tgArn(DEAD_END_TG));
    const message = diagnoseRoute(defaultRoute([deadEnd]), GREEN_TG);
    expect(message).to.match(
      new RegExp(
        `^test listener ${LISTENER_ARN} default action forwards to target group "${DEAD_END_TG}" \\(weight 1\\), expected only`,
      ),
    );
    expect(message).to.include(
      'if that rule is gone, redeploy the blue/green service stack so that it recreates it',
    );
  });

  it('fails a weighted forward that still sends some requests to blue', () => {
    const split = {
      Type: 'forward' as const,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: tgArn(GREEN_TG), Weight: 90 },
          { TargetGroupArn: tgArn(BLUE_TG), Weight: 10 },
        ],
      },
    };
    expect(diagnoseRoute(defaultRoute([split]), GREEN_TG)).to.match(
      new RegExp(
        `^test listener .+ default action forwards to target groups "${GREEN_TG}" \\(weight 90\\), "${BLUE_TG}" \\(weight 10\\), expected only`,
      ),
    );
  });

  it('fails a listener that answers the probes itself and has no token rule', () => {
    const fixed = {
      Type: 'fixed-response' as const,
      FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
    };
    expect(diagnoseRoute(defaultRoute([fixed]), GREEN_TG)).to.equal(
      `test listener ${LISTENER_ARN} default action answers every request itself (fixed-response 404), expected a forward to ` +
        `the green task set's target group "${GREEN_TG}", and the listener has no rule on header ${TEST_LISTENER_TOKEN_HEADER}: ` +
        'set loadBalancer.testListenerAccess to "open" (its default action then forwards) or, to keep "header-token", redeploy ' +
        'the blue/green service stack so that it recreates the token rule',
    );
  });

  it('reads the forward that ends the rule, after an authenticate action', () => {
    expect(
      forwardsOf([
        { Type: 'forward', TargetGroupArn: tgArn(GREEN_TG), Order: 2 },
        { Type: 'authenticate-oidc', Order: 1 },
      ]),
    ).to.deep.equal([{ targetGroup: GREEN_TG }]);
    expect(forwardsOf([{ Type: 'redirect', Order: 1 }])).to.equal(undefined);
  });

  it('reads the target group name from its ARN', () => {
    expect(targetGroupName(tgArn(GREEN_TG))).to.equal(GREEN_TG);
    expect(targetGroupName('arn:aws-cn:elasticloadbalancing:cn-north-1:1:targetgroup/tg-a/0123')).to.equal(
      'tg-a',
    );
    expect(targetGroupName('not-an-arn')).to.equal('not-an-arn');
  });
});
