/**
 * What every control plane (rolling.ts, blue-green.ts, ecs-canary.ts) works with, and the one loop
 * they all wait in: while a step waits (for healthy targets, a bake time, a canary interval), the
 * ECS scheduler keeps replacing failed tasks, the deployment circuit breaker counts them, and the
 * deployment's alarms are evaluated; the first of these to stop the deployment ends the wait.
 */
import type { PlaygroundConfig, StrategyId } from '../../../config';
import { type Detector, ROLLBACK_PHASES } from '../../timeline/failure-phases';
import type { TimelinePhase } from '../../timeline/phases';
import type { AlarmWatch } from '../alarms';
import type { RehearsalAws } from '../aws/model';
import type { Balancer } from '../balancer';
import { type Clock, compressedMs } from '../clock';
import type { InvokeHook } from '../hook';
import type { PhaseLog } from '../phases';
import type { TaskSet } from '../task-set';
import type { Release, TaskRunner } from '../tasks';
import type { RenderedStack } from '../template';

export interface StrategyContext {
  strategy: StrategyId;
  release: Release;
  config: PlaygroundConfig;
  clock: Clock;
  stack: RenderedStack;
  balancer: Balancer;
  runner: TaskRunner;
  aws: RehearsalAws;
  invokeHook: InvokeHook;
  phases: PhaseLog;
  /** The plan's phases for this strategy and config (scripts/timeline/strategies.ts). */
  planned: TimelinePhase[];
  /** A line of the printed timeline. */
  event(text: string): void;
  /** Builds a task set of this service (ECS scheduler rules, task-set.ts). */
  taskSet(label: string, release: Release | 'old', tg: string): TaskSet;
}

/** What stopped a deployment, in the words the report uses. */
export interface Stop {
  by: Detector;
  reason: string;
}

export interface ControlResult {
  outcome: 'completed' | 'rolled-back';
  stoppedBy?: Stop;
  /** Facts the report states beside the outcome (e.g. "no hook: rolling has no test traffic"). */
  notes: string[];
}

export interface Watch {
  /** The new revision's tasks: supervised (replaced when they fail), failures counted. */
  tasks?: TaskSet;
  /** Other task sets the scheduler keeps at their count. */
  others?: TaskSet[];
  /** The circuit breaker's failed-task threshold, when it is on. */
  breaker?: number;
  /** Stop after this many failed new tasks: a rule of the rehearsal's, where AWS documents none. */
  failureLimit?: number;
  alarms?: AlarmWatch;
}

/** ECS's circuit breaker threshold: 0.5 × desired count, at least 3, at most 200 (API_ServiceDeploymentCircuitBreaker.html). */
export function circuitBreakerThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desired)));
}

const TICK_MS = 40;

/** Waits until `done()`; undefined, or what stopped the deployment first. */
export async function waitUntil(
  ctx: StrategyContext,
  done: () => Promise<boolean> | boolean,
  watch: Watch,
): Promise<Stop | undefined> {
  for (;;) {
    for (const set of watch.others ?? []) {
      await set.supervise();
      await set.replenish();
    }
    if (watch.tasks) {
      for (const failure of await watch.tasks.supervise()) ctx.event(failure);
      const failed = watch.tasks.failures.length;
      if (watch.breaker !== undefined && failed >= watch.breaker) {
        return {
          by: 'circuit breaker',
          reason: `${failed} failed tasks reached the circuit breaker's threshold of ${watch.breaker} (last: ${watch.tasks.failures.at(-1)})`,
        };
      }
      if (watch.failureLimit !== undefined && failed >= watch.failureLimit) {
        return {
          by: 'task failures',
          reason: `${failed} replacement tasks failed (last: ${watch.tasks.failures.at(-1)})`,
        };
      }
      // Replacements only once the failures are counted: ECS starts none after the breaker trips.
      await watch.tasks.replenish();
    }
    const firing = watch.alarms?.firing;
    if (firing) {
      return {
        by: 'alarm',
        reason: `alarm ${firing.alarm.name} (${firing.alarm.metric} = ${firing.value}, threshold ${firing.alarm.threshold} in ${firing.alarm.evaluationPeriods} period(s) of ${firing.alarm.periodSeconds} s)`,
      };
    }
    if (await done()) return undefined;
    await ctx.clock.sleepMs(TICK_MS);
  }
}

/** Waits an AWS duration (compressed), watching as waitUntil does. */
export function bake(ctx: StrategyContext, awsSeconds: number, watch: Watch): Promise<Stop | undefined> {
  const until = ctx.clock.now() + compressedMs(ctx.clock, awsSeconds * 1000);
  return waitUntil(ctx, () => ctx.clock.now() >= until, watch);
}

/** Waits until every task of the set is healthy in its target group. */
export function healthy(ctx: StrategyContext, set: TaskSet, watch: Watch): Promise<Stop | undefined> {
  return waitUntil(ctx, async () => set.desired > 0 && (await set.healthy()) >= set.desired, watch);
}

/** The plan's phase whose name starts with `prefix` (for the phases strategies.ts names inline). */
export function plannedPhase(ctx: StrategyContext, prefix: string): TimelinePhase | string {
  return ctx.planned.find((p) => p.name.startsWith(prefix)) ?? prefix;
}

/** A deployment's steps in order; what stopped it, if a step did (the later steps then never run). */
export async function firstStop(
  steps: readonly (() => Promise<Stop | undefined>)[],
): Promise<Stop | undefined> {
  for (const step of steps) {
    const stop = await step();
    if (stop) return stop;
  }
  return undefined;
}

/**
 * The end of every deployment: completed, the old revision's tasks drained (`done`); or rolled back
 * as the strategy does it (`rollback`, in the phase `plan` names ROLLBACK_PHASES), the stop printed.
 */
export async function finish(
  ctx: StrategyContext,
  stop: Stop | undefined,
  done: { phase?: TimelinePhase; run: () => Promise<void>; notes?: string[] },
  rollback: () => Promise<void>,
): Promise<ControlResult> {
  if (!stop) {
    if (done.phase) ctx.phases.enter(done.phase);
    await done.run();
    ctx.phases.end();
    return { outcome: 'completed', notes: done.notes ?? [] };
  }
  ctx.event(`${stop.by}: ${stop.reason}`);
  ctx.phases.enter(ROLLBACK_PHASES[ctx.strategy]);
  await rollback();
  ctx.phases.end();
  return { outcome: 'rolled-back', stoppedBy: stop, notes: [] };
}
