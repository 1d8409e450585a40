/**
 * One GET of a load balancer's `/version`: which commit does it serve right now? Used once per
 * strategy by `npm run status` and at a steady rate by `npm run watch`.
 *
 * A new connection per request (`agent: false`, `Connection: close`), like the hook's probes, so
 * the load balancer picks a target for every request and the answers sample all registered tasks.
 * The request names itself with a User-Agent so the requests can be told apart in access logs.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';

export const USER_AGENT = 'ecs-deploy-playground-status/1 (+npm run status / npm run watch)';

/** The app answers in milliseconds; 2 s means the load balancer or the tasks are not answering. */
export const PROBE_TIMEOUT_MS = 2000;

/** Bodies of `/version` are ~100 bytes; anything far larger is not our app. */
const MAX_BODY_BYTES = 64 * 1024;

export interface ProbeResult {
  url: string;
  status?: number;
  version?: string;
  latencyMs: number;
  /** No answer (refused, reset, timed out) or an unreadable one. */
  error?: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  userAgent?: string;
}

export function probeVersion(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<ProbeResult, 'url' | 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ url, latencyMs: elapsed(), ...r });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      done({ error: `not a URL: ${url}` });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'GET',
        agent: false,
        timeout: timeoutMs,
        headers: {
          Accept: 'application/json',
          Connection: 'close',
          'User-Agent': options.userAgent ?? USER_AGENT,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        res.on('error', (err) => done({ status: res.statusCode, error: err.message }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const version = parseVersion(Buffer.concat(chunks).toString('utf8'));
          done(
            version === undefined && status < 300
              ? { status, error: 'no version in the answer' }
              : { status, version },
          );
        });
      },
    );
    // The socket timeout covers connect and idle time; the overall timer also covers a slow trickle.
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      done({ error: err.code ? `${err.code}: ${err.message}` : err.message }),
    );
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

/** `{"version":"abc"}` (app/app.ts), or the original text line `… Code version: abc`. */
export function parseVersion(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { version?: unknown };
    if (typeof json.version === 'string' && json.version) return json.version;
  } catch {
    // not JSON: try the text line below
  }
  return /Code version: (\S+)/.exec(body)?.[1];
}
