/**
 * Runs autocannon in its own process (its CLI, with --json), so the load generator never shares
 * an event loop with the measuring script or the server.
 */
import { execFile } from 'node:child_process';

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
}

const AUTOCANNON = require.resolve('autocannon/autocannon.js');

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const args = [
    AUTOCANNON,
    '--json',
    '--connections',
    String(options.connections),
    '--duration',
    String(options.durationSeconds),
    options.url,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`autocannon failed: ${err.message}\n${stderr}`));
      try {
        resolve(parseAutocannon(stdout));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}

/** The numbers we report from autocannon's --json output. */
export function parseAutocannon(stdout: string): LoadResult {
  let json: {
    requests?: { average?: unknown; total?: unknown };
    latency?: { p99?: unknown };
    non2xx?: unknown;
    errors?: unknown;
  };
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(`autocannon printed no JSON: ${stdout.slice(0, 200)}`);
  }
  const num = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`autocannon JSON has no number at ${name}`);
    }
    return value;
  };
  return {
    requestsPerSecond: num(json.requests?.average, 'requests.average'),
    p99Ms: num(json.latency?.p99, 'latency.p99'),
    requests: num(json.requests?.total, 'requests.total'),
    non2xx: num(json.non2xx, 'non2xx'),
    errors: num(json.errors, 'errors'),
  };
}
