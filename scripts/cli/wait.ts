/**
 * How a wait reports (a stack operation, the first build): a line when the state it polls changes,
 * a line with the elapsed time every `everyMs` while it does not (so a CI log shows the wait is
 * alive without a line per poll), and the live status line on a terminal (progress.ts).
 */
import { duration } from './format';

export interface WaitOutput {
  log(line: string): void;
  /** The live status line (a terminal only); undefined removes it. */
  status?(text: string | undefined): void;
}

/** A quiet wait prints its elapsed time once a minute. */
export const WAIT_HEARTBEAT_MS = 60_000;

export class WaitReport {
  private state?: string;
  private lastLine: number;
  private readonly started: number;

  constructor(
    private readonly out: WaitOutput,
    /** Prefix of every line, e.g. `[image] first build`. */
    private readonly label: string,
    private readonly now: () => number,
    private readonly options: {
      everyMs?: number;
      /** Print the first state too (false when the caller already said what it waits for). */
      announce?: boolean;
    } = {},
  ) {
    this.started = now();
    this.lastLine = this.started;
  }

  /**
   * After every poll: the state it read, e.g. `pipeline InProgress`; `detail` (e.g. a count) shows
   * only on the live status line, so that its changes print no line.
   */
  update(state: string, detail?: string): void {
    const t = this.now();
    const elapsed = duration((t - this.started) / 1000);
    if (state !== this.state) {
      const first = this.state === undefined;
      if (!first || this.options.announce !== false) {
        this.out.log(`${this.label}: ${state}${first ? '' : ` (after ${elapsed})`}`);
        this.lastLine = t;
      }
      this.state = state;
    } else if (t - this.lastLine >= (this.options.everyMs ?? WAIT_HEARTBEAT_MS)) {
      this.out.log(`${this.label}: still ${state} after ${elapsed}`);
      this.lastLine = t;
    }
    this.out.status?.(`${this.label}: ${state}${detail ? ` ${detail}` : ''}`);
  }

  /** The wait is over: the status line goes. */
  done(): void {
    this.out.status?.(undefined);
  }
}
