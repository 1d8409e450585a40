import { expect } from 'chai';
import { ELB_5XX_QUERY, ELB_503_QUERY } from '../../cloudformation/alarms';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import { CANARY } from '../../cloudformation/service-canary';
import { ROLLING } from '../../cloudformation/service-rolling';
import type { ServiceStackId } from '../../config';
import { alarmOn, alarmsOf } from '../../scripts/timeline/alarms';
import { CONFIG_VARIANTS, generated, type Json, ofType } from './helpers';

const ELB_ALARM: Record<ServiceStackId, string> = {
  'service-rolling': ROLLING.LoadBalancer5xxAlarm,
  'service-bluegreen': BLUEGREEN.LoadBalancer5xxAlarm,
  'service-canary': CANARY.LoadBalancer5xxAlarm,
};

/** Whether a listener of the template forwards by default to a target group no service registers in. */
function hasDeadEnd(t: Json): boolean {
  const serviceGroups = new Set(
    ofType(t, 'AWS::ECS::Service').flatMap(([, s]) => [
      ...(s.Properties.LoadBalancers ?? []).map((lb: Json) => lb.TargetGroupArn?.Ref),
      ...(s.Properties.LoadBalancers ?? []).map(
        (lb: Json) => lb.AdvancedConfiguration?.AlternateTargetGroupArn?.Ref,
      ),
    ]),
  );
  // CodeDeploy's pair registers tasks in both of its target groups.
  for (const [, g] of ofType(t, 'AWS::CodeDeploy::DeploymentGroup')) {
    for (const pair of g.Properties.LoadBalancerInfo.TargetGroupPairInfoList ?? []) {
      for (const tg of pair.TargetGroups) serviceGroups.add(tg.Name?.['Fn::GetAtt']?.[0]);
    }
  }
  return ofType(t, 'AWS::ElasticLoadBalancingV2::Listener').some(([, l]) =>
    l.Properties.DefaultActions.some(
      (a: Json) => a.Type === 'forward' && a.TargetGroupArn?.Ref && !serviceGroups.has(a.TargetGroupArn.Ref),
    ),
  );
}

describe("the ALB 5xx alarm and the test listener's dead end", () => {
  const variants = {
    ...CONFIG_VARIANTS,
    'header-token test listener': { loadBalancer: { testListenerAccess: 'header-token' } },
  };
  for (const stack of Object.keys(ELB_ALARM) as ServiceStackId[]) {
    for (const [variant, overrides] of Object.entries(variants)) {
      it(`${stack}, ${variant}: leaves the ALB's 503s out exactly when a listener has a dead end`, () => {
        const t = generated(stack, overrides);
        const alarm = t.Resources[ELB_ALARM[stack]].Properties;
        const dimensions = [
          {
            Name: 'LoadBalancer',
            Value: alarm.Metrics?.[0].MetricStat.Metric.Dimensions[0].Value ?? alarm.Dimensions?.[0].Value,
          },
        ];
        if (!hasDeadEnd(t)) {
          expect(alarm.MetricName).to.equal('HTTPCode_ELB_5XX_Count');
          expect(alarm.Metrics).to.equal(undefined);
          return;
        }
        expect(alarm.MetricName).to.equal(undefined);
        const stat = (metric: string) => ({
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metric, Dimensions: dimensions },
          Period: 60,
          Stat: 'Sum',
        });
        expect(alarm.Metrics).to.deep.equal([
          { Id: ELB_5XX_QUERY, MetricStat: stat('HTTPCode_ELB_5XX_Count'), ReturnData: false },
          { Id: ELB_503_QUERY, MetricStat: stat('HTTPCode_ELB_503_Count'), ReturnData: false },
          {
            Id: 'elb5xxOther',
            Expression: 'FILL(elb5xx, 0) - FILL(elb503, 0)',
            Label: "the ALB's 5xx less its 503s (the dead end's answer)",
            ReturnData: true,
          },
        ]);
        expect(dimensions[0].Value).to.deep.equal({
          'Fn::GetAtt': [
            stack === 'service-canary' ? CANARY.LoadBalancer : BLUEGREEN.LoadBalancer,
            'LoadBalancerFullName',
          ],
        });
        expect(alarm).to.deep.include({
          EvaluationPeriods: 1,
          Threshold: 5,
          TreatMissingData: 'notBreaching',
        });
      });
    }
  }

  it('has a dead end on the canary always and on blue/green only with the header-token test listener', () => {
    expect(hasDeadEnd(generated('service-canary'))).to.equal(true);
    expect(hasDeadEnd(generated('service-rolling'))).to.equal(false);
    expect(
      hasDeadEnd(generated('service-bluegreen', { loadBalancer: { testListenerAccess: 'open' } })),
    ).to.equal(false);
    expect(
      hasDeadEnd(generated('service-bluegreen', { loadBalancer: { testListenerAccess: 'header-token' } })),
    ).to.equal(true);
  });

  it('reads the metric-math form as the ALB 5xx alarm in the failure model, with its period', () => {
    const t = generated('service-canary', { alarms: { periodSeconds: 30, evaluationPeriods: 3 } });
    const elb = alarmOn(alarmsOf(t), 'HTTPCode_ELB_5XX_Count');
    expect(elb).to.deep.include({
      logicalId: CANARY.LoadBalancer5xxAlarm,
      period: 30,
      evaluationPeriods: 3,
      windowSeconds: 90,
    });
  });
});
