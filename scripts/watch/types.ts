/**
 * What a watch is about and what it found: the targets it probes and the result the loop
 * (run.ts) returns and the summary (summary.ts) and the files (cli.ts) read. Types only, so that
 * the loop and its summary both import them without importing each other.
 */
import type { StackFacts } from '../status/read/stack';
import type { StrategyStatus } from '../status/report';
import type { StrategyDescriber } from '../status/strategies/strategy';
import type { Sample } from './stats';
import type { Mark } from './svg';

export interface WatchTarget {
  strategy: string;
  url: string;
  /** With AWS: the describer and its stack, for the phase refreshes. */
  describer?: StrategyDescriber;
  stack?: StackFacts;
}

export type StopReason = 'settled' | 'time limit' | 'interrupted';

export interface WatchResult {
  reason: StopReason;
  startedAt: number;
  endedAt: number;
  samples: Sample[];
  /** Phase changes and other moments, one line each, `+m:ss strategy  what`. */
  events: string[];
  phases: Map<string, StrategyStatus | undefined>;
  /** Per strategy, when AWS showed each phase change (the chart marks them). */
  marks: Record<string, Mark[]>;
  refreshes: number;
}
