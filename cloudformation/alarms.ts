/**
 * The CloudWatch alarms that stop a bad release: per target group 5xx answers and unhealthy
 * targets, and the ALB's own 5xx (502/503/504 when targets crash or hang). The rolling service
 * rolls back on them through ECS deployment alarms, the blue/green one through CodeDeploy.
 */
import { CloudWatch, Fn } from 'cloudform';
import type { PlaygroundConfig } from '../config';

/** ALB metrics are published every 60 s (periods of 10/30 s are high-resolution, see config). */
const NAMESPACE = 'AWS/ApplicationELB';

export type TargetGroupMetric = 'HTTPCode_Target_5XX_Count' | 'UnHealthyHostCount';

function alarm(
  config: PlaygroundConfig,
  name: string,
  description: string,
  metric: string,
  statistic: 'Sum' | 'Maximum',
  threshold: number,
  dimensions: { Name: string; Value: ReturnType<typeof Fn.GetAtt> }[],
): CloudWatch.Alarm {
  return new CloudWatch.Alarm({
    AlarmName: name,
    AlarmDescription: description,
    Namespace: NAMESPACE,
    MetricName: metric,
    Dimensions: dimensions,
    Statistic: statistic,
    Period: config.alarms.periodSeconds,
    EvaluationPeriods: config.alarms.evaluationPeriods,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    // No requests means no 5xx datapoints: silence is healthy, never a reason to roll back.
    TreatMissingData: 'notBreaching',
  });
}

/** A target-group alarm (5xx answers ≥ alarms.target5xxThreshold, or ≥ 1 unhealthy target). */
function targetGroupAlarm(
  config: PlaygroundConfig,
  input: {
    name: string;
    metric: TargetGroupMetric;
    loadBalancerId: string;
    targetGroupId: string;
    what: string;
  },
): CloudWatch.Alarm {
  const five = input.metric === 'HTTPCode_Target_5XX_Count';
  return alarm(
    config,
    input.name,
    five
      ? `${input.what}: targets answered ${config.alarms.target5xxThreshold}+ 5xx in a period`
      : `${input.what}: at least one target failed its health check`,
    input.metric,
    five ? 'Sum' : 'Maximum',
    // One unhealthy target out of two is already half the capacity.
    five ? config.alarms.target5xxThreshold : 1,
    [
      { Name: 'LoadBalancer', Value: Fn.GetAtt(input.loadBalancerId, 'LoadBalancerFullName') },
      { Name: 'TargetGroup', Value: Fn.GetAtt(input.targetGroupId, 'TargetGroupFullName') },
    ],
  );
}

/**
 * The ALB's own 5xx answers (target reset or timed out, no healthy target). ALB metrics have no
 * listener dimension, only LoadBalancer
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html),
 * so on a load balancer with a dead end (a test listener whose default forwards to a target group
 * that never has targets, load-balancer.ts deadEndForward) every request without the token would
 * count: the ALB answers it 503. There the alarm counts the ALB's 5xx less its 503s
 * (HTTPCode_ELB_503_Count), with CloudWatch metric math
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html),
 * so a port scanner knocking on the test port cannot roll a deployment back. It loses nothing the
 * other alarms do not see: a revision's tasks failing their health checks is the unhealthy-hosts
 * alarm, their 5xx the target-5xx alarm.
 */
function loadBalancer5xxAlarm(
  config: PlaygroundConfig,
  input: { name: string; loadBalancerId: string; what: string; deadEnd: boolean },
): CloudWatch.Alarm {
  const dimensions = [
    { Name: 'LoadBalancer', Value: Fn.GetAtt(input.loadBalancerId, 'LoadBalancerFullName') },
  ];
  const plain = alarm(
    config,
    input.name,
    `${input.what}: the load balancer answered ${config.alarms.elb5xxThreshold}+ 5xx in a period`,
    'HTTPCode_ELB_5XX_Count',
    'Sum',
    config.alarms.elb5xxThreshold,
    dimensions,
  );
  if (!input.deadEnd) return plain;
  const { Namespace, MetricName, Dimensions, Statistic, Period, ...rest } = plain.Properties;
  const period = config.alarms.periodSeconds;
  const sum = (id: string, metric: string) => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: NAMESPACE, MetricName: metric, Dimensions: dimensions },
      Period: period,
      Stat: 'Sum',
    },
    ReturnData: false,
  });
  return new CloudWatch.Alarm({
    ...rest,
    AlarmDescription: `${input.what}: the load balancer answered ${config.alarms.elb5xxThreshold}+ 5xx other than the test listener's 503 in a period`,
    Metrics: [
      sum(ELB_5XX_QUERY, 'HTTPCode_ELB_5XX_Count'),
      sum(ELB_503_QUERY, 'HTTPCode_ELB_503_Count'),
      {
        Id: 'elb5xxOther',
        // No datapoint is no request: FILL(…, 0), so a period with 5xx and no 503 still counts.
        Expression: `FILL(${ELB_5XX_QUERY}, 0) - FILL(${ELB_503_QUERY}, 0)`,
        Label: "the ALB's 5xx less its 503s (the dead end's answer)",
        ReturnData: true,
      },
    ],
  });
}

/** The metric-math query ids of the dead-end form of the ALB 5xx alarm (readers find its metric by them). */
export const ELB_5XX_QUERY = 'elb5xx';
export const ELB_503_QUERY = 'elb503';

/** One target group of a service, with the logical IDs of its two alarms. */
export interface AlarmedTargetGroup {
  id: string;
  /** Tells the target groups of one service apart in alarm names and descriptions (`blue`, `green`). */
  label?: string;
  target5xxAlarm: string;
  unhealthyHostsAlarm: string;
}

export interface ServiceAlarmsSpec {
  /** The ECS service's name: alarm names start with it, descriptions name it. */
  service: string;
  loadBalancerId: string;
  loadBalancer5xxAlarm: string;
  targetGroups: readonly AlarmedTargetGroup[];
  /** The load balancer has a dead end (deadEndForward): its 5xx alarm leaves the ALB's 503s out. */
  deadEnd: boolean;
}

/**
 * Every alarm that stops a bad release of one service, by logical ID: per target group its 5xx and
 * unhealthy-host alarms (`<service>[-<label>]-target-5xx`, `…-unhealthy-hosts`), then the ALB's 5xx.
 * The deployment strategy decides who watches them (ECS deployment alarms, CodeDeploy, …).
 */
export function serviceAlarms(
  config: PlaygroundConfig,
  spec: ServiceAlarmsSpec,
): Record<string, CloudWatch.Alarm> {
  const alarms: Record<string, CloudWatch.Alarm> = {};
  for (const tg of spec.targetGroups) {
    const prefix = tg.label ? `${spec.service}-${tg.label}` : spec.service;
    const common = {
      loadBalancerId: spec.loadBalancerId,
      targetGroupId: tg.id,
      what: tg.label ? `${spec.service} (${tg.label})` : spec.service,
    };
    alarms[tg.target5xxAlarm] = targetGroupAlarm(config, {
      ...common,
      name: `${prefix}-target-5xx`,
      metric: 'HTTPCode_Target_5XX_Count',
    });
    alarms[tg.unhealthyHostsAlarm] = targetGroupAlarm(config, {
      ...common,
      name: `${prefix}-unhealthy-hosts`,
      metric: 'UnHealthyHostCount',
    });
  }
  alarms[spec.loadBalancer5xxAlarm] = loadBalancer5xxAlarm(config, {
    name: `${spec.service}-elb-5xx`,
    loadBalancerId: spec.loadBalancerId,
    what: spec.service,
    deadEnd: spec.deadEnd,
  });
  return alarms;
}
