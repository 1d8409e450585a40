/**
 * The phases a release goes through, each with its duration for the config, the setting that drives
 * it, and the same phase under AWS's default settings. Strategies (strategies.ts) are lists of these;
 * a new strategy composes the same builders.
 */
import type { PlaygroundConfig } from '../../config';
import { BUILD_PHASES, buildSeconds } from '../../config/build-model';
import { describeWorstCase, probePlan } from '../../config/hook-budget';
import {
  DEPLOY_ACTION_SECONDS,
  ecsHookInvocations,
  ecsHookSeconds,
  HEALTHY_HOOK_SECONDS,
  SOURCE_SECONDS,
  TASK_START_SECONDS,
} from '../../config/timing';

/**
 * What AWS sets when a template says nothing: the ALB target group's health check and deregistration
 * delay (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay),
 * and ECS's rolling-update bounds and health check grace period (0 when not set)
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html).
 * CodeDeploy's blue termination wait has no API default; its console proposes one hour. ECS's canary:
 * 5 % for 10 minutes (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html),
 * and a lifecycle hook's IN_PROGRESS is called back after 30 s (docs/hook.md).
 */
export const AWS_DEFAULTS = {
  healthCheckIntervalSeconds: 30,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  deregistrationDelaySeconds: 300,
  healthCheckGracePeriodSeconds: 0,
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  blueTerminationWaitMinutes: 60,
  ecsCallBackDelaySeconds: 30,
  ecsCanaryPercent: 5,
  ecsCanaryBakeMinutes: 10,
} as const;

/** What users see once a phase is over, when that changes. */
export type Milestone = 'first users' | 'all users' | 'done';

export const MILESTONE_TEXT: Record<Milestone, string> = {
  'first users': 'the new version serves its first users',
  'all users': 'the new version serves 100 % of users',
  done: 'done: the old version is gone, the pipeline succeeds',
};

export interface TimelinePhase {
  name: string;
  seconds: number;
  /** The setting that drives it, with its value (`—` when no setting does). */
  setting: string;
  /** The same phase under AWS's default settings. */
  awsDefault: { seconds: number; setting: string };
  /** Where the figure comes from. */
  basis: string;
  /** Reached when this phase ends. */
  milestone?: Milestone;
  /** Before the deployment: the push reaching the pipeline, the build. */
  beforeDeploy?: true;
  /** Extra tasks run from the start of this phase to the end of the release (for the cost). */
  extraTasksFrom?: true;
  /** When `seconds` is a bound (the hook's budget): what a healthy release usually takes instead. */
  typicalSeconds?: number;
}

/** A phase no setting of ours changes: the same under AWS's defaults. */
function fixed(
  name: string,
  seconds: number,
  basis: string,
  extra: Partial<TimelinePhase> = {},
): TimelinePhase {
  return { name, seconds, setting: '—', awsDefault: { seconds, setting: '—' }, basis, ...extra };
}

export function sourcePhase(): TimelinePhase {
  return fixed(
    'source: the push reaches the pipeline',
    SOURCE_SECONDS,
    'stated: the push event arrives through the GitHub connection and the source action zips the commit to S3 (≈ 10–30 s)',
    { beforeDeploy: true },
  );
}

export function buildPhase(config: PlaygroundConfig): TimelinePhase {
  const seconds = buildSeconds();
  return {
    name: "build: the commit's gate (tests, image), once for every pipeline",
    seconds,
    setting: `build.computeType = ${config.build.computeType}`,
    awsDefault: { seconds, setting: '—' },
    basis: `model: BUILD_PHASES (${BUILD_PHASES.length} phases, docs/deploy.md#cost), measured on 2 vCPU like BUILD_GENERAL1_SMALL`,
    beforeDeploy: true,
  };
}

export function deployActionPhase(what: string): TimelinePhase {
  return fixed(
    `deploy action: ${what}`,
    DEPLOY_ACTION_SECONDS,
    'stated: CodePipeline starts the action, which registers a task definition and calls ECS or CodeDeploy (≈ 10–20 s)',
  );
}

export function taskStartPhase(what: string, milestone?: Milestone): TimelinePhase {
  return fixed(
    `${what} start`,
    TASK_START_SECONDS,
    'stated: Fargate places each task, attaches its network interface and pulls the ~50 MB image (≈ 30–60 s); Node starts the bundle from its code cache in well under a second (measured)',
    { extraTasksFrom: true, ...(milestone ? { milestone } : {}) },
  );
}

/** Interval × healthy threshold: a new target is in service after that many passing checks. */
export function healthCheckPhase(
  config: PlaygroundConfig,
  what: string,
  milestone?: Milestone,
): TimelinePhase {
  const { intervalSeconds, healthyThresholdCount } = config.healthCheck;
  const d = AWS_DEFAULTS;
  return {
    name: `${what} pass the ALB health checks`,
    seconds: intervalSeconds * healthyThresholdCount,
    setting: `healthCheck.intervalSeconds × healthyThresholdCount = ${intervalSeconds} s × ${healthyThresholdCount}`,
    awsDefault: {
      seconds: d.healthCheckIntervalSeconds * d.healthyThresholdCount,
      setting: `${d.healthCheckIntervalSeconds} s × ${d.healthyThresholdCount}`,
    },
    basis: 'a registered target is healthy after `healthy threshold` passing checks, one per interval',
    ...(milestone ? { milestone } : {}),
  };
}

/** The deregistration delay: in-flight requests finish before a target is removed. */
export function drainingPhase(config: PlaygroundConfig, what: string, milestone?: Milestone): TimelinePhase {
  const delay = config.loadBalancer.deregistrationDelaySeconds;
  return {
    name: `${what} drain`,
    seconds: delay,
    setting: `loadBalancer.deregistrationDelaySeconds = ${delay} s`,
    awsDefault: {
      seconds: AWS_DEFAULTS.deregistrationDelaySeconds,
      setting: `${AWS_DEFAULTS.deregistrationDelaySeconds} s`,
    },
    basis: 'the ALB keeps a deregistered target for the delay: no new requests, in-flight ones finish',
    ...(milestone ? { milestone } : {}),
  };
}

/** What the hook takes for a healthy release (green or new revision): stated from its bench (docs/hook.md) and a cold start. */
export { HEALTHY_HOOK_SECONDS };

/** The hook, at its time budget: the longest a correct green can take to be judged. */
export function hookPhase(config: PlaygroundConfig, what: string, milestone?: Milestone): TimelinePhase {
  const budget = config.hook.timeBudgetSeconds;
  return {
    name: `${what} hook probes the new tasks through the test listener`,
    seconds: budget,
    setting: `hook.timeBudgetSeconds = ${budget} s`,
    awsDefault: { seconds: budget, setting: '— (the kit’s own hook)' },
    basis: `its time budget (config/hook-budget.ts; worst case ${describeWorstCase(probePlan(config))}); a healthy green is judged in ~${HEALTHY_HOOK_SECONDS} s (docs/hook.md: bench ~0.7 s with 100 ms AWS calls, plus a Lambda cold start)`,
    typicalSeconds: HEALTHY_HOOK_SECONDS,
    ...(milestone ? { milestone } : {}),
  };
}

/**
 * ECS's lifecycle hook (the canary's POST_TEST_TRAFFIC_SHIFT): the same probing budget as CodeDeploy's
 * hook, spread over invocations of hook.ecsInvocationSeconds of probing each, with the callback delay
 * between two (hook/ecs.ts). ECS calls back after 30 s unless the answer says otherwise.
 */
export function ecsHookPhase(config: PlaygroundConfig, milestone?: Milestone): TimelinePhase {
  const {
    timeBudgetSeconds: budget,
    ecsInvocationSeconds: slice,
    ecsCallBackDelaySeconds: delay,
  } = config.hook;
  const invocations = ecsHookInvocations(config);
  const withDelay = (d: number) => ecsHookSeconds(config, d);
  const aws = AWS_DEFAULTS.ecsCallBackDelaySeconds;
  return {
    name: 'POST_TEST_TRAFFIC_SHIFT: hook probes the new revision through the test rule',
    seconds: withDelay(delay),
    setting: `hook.timeBudgetSeconds + ${invocations - 1} × hook.ecsCallBackDelaySeconds = ${budget} s + ${invocations - 1} × ${delay} s`,
    awsDefault: { seconds: withDelay(aws), setting: `callBackDelay ${aws} s` },
    basis: `its time budget, probed over at most ${invocations} invocations of ${slice} s (hook.ecsInvocationSeconds) with the callback delay between two; a healthy revision is judged in one invocation, ~${HEALTHY_HOOK_SECONDS} s`,
    typicalSeconds: HEALTHY_HOOK_SECONDS,
    ...(milestone ? { milestone } : {}),
  };
}

/** Traffic held at a step (canary or linear) before the next shift. */
export function bakePhase(
  name: string,
  minutes: number,
  setting: string,
  milestone?: Milestone,
): TimelinePhase {
  return {
    name,
    seconds: minutes * 60,
    setting,
    awsDefault: { seconds: minutes * 60, setting: '— (the strategy itself)' },
    basis: 'the deployment configuration waits this long before the next traffic shift',
    ...(milestone ? { milestone } : {}),
  };
}

export function terminationWaitPhase(config: PlaygroundConfig): TimelinePhase {
  const wait = config.blueGreen.blueTerminationWaitMinutes;
  return {
    name: 'blue tasks kept for an instant rollback',
    seconds: wait * 60,
    setting: `blueGreen.blueTerminationWaitMinutes = ${wait} min`,
    awsDefault: {
      seconds: AWS_DEFAULTS.blueTerminationWaitMinutes * 60,
      setting: "the console's proposal; the API has none",
    },
    basis: 'CodeDeploy deletes the original task set this long after the last traffic shift',
  };
}
