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
  DEPLOY_ACTION_SECONDS,
  failedTaskSeconds,
  REROUTE_SECONDS,
  TASK_START_SECONDS,
  tasksAtOnce,
} from '../../config/timing';
import { alarmOn, type TemplateAlarm } from './alarms';
import { AWS_DEFAULTS, ecsHookPhase, HEALTHY_HOOK_SECONDS, hookPhase, type TimelinePhase } from './phases';

export type FailureMilestone = 'detected' | 'users stop seeing it' | 'old serves 100 %' | 'rolled back';

/** What stops a bad release: the names `plan` and the rehearsal's report both use. */
export type Detector = 'circuit breaker' | 'alarm' | 'hook' | 'task failures';

/**
 * The figures of a path that no config setting drives: AWS's stated ones (config/timing.ts) for
 * `plan`, or a rehearsal's own measurements of the same steps (scripts/rehearse/check.ts), so that a
 * prediction for a rehearsal differs from `plan`'s only in these.
 */
export interface StatedSeconds {
  /** The deploy action before the deployment (a rehearsal starts at the deployment: 0). */
  deployAction: number;
  /** A task's start: Fargate's placement and image pull, or the rehearsal's process start. */
  taskStart: number;
  /** The hook's first wrong answer: a Lambda's cold start and a probe, or the packaged hook's run. */
  hook: number;
  /** The rollback's listener (rule) change and the new tasks' stop. */
  reroute: number;
}

export const STATED_SECONDS: StatedSeconds = {
  deployAction: DEPLOY_ACTION_SECONDS,
  taskStart: TASK_START_SECONDS,
  hook: HEALTHY_HOOK_SECONDS,
  reroute: REROUTE_SECONDS,
};

/** The rollback of each strategy, once a bad release is detected: one name for `plan` and the rehearsal. */
export const ROLLBACK_PHASES: Record<StrategyId, string> = {
  rolling: 'rollback: the last completed revision restored, the new tasks stopped',
  bluegreen: 'rollback: traffic back to blue, the green task set removed',
  canary: 'rollback: production and test rules back to the old revision, the new tasks stopped',
};

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

/**
 * Failed tasks until the deployment stops: ECS's circuit breaker (rolling, canary); for CodeDeploy's
 * replacement task set AWS documents no limit, so the model (and the rehearsal, control/blue-green.ts)
 * stop it at the same threshold, all of its tasks started at once, to keep the path finite.
 */
export function circuitBreakerPhase(
  c: PlaygroundConfig,
  strategy: StrategyId,
  release: 'crash' | 'unhealthy',
  stated: StatedSeconds = STATED_SECONDS,
): FailurePhase {
  const ecs = strategy !== 'bluegreen';
  const of = strategy === 'rolling' ? 'rolling' : 'canary';
  const threshold = circuitBreakerThreshold(c.service.desiredCount);
  const perRound = tasksAtOnce(c, of);
  const rounds = circuitBreakerRounds(c, of);
  const each = failedTaskSeconds(c, release, stated.taskStart);
  const hc = c.healthCheck;
  const why =
    release === 'crash'
      ? 'task start'
      : `task start + max(service.healthCheckGracePeriodSeconds ${c.service.healthCheckGracePeriodSeconds} s, healthCheck.intervalSeconds × unhealthyThresholdCount ${hc.intervalSeconds} s × ${hc.unhealthyThresholdCount}) + loadBalancer.deregistrationDelaySeconds ${c.loadBalancer.deregistrationDelaySeconds} s`;
  return {
    name: ecs
      ? 'new tasks fail until the deployment circuit breaker trips'
      : 'green tasks fail until the deployment stops them',
    seconds: rounds * each,
    setting: `${ecs ? 'circuit breaker threshold' : "model: ECS's circuit-breaker threshold,"} ${threshold} failed tasks (⌈0.5 × service.desiredCount = ${c.service.desiredCount}⌉, within 3-200): ${rounds} round${rounds > 1 ? 's' : ''} of ${perRound} task${perRound > 1 ? 's' : ''} × ${each} s (${why})`,
    awsDefault: { seconds: rounds * each, setting: '—' },
    basis: `${ecs ? "AWS's formula (deployment-circuit-breaker.html)" : 'AWS documents no limit for a replacement task set that never runs: the model stops it at the circuit breaker’s threshold'}; a failed task counts when ECS stops it, ${release === 'crash' ? 'as soon as its container exits' : 'after the ALB found it unhealthy and the target drained (model)'}`,
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

export function unhealthyAlarmPhase(
  c: PlaygroundConfig,
  alarms: readonly TemplateAlarm[],
  stated: StatedSeconds = STATED_SECONDS,
): FailurePhase {
  const { intervalSeconds, unhealthyThresholdCount } = c.healthCheck;
  return alarmPhase(
    'new tasks turn unhealthy until the unhealthy-hosts alarm fires',
    alarmOn(alarms, 'UnHealthyHostCount'),
    stated.taskStart + intervalSeconds * unhealthyThresholdCount,
    `task start ${stated.taskStart} s + healthCheck.intervalSeconds × unhealthyThresholdCount ${intervalSeconds} s × ${unhealthyThresholdCount} + `,
  );
}

/** A rollback: `name` one of ROLLBACK_PHASES, or what an alarm after the shift rolls back. */
export function reroutePhase(name: string, stated: StatedSeconds = STATED_SECONDS): FailurePhase {
  return {
    name,
    seconds: stated.reroute,
    setting: '—',
    awsDefault: { seconds: stated.reroute, setting: '—' },
    basis: 'stated: a listener (rule) change and the new tasks stopped; the old tasks are still running',
    reaches: ['users stop seeing it', 'old serves 100 %'],
  };
}

export function hookFailPhase(
  c: PlaygroundConfig,
  strategy: StrategyId,
  stated: StatedSeconds = STATED_SECONDS,
): FailurePhase {
  const bound = strategy === 'canary' ? ecsHookPhase(c) : hookPhase(c, 'BeforeAllowTraffic:');
  return {
    ...bound,
    name: `${bound.name}: FAILED at its first wrong answer`,
    seconds: stated.hook,
    setting: `— (hook.timeBudgetSeconds = ${c.hook.timeBudgetSeconds} s only bounds a slow but correct revision)`,
    awsDefault: { seconds: stated.hook, setting: '— (the kit’s own hook)' },
    basis: `the hook fails at its first wrong answer (~${stated.hook} s, docs/hook.md), well within hook.timeBudgetSeconds = ${c.hook.timeBudgetSeconds} s`,
    typicalSeconds: undefined,
    reaches: ['detected'],
  };
}
