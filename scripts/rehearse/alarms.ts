/**
 * The service stacks' CloudWatch alarms, read from the template, evaluated on HAProxy's own counters
 * at compressed periods: HTTPCode_Target_5XX_Count (5xx answered by the target group's servers),
 * HTTPCode_ELB_5XX_Count (5xx the load balancer answered itself: all 5xx of its listeners less the
 * targets'), UnHealthyHostCount (targets failing their health check). An alarm is in ALARM when its
 * last EvaluationPeriods periods all breach the threshold, with missing data not breaching
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation;
 * the metrics: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 */
import type { Balancer } from './balancer';
import { type Clock, compressedMs } from './clock';
import type { Haproxy } from './haproxy';
import { backendOf } from './haproxy-config';
import type { RenderedStack } from './template';

export interface AlarmModel {
  /** Logical id in the template. */
  id: string;
  name: string;
  metric: string;
  /** The target group the alarm's TargetGroup dimension names (its logical id), if any. */
  tg?: string;
  periodSeconds: number;
  evaluationPeriods: number;
  threshold: number;
  comparison: string;
}

interface MetricStat {
  Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] };
  Period: number;
}

export function alarmsOf(stack: RenderedStack, balancer: Balancer): AlarmModel[] {
  return stack.ofType('AWS::CloudWatch::Alarm').map((id) => {
    const p = stack.resolve(stack.resources[id].Properties) as Record<string, unknown>;
    // The metric-math form (the ALB's 5xx less its 503s, on a load balancer with a dead end,
    // cloudformation/alarms.ts) is read as its first metric: the rehearsal sends no request without
    // the token to a test listener (only the hook's, with it), so the 503s it leaves out are none here.
    const stat = (p.Metrics as { MetricStat?: MetricStat }[] | undefined)?.find(
      (m) => m.MetricStat,
    )?.MetricStat;
    if (stat)
      Object.assign(p, {
        MetricName: stat.Metric.MetricName,
        Dimensions: stat.Metric.Dimensions,
        Period: stat.Period,
      });
    const dims = (p.Dimensions as { Name: string; Value: string }[]) ?? [];
    const tgFull = dims.find((d) => d.Name === 'TargetGroup')?.Value;
    const tg = balancer.model.targetGroups.find((t) => tgFull?.startsWith(`targetgroup/${t.name}/`))?.id;
    return {
      id,
      name: String(p.AlarmName),
      metric: String(p.MetricName),
      tg,
      periodSeconds: Number(p.Period),
      evaluationPeriods: Number(p.EvaluationPeriods),
      threshold: Number(p.Threshold),
      comparison: String(p.ComparisonOperator),
    };
  });
}

function breaches(alarm: AlarmModel, value: number): boolean {
  switch (alarm.comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    default:
      return value <= alarm.threshold;
  }
}

export interface AlarmFiring {
  alarm: AlarmModel;
  value: number;
}

/** Samples the counters and evaluates the alarms until stopped; `firing` is the first in ALARM. */
export class AlarmWatch {
  firing: AlarmFiring | undefined;
  private stopped = false;
  private readonly seen = new Map<string, number>();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly alarms: readonly AlarmModel[],
    private readonly balancer: Balancer,
    private readonly haproxy: Haproxy,
    private readonly clock: Clock,
  ) {}

  start(): void {
    // A watch that fails (haproxy gone at the end of a failed rehearsal) just stops watching.
    this.done = Promise.all(this.alarms.map((a) => this.watch(a).catch(() => undefined))).then(
      () => undefined,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** A counter that survives deleted servers: the highest value seen per server, summed. */
  private async counter(alarm: AlarmModel): Promise<number> {
    const rows = await this.haproxy.stats();
    const lb = this.balancer.model;
    const backends = lb.targetGroups
      .filter((t) => !alarm.tg || t.id === alarm.tg)
      .map((t) => backendOf(lb, t));
    for (const r of rows) {
      if (r.server === 'FRONTEND' || r.server === 'BACKEND') {
        if (r.server === 'FRONTEND' && lb.listeners.some((l) => l.id === r.proxy)) {
          this.seen.set(`fe:${r.proxy}`, r.hrsp5xx);
        }
        continue;
      }
      const key = `${r.proxy}/${r.server}`;
      this.seen.set(key, Math.max(this.seen.get(key) ?? 0, r.hrsp5xx));
    }
    const sum = (pred: (key: string) => boolean) =>
      [...this.seen].filter(([k]) => pred(k)).reduce((a, [, v]) => a + v, 0);
    const target = sum((k) => backends.some((b) => k.startsWith(`${b}/`)));
    if (alarm.metric === 'HTTPCode_Target_5XX_Count') return target;
    const mine = lb.targetGroups.map((t) => backendOf(lb, t));
    const allTargets = sum((k) => mine.some((b) => k.startsWith(`${b}/`)));
    return sum((k) => k.startsWith('fe:')) - allTargets;
  }

  /** The most targets seen unhealthy at once since `from`: each target seen unhealthy in the period counts. */
  private async unhealthy(alarm: AlarmModel, from: number): Promise<number> {
    const groups = alarm.tg ? [alarm.tg] : this.balancer.model.targetGroups.map((t) => t.id);
    for (const tg of groups) await this.balancer.health(tg);
    const seen = this.balancer.unhealthySeen.filter((u) => u.at >= from && groups.includes(u.tg));
    return new Set(seen.map((u) => `${u.tg}/${u.task}`)).size;
  }

  private async watch(alarm: AlarmModel): Promise<void> {
    const periodMs = compressedMs(this.clock, alarm.periodSeconds * 1000, 500);
    const samplesPerPeriod = 5;
    const datapoints: number[] = [];
    const sums = ['HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count'].includes(alarm.metric);
    if (!sums && alarm.metric !== 'UnHealthyHostCount') return; // not a metric the rehearsal has
    let base = sums ? await this.counter(alarm) : 0;
    while (!this.stopped) {
      let max = 0;
      const from = this.clock.now();
      for (let i = 0; i < samplesPerPeriod && !this.stopped; i++) {
        await this.clock.sleepMs(periodMs / samplesPerPeriod);
        if (!sums) max = Math.max(max, await this.unhealthy(alarm, from));
      }
      let value = max;
      if (sums) {
        const now = await this.counter(alarm);
        value = now - base;
        base = now;
      }
      datapoints.push(value);
      const last = datapoints.slice(-alarm.evaluationPeriods);
      if (!this.firing && last.length === alarm.evaluationPeriods && last.every((v) => breaches(alarm, v))) {
        this.firing = { alarm, value };
      }
    }
  }
}
