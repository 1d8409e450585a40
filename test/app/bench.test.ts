import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  BENCH_COMMAND,
  type BenchOptions,
  benchOptions,
  DEFAULT_BENCH_OPTIONS,
} from '../../scripts/bench/args';
import { main } from '../../scripts/bench/cli';
import { freePort } from '../../scripts/bench/free-port';
import { parseAutocannon } from '../../scripts/bench/load';
import { formatSummary, median, summarize } from '../../scripts/bench/report';
import { codeCacheStatus, startServer, stopServer } from '../../scripts/bench/servers';
import { parseCommandArgs, usageText } from '../../scripts/cli/args';

describe('npm run bench arguments', () => {
  const options = (argv: string[]) => benchOptions(parseCommandArgs(argv, BENCH_COMMAND.options));

  /** Runs the bench command with stand-ins that record what each bench was given. */
  async function bench(argv: string[], hookCode = 0) {
    const given: { app?: BenchOptions; hookRuns?: number; lb?: BenchOptions } = {};
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      argv,
      {
        app: async (o) => {
          given.app = o;
        },
        hook: async (runs) => {
          given.hookRuns = runs;
          return hookCode;
        },
        lb: async (o) => {
          given.lb = o;
          return 0;
        },
      },
      { out: (t) => out.push(t), err: (t) => err.push(t) },
    );
    return { code, given, out, err };
  }

  it('creates the defaults without arguments', () => {
    expect(options([])).to.deep.equal({
      rounds: 3,
      durationSeconds: 5,
      warmupSeconds: 1,
      connections: 50,
      startups: 7,
      hookRuns: 15,
    });
    expect(options([])).to.deep.equal(DEFAULT_BENCH_OPTIONS);
  });

  it('runs both benches with the settings of one command line (npm run bench -- --rounds 1 --duration 1)', async () => {
    const r = await bench([
      '--rounds',
      '1',
      '--duration=1',
      '--warmup',
      '0',
      '--connections',
      '10',
      '--runs',
      '2',
    ]);
    expect(r.code).to.equal(0);
    expect(r.given).to.deep.equal({
      app: {
        ...DEFAULT_BENCH_OPTIONS,
        rounds: 1,
        durationSeconds: 1,
        warmupSeconds: 0,
        connections: 10,
        hookRuns: 2,
      },
      hookRuns: 2,
    });
    expect(r.out).to.deep.equal([
      'app bench: 1 rounds x 1 s (+0 s warm-up), 10 connections, 7 extra startups per server',
      '\nhook bench: 2 runs per simulated AWS latency',
    ]);
  });

  it('runs one bench with --only, and fails when the hook misses its goal', async () => {
    expect((await bench(['--only', 'hook'])).given).to.deep.equal({ hookRuns: 15 });
    expect((await bench(['--only', 'app'])).given).to.have.keys(['app']);
    // The rehearsal's load balancer runs only when asked for.
    expect((await bench(['--only', 'lb'])).given).to.have.keys(['lb']);
    expect((await bench([], 1)).code).to.equal(1);
  });

  it('prints the usage with -h and runs nothing', async () => {
    const r = await bench(['-h']);
    expect([r.code, r.given, r.out]).to.deep.equal([0, {}, [usageText(BENCH_COMMAND)]]);
    expect(r.out[0]).to.include(
      '--runs <n>            hook: invocations per simulated AWS latency (1-200; default 15)',
    );
  });

  it('fails with the usage, exit 2, on a value out of range or an unknown flag, running nothing', async () => {
    for (const [argv, message] of [
      [['--rounds', '0'], '--rounds 0: must be a whole number from 1 to 20'],
      [['--duration', '1.5'], '--duration 1.5: must be a whole number from 1 to 120'],
      [['--round', '2'], 'unknown flag --round: did you mean --rounds?'],
      [['--only', 'raw'], '--only raw: must be app, hook or lb'],
    ]) {
      const r = await bench(argv as string[]);
      expect([r.code, r.given, r.err]).to.deep.equal([
        2,
        {},
        [`error: ${message}\n\n${usageText(BENCH_COMMAND)}`],
      ]);
    }
  });
});

describe('bench results', () => {
  it('creates the numbers from autocannon JSON', () => {
    const json = JSON.stringify({
      requests: { average: 1234.5, total: 6172 },
      latency: { p99: 12, average: 3 },
      non2xx: 0,
      errors: 1,
    });
    expect(parseAutocannon(json)).to.deep.equal({
      requestsPerSecond: 1234.5,
      p99Ms: 12,
      requests: 6172,
      non2xx: 0,
      errors: 1,
    });
  });

  it('fails when autocannon printed no JSON or lacks a number', () => {
    expect(() => parseAutocannon('Running 5s test')).to.throw('autocannon printed no JSON: Running 5s test');
    expect(() =>
      parseAutocannon('{"requests":{"average":1,"total":1},"latency":{},"non2xx":0,"errors":0}'),
    ).to.throw('autocannon JSON has no number at latency.p99');
  });

  it('creates medians, the highest peak RSS and app/raw ratios', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 2, 3])).to.equal(2.5);
    const summary = summarize(
      [
        {
          kind: 'raw',
          requestsPerSecond: 10_000,
          p99Ms: 10,
          peakRssBytes: 50 * 2 ** 20,
          cpuUsPerRequest: 20,
        },
        { kind: 'app', requestsPerSecond: 3_000, p99Ms: 40, peakRssBytes: 80 * 2 ** 20, cpuUsPerRequest: 90 },
        { kind: 'raw', requestsPerSecond: 12_000, p99Ms: 8, peakRssBytes: 52 * 2 ** 20, cpuUsPerRequest: 30 },
        {
          kind: 'app',
          requestsPerSecond: 5_000,
          p99Ms: 30,
          peakRssBytes: 90 * 2 ** 20,
          cpuUsPerRequest: 110,
        },
      ],
      {
        app: [
          { wallMs: 120, cpuMs: 150 },
          { wallMs: 100, cpuMs: 130 },
          { wallMs: 110, cpuMs: 140 },
        ],
        raw: [
          { wallMs: 80, cpuMs: 70 },
          { wallMs: 90, cpuMs: 80 },
          { wallMs: 100, cpuMs: 90 },
        ],
      },
    );
    expect(summary.app).to.deep.equal({
      requestsPerSecond: 4000,
      p99Ms: 35,
      peakRssBytes: 90 * 2 ** 20,
      startupMs: 110,
      cpuUsPerRequest: 100,
      startupCpuMs: 140,
    });
    expect(summary.raw).to.deep.equal({
      requestsPerSecond: 11000,
      p99Ms: 9,
      peakRssBytes: 52 * 2 ** 20,
      startupMs: 90,
      cpuUsPerRequest: 25,
      startupCpuMs: 80,
    });
    expect(summary.ratios.requestsPerSecond).to.be.closeTo(4000 / 11000, 1e-9);
    expect(summary.throughputGoalMet).to.equal(true);
    expect(summary.startupGoalMet).to.equal(true);
    expect(formatSummary(summary)).to.equal(
      [
        '                                   app (Express)  raw node:http  app/raw',
        'req/s (median)                              4000          11000    0.36x',
        'p99 latency (median)                     35.0 ms         9.0 ms    3.89x',
        'peak RSS (max)                          90.0 MiB       52.0 MiB    1.73x',
        'startup to first 200 (median)           110.0 ms        90.0 ms    1.22x',
        'server CPU per request (median)         100.0 us        25.0 us    4.00x',
        'startup CPU to first 200 (median)         140 ms          80 ms    1.75x',
        '',
        "CPU rows: the servers' own CPU time, which other load on the machine hardly changes (Linux only).",
        'throughput goal (app/raw >= 0.35): met',
        'startup goal (app/raw <= 1.5): met',
      ].join('\n'),
    );
  });

  it('fails the goals when the app is too slow', () => {
    const summary = summarize(
      [
        {
          kind: 'raw',
          requestsPerSecond: 10_000,
          p99Ms: 10,
          peakRssBytes: undefined,
          cpuUsPerRequest: undefined,
        },
        {
          kind: 'app',
          requestsPerSecond: 3_000,
          p99Ms: 40,
          peakRssBytes: undefined,
          cpuUsPerRequest: undefined,
        },
      ],
      { app: [{ wallMs: 160, cpuMs: undefined }], raw: [{ wallMs: 100, cpuMs: undefined }] },
    );
    expect([summary.throughputGoalMet, summary.startupGoalMet]).to.deep.equal([false, false]);
    expect(summary.ratios.peakRssBytes).to.equal(undefined);
    expect(summary.ratios.cpuUsPerRequest).to.equal(undefined);
    expect(formatSummary(summary).split('\n')[5]).to.equal(
      'server CPU per request (median)              n/a            n/a      n/a',
    );
  });
});

describe('bench servers', function () {
  this.timeout(20_000);

  it("creates the app's code cache status from its first stdout line, after the process closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-servers-'));
    try {
      // A stand-in server: logs like the app, then answers 200 until SIGTERM.
      const script = join(dir, 'server.js');
      writeFileSync(
        script,
        `const line = JSON.stringify({ msg: 'listening', codeCache: process.env.STATUS });
         const server = require('node:http').createServer((_, res) => res.end('ok'));
         server.listen(Number(process.env.PORT), () => process.stdout.write(process.env.STATUS ? line + '\\n' : 'plain text\\n'));
         process.once('SIGTERM', () => { server.close(); server.closeAllConnections(); });`,
      );
      const run = async (status: string) => {
        const server = await startServer(script, await freePort(), '/', { STATUS: status });
        expect(await stopServer(server)).to.equal(0);
        return codeCacheStatus(server);
      };
      expect(await run('used')).to.equal('used');
      expect(await run('rejected')).to.equal('rejected');
      expect(await run('')).to.equal('not logged');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
