/**
 * The timing figures that more than one layer needs: the release timeline and failure paths
 * (scripts/timeline/) print them phase by phase, the timeouts (timeouts.ts) add them up for the
 * worst case the templates must wait for. Stated figures say so; the rest follow the config.
 */
import { DISCOVERY_BUDGET_MS } from './hook-budget';
import type { PlaygroundConfig } from './schema';

/** Stated: the push event arrives through the GitHub connection and the source action zips the commit (≈ 10–30 s). */
export const SOURCE_SECONDS = 20;
/** Stated: CodePipeline starts a deploy action, which registers a task definition and calls ECS or CodeDeploy (≈ 10–20 s). */
export const DEPLOY_ACTION_SECONDS = 15;
/** Stated: Fargate places a task, attaches its network interface and pulls the ~50 MB image (≈ 30–60 s). */
export const TASK_START_SECONDS = 40;
/** What the hook takes for a healthy revision, and for a wrong one (its first bad answer): docs/hook.md. */
export const HEALTHY_HOOK_SECONDS = 2;
/** Stated: a listener (rule) change back to the old revision, one ELB call. */
export const REROUTE_SECONDS = 5;

/**
 * How many rounds an ECS rolling update takes: each round starts as many new tasks as the bounds
 * allow (at most maximumPercent running, at least minimumHealthyPercent healthy), waits for them,
 * then drains and stops as many old ones.
 */
export function rollingRounds(
  desired: number,
  minimumHealthyPercent: number,
  maximumPercent: number,
): number {
  const perRound =
    Math.floor((desired * maximumPercent) / 100) - Math.ceil((desired * minimumHealthyPercent) / 100);
  return Math.ceil(desired / Math.max(1, perRound));
}

/**
 * The deployment circuit breaker's failed-task threshold for a desired count, as AWS documents it:
 * 0.5 × desired, rounded up, at least 3 and at most 200
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html; the
 * kit sets no ThresholdConfiguration, so the default BOUNDED_PERCENT 50 applies:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html).
 */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

/** Tasks of the new revision ECS launches at once: what the rolling bounds allow, or all (ECS canary). */
export function tasksAtOnce(c: PlaygroundConfig, strategy: 'rolling' | 'canary'): number {
  const { desiredCount, minimumHealthyPercent, maximumPercent } = c.service;
  if (strategy !== 'rolling') return desiredCount;
  const extra =
    Math.floor((desiredCount * maximumPercent) / 100) -
    Math.ceil((desiredCount * minimumHealthyPercent) / 100);
  return Math.max(1, Math.min(desiredCount, extra));
}

/**
 * Seconds one failed task takes, launch to the stop the circuit breaker counts: a task start when the
 * container exits at once; else the start, the longer of the grace period and the ALB's unhealthy
 * verdict, and the draining (the model counts a task when ECS stops it). `taskStartSeconds`: the
 * stated Fargate start, or what a rehearsal measured for its own tasks (scripts/rehearse/check.ts).
 */
export function failedTaskSeconds(
  c: PlaygroundConfig,
  release: 'crash' | 'unhealthy',
  taskStartSeconds: number = TASK_START_SECONDS,
): number {
  if (release === 'crash') return taskStartSeconds;
  const { intervalSeconds, unhealthyThresholdCount } = c.healthCheck;
  return (
    taskStartSeconds +
    Math.max(c.service.healthCheckGracePeriodSeconds, intervalSeconds * unhealthyThresholdCount) +
    c.loadBalancer.deregistrationDelaySeconds
  );
}

/** Rounds of failed tasks until the circuit breaker trips. */
export function circuitBreakerRounds(c: PlaygroundConfig, strategy: 'rolling' | 'canary'): number {
  return Math.ceil(circuitBreakerThreshold(c.service.desiredCount) / tasksAtOnce(c, strategy));
}

/** Seconds until a new target is in service: one passing check per interval, `healthy threshold` of them. */
export function healthySeconds(c: PlaygroundConfig): number {
  return c.healthCheck.intervalSeconds * c.healthCheck.healthyThresholdCount;
}

/**
 * ECS's lifecycle hook at its worst: the probing budget spread over invocations of
 * hook.ecsInvocationSeconds, with the callback delay between two (hook/ecs.ts).
 */
export function ecsHookInvocations(c: PlaygroundConfig): number {
  const { timeBudgetSeconds, ecsInvocationSeconds } = c.hook;
  return Math.max(1, Math.ceil((timeBudgetSeconds - DISCOVERY_BUDGET_MS / 1000) / ecsInvocationSeconds));
}

export function ecsHookSeconds(c: PlaygroundConfig, callBackDelaySeconds: number): number {
  return c.hook.timeBudgetSeconds + (ecsHookInvocations(c) - 1) * callBackDelaySeconds;
}

/** Period × EvaluationPeriods of the deployment alarms, as cloudformation/alarms.ts renders them. */
export function alarmWindowSeconds(c: PlaygroundConfig): number {
  return c.alarms.periodSeconds * c.alarms.evaluationPeriods;
}
