/**
 * Traffic weight over time: the share of production requests the new version answers, per strategy,
 * after the build, read off the same release timeline as `npm run plan` (timeline.ts): one step per
 * milestone. docs/concepts.md draws it (a generated block, test/timeline/weights.test.ts and
 * test/cloudformation/reference.test.ts keep it equal to this model).
 *
 * What each strategy's first step is:
 * - CodeDeploy blue/green: the deployment configuration's first shift (10 % of a canary, a linear
 *   step, or 100 % all at once) once BeforeAllowTraffic passed;
 * - ECS canary: ecsCanary.canaryPercent once the hook passed at POST_TEST_TRAFFIC_SHIFT;
 * - rolling: the new tasks of the first round, as a share of the desired count (the ALB spreads
 *   requests over the healthy targets; one round when maximumPercent allows all new tasks at once).
 */
import type { PlaygroundConfig } from '../../config';
import type { Milestone } from './phases';
import { trafficShift } from './strategies';
import { duration, type Timeline } from './timeline';

export interface WeightStep {
  /** Seconds after the build. */
  afterBuild: number;
  /** Share of production requests the new version answers from then on. */
  percent: number;
  milestone: Milestone | 'build done';
}

/** The percent the new version serves at its first users. */
function firstPercent(timeline: Timeline, config: PlaygroundConfig): number {
  const { desiredCount, minimumHealthyPercent, maximumPercent } = config.service;
  switch (timeline.strategy.id) {
    case 'bluegreen':
      return trafficShift(config).firstPercent;
    case 'canary':
      return config.ecsCanary.canaryPercent;
    case 'rolling': {
      const perRound =
        Math.floor((desiredCount * maximumPercent) / 100) -
        Math.ceil((desiredCount * minimumHealthyPercent) / 100);
      return Math.round((100 * Math.min(desiredCount, Math.max(1, perRound))) / desiredCount);
    }
  }
}

/** The steps of one strategy: 0 % when the build is done, then one per milestone. */
export function trafficWeights(timeline: Timeline, config: PlaygroundConfig): WeightStep[] {
  const first = firstPercent(timeline, config);
  const steps: WeightStep[] = [{ afterBuild: 0, percent: 0, milestone: 'build done' }];
  for (const m of timeline.milestones) {
    const percent = m.milestone === 'first users' ? first : 100;
    // One rolling round, an all-at-once shift: the first users are all users (one step, not two).
    if (
      m.milestone === 'first users' &&
      timeline.milestones.some((o) => o.milestone === 'all users' && o.afterBuild === m.afterBuild)
    )
      continue;
    steps.push({ afterBuild: m.afterBuild, percent, milestone: m.milestone });
  }
  return steps;
}

/** The new version's share at `seconds` after the build. */
export function weightAt(steps: readonly WeightStep[], seconds: number): number {
  return steps.filter((s) => s.afterBuild <= seconds).at(-1)?.percent ?? 0;
}

/** Seconds between two points of the chart: the x axis is a category per point. */
export const CHART_STEP_SECONDS = 15;

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** A Mermaid xychart of one strategy's weight, a point every CHART_STEP_SECONDS until it is done. */
export function weightChart(timeline: Timeline, config: PlaygroundConfig): string[] {
  const steps = trafficWeights(timeline, config);
  const end = Math.ceil(steps.at(-1)!.afterBuild / CHART_STEP_SECONDS + 1) * CHART_STEP_SECONDS;
  const times = Array.from({ length: end / CHART_STEP_SECONDS + 1 }, (_, i) => i * CHART_STEP_SECONDS);
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${timeline.strategy.title}: % of production on the new version"`,
    `  x-axis "minutes after the build" [${times.map((t) => `"${clock(t)}"`).join(', ')}]`,
    '  y-axis "new version %" 0 --> 100',
    `  line [${times.map((t) => weightAt(steps, t)).join(', ')}]`,
    '```',
  ];
}

const STEP_TEXT: Record<WeightStep['milestone'], string> = {
  'build done': 'the build is done: the old version serves everyone',
  'first users': 'first users: the new version takes its first share',
  'all users': 'all users: the new version serves everyone',
  done: 'done: the old version is gone (until then, a rollback only re-routes)',
};

/** The exact steps under a chart, as a Markdown table. */
export function weightTable(timeline: Timeline, config: PlaygroundConfig): string[] {
  return [
    '| After the build | New version | |',
    '| ---: | ---: | --- |',
    ...trafficWeights(timeline, config).map(
      (s) => `| ${duration(s.afterBuild)} | ${s.percent} % | ${STEP_TEXT[s.milestone]} |`,
    ),
  ];
}
