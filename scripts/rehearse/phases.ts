/**
 * The phases a rehearsal measured, under the names `npm run plan` gives them (scripts/timeline/
 * phases.ts builds both), so issue-free comparison is a lookup by name: each with its measured real
 * seconds, the AWS time it stands for (measured × speed) and the time `plan` predicts for it.
 */
import type { TimelinePhase } from '../timeline/phases';

export interface MeasuredPhase {
  name: string;
  /** Real seconds since the deployment started. */
  start: number;
  end: number;
  /** The AWS time the measured span stands for: (end − start) × speed. */
  awsSeconds: number;
  /** What `npm run plan` predicts for this phase (AWS seconds), when it has a phase of this name. */
  plannedSeconds?: number;
}

export class PhaseLog {
  readonly phases: MeasuredPhase[] = [];
  private open: MeasuredPhase | undefined;

  constructor(
    private readonly origin: number,
    private readonly now: () => number,
    private readonly speed: number,
    private readonly planned: readonly TimelinePhase[],
    private readonly onEnter: (name: string) => void = () => {},
  ) {}

  /** Ends the open phase and starts `name` (a name of the plan's, or a rehearsal-only one such as a rollback). */
  enter(phase: TimelinePhase | string): void {
    this.end();
    const name = typeof phase === 'string' ? phase : phase.name;
    const planned = this.planned.find((p) => p.name === name);
    const at = (this.now() - this.origin) / 1000;
    this.open = { name, start: at, end: at, awsSeconds: 0, plannedSeconds: planned?.seconds };
    this.phases.push(this.open);
    this.onEnter(name);
  }

  end(): void {
    if (!this.open) return;
    this.open.end = (this.now() - this.origin) / 1000;
    this.open.awsSeconds = Math.round((this.open.end - this.open.start) * this.speed);
    this.open = undefined;
  }
}
