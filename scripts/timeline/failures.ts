/**
 * The failure paths: for each strategy and each kind of bad release, when it is detected and by
 * what, when users stop seeing it and when the old version serves 100 % again, phase by phase with
 * the setting that drives each phase and the same phase under AWS's defaults (as the happy path,
 * timeline.ts). `failurePaths()` is the one entry point: `npm run plan` prints it, the rehearsal
 * compares its measurements with it (the phase names are those of phases.ts).
 *
 * Mechanisms and what AWS documents of them:
 * - the deployment circuit breaker (rolling and ECS canary services): a deployment fails after
 *   `threshold` failed tasks, threshold = 0.5 × desired count within 3-200, rounded up
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html;
 *   the kit sets no ThresholdConfiguration, so the default BOUNDED_PERCENT 50 applies:
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html);
 * - the deployment alarms: Period × EvaluationPeriods of the template's alarm (alarms.ts);
 * - the hook: a wrong answer fails the check at once (docs/hook.md), ~HEALTHY_HOOK_SECONDS after it starts.
 */
import type { PlaygroundConfig, StrategyId } from '../../config';
import { alarmOn, strategyAlarms } from './alarms';
import {
  alarmPhase,
  circuitBreakerPhase,
  type Detector,
  type FailureMilestone,
  type FailurePhase,
  hookFailPhase,
  ROLLBACK_PHASES,
  reroutePhase,
  STATED_SECONDS,
  type StatedSeconds,
  unhealthyAlarmPhase,
  withAwsDefaults,
} from './failure-phases';
import { deployActionPhase, healthCheckPhase, type TimelinePhase, taskStartPhase } from './phases';
import { RELEASE_STRATEGIES, trafficShift } from './strategies';
import { releaseTimeline, secondsToMilestone } from './timeline';

export { circuitBreakerThreshold } from '../../config/timing';
export type { Detector, FailureMilestone, FailurePhase, StatedSeconds } from './failure-phases';
export { ROLLBACK_PHASES, STATED_SECONDS } from './failure-phases';

export const BAD_RELEASES = ['crash', 'unhealthy', 'wrong-version', 'alarm'] as const;
export type BadRelease = (typeof BAD_RELEASES)[number];

export const BAD_RELEASE_TEXT: Record<BadRelease, string> = {
  crash: 'the container exits as it starts',
  unhealthy: 'GET / answers 500: the ALB health check fails',
  'wrong-version': '/version shows another version, healthy otherwise',
  alarm: 'healthy, but answers 5xx once it serves production: an alarm fires after the shift',
};

export interface FailureFigures {
  /** Seconds after the build; undefined: nothing detects it. */
  detectedAt?: number;
  /** Seconds after the build while users get the bad version; undefined: never; `until` undefined: until a person acts. */
  usersSee?: { from: number; until?: number };
  /** Seconds after the build; undefined: it served 100 % throughout (or never again without a person). */
  oldServesAllAt?: number;
  /** Seconds after the build the rollback is over (the new tasks stopped); undefined: no rollback. */
  rolledBackAt?: number;
}

export interface FailurePath extends FailureFigures {
  strategy: StrategyId;
  release: BadRelease;
  /** After the build: from the deploy action to the rollback's end. */
  phases: FailurePhase[];
  /** The mechanism that detects it, with its setting; undefined: none does. */
  detectedBy?: string;
  /** The same mechanism in the rehearsal's words (its report's stoppedBy.mechanism). */
  detector?: Detector;
  /** What happens, in one sentence. */
  outcome: string;
  /** The same figures with AWS's default settings. */
  awsDefaults: FailureFigures;
}

/** How much of production the new version serves when the alarm fires. */
function share(c: PlaygroundConfig, strategy: StrategyId): string {
  if (strategy === 'rolling') return 'all';
  const percent = strategy === 'canary' ? c.ecsCanary.canaryPercent : trafficShift(c).firstPercent;
  return `${percent} %`;
}

interface Draft {
  phases: FailurePhase[];
  detectedBy?: string;
  detector?: Detector;
  outcome: string;
  /** Seconds after the build users start seeing it, when they do. */
  usersFrom?: number;
}

/** A happy-path phase with the stated figures of `s` (the deploy action, a task start) in place of AWS's. */
function restated<P extends TimelinePhase>(p: P, s: StatedSeconds): P {
  if (p.name.startsWith('deploy action:'))
    return { ...p, seconds: s.deployAction, awsDefault: { ...p.awsDefault, seconds: s.deployAction } };
  if (p.name.endsWith(' start') && p.extraTasksFrom)
    return { ...p, seconds: s.taskStart, awsDefault: { ...p.awsDefault, seconds: s.taskStart } };
  return p;
}

/** The phases of one path for config `c` (called for the config and for AWS's defaults). */
function draft(c: PlaygroundConfig, strategy: StrategyId, release: BadRelease, s: StatedSeconds): Draft {
  const alarms = strategyAlarms(c, strategy);
  const happy = releaseTimeline(c, RELEASE_STRATEGIES[strategy]);
  const offset = s.deployAction - STATED_SECONDS.deployAction + s.taskStart - STATED_SECONDS.taskStart;
  const first = (secondsToMilestone(happy.milestones, 'first users') ?? 0) + offset;
  const done = (secondsToMilestone(happy.milestones, 'done') ?? 0) + offset;
  const deploy = restated(
    deployActionPhase(
      strategy === 'bluegreen'
        ? 'task definition, CodeDeploy deployment'
        : 'new task definition, service update',
    ),
    s,
  );
  const ecs = strategy !== 'bluegreen';
  const rollback = { ...reroutePhase(ROLLBACK_PHASES[strategy], s), reaches: ['rolled back' as const] };
  if (release === 'crash' || release === 'unhealthy') {
    // Its tasks never pass a health check: CodeDeploy never gets to its hook (the replacement task
    // set is not ready), ECS never to the canary's; the failed tasks or the unhealthy-hosts alarm stop it.
    const breaker = circuitBreakerPhase(c, strategy, release, s);
    const alarm = release === 'unhealthy' ? unhealthyAlarmPhase(c, alarms, s) : undefined;
    const quicker = alarm && alarm.seconds < breaker.seconds ? alarm : breaker;
    const byBreaker = quicker === breaker;
    return {
      phases: [deploy, quicker, rollback],
      detectedBy: byBreaker
        ? ecs
          ? 'the deployment circuit breaker'
          : 'failed green tasks (model: the circuit breaker’s threshold)'
        : 'the unhealthy-hosts deployment alarm',
      detector: byBreaker ? (ecs ? 'circuit breaker' : 'task failures') : 'alarm',
      outcome: ecs
        ? 'ECS rolls back to the last completed deployment; no user ever reaches the new tasks (they never pass a health check)'
        : 'CodeDeploy stops before any traffic moved and removes green; users never see it (model: AWS does not document ' +
          'how long CodeDeploy waits for a replacement task set that never becomes healthy)',
    };
  }
  if (release !== 'alarm') {
    if (strategy === 'rolling') {
      // wrong-version: healthy to the ALB and to ECS; nothing of a rolling update looks at /version.
      return {
        phases: happy.phases.filter((p) => !p.beforeDeploy).map((p) => restated(p, s)),
        outcome:
          'nothing detects it: the rolling update completes and every user gets it until a person rolls back',
        usersFrom: first,
      };
    }
    // wrong-version: healthy, so the deployment reaches the hook, which fails at its first answer.
    const greenName = strategy === 'canary' ? 'new revision tasks' : 'green tasks';
    return {
      phases: [
        deploy,
        restated(taskStartPhase(greenName), s),
        healthCheckPhase(c, greenName),
        hookFailPhase(c, strategy, s),
        rollback,
      ],
      detectedBy: 'the hook',
      detector: 'hook',
      outcome: 'rolled back before any production traffic moved: users never see it',
    };
  }
  // An alarm after the shift: the 5xx alarm fires Period × EvaluationPeriods after users get it.
  const alarm = alarmOn(alarms, 'HTTPCode_Target_5XX_Count');
  const reaching = happy.phases.filter((p) => !p.beforeDeploy).map((p) => restated(p, s));
  const toFirst = reaching.slice(
    0,
    reaching.findIndex((p) => p.milestone === 'first users' || p.milestone === 'all users') + 1,
  );
  const fired = first + alarm.windowSeconds;
  // Rolling: ECS keeps watching the alarms for a bake time it "computes based on the alarm
  // configuration" (deployment-alarm-failure.html) - not documented further; the model assumes it
  // covers one alarm window. The canary and CodeDeploy watch until the deployment ends (their bake
  // and termination waits), which the happy path's `done` marks.
  const detect = alarmPhase('the new version answers 5xx until the 5xx alarm fires', alarm, 0, '');
  if (strategy !== 'rolling' && fired > done) {
    return {
      phases: [...toFirst, { ...detect, reaches: [] }],
      outcome: `the deployment completes ${fired - done} s before the alarm fires: no rollback, users get it until a person rolls back`,
      usersFrom: first,
    };
  }
  const back: FailurePhase[] =
    ecs && strategy === 'rolling'
      ? [
          { ...restated(taskStartPhase('old revision tasks'), s), reaches: [] },
          {
            ...healthCheckPhase(c, 'old revision tasks'),
            reaches: ['users stop seeing it', 'old serves 100 %'],
          },
        ]
      : [
          {
            ...reroutePhase(ROLLBACK_PHASES[strategy], s),
            reaches: [...rollback.reaches, 'users stop seeing it', 'old serves 100 %'],
          },
        ];
  return {
    phases: [...toFirst, detect, ...back],
    detectedBy: `the 5xx alarm (${alarm.logicalId})`,
    detector: 'alarm',
    outcome: `${share(c, strategy)} of production gets it until ${ecs ? 'ECS rolls back to the last completed deployment' : 'CodeDeploy routes production back to blue and terminates green'}`,
    usersFrom: first,
  };
}

function figures(d: Draft): FailureFigures {
  let elapsed = 0;
  const at: Partial<Record<FailureMilestone, number>> = {};
  for (const p of d.phases) {
    elapsed += p.seconds;
    for (const m of p.reaches ?? []) at[m] ??= elapsed;
  }
  return {
    ...(d.detectedBy ? { detectedAt: at.detected } : {}),
    ...(d.usersFrom !== undefined
      ? {
          usersSee: {
            from: d.usersFrom,
            ...(at['users stop seeing it'] ? { until: at['users stop seeing it'] } : {}),
          },
        }
      : {}),
    ...(at['old serves 100 %'] !== undefined && d.usersFrom !== undefined
      ? { oldServesAllAt: at['old serves 100 %'] }
      : {}),
    ...(at['rolled back'] !== undefined ? { rolledBackAt: at['rolled back'] } : {}),
  };
}

/**
 * The failure path of one strategy for one kind of bad release, for the config and under AWS's
 * defaults; `stated`: the figures no setting drives (a rehearsal passes its own measurements).
 */
export function failurePath(
  config: PlaygroundConfig,
  strategy: StrategyId,
  release: BadRelease,
  stated: StatedSeconds = STATED_SECONDS,
): FailurePath {
  const ours = draft(config, strategy, release, stated);
  const aws = draft(withAwsDefaults(config), strategy, release, stated);
  const phases = ours.phases.map((p, i) => {
    const twin = aws.phases[i];
    return twin && twin.name === p.name
      ? { ...p, awsDefault: { ...p.awsDefault, seconds: twin.seconds } }
      : p;
  });
  return {
    strategy,
    release,
    phases,
    ...(ours.detectedBy ? { detectedBy: ours.detectedBy } : {}),
    ...(ours.detector ? { detector: ours.detector } : {}),
    outcome: ours.outcome,
    ...figures(ours),
    awsDefaults: figures(aws),
  };
}

/** Every kind of bad release for one strategy (`release` given: just that one). */
export function failurePaths(
  config: PlaygroundConfig,
  strategy: StrategyId,
  release?: BadRelease,
): FailurePath[] {
  return (release ? [release] : BAD_RELEASES).map((r) => failurePath(config, strategy, r));
}
