/**
 * The rehearsal checks the failure model (scripts/timeline/failures.ts): for a bad release it asks
 * the model for the same path with the rehearsal's own measurements in place of AWS's stated figures
 * (no deploy action, its tasks' measured start, its hook's and its rollback's measured runs), then compares each figure
 * the rehearsal measured — when the bad release was detected and by what, when users first got it,
 * when the rollback was over — with that prediction, within CHECK_TOLERANCE.
 */
import type { PlaygroundConfig } from '../../config';
import { alarmOn, strategyAlarms } from '../timeline/alarms';
import { circuitBreakerPhase, unhealthyAlarmPhase } from '../timeline/failure-phases';
import {
  BAD_RELEASES,
  type BadRelease,
  type Detector,
  type FailurePath,
  failurePath,
  ROLLBACK_PHASES,
  STATED_SECONDS,
  type StatedSeconds,
} from '../timeline/failures';
import { isAnswer } from '../watch/stats';
import type { StrategyRun } from './strategy';
import { type Release, VERSIONS } from './tasks';

/**
 * How far a measured figure may be from the predicted one, in AWS seconds, either way (`late` and
 * `early`), and why:
 * - `schedulingMs` real ms, × speed: the control loop ticks every 40 ms, stops failed tasks through
 *   HAProxy's runtime API and reads its stats; under the full gate on a busy 2-CPU machine that was
 *   measured at up to ~0.7 s late, with two more busy loops up to ~2.4 s; so 2 s: the reason the test
 *   runs bad releases at ×10, where it stands for 20 AWS seconds, not at ×200, where it would stand
 *   for 400;
 * - one health-check interval: HAProxy's first check of a new target comes anywhere within one;
 * - `relative` of the prediction, for what compounds (rounds of failed tasks, each its own start).
 * Where the model's figure is a bound, the measured one may be earlier (`early` only) by:
 * - where an alarm detects, one alarm period: the alarm evaluates at the end of each of its periods
 *   (CloudWatch's and the rehearsal's alike), the model counts a whole Period × EvaluationPeriods
 *   from the first bad check, so it can fire up to one period sooner;
 * - where failed unhealthy tasks detect, the deregistration delay: the model counts it whole (as the
 *   timeouts must), but a target that never served has no connection and ELB completes its
 *   deregistration at once
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay).
 */
export const CHECK_TOLERANCE = { schedulingMs: 2000, relative: 0.15 } as const;

export type CheckedFigure = 'detected' | 'users first get it' | 'rolled back';

export interface FigureCheck {
  figure: CheckedFigure;
  /** AWS seconds since the deployment started: measured (real × speed) and predicted. */
  measured: number | null;
  predicted: number | null;
  /** How much later and how much earlier than predicted the measured figure may be. */
  tolerance: Tolerance;
  within: boolean;
}

export interface FailureCheck {
  /** The figures no setting drives, as the rehearsal measured them (AWS seconds). */
  stated: StatedSeconds;
  detector: { measured: Detector | null; predicted: Detector | null; same: boolean };
  figures: FigureCheck[];
  /** Every figure within its tolerance and the same detector. */
  agrees: boolean;
}

const round = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export interface Tolerance {
  late: number;
  early: number;
}

/** The tolerance of one predicted figure (CHECK_TOLERANCE says why). */
export function toleranceSeconds(
  config: PlaygroundConfig,
  path: FailurePath,
  predicted: number,
  speed: number,
): Tolerance {
  const { schedulingMs, relative } = CHECK_TOLERANCE;
  const late = (schedulingMs / 1000) * speed + config.healthCheck.intervalSeconds + relative * predicted;
  let bound = 0;
  if (path.detector === 'alarm') {
    const metric = path.release === 'alarm' ? 'HTTPCode_Target_5XX_Count' : 'UnHealthyHostCount';
    bound += alarmOn(strategyAlarms(config, path.strategy), metric).period;
  }
  const failedTasks = path.detector === 'circuit breaker' || path.detector === 'task failures';
  if (path.release === 'unhealthy' && failedTasks) bound += config.loadBalancer.deregistrationDelaySeconds;
  return { late: round(late), early: round(late + bound) };
}

/** The rehearsal's measurements of the stated figures: no deploy action, its own task start, hook and rollback. */
export function measuredStated(run: StrategyRun, speed: number): StatedSeconds {
  const hook = run.phases.find((p) => p.name.includes('hook probes'));
  const rollback = run.phases.find((p) => p.name === ROLLBACK_PHASES[run.strategy]);
  return {
    deployAction: 0,
    taskStart: round((mean(run.newTaskLaunchesMs) / 1000) * speed),
    hook: hook ? hook.awsSeconds : STATED_SECONDS.hook,
    // The rollback's listener change and stopped tasks: HAProxy calls and processes here, ELB and ECS
    // calls on AWS (5 s stated); either way no setting drives it.
    reroute: rollback ? rollback.awsSeconds : STATED_SECONDS.reroute,
  };
}

/** The check of a bad release's run; null for a good or slow-start release (no failure path). */
export function failureCheck(
  config: PlaygroundConfig,
  run: StrategyRun,
  release: Release,
  speed: number,
): FailureCheck | null {
  if (!(BAD_RELEASES as readonly string[]).includes(release)) return null;
  const stated = measuredStated(run, speed);
  const path = failurePath(config, run.strategy, release as BadRelease, stated);
  const rollback = run.phases.find((p) => p.name === ROLLBACK_PHASES[run.strategy]);
  const firstNew = run.samples.find((s) => isAnswer(s) && s.version !== VERSIONS.old);
  const measured: Record<CheckedFigure, number | null> = {
    detected: rollback ? round(rollback.start * speed) : null,
    'users first get it': firstNew ? round(((firstNew.at - run.deployedAt) / 1000) * speed) : null,
    'rolled back': rollback ? round(rollback.end * speed) : null,
  };
  const predicted: Record<CheckedFigure, number | null> = {
    detected: path.detectedAt ?? null,
    'users first get it': path.usersSee?.from ?? null,
    'rolled back': path.rolledBackAt ?? null,
  };
  const figures = (Object.keys(measured) as CheckedFigure[])
    .filter((f) => measured[f] !== null || predicted[f] !== null)
    .map((figure): FigureCheck => {
      const m = measured[figure];
      const p = predicted[figure];
      const tolerance = toleranceSeconds(config, path, p ?? 0, speed);
      return {
        figure,
        measured: m,
        predicted: p,
        tolerance,
        within: m !== null && p !== null && m - p <= tolerance.late && p - m <= tolerance.early,
      };
    });
  const by = run.result.stoppedBy?.by ?? null;
  const detector = {
    measured: by,
    predicted: path.detector ?? null,
    same: by === (path.detector ?? null) || tie(config, path, by, stated, figures[0]?.tolerance),
  };
  return { stated, detector, figures, agrees: detector.same && figures.every((f) => f.within) };
}

/**
 * The other mechanism won by less than the tolerance: for an unhealthy release the model predicts the
 * quicker of the failed tasks and the unhealthy-hosts alarm; when the two are closer than the
 * rehearsal can tell apart (an alarm period boundary, a slow task start), either may stop it first.
 */
function tie(
  config: PlaygroundConfig,
  path: FailurePath,
  by: Detector | null,
  stated: StatedSeconds,
  tolerance: Tolerance | undefined,
): boolean {
  if (path.release !== 'unhealthy' || !by || path.detectedAt === undefined || !tolerance) return false;
  const other =
    by === 'alarm'
      ? unhealthyAlarmPhase(config, strategyAlarms(config, path.strategy), stated)
      : circuitBreakerPhase(config, path.strategy, 'unhealthy', stated);
  const otherBy =
    by === 'alarm' ? 'alarm' : path.strategy === 'bluegreen' ? 'task failures' : 'circuit breaker';
  const at = stated.deployAction + other.seconds;
  return otherBy === by && at - path.detectedAt <= tolerance.late;
}

/** The printed lines of a check. */
export function checkLines(check: FailureCheck): string[] {
  const { stated: s, detector: d } = check;
  const lines = [
    `  model check (${check.agrees ? 'agrees' : 'DISAGREES'}; predicted as plan with this run's task start ${s.taskStart} s and hook ${s.hook} s (stated where none ran), no deploy action):`,
    `    detected by: ${d.measured ?? 'nothing'}; plan predicts ${d.predicted ?? 'nothing'}${d.same ? '' : '  ✗'}`,
  ];
  for (const f of check.figures) {
    const show = (n: number | null) => (n === null ? 'never' : `${n} s`);
    lines.push(
      `    ${f.figure}: measured ${show(f.measured)}, predicted ${show(f.predicted)} (+${f.tolerance.late} s / −${f.tolerance.early} s) ${f.within ? 'within' : 'OUTSIDE'} the tolerance`,
    );
  }
  return lines;
}
