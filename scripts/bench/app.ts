/**
 * `npm run bench` (scripts/bench/cli.ts), first half: the bundled app's `/version` against a bare node:http server
 * giving the same answer, in one run, alternating between the two so that machine noise hits both
 * alike. Prints req/s, p99 latency, peak RSS, startup time to the first 200, and the app/raw ratios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { readSettings } from '../../app/settings';
import { VERSION_PATH } from '../../config/contracts/app';
import { buildApp, NODE_TARGET } from '../bundle/app';
import type { BenchOptions } from './args';
import { freePort } from './free-port';
import { runLoad } from './load';
import { formatSummary, type LoadSample, type ServerKind, type StartupSample, summarize } from './report';
import { codeCacheStatus, cpuMs, peakRssBytes, type StartedServer, startServer, stopServer } from './servers';

/** Starts and stops both servers, and keeps what every start measured. */
interface Bench {
  start(kind: ServerKind): Promise<StartedServer>;
  stop(kind: ServerKind, server: StartedServer): Promise<number | null>;
  startups: Record<ServerKind, StartupSample[]>;
  /** How each app start compiled its bundle: every one should say `used`. */
  codeCaches: Map<string, number>;
}

/** Alternates which server goes first, so that neither always meets a warmer machine. */
const order = (i: number): ServerKind[] => (i % 2 ? ['app', 'raw'] : ['raw', 'app']);

/** Runs the app bench (scripts/bench/cli.ts starts it); throws when a server misbehaves. */
export async function runAppBench(options: BenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const bench = await prepare(dir);
    // Startup only: start, first 200, stop.
    for (let i = 0; i < options.startups; i++) {
      for (const kind of order(i)) {
        const server = await bench.start(kind);
        record(bench, kind, server);
        await bench.stop(kind, server);
      }
    }
    const loads: LoadSample[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of order(round)) loads.push(await loadRound(bench, options, kind, round));
    }
    process.stdout.write(
      `\n${options.rounds} rounds x ${options.durationSeconds} s, ${options.connections} connections, ` +
        `${bench.startups.app.length} startups each; GET ${VERSION_PATH}\n` +
        `app code cache (app/code-cache.ts): ${[...bench.codeCaches].map(([status, n]) => `${status} ${n}x`).join(', ')}\n\n` +
        `${formatSummary(summarize(loads, bench.startups))}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bundles both servers into `dir`; the raw one from bench/raw-server.ts, with the app's esbuild target. */
async function prepare(dir: string): Promise<Bench> {
  const scripts: Record<ServerKind, string> = {
    app: (await buildApp(join(dir, 'app'))).start,
    raw: join(dir, 'raw.js'),
  };
  await build({
    entryPoints: [join(__dirname, 'raw-server.ts')],
    outfile: scripts.raw,
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    minify: true,
    logLevel: 'warning',
  });
  // Same version string and keep-alive timeout for both, so the answers are byte-identical in size.
  const env = {
    CODE_VERSION: 'bench',
    KEEP_ALIVE_TIMEOUT_MS: String(readSettings({}).keepAliveTimeoutMs),
  };
  const codeCaches = new Map<string, number>();
  return {
    start: async (kind) => startServer(scripts[kind], await freePort(), VERSION_PATH, env),
    stop: async (kind, server) => {
      const code = await stopServer(server);
      if (kind === 'app') {
        const status = codeCacheStatus(server);
        codeCaches.set(status, (codeCaches.get(status) ?? 0) + 1);
      }
      return code;
    },
    startups: { app: [], raw: [] },
    codeCaches,
  };
}

function record(bench: Bench, kind: ServerKind, server: StartedServer): void {
  bench.startups[kind].push({ wallMs: server.startupMs, cpuMs: server.startupCpuMs });
}

/** One measured load run against a fresh server (after an unmeasured warm-up); prints one line. */
async function loadRound(
  bench: Bench,
  options: BenchOptions,
  kind: ServerKind,
  round: number,
): Promise<LoadSample> {
  const server = await bench.start(kind);
  record(bench, kind, server);
  const url = `http://127.0.0.1:${server.port}${VERSION_PATH}`;
  if (options.warmupSeconds > 0) {
    await runLoad({ url, connections: options.connections, durationSeconds: options.warmupSeconds });
  }
  const pid = server.child.pid ?? 0;
  const cpuBefore = cpuMs(pid);
  const result = await runLoad({
    url,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
  });
  const cpuAfter = cpuMs(pid);
  const cpuUsPerRequest =
    cpuBefore !== undefined && cpuAfter !== undefined
      ? ((cpuAfter - cpuBefore) * 1000) / result.requests
      : undefined;
  const rss = peakRssBytes(pid);
  const code = await bench.stop(kind, server);
  if (result.non2xx || result.errors || code !== 0) {
    throw new Error(
      `${kind} server misbehaved in round ${round + 1}: ${result.non2xx} non-2xx, ${result.errors} errors, exit code ${code}`,
    );
  }
  process.stdout.write(
    `round ${round + 1} ${kind}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms, ` +
      `${cpuUsPerRequest?.toFixed(1) ?? 'n/a'} us CPU/request, startup ${server.startupMs.toFixed(1)} ms, log ${(server.stdoutBytes() / 2 ** 20).toFixed(1)} MiB\n`,
  );
  return {
    kind,
    requestsPerSecond: result.requestsPerSecond,
    p99Ms: result.p99Ms,
    peakRssBytes: rss,
    cpuUsPerRequest,
  };
}
