/**
 * `npm run rehearse [-- --strategy rolling|bluegreen|canary|all] [--release good|unhealthy|
 * wrong-version|crash|slow-start] [--speed N] [--rate R] [--out DIR] [--set path=value]`: a release
 * replayed on this machine with a real load balancer (HAProxy), real app processes and the real
 * hook, for the effective config. Order: flags → haproxy on PATH (else one line saying how to
 * install it, exit 2) → config → the app bundle and the hook package → the rehearsal (run.ts) →
 * summary, versions.svg and report.json in --out.
 *
 * Exit codes: 0 rehearsed (a bad release that rolled back is a rehearsal that worked), 1 it could
 * not run, 2 bad flags or no haproxy.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, REPO_ROOT, resolveConfig, runs, STRATEGY_IDS, type StrategyId } from '../../config';
import { buildApp } from '../bundle/app';
import { type CliOutput, type CommandSpec, parseOrExit, UsageError, usageFailure } from '../cli/args';
import { settingsOverrides } from '../cli/settings';
import { realClock } from './clock';
import { HAPROXY_INSTALL, haproxyVersion, supported } from './haproxy';
import { packagedHandler } from './hook';
import { type StrategyReport, strategyReport, summaryLines } from './report';
import { rehearse } from './run';
import { rehearsalSvg } from './svg';
import { RELEASES, type Release } from './tasks';

/** --speed's default: the three strategies with the default config finish in about two minutes. */
export const REHEARSE_DEFAULTS = { speed: 10, rate: 20 } as const;
const LIMITS = { speed: [1, 600], rate: [1, 200] } as const;

export const REHEARSE_COMMAND: CommandSpec = {
  command: 'npm run rehearse --',
  summary:
    'Replays a release on this machine: HAProxy configured from the service stacks synth renders, real\n' +
    'app processes as tasks, the packaged hook against a local stand-in for AWS, and steady user load;\n' +
    'prints the phases, failed requests and version share, and writes versions.svg and report.json.',
  options: [
    {
      name: 'strategy',
      value: 'id',
      help: `rolling, bluegreen, canary or all (default all of app.strategies)`,
    },
    { name: 'release', value: 'kind', help: `${RELEASES.join(', ')} (default good)` },
    {
      name: 'speed',
      value: 'n',
      help: `divide every AWS wait by n (${LIMITS.speed.join('-')}; default ${REHEARSE_DEFAULTS.speed}; 1 is real time)`,
    },
    {
      name: 'rate',
      value: 'r',
      help: `user requests per second to each production listener (default ${REHEARSE_DEFAULTS.rate})`,
    },
    {
      name: 'out',
      value: 'dir',
      help: 'where to write versions.svg and report.json (default rehearse-results/<time>)',
    },
    {
      name: 'set',
      value: 'path=value',
      multiple: true,
      help: 'try a setting without editing a file, as npm run plan --set',
    },
  ],
};

export interface RehearseIo extends CliOutput {
  env: Record<string, string | undefined>;
  cwd: string;
  /** HAProxy's version on PATH, undefined when there is none. */
  haproxy(): string | undefined;
  now(): number;
  /** Builds the app bundle into `dir`; the start file (tests build once and share it). */
  buildApp(dir: string): Promise<string>;
}

export async function rehearseMain(argv: readonly string[], io: RehearseIo = processIo()): Promise<number> {
  const values = parseOrExit(REHEARSE_COMMAND, argv, io);
  if (typeof values === 'number') return values;
  let workDir: string | undefined;
  try {
    const release = oneOf(values.release, 'release', RELEASES, 'good') as Release;
    const speed = numberFlag(values.speed, 'speed', LIMITS.speed, REHEARSE_DEFAULTS.speed);
    const rate = numberFlag(values.rate, 'rate', LIMITS.rate, REHEARSE_DEFAULTS.rate);
    const chosen = oneOf(values.strategy, 'strategy', [...STRATEGY_IDS, 'all'], 'all');
    const version = io.haproxy();
    if (!version || !supported(version)) {
      io.err(
        version
          ? `haproxy ${version} is too old: ${HAPROXY_INSTALL.replace(/^haproxy not found on PATH: /, '')}`
          : HAPROXY_INSTALL,
      );
      return 2;
    }
    const overrides = settingsOverrides((values.set as string[] | undefined) ?? []);
    const { config, source } = resolveConfig({ env: io.env, cwd: io.cwd, overrides });
    const strategies: StrategyId[] =
      chosen === 'all' ? STRATEGY_IDS.filter((s) => runs(config, s)) : [chosen as StrategyId];
    if (!runs(config, strategies[0]))
      throw new UsageError(`--strategy ${chosen}: app.strategies does not include it`);
    workDir = mkdtempSync(join(tmpdir(), 'rehearse-'));
    io.out(
      `rehearse: ${strategies.join(', ')} · ${release} release · speed ×${speed} · ${rate} req/s each · config ${source} · haproxy ${version}`,
    );
    io.out('rehearse: building the app (dist/app/start.js) and reading the hook package…');
    const startFile = await io.buildApp(join(workDir, 'app'));
    const hookFiles = await packagedHandler(config, workDir, io.out);
    const started = io.now();
    const { runs: done } = await rehearse({
      config,
      strategies,
      release,
      clock: realClock(speed),
      rate,
      workDir,
      startFile,
      hookFiles,
      say: io.out,
    });
    const reports = done.map((r) => strategyReport(r, release, config, speed));
    for (const line of summaryLines(reports, speed)) io.out(line);
    const dir = resolve(
      io.cwd,
      typeof values.out === 'string' ? values.out : join('rehearse-results', stamp(started)),
    );
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'versions.svg'), rehearsalSvg(done, `${release} release, speed ×${speed}`));
    writeFileSync(
      join(dir, 'report.json'),
      `${JSON.stringify(reportJson(reports, { speed, rate, config: source }), null, 2)}\n`,
    );
    io.out(
      `\nrehearse: ${((io.now() - started) / 1000).toFixed(1)} s; wrote ${join(dir, 'versions.svg')} and ${join(dir, 'report.json')}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(REHEARSE_COMMAND, err, io);
    if (err instanceof ConfigError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    if (err instanceof Error && err.name === 'RehearsalTemplateError') {
      io.err(`error: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

export function reportJson(
  strategies: StrategyReport[],
  run: { speed: number; rate: number; config: string },
) {
  return { version: 1, ...run, strategies };
}

function oneOf(v: unknown, name: string, allowed: readonly string[], fallback: string): string {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !allowed.includes(v))
    throw new UsageError(`--${name} ${String(v)}: allowed: ${allowed.join(', ')}`);
  return v;
}

function numberFlag(
  v: unknown,
  name: string,
  [min, max]: readonly [number, number],
  fallback: number,
): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} ${String(v)}: must be a number from ${min} to ${max}`);
  return n;
}

function stamp(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

export function processIo(): RehearseIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: REPO_ROOT,
    haproxy: () => haproxyVersion(),
    now: () => Date.now(),
    buildApp: async (dir) => (await buildApp(dir)).start,
  };
}
