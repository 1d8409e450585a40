/**
 * How long a push takes to reach users, per strategy: the source and build phases every pipeline
 * shares, then the strategy's own, with the elapsed time at each milestone, for the config and for
 * the same phases under AWS's default settings.
 */
import type { PlaygroundConfig } from '../../config';
import { buildPhase, type Milestone, sourcePhase, type TimelinePhase } from './phases';
import { type ReleaseStrategy, strategiesOf } from './strategies';

export interface MilestoneTime {
  milestone: Milestone;
  /** Index of the phase whose end reaches it. */
  phase: number;
  /** Seconds after the build ended (the figure a strategy is judged by). */
  afterBuild: number;
  /** Seconds after the push. */
  afterPush: number;
  /** `afterBuild` when the phases with a bound (the hook) take their typical time instead. */
  typicalAfterBuild: number;
}

export interface Timeline {
  strategy: ReleaseStrategy;
  /** Source, build, then the strategy's phases, for the config. */
  phases: TimelinePhase[];
  milestones: MilestoneTime[];
  /** The same milestones with every phase at AWS's default settings. */
  awsDefaultMilestones: MilestoneTime[];
}

export function releaseTimeline(config: PlaygroundConfig, strategy: ReleaseStrategy): Timeline {
  const before = [sourcePhase(), buildPhase(config)];
  const phases = [...before, ...strategy.deploy(config)];
  const defaults = [...before, ...strategy.deploy(config, true)];
  return {
    strategy,
    phases,
    milestones: milestonesOf(phases, (p) => p.seconds),
    awsDefaultMilestones: milestonesOf(defaults, (p) => p.awsDefault.seconds),
  };
}

/** The timeline of every strategy the config runs (`app.strategies`; the same order as the pipelines). */
export function releaseTimelines(
  config: PlaygroundConfig,
  strategies: readonly ReleaseStrategy[] = strategiesOf(config),
): Timeline[] {
  return strategies.map((s) => releaseTimeline(config, s));
}

function milestonesOf(
  phases: readonly TimelinePhase[],
  seconds: (p: TimelinePhase) => number,
): MilestoneTime[] {
  const buildEnd = phases.filter((p) => p.beforeDeploy).reduce((sum, p) => sum + seconds(p), 0);
  const out: MilestoneTime[] = [];
  let elapsed = 0;
  let slack = 0;
  phases.forEach((p, phase) => {
    elapsed += seconds(p);
    slack += p.typicalSeconds === undefined ? 0 : seconds(p) - p.typicalSeconds;
    if (!p.milestone) return;
    const time = {
      phase,
      afterPush: elapsed,
      afterBuild: elapsed - buildEnd,
      typicalAfterBuild: elapsed - buildEnd - slack,
    };
    // All users at once (one rolling round, an all-at-once shift): the first users are all users.
    if (p.milestone === 'all users' && !out.some((m) => m.milestone === 'first users')) {
      out.push({ milestone: 'first users', ...time });
    }
    out.push({ milestone: p.milestone, ...time });
  });
  return out;
}

/** Seconds after the build at which `milestone` is reached (undefined: the strategy has none). */
export function secondsToMilestone(
  times: readonly MilestoneTime[],
  milestone: Milestone,
): number | undefined {
  return times.find((t) => t.milestone === milestone)?.afterBuild;
}

/** The phases from the first that adds tasks to the end: how long the extra tasks run. */
export function extraTaskSeconds(timeline: Timeline): number {
  const first = timeline.phases.findIndex((p) => p.extraTasksFrom);
  return first < 0 ? 0 : timeline.phases.slice(first).reduce((sum, p) => sum + p.seconds, 0);
}

/** The deploy phases (after the build), in seconds: the Deploy action's duration. */
export function deploySeconds(timeline: Timeline): number {
  return timeline.phases.filter((p) => !p.beforeDeploy).reduce((sum, p) => sum + p.seconds, 0);
}

/** `4 min 5 s`, `45 s`, `12 min`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (!m) return `${rest} s`;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
