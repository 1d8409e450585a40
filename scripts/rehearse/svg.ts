/** The rehearsal's picture: the watch's chart (scripts/watch/svg.ts) of every strategy's users, with its phases marked. */
import { versionShareSvg } from '../watch/svg';
import type { StrategyRun } from './strategy';

export function rehearsalSvg(runs: readonly StrategyRun[], subtitle: string): string {
  const startedAt = Math.min(...runs.map((r) => r.startedAt));
  const endedAt = Math.max(...runs.map((r) => r.endedAt));
  const marks = Object.fromEntries(
    runs.map((r) => [
      r.strategy,
      r.phases.map((p) => ({ at: r.deployedAt + p.start * 1000, label: p.name })),
    ]),
  );
  return versionShareSvg(
    runs.flatMap((r) => r.samples),
    runs.map((r) => r.strategy),
    startedAt,
    endedAt,
    `Rehearsal: version share users saw, ${subtitle}`,
    // A bucket of a quarter second: at high speed a phase lasts only seconds.
    { marks, minBucketMs: 250 },
  );
}
