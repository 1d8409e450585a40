/**
 * Every timeout the kit sets, derived from the worst case the release model predicts, with a
 * margin, never typed: the ECS deploy actions' DeploymentTimeout, the CodeBuild project's timeout
 * and `npm run deploy`'s wait for the first image. `npm run plan` prints each with its worst case.
 *
 * The worst case is the longest path a release can take to a final state: a good release with the
 * hook at its budget, a bad one the circuit breaker stops (the slower `unhealthy` kind, as if no
 * alarm fired first), or an alarm at the last moment ECS still watches, then the rollback
 * (scripts/timeline/failures.ts prints the same paths phase by phase; a test holds them equal).
 */
import { buildSeconds, reuseBuildSeconds } from './build-model';
import type { PlaygroundConfig } from './schema';
import {
  alarmWindowSeconds,
  circuitBreakerRounds,
  DEPLOY_ACTION_SECONDS,
  ecsHookSeconds,
  failedTaskSeconds,
  healthySeconds,
  REROUTE_SECONDS,
  rollingRounds,
  SOURCE_SECONDS,
  TASK_START_SECONDS,
} from './timing';

/**
 * The stated figures (a task start, an action starting) are estimates of ±50 %; doubling the worst
 * case covers them and a slow AWS day, while a stuck release still fails within minutes of it.
 */
export const TIMEOUT_MARGIN = 2;
/** The ECS deploy action accepts a DeploymentTimeout of 1-60 minutes (CodePipeline's ECS action reference). */
export const ECS_DEPLOY_ACTION_MAX_MINUTES = 60;

export interface WorstCase {
  seconds: number;
  /** Which path it is, in words. */
  what: string;
}

const longest = (cases: WorstCase[]): WorstCase => cases.reduce((a, b) => (b.seconds > a.seconds ? b : a));

/** The rolling service's deployment, from the deploy action's start to a final state. */
export function rollingWorstCase(c: PlaygroundConfig): WorstCase {
  const { desiredCount, minimumHealthyPercent, maximumPercent } = c.service;
  const round = TASK_START_SECONDS + healthySeconds(c);
  const rounds = rollingRounds(desiredCount, minimumHealthyPercent, maximumPercent);
  return longest([
    {
      seconds: DEPLOY_ACTION_SECONDS + rounds * (round + c.loadBalancer.deregistrationDelaySeconds),
      what: `a good release (${rounds} round${rounds > 1 ? 's' : ''})`,
    },
    {
      seconds: DEPLOY_ACTION_SECONDS + circuitBreakerRounds(c, 'rolling') * failedTaskSeconds(c, 'unhealthy'),
      what: 'an unhealthy release the circuit breaker stops',
    },
    {
      seconds: DEPLOY_ACTION_SECONDS + round + alarmWindowSeconds(c) + round,
      what: 'an alarm after the shift, then the old tasks started again',
    },
  ]);
}

/** The ECS canary service's deployment, from the deploy action's start to a final state. */
export function canaryWorstCase(c: PlaygroundConfig): WorstCase {
  const { canaryPercent, canaryBakeMinutes, bakeTimeMinutes } = c.ecsCanary;
  const shifted =
    DEPLOY_ACTION_SECONDS +
    TASK_START_SECONDS +
    healthySeconds(c) +
    ecsHookSeconds(c, c.hook.ecsCallBackDelaySeconds) +
    (canaryPercent < 100 ? canaryBakeMinutes * 60 : 0) +
    bakeTimeMinutes * 60;
  return longest([
    {
      seconds: shifted + c.loadBalancer.deregistrationDelaySeconds,
      what: 'a good release, the hook at its budget',
    },
    {
      seconds: DEPLOY_ACTION_SECONDS + circuitBreakerRounds(c, 'canary') * failedTaskSeconds(c, 'unhealthy'),
      what: 'an unhealthy release the circuit breaker stops',
    },
    {
      seconds: shifted + alarmWindowSeconds(c) + REROUTE_SECONDS,
      what: 'an alarm at the end of the bake time, then the rollback',
    },
  ]);
}

/** Minutes for an ECS deploy action: the worst case × TIMEOUT_MARGIN, within the action's 60. */
export function ecsDeploymentTimeoutMinutes(worst: WorstCase): number {
  return Math.min(ECS_DEPLOY_ACTION_MAX_MINUTES, Math.ceil((worst.seconds * TIMEOUT_MARGIN) / 60));
}

/**
 * One CodeBuild build at its worst: it waits for the build that holds the commit's gate, which then
 * ends without an image, takes the claim over and runs the whole gate itself (docs/pipelines.md).
 */
export function buildWorstCase(): WorstCase {
  return {
    seconds: 2 * buildSeconds(),
    what: "a build that waits for the gate's build, then runs the gate itself",
  };
}

/** The CodeBuild project's TimeoutInMinutes (CodeBuild accepts 5-2160). */
export function buildTimeoutMinutes(): number {
  return Math.max(5, Math.ceil((buildWorstCase().seconds * TIMEOUT_MARGIN) / 60));
}

/** Time a waiter keeps after its wait for the failure report and the phases' slack. */
export const GATE_WAIT_MARGIN_SECONDS = 60;

/**
 * Seconds a build that waits for another build's gate (buildspec.yml) may spend waiting: the build
 * timeout (buildTimeoutMinutes()) less what such a build does besides waiting (the phases that are
 * not the gate's, reuseBuildSeconds()) and a minute of margin for its report. The waiter then gives
 * up with a message naming the build it waited for, before CodeBuild would time it out with none.
 * The CodeBuild project hands it to the buildspec as GATE_WAIT_SECONDS (config/contracts/build.ts).
 */
export function gateWaitSeconds(): number {
  return buildTimeoutMinutes() * 60 - reuseBuildSeconds() - GATE_WAIT_MARGIN_SECONDS;
}

/** `npm run deploy`'s wait for the first image: the source stage (with the margin), then the build's own timeout. */
export function firstImageWaitMinutes(): number {
  return buildTimeoutMinutes() + Math.ceil((SOURCE_SECONDS * TIMEOUT_MARGIN) / 60);
}

/**
 * What the timeouts cannot cover, as config problems: an ECS canary longer than the deploy action's
 * 60 minutes would time out a good release.
 */
export function timeoutProblems(c: PlaygroundConfig): string[] {
  const worst = canaryWorstCase(c);
  if (!c.app.strategies.includes('canary') || worst.seconds <= ECS_DEPLOY_ACTION_MAX_MINUTES * 60) return [];
  return [
    `ecsCanary.canaryBakeMinutes=${c.ecsCanary.canaryBakeMinutes}, ecsCanary.bakeTimeMinutes=${c.ecsCanary.bakeTimeMinutes}: ` +
      `a canary deployment takes up to ${Math.ceil(worst.seconds / 60)} min (${worst.what}), beyond the ECS deploy action's ` +
      `${ECS_DEPLOY_ACTION_MAX_MINUTES}-minute DeploymentTimeout: shorten the bake times`,
  ];
}
