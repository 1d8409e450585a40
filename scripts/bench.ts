/**
 * `npm run bench`: the bundled app's `/version` against a bare node:http server giving the same
 * answer, in one run, alternating between the two so that machine noise hits both alike.
 * Prints req/s, p99 latency, peak RSS, startup time to the first 200, and the app/raw ratios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { readSettings } from '../app/settings';
import { parseBenchArgs } from './bench/args';
import { runLoad } from './bench/load';
import {
  formatSummary,
  type LoadSample,
  type ServerKind,
  type StartupSample,
  summarize,
} from './bench/report';
import {
  codeCacheStatus,
  cpuMs,
  peakRssBytes,
  type StartedServer,
  startServer,
  stopServer,
} from './bench/servers';
import { buildApp, NODE_TARGET } from './build-app';

const PATH = '/version';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const scripts: Record<ServerKind, string> = {
      app: (await buildApp(join(dir, 'app'))).start,
      raw: join(dir, 'raw.js'),
    };
    await build({
      entryPoints: [join(__dirname, 'bench', 'raw-server.ts')],
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
    const start = async (kind: ServerKind): Promise<StartedServer> =>
      startServer(scripts[kind], await freePort(), PATH, env);

    const startups: Record<ServerKind, StartupSample[]> = { app: [], raw: [] };
    /** How each app start compiled its bundle: every one should say `used`. */
    const codeCaches = new Map<string, number>();
    const stop = async (kind: ServerKind, server: StartedServer) => {
      const code = await stopServer(server);
      if (kind === 'app') {
        const status = codeCacheStatus(server);
        codeCaches.set(status, (codeCaches.get(status) ?? 0) + 1);
      }
      return code;
    };
    const startupOf = (s: StartedServer): StartupSample => ({ wallMs: s.startupMs, cpuMs: s.startupCpuMs });
    const order = (i: number): ServerKind[] => (i % 2 ? ['app', 'raw'] : ['raw', 'app']);

    // Startup only: start, first 200, stop.
    for (let i = 0; i < options.startups; i++) {
      for (const kind of order(i)) {
        const server = await start(kind);
        startups[kind].push(startupOf(server));
        await stop(kind, server);
      }
    }

    const loads: LoadSample[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of order(round)) {
        const server = await start(kind);
        startups[kind].push(startupOf(server));
        const url = `http://127.0.0.1:${server.port}${PATH}`;
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
        const code = await stop(kind, server);
        if (result.non2xx || result.errors || code !== 0) {
          throw new Error(
            `${kind} server misbehaved in round ${round + 1}: ${result.non2xx} non-2xx, ${result.errors} errors, exit code ${code}`,
          );
        }
        loads.push({
          kind,
          requestsPerSecond: result.requestsPerSecond,
          p99Ms: result.p99Ms,
          peakRssBytes: rss,
          cpuUsPerRequest,
        });
        process.stdout.write(
          `round ${round + 1} ${kind}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms, ` +
            `${cpuUsPerRequest?.toFixed(1) ?? 'n/a'} us CPU/request, startup ${server.startupMs.toFixed(1)} ms, log ${(server.stdoutBytes() / 2 ** 20).toFixed(1)} MiB\n`,
        );
      }
    }

    process.stdout.write(
      `\n${options.rounds} rounds x ${options.durationSeconds} s, ${options.connections} connections, ` +
        `${startups.app.length} startups each; GET ${PATH}\n` +
        `app code cache (app/code-cache.ts): ${[...codeCaches].map(([status, n]) => `${status} ${n}x`).join(', ')}\n\n` +
        `${formatSummary(summarize(loads, startups))}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`error: bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
