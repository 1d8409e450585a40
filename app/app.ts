/**
 * The Express app: routes only, no listening (see server.ts), so tests can mount it anywhere.
 */
import { hostname } from 'node:os';
import express, { type Express, type Request } from 'express';
import { VERSION_PATH } from '../config/contracts/app';
import { addErrorHandling } from './errors';
import type { Logger } from './logger';
import type { AppSettings } from './settings';

export interface VersionInfo {
  version: string;
  hostname: string;
  pid: number;
}

export function versionInfo(settings: Pick<AppSettings, 'codeVersion'>): VersionInfo {
  return { version: settings.codeVersion, hostname: hostname(), pid: process.pid };
}

/** The original app's `/version` line, kept for `Accept: text/plain` (curl scripts grep it). */
export function versionLine(info: VersionInfo): string {
  return `Hello from Host ${info.hostname} Process ${info.pid}. Code version: ${info.version}`;
}

interface FixedAnswer {
  body: string;
  headers: Record<string, string>;
}

function fixedAnswer(type: string, body: string, extra: Record<string, string> = {}): FixedAnswer {
  return {
    body,
    headers: {
      'Content-Type': `${type}; charset=utf-8`,
      'Content-Length': String(Buffer.byteLength(body)),
      ...extra,
    },
  };
}

/** JSON unless the client prefers text; no Accept header or `*\/*` (curl's) means JSON. */
function prefersText(req: Request): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || accept === '*/*') return false;
  return req.accepts(['application/json', 'text/plain']) === 'text/plain';
}

export function createApp(settings: AppSettings, logger: Logger): Express {
  const app = express();
  // Do not advertise the framework to scanners.
  app.disable('x-powered-by');
  // Every answer here is tiny and never revalidated: hashing it for an ETag costs throughput.
  app.disable('etag');

  // Every answer below is fixed for the life of the process (host, pid and version never change),
  // so body and headers are rendered once and written with Node's own writeHead/end: Express's
  // res.type/res.send re-parse and re-format the Content-Type on every call. That cost a tenth of
  // the throughput of `/version`, the route `npm run bench` measures.
  const hello = fixedAnswer('text/plain', 'Hello World');
  const unhealthy = fixedAnswer(
    'application/json',
    JSON.stringify({ error: 'Simulated unhealthy release (SIMULATE_UNHEALTHY=true)' }),
  );
  // The ALB health check. SIMULATE_UNHEALTHY=true makes it fail, as a broken release would.
  app.get('/', (_req, res) => {
    if (settings.simulateUnhealthy) res.writeHead(500, unhealthy.headers).end(unhealthy.body);
    else res.writeHead(200, hello.headers).end(hello.body);
  });

  const info = versionInfo(settings);
  // Vary: caches and proxies must keep the JSON and the text variant apart.
  const json = fixedAnswer('application/json', JSON.stringify(info), { Vary: 'Accept' });
  const text = fixedAnswer('text/plain', versionLine(info), { Vary: 'Accept' });
  app.get(VERSION_PATH, (req, res) => {
    const answer = prefersText(req) ? text : json;
    res.writeHead(200, answer.headers).end(answer.body);
  });

  addErrorHandling(app, logger);
  return app;
}
