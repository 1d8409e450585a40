/**
 * The phases a failure path is made of (failures.ts composes them per strategy and kind of bad
 * release): each with its seconds for the config, the setting that drives it and AWS's default.
 * Sources: the circuit breaker's threshold
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html),
 * the alarms' Period × EvaluationPeriods (alarms.ts), the hook's first wrong answer (docs/hook.md).
 */
import type { PlaygroundConfig, StrategyId } from '../../config';
import {
  circuitBreakerRounds,
  circuitBreakerThreshold,
  failedTaskSeconds,
  REROUTE_SECONDS,
  TASK_START_SECONDS,
  tasksAtOnce,
} from '../../config/timing';
import { alarmOn, type TemplateAlarm } from './alarms';
import { AWS_DEFAULTS, ecsHookPhase, HEALTHY_HOOK_SECONDS, hookPhase, type TimelinePhase } from './phases';

export type FailureMilestone = 'detected' | 'users stop seeing it' | 'old serves 100 %';

export interface FailurePhase extends TimelinePhase {
  /** What is true once this phase is over. */
  reaches?: FailureMilestone[];
}

/** The config with AWS's defaults wherever the kit changes them (phases.ts AWS_DEFAULTS). */
export function withAwsDefaults(c: PlaygroundConfig): PlaygroundConfig {
  const d = AWS_DEFAULTS;
  return {
    ...c,
    healthCheck: {
      ...c.healthCheck,
      intervalSeconds: d.healthCheckIntervalSeconds,
      healthyThresholdCount: d.healthyThresholdCount,
      unhealthyThresholdCount: d.unhealthyThresholdCount,
    },
    loadBalancer: { ...c.loadBalancer, deregistrationDelaySeconds: d.deregistrationDelaySeconds },
    service: {
      ...c.service,
      minimumHealthyPercent: d.minimumHealthyPercent,
      maximumPercent: d.maximumPercent,
      healthCheckGracePeriodSeconds: d.healthCheckGracePeriodSeconds,
    },
    hook: { ...c.hook, ecsCallBackDelaySeconds: d.ecsCallBackDelaySeconds },
    ecsCanary: {
      ...c.ecsCanary,
      canaryPercent: d.ecsCanaryPercent,
      canaryBakeMinutes: d.ecsCanaryBakeMinutes,
    },
  };
}

export function circuitBreakerPhase(
  c: PlaygroundConfig,
  strategy: 'rolling' | 'canary',
  release: 'crash' | 'unhealthy',
): FailurePhase {
  const threshold = circuitBreakerThreshold(c.service.desiredCount);
  const perRound = tasksAtOnce(c, strategy);
  const rounds = circuitBreakerRounds(c, strategy);
  const each = failedTaskSeconds(c, release);
  const hc = c.healthCheck;
  const why =
    release === 'crash'
      ? 'task start'
      : `task start + max(service.healthCheckGracePeriodSeconds ${c.service.healthCheckGracePeriodSeconds} s, healthCheck.intervalSeconds × unhealthyThresholdCount ${hc.intervalSeconds} s × ${hc.unhealthyThresholdCount}) + loadBalancer.deregistrationDelaySeconds ${c.loadBalancer.deregistrationDelaySeconds} s`;
  return {
    name: 'new tasks fail until the deployment circuit breaker trips',
    seconds: rounds * each,
    setting: `circuit breaker threshold ${threshold} failed tasks (⌈0.5 × service.desiredCount = ${c.service.desiredCount}⌉, within 3-200): ${rounds} round${rounds > 1 ? 's' : ''} of ${perRound} task${perRound > 1 ? 's' : ''} × ${each} s (${why})`,
    awsDefault: { seconds: rounds * each, setting: '—' },
    basis: `AWS's formula (deployment-circuit-breaker.html); a failed task counts when ECS stops it, ${release === 'crash' ? 'as soon as its container exits' : 'after the ALB found it unhealthy and the target drained (model)'}`,
    reaches: ['detected'],
  };
}

export function alarmPhase(
  name: string,
  alarm: TemplateAlarm,
  leadSeconds: number,
  lead: string,
): FailurePhase {
  const seconds = leadSeconds + alarm.windowSeconds;
  return {
    name,
    seconds,
    setting: `${lead}alarm ${alarm.logicalId}: Period × EvaluationPeriods = ${alarm.period} s × ${alarm.evaluationPeriods} (alarms.periodSeconds, evaluationPeriods)`,
    awsDefault: { seconds, setting: '— (the kit’s own alarms)' },
    basis: `the alarm fires once ${alarm.metric} ≥ ${alarm.threshold} for ${alarm.evaluationPeriods} period(s) of ${alarm.period} s (read from the service template)`,
    reaches: ['detected'],
  };
}

export function unhealthyAlarmPhase(c: PlaygroundConfig, alarms: readonly TemplateAlarm[]): FailurePhase {
  const { intervalSeconds, unhealthyThresholdCount } = c.healthCheck;
  return alarmPhase(
    'new tasks turn unhealthy until the unhealthy-hosts alarm fires',
    alarmOn(alarms, 'UnHealthyHostCount'),
    TASK_START_SECONDS + intervalSeconds * unhealthyThresholdCount,
    `task start ${TASK_START_SECONDS} s + healthCheck.intervalSeconds × unhealthyThresholdCount ${intervalSeconds} s × ${unhealthyThresholdCount} + `,
  );
}

export function reroutePhase(what: string): FailurePhase {
  return {
    name: `rollback: ${what}`,
    seconds: REROUTE_SECONDS,
    setting: '—',
    awsDefault: { seconds: REROUTE_SECONDS, setting: '—' },
    basis: 'stated: a listener (rule) change; the old tasks are still running',
    reaches: ['users stop seeing it', 'old serves 100 %'],
  };
}

export function hookFailPhase(c: PlaygroundConfig, strategy: StrategyId): FailurePhase {
  const bound = strategy === 'canary' ? ecsHookPhase(c) : hookPhase(c, 'BeforeAllowTraffic:');
  return {
    ...bound,
    name: `${bound.name}: FAILED at its first wrong answer`,
    seconds: HEALTHY_HOOK_SECONDS,
    setting: `— (hook.timeBudgetSeconds = ${c.hook.timeBudgetSeconds} s only bounds a slow but correct revision)`,
    awsDefault: { seconds: HEALTHY_HOOK_SECONDS, setting: '— (the kit’s own hook)' },
    basis: `the hook fails at its first wrong answer (~${HEALTHY_HOOK_SECONDS} s, docs/hook.md), well within hook.timeBudgetSeconds = ${c.hook.timeBudgetSeconds} s`,
    typicalSeconds: undefined,
    reaches: ['detected'],
  };
}
