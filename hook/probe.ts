/**
 * HTTP probing of the test listener: K rounds of `GET /version` (and the health path), each
 * request on a NEW connection so that the load balancer picks a target per request and the
 * rounds spread over all green tasks (a kept-alive connection would pin every probe to one task).
 *
 * A request that gets no HTTP answer (refused, reset, timed out) is retried up to `connectRetries`
 * times; an HTTP answer, whatever its status, is final. Probing stops early once `keepGoing`
 * says the verdict cannot change any more (one bad answer fails the release).
 */
import http from 'node:http';

export interface ProbeAnswer {
  /** Round number, 1-based. */
  round: number;
  path: string;
  /** HTTP status, or undefined when no answer came (see `error`). */
  status?: number;
  /** Version the answer reports (only for the version path). */
  version?: string;
  /** Why there is no usable answer: the last connection error or timeout. */
  error?: string;
  attempts: number;
  ms: number;
}

export interface ProbeOptions {
  /** `http://host:port`, no trailing slash. */
  baseUrl: string;
  /** Paths requested in every round, in order (e.g. `/version`, then `/`). */
  paths: readonly string[];
  rounds: number;
  requestTimeoutMs: number;
  connectRetries: number;
  /** Extra request headers (the test listener's token header). */
  headers?: Record<string, string>;
  /** Aborts everything: the hook's overall time budget. */
  signal?: AbortSignal;
  /** Return false to stop probing (the verdict is already decided). */
  keepGoing?: (answer: ProbeAnswer) => boolean;
  /** Path whose body carries the version; defaults to the first of `paths`. */
  versionPath?: string;
}

/** Pause between tries of one request after a connection error: short, the budget is tight. */
const RETRY_DELAY_MS = 100;

export async function probe(options: ProbeOptions): Promise<ProbeAnswer[]> {
  const answers: ProbeAnswer[] = [];
  const versionPath = options.versionPath ?? options.paths[0];
  for (let round = 1; round <= options.rounds; round++) {
    for (const path of options.paths) {
      if (options.signal?.aborted) return answers;
      const answer = await probeOnce(options, round, path, path === versionPath);
      answers.push(answer);
      if (options.keepGoing && !options.keepGoing(answer)) return answers;
    }
  }
  return answers;
}

async function probeOnce(
  options: ProbeOptions,
  round: number,
  path: string,
  readVersion: boolean,
): Promise<ProbeAnswer> {
  const started = Date.now();
  let error = '';
  let attempts = 0;
  const maxAttempts = options.connectRetries + 1;
  while (attempts < maxAttempts) {
    attempts++;
    try {
      const res = await get(
        `${options.baseUrl}${path}`,
        options.requestTimeoutMs,
        options.headers,
        options.signal,
      );
      const answer: ProbeAnswer = { round, path, status: res.status, attempts, ms: Date.now() - started };
      if (readVersion) answer.version = parseVersion(res.body);
      return answer;
    } catch (err) {
      error = (err as Error).message;
      if (options.signal?.aborted) break;
      if (attempts < maxAttempts) await sleep(RETRY_DELAY_MS * attempts, options.signal);
    }
  }
  return { round, path, error, attempts, ms: Date.now() - started };
}

interface RawAnswer {
  status: number;
  body: string;
}

/** Largest body read: `/version` is a few hundred bytes; anything bigger is not our app. */
const MAX_BODY_BYTES = 64 * 1024;

/** One GET on a fresh connection (`agent: false`, `Connection: close`), bounded by `timeoutMs` end to end. */
export function get(
  url: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted: time budget exceeded'));
      return;
    }
    const req = http.request(url, {
      method: 'GET',
      agent: false,
      headers: { ...headers, Accept: 'application/json', Connection: 'close' },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => req.destroy(new Error('aborted: time budget exceeded'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => {
        done();
        reject(err);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      done();
      reject(
        new Error(err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message),
      );
    });
    req.end();
  });
}

/**
 * The version an answer reports: the app's JSON `{"version": …}` (we ask for JSON), or its text
 * line `… Code version: <v>` if a proxy or an older release answers text. undefined = unreadable.
 */
export function parseVersion(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const { version } = parsed as { version?: unknown };
      if (typeof version === 'string') return version;
    }
  } catch {
    // not JSON: try the text form below
  }
  const text = /Code version: (\S+?)\.?\s*$/.exec(body.trim());
  return text?.[1];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
