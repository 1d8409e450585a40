/**
 * `npm run watch [-- --for 10m] [-- --rate 5] [-- --url rolling=http://…/version]`: watch a release
 * live. Order: flags (no AWS call for --help or a bad flag) → targets (the load balancers of every
 * deployed strategy, from their stacks; or `--url`, which needs no AWS at all) → the loop (run.ts) →
 * summary → versions.svg, samples.csv and samples.json in `--out`.
 *
 * Exit codes: 0 watched to the end (settled, time limit or Ctrl-C), 1 nothing to watch or AWS
 * unusable, 2 bad flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, namesFor, REPO_ROOT } from '../../config';
import { type CommandSpec, type OptionSpec, parseCommandArgs, UsageError, usageText } from '../cli/args';
import { colorEnabled, palette } from '../cli/color';
import { checkAwsEnvironment, checkCredentials } from '../deploy/aws/credentials';
import { AwsGateway, createStatusClients } from '../status/aws';
import { failure, type StatusIo } from '../status/cli';
import type { DescribeContext } from '../status/context';
import { probeVersion } from '../status/probe';
import { readStack } from '../status/read/stack';
import { strategiesFor } from '../status/strategies';
import { URL_OUTPUT } from '../status/strategies/strategy';
import { samplesCsv } from './files';
import { type WatchOptions, watch } from './run';
import { parseDuration, WATCH_LIMITS, WATCH_USER_AGENT } from './settings';
import { latencies, timeline, windowStats } from './stats';
import { summaryLines } from './summary';
import { versionShareSvg } from './svg';
import type { WatchResult, WatchTarget } from './types';

const L = WATCH_LIMITS;

const WATCH_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'for',
    value: 'duration',
    help: `stop after this long at the latest (e.g. 90s, 10m; default ${L.forSeconds.default / 60}m, at most ${L.forSeconds.max / 60}m)`,
  },
  {
    name: 'rate',
    value: 'n',
    help: `GETs of /version per second to each load balancer (${L.rate.min}-${L.rate.max}; default ${L.rate.default})`,
  },
  {
    name: 'settle',
    value: 'duration',
    help: `a strategy has settled after this long on one version (default ${L.settleSeconds.default}s)`,
  },
  {
    name: 'out',
    value: 'dir',
    help: 'where to write versions.svg, samples.csv, samples.json (default watch-results/<time>)',
  },
  {
    name: 'url',
    value: 'id=url',
    multiple: true,
    help: 'watch this URL instead of the deployed load balancers (repeatable; no AWS call at all)',
  },
  { name: 'stage', value: 'name', help: 'stage to watch (one of app.stages); default app.stage' },
];

export const WATCH_COMMAND: CommandSpec = {
  command: 'npm run watch --',
  summary:
    "Polls every deployed load balancer's /version at a steady, bounded rate and shows the share of\n" +
    'answers per version, errors and latency, and the deployment phase from AWS; stops when every\n' +
    'strategy has settled on one version, then writes a chart (SVG) and the raw samples (CSV, JSON).',
  options: WATCH_OPTIONS,
};

/** What `npm run status` gets, plus the watch's own clock, files and Ctrl-C. */
export interface WatchIo extends StatusIo {
  sleep(ms: number): Promise<void>;
  writeFile(path: string, text: string): void;
  interrupted(): boolean;
}

export async function watchMain(argv: readonly string[], io: WatchIo): Promise<number> {
  try {
    const args = parseCommandArgs(argv, WATCH_OPTIONS);
    if (args.help) {
      io.out(usageText(WATCH_COMMAND));
      return 0;
    }
    const options: WatchOptions = {
      forSeconds: durationFlag(args.for, 'for', L.forSeconds),
      rate: numberFlag(args.rate, 'rate', L.rate),
      settleSeconds: durationFlag(args.settle, 'settle', L.settleSeconds),
    };
    const urls = (args.url as string[] | undefined) ?? [];
    let targets: WatchTarget[];
    let aws: DescribeContext | undefined;
    if (urls.length) {
      targets = urls.map(parseUrlFlag);
    } else {
      const config = io.config(typeof args.stage === 'string' ? args.stage : undefined);
      for (const line of checkAwsEnvironment(config, io.env)) io.err(line);
      const gateway = new AwsGateway(
        io.clients(config.app.region),
        config.app.region,
        io.now,
        L.awsCallsPerMinute,
      );
      await gateway.call('sts:GetCallerIdentity', (c) =>
        checkCredentials({ clients: { sts: c.sts }, region: config.app.region }),
      );
      aws = { aws: gateway, config, names: namesFor(config), now: io.now, probe: io.probe, cache: new Map() };
      targets = await deployedTargets(aws);
      if (targets.length === 0) {
        io.err(
          `error: nothing to watch: no strategy of ${aws.names.prefix} is deployed in ${config.app.region} ` +
            '(npm run deploy), or pass --url <id>=<url>',
        );
        return 1;
      }
    }
    const p = palette(colorEnabled(io.isTTY, io.env));
    io.out(
      `Watching ${targets.map((t) => `${t.strategy} (${t.url})`).join(', ')}: ${options.rate} req/s each, ` +
        `at most ${options.forSeconds} s${aws ? `, AWS every ${L.awsEverySeconds} s` : ', no AWS'}`,
    );
    const result = await watch(targets, options, {
      out: io.out,
      live: io.isTTY,
      palette: p,
      now: io.now,
      sleep: io.sleep,
      probe: io.probe,
      aws,
      interrupted: io.interrupted,
    });
    const summary = summaryLines(result, targets);
    io.out('');
    for (const line of summary) io.out(line);
    const dir = typeof args.out === 'string' ? args.out : join('watch-results', stampOf(result.startedAt));
    const files = writeResults(io, dir, result, targets, options, summary, aws);
    io.out(`  files      ${files.join(', ')}`);
    return 0;
  } catch (err) {
    return failure(WATCH_COMMAND, err, io);
  }
}

async function deployedTargets(ctx: DescribeContext): Promise<WatchTarget[]> {
  const strategies = strategiesFor(ctx.config);
  const stacks = await Promise.all(strategies.map((s) => readStack(ctx, s.stackName(ctx.names))));
  return strategies.flatMap((describer, i) => {
    const stack = stacks[i];
    const url = stack.outputs[URL_OUTPUT];
    return stack.deployed && url ? [{ strategy: describer.id, url, describer, stack }] : [];
  });
}

function parseUrlFlag(text: string): WatchTarget {
  const m = /^([a-z][a-z0-9-]{0,19})=(https?:\/\/.+)$/.exec(text);
  if (!m)
    throw new UsageError(
      `--url ${text}: expected <id>=<http(s) URL>, e.g. local=http://127.0.0.1:8080/version`,
    );
  return { strategy: m[1], url: m[2] };
}

function numberFlag(v: unknown, name: string, range: { default: number; min: number; max: number }): number {
  if (v === undefined) return range.default;
  const n = Number(v);
  if (!Number.isFinite(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} ${String(v)}: must be a number from ${range.min} to ${range.max}`);
  }
  return n;
}

function durationFlag(
  v: unknown,
  name: string,
  range: { default: number; min: number; max: number },
): number {
  if (v === undefined) return range.default;
  const s = parseDuration(String(v));
  if (s === undefined || s < range.min || s > range.max) {
    throw new UsageError(
      `--${name} ${String(v)}: must be a duration from ${range.min}s to ${range.max / 60}m (e.g. 90s, 10m)`,
    );
  }
  return s;
}

function stampOf(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function writeResults(
  io: WatchIo,
  dir: string,
  result: WatchResult,
  targets: readonly WatchTarget[],
  options: WatchOptions,
  summary: string[],
  aws: DescribeContext | undefined,
): string[] {
  const strategies = targets.map((t) => t.strategy);
  const svg = join(dir, 'versions.svg');
  const csv = join(dir, 'samples.csv');
  const json = join(dir, 'samples.json');
  const title = `Version share over time, ${new Date(result.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  io.writeFile(
    svg,
    versionShareSvg(result.samples, strategies, result.startedAt, result.endedAt, title, {
      marks: result.marks,
    }),
  );
  io.writeFile(csv, samplesCsv(result.samples, result.startedAt));
  const perStrategy = Object.fromEntries(
    strategies.map((s) => {
      const mine = result.samples.filter((x) => x.strategy === s);
      return [
        s,
        {
          ...windowStats(mine),
          latencyMs: latencies(mine),
          timeline: timeline(mine),
          phase: result.phases.get(s)?.phase,
        },
      ];
    }),
  );
  io.writeFile(
    json,
    `${JSON.stringify(
      {
        startedAt: new Date(result.startedAt).toISOString(),
        endedAt: new Date(result.endedAt).toISOString(),
        reason: result.reason,
        options,
        userAgent: WATCH_USER_AGENT,
        targets: targets.map((t) => ({ strategy: t.strategy, url: t.url })),
        aws: {
          everySeconds: aws ? L.awsEverySeconds : undefined,
          callsPerMinuteCap: aws ? L.awsCallsPerMinute : undefined,
          calls: (aws?.aws.calls ?? []).map((c) => ({ at: new Date(c.at).toISOString(), action: c.action })),
        },
        events: result.events,
        summary: { lines: summary, perStrategy },
        samples: result.samples,
      },
      null,
      2,
    )}\n`,
  );
  return [svg, csv, json];
}

export function processWatchIo(): WatchIo {
  let interrupted = false;
  // Ctrl-C ends the watch cleanly (summary and files still written); a second one kills it.
  process.once('SIGINT', () => {
    interrupted = true;
  });
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    config: (stage) =>
      loadConfig({ env: process.env, cwd: REPO_ROOT, overrides: stage ? { app: { stage } } : undefined }),
    clients: (region) => createStatusClients(region),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    probe: (url) => probeVersion(url, { userAgent: WATCH_USER_AGENT }),
    writeFile: (path, text) => {
      mkdirSync(resolve(path, '..'), { recursive: true });
      writeFileSync(path, text);
    },
    interrupted: () => interrupted,
  };
}
