/**
 * Structured JSON logs on stdout, which the awslogs driver ships to CloudWatch Logs.
 *
 * pino writes through an asynchronous SonicBoom destination: a log call appends to a buffer and
 * returns; the buffer is written in batches off the request path. That keeps one log line per
 * request affordable, where a `console.log` per request would write to a pipe synchronously.
 * No transports: they need worker threads and files next to the bundle, and stdout is all we need.
 */
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Where the JSON lines go; stdout (asynchronously) unless a test passes its own stream. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. the code version, so a line says which release wrote it. */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? batchedStdout();
  return pino(
    {
      // pid and hostname (the task's ENI host name) tell the two tasks' lines apart.
      base: { pid: process.pid, hostname: hostname(), ...options.base },
      // ISO time is readable in CloudWatch without conversion; pino formats it once per line.
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Lines are written once this many bytes are buffered (~16 request lines)… */
const BATCH_BYTES = 4096;
/** …or at the latest after this many milliseconds, so a quiet service's lines are not held back. */
const BATCH_MAX_DELAY_MS = 250;

/**
 * Asynchronous stdout, written in batches. Unbatched, every line became its own write in libuv's
 * thread pool (a thread hand-off per request): logging then cost about a quarter of the CPU of a
 * `/version` request. Exit paths flush what is buffered (closeLogger, and pino's exit handler).
 */
function batchedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // not open yet, or already ended at exit: nothing to flush
    }
  }, BATCH_MAX_DELAY_MS).unref();
  return destination;
}

/** Longest wait for the last lines to reach stdout at exit; a stuck pipe must not block the exit. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * Ends the logger's destination after every buffered line is written, in order. (`logger.flush()`
 * does not wait for a write already in progress, so lines logged just before exit could be lost or
 * reordered.) The SonicBoom destination never closes stdout itself.
 */
export function closeLogger(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | (DestinationStream & Partial<NodeJS.WritableStream>)
    | undefined;
  if (!stream || typeof stream.end !== 'function' || typeof stream.once !== 'function') {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.once?.('close', done);
    stream.once?.('error', done);
    stream.end?.();
  });
}
