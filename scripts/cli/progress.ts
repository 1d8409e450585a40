/**
 * Progress for long steps, the way the CDK CLI and Copilot show it: on a terminal, one live status
 * line at the bottom (a spinner, what runs now, the elapsed time) redrawn in place, with permanent
 * lines printed above it; anywhere else (CI logs, a pipe, `TERM=dumb`, `CI=true`) only the permanent
 * lines, plain, one per event. Colour follows the same switch as everything else (color.ts).
 *
 * Our own ~80 lines rather than a library: listr2 (≥ 9) and ora (≥ 6) are ESM-only, and listr2's
 * current major needs Node ≥ 22.13, while this CommonJS kit's commands and tests also run on Node 20
 * (CI); both also model a fixed task list, and the deploy streams lines (stack events) under a status
 * that changes, which is exactly the one thing a status line does.
 */

import { colorEnabled, type Palette, palette } from './color';
import { duration } from './format';

export interface ProgressSink {
  /** Raw text to stdout. */
  write(text: string): void;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export interface Progress {
  /** A spinner is drawn (a terminal that is not `TERM=dumb`, outside CI). */
  readonly live: boolean;
  readonly palette: Palette;
  /** A permanent line; on a terminal it goes above the status line. */
  line(text: string): void;
  /**
   * What runs now; the elapsed time counts from the first status after none. `undefined` removes
   * the line. Without a terminal nothing is drawn: the caller's lines tell the story.
   */
  status(text: string | undefined): void;
  /** Removes the status line and stops the redraw timer. */
  stop(): void;
}

export interface ProgressOptions {
  now?: () => number;
  /** Redraw period on a terminal. */
  tickMs?: number;
}

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Erase the current terminal line and return to its start. */
const CLEAR_LINE = '\r\x1b[K';

/** Whether `sink` gets a live status line. */
export function isLive(sink: Pick<ProgressSink, 'isTTY' | 'env'>): boolean {
  const ci = sink.env.CI !== undefined && sink.env.CI !== '' && sink.env.CI !== 'false';
  return sink.isTTY && sink.env.TERM !== 'dumb' && !ci;
}

export function createProgress(sink: ProgressSink, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const live = isLive(sink);
  const p = palette(colorEnabled(sink.isTTY, sink.env));
  let text: string | undefined;
  let since = 0;
  let frame = 0;
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;

  const clear = () => {
    if (drawn) sink.write(CLEAR_LINE);
    drawn = false;
  };
  const draw = () => {
    if (!live || text === undefined) return;
    const elapsed = duration((now() - since) / 1000);
    sink.write(
      `${CLEAR_LINE}${p.cyan(SPINNER_FRAMES[frame % SPINNER_FRAMES.length])} ${text} ${p.dim(elapsed)}`,
    );
    drawn = true;
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    live,
    palette: p,
    line(line) {
      clear();
      sink.write(`${line}\n`);
      draw();
    },
    status(next) {
      if (next !== undefined && text === undefined) since = now();
      text = next;
      if (!live) return;
      if (text === undefined) {
        stopTimer();
        clear();
        return;
      }
      draw();
      if (!timer) {
        timer = setInterval(() => {
          frame++;
          draw();
        }, options.tickMs ?? 100);
        // The status line never keeps the process alive.
        timer.unref();
      }
    },
    stop() {
      text = undefined;
      stopTimer();
      clear();
    },
  };
}

/** stdout as a progress sink. */
export function stdoutSink(env: Record<string, string | undefined> = process.env): ProgressSink {
  return { write: (t) => process.stdout.write(t), isTTY: process.stdout.isTTY === true, env };
}
