/**
 * The deployment alarms as the service templates declare them: the failure paths (failures.ts) take
 * an alarm's detection time from its AWS::CloudWatch::Alarm resource (Period × EvaluationPeriods),
 * not from the config, so the prediction is about the alarm that is actually deployed.
 */
import { renderTemplate, STACK_TEMPLATES } from '../../cloudformation/stacks';
import { type PlaygroundConfig, STRATEGY_STACKS, type StrategyId } from '../../config';

export interface TemplateAlarm {
  logicalId: string;
  metric: string;
  period: number;
  evaluationPeriods: number;
  threshold: number;
  /** Period × EvaluationPeriods: how long the breach must last before the alarm fires. */
  windowSeconds: number;
}

interface AlarmResource {
  Type: string;
  Properties: {
    MetricName?: string;
    Period?: number;
    /** The metric-math form (cloudformation/alarms.ts, a load balancer with a dead end). */
    Metrics?: { Id: string; MetricStat?: { Metric: { MetricName: string }; Period: number } }[];
    EvaluationPeriods: number;
    Threshold: number;
  };
}

/**
 * The metric an alarm watches and its period: its own, or those of the first metric of its
 * metric-math form (the ALB's 5xx, less the dead end's 503s: the same 5xx alarm to a reader).
 */
function watched(p: AlarmResource['Properties']): { metric: string; period: number } {
  const first = p.Metrics?.find((m) => m.MetricStat)?.MetricStat;
  const metric = p.MetricName ?? first?.Metric.MetricName;
  const period = p.Period ?? first?.Period;
  if (!metric || !period) throw new Error('an alarm with neither MetricName and Period nor a MetricStat');
  return { metric, period };
}

/** Every AWS::CloudWatch::Alarm of a template (as plain JSON), in template order. */
export function alarmsOf(template: { Resources?: Record<string, { Type: string }> }): TemplateAlarm[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId, r]) => {
      const p = (r as AlarmResource).Properties;
      const { metric, period } = watched(p);
      return {
        logicalId,
        metric,
        period,
        evaluationPeriods: p.EvaluationPeriods,
        threshold: p.Threshold,
        windowSeconds: period * p.EvaluationPeriods,
      };
    });
}

const cache = new WeakMap<PlaygroundConfig, Map<StrategyId, TemplateAlarm[]>>();

/** The alarms of the strategy's service stack, rendered for `config` (as `npm run synth` would). */
export function strategyAlarms(config: PlaygroundConfig, strategy: StrategyId): TemplateAlarm[] {
  const byStrategy = cache.get(config) ?? new Map<StrategyId, TemplateAlarm[]>();
  cache.set(config, byStrategy);
  let alarms = byStrategy.get(strategy);
  if (!alarms) {
    const template = STACK_TEMPLATES[STRATEGY_STACKS[strategy]](config);
    alarms = alarmsOf(JSON.parse(renderTemplate(template)));
    byStrategy.set(strategy, alarms);
  }
  return alarms;
}

/** The quickest alarm on `metric` (several target groups carry one each: they fire alike). */
export function alarmOn(alarms: readonly TemplateAlarm[], metric: string): TemplateAlarm {
  const found = alarms
    .filter((a) => a.metric === metric)
    .sort((a, b) => a.windowSeconds - b.windowSeconds)[0];
  if (!found) throw new Error(`no ${metric} alarm in the service template`);
  return found;
}
