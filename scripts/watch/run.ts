/**
 * The watch loop: every 1/rate s one GET of /version to each load balancer (the schedule slips
 * after a slow answer instead of bursting to catch up, so the rate never exceeds the bound), an AWS
 * refresh every WATCH_LIMITS.awsEverySeconds in the background (the same describers as
 * `npm run status`, minus the stack look-up and the probe), and a stop when every strategy has
 * settled, `--for` is over, or the user pressed Ctrl-C.
 */

import type { Palette } from '../cli/color';
import { duration, percent } from '../cli/format';
import type { DescribeContext } from '../status/context';
import type { ProbeResult } from '../status/probe';
import { phaseWord } from '../status/render';
import type { Phase, StrategyStatus } from '../status/report';
import { describeStrategy } from '../status/strategies/strategy';
import { WATCH_LIMITS } from './settings';
import { latencies, type Sample, settledVersion, since, windowStats } from './stats';
import { latencyText, phaseText } from './summary';
import type { Mark } from './svg';
import type { StopReason, WatchResult, WatchTarget } from './types';

export interface WatchOptions {
  rate: number;
  forSeconds: number;
  settleSeconds: number;
}

export interface WatchDeps {
  out(line: string): void;
  /** Redraw a live screen (terminal) instead of printing progress lines. */
  live: boolean;
  palette: Palette;
  now(): number;
  sleep(ms: number): Promise<void>;
  probe(url: string): Promise<ProbeResult>;
  /** With AWS: the context the refreshes describe with. */
  aws?: DescribeContext;
  interrupted(): boolean;
}

/** Phases during which a strategy is still releasing: the watch keeps going. */
const BUSY: Phase[] = ['deploying', 'testing', 'waiting-for-hook', 'shifting', 'termination-wait'];
/** Progress lines off a terminal: one per strategy every this many seconds. */
const PROGRESS_EVERY_MS = 10_000;
/** A terminal screen is redrawn at most this often. */
const REDRAW_EVERY_MS = 250;

export async function watch(
  targets: readonly WatchTarget[],
  options: WatchOptions,
  deps: WatchDeps,
): Promise<WatchResult> {
  const startedAt = deps.now();
  const deadline = startedAt + options.forSeconds * 1000;
  const intervalMs = 1000 / options.rate;
  const samples: Sample[] = [];
  /** The same samples per strategy, chronological: windows are scanned from the end. */
  const byStrategy = new Map<string, Sample[]>(targets.map((t) => [t.strategy, []]));
  const events: string[] = [];
  const phases = new Map<string, StrategyStatus | undefined>();
  const marks: Record<string, Mark[]> = Object.fromEntries(targets.map((t) => [t.strategy, []]));
  const seenVersions = new Map<string, Set<string>>(targets.map((t) => [t.strategy, new Set()]));
  const settled = new Map<string, string>();
  let refreshing: Promise<void> | undefined;
  let refreshes = 0;
  let nextRefresh = startedAt;
  let nextProgress = startedAt + PROGRESS_EVERY_MS;
  let lastDraw = -Infinity;
  let drawnLines = 0;
  let next = startedAt;
  let reason: StopReason;

  const stamp = (t: number) => {
    const s = Math.round((t - startedAt) / 1000);
    return `+${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };
  const event = (t: number, strategy: string, what: string) => {
    const line = `${stamp(t)} ${strategy.padEnd(10)} ${what}`;
    events.push(line);
    if (!deps.live) deps.out(line);
  };

  const refresh = async () => {
    const aws = deps.aws!;
    await Promise.all(
      targets
        .filter((t) => t.describer && t.stack)
        .map(async (t) => {
          let status: StrategyStatus | undefined;
          try {
            status = await describeStrategy(aws, t.describer!, { stack: t.stack, probe: false });
          } catch (err) {
            event(deps.now(), t.strategy, `AWS refresh failed: ${(err as Error).message}`);
            return;
          }
          const before = phases.get(t.strategy);
          const was = before ? phaseText(before) : undefined;
          const now = phaseText(status);
          if (was !== now) {
            event(deps.now(), t.strategy, was ? `${was} → ${now}` : now);
            marks[t.strategy].push({ at: deps.now(), label: now });
          }
          phases.set(t.strategy, status);
        }),
    );
    refreshes++;
  };

  const busy = (strategy: string) => {
    if (!deps.aws) return false;
    const s = phases.get(strategy);
    if (!s) return true; // not described yet: do not call it settled
    const pipeline = s.pipeline && !('error' in s.pipeline) ? s.pipeline.execution?.status : undefined;
    return BUSY.includes(s.phase) || pipeline === 'InProgress';
  };

  for (;;) {
    const t = deps.now();
    if (deps.interrupted()) {
      reason = 'interrupted';
      break;
    }
    if (t >= deadline) {
      reason = 'time limit';
      break;
    }
    if (deps.aws && !refreshing && t >= nextRefresh) {
      nextRefresh = t + WATCH_LIMITS.awsEverySeconds * 1000;
      refreshing = refresh().finally(() => {
        refreshing = undefined;
      });
    }
    const answers = await Promise.all(targets.map((target) => deps.probe(target.url)));
    answers.forEach((a, i) => {
      const strategy = targets[i].strategy;
      const sample: Sample = {
        at: t,
        strategy,
        url: a.url,
        status: a.status,
        version: a.version,
        latencyMs: a.latencyMs,
        error: a.error,
      };
      samples.push(sample);
      byStrategy.get(strategy)!.push(sample);
      const seen = seenVersions.get(strategy)!;
      if (a.version && a.status !== undefined && a.status < 300 && !seen.has(a.version)) {
        seen.add(a.version);
        event(t, strategy, seen.size === 1 ? `serving ${a.version}` : `new version ${a.version} answered`);
      }
    });

    let all = true;
    for (const target of targets) {
      const mine = byStrategy.get(target.strategy)!;
      const v = settledVersion(mine, t, startedAt, options.settleSeconds, WATCH_LIMITS.settleMinAnswers);
      const done = v !== undefined && !busy(target.strategy);
      if (done && settled.get(target.strategy) !== v) {
        settled.set(target.strategy, v);
        event(t, target.strategy, `settled on ${v} (only ${v} for ${options.settleSeconds} s)`);
      }
      if (!done) {
        settled.delete(target.strategy);
        all = false;
      }
    }

    if (deps.live && t - lastDraw >= REDRAW_EVERY_MS) {
      lastDraw = t;
      const screen = liveScreen(targets, byStrategy, phases, t, startedAt, deadline, deps.palette, events);
      if (drawnLines) deps.out(`\x1b[${drawnLines}F\x1b[J${screen.join('\n')}`);
      else deps.out(screen.join('\n'));
      drawnLines = screen.length;
    } else if (!deps.live && t >= nextProgress) {
      nextProgress += PROGRESS_EVERY_MS;
      for (const target of targets) {
        const recent = since(byStrategy.get(target.strategy)!, t - WATCH_LIMITS.windowSeconds * 1000);
        deps.out(`${stamp(t)} ${target.strategy.padEnd(10)} ${progressText(recent)}`);
      }
    }

    if (all) {
      reason = 'settled';
      break;
    }
    next = Math.max(next + intervalMs, deps.now());
    await deps.sleep(next - deps.now());
  }
  // A refresh in flight may still report a phase change; wait for it rather than drop it.
  if (refreshing) await refreshing;
  return { reason, startedAt, endedAt: deps.now(), samples, events, phases, marks, refreshes };
}

function progressText(recent: readonly Sample[]): string {
  const w = windowStats(recent);
  const l = latencies(recent);
  const shares = w.shares.map((s) => `${s.version} ${percent(s.share)}`).join(' · ') || 'no answer';
  return `${shares} · ${w.requests} req · ${w.errors} err · ${w.non2xx} non-2xx · ${latencyText(l)}`;
}

function liveScreen(
  targets: readonly WatchTarget[],
  byStrategy: Map<string, Sample[]>,
  phases: Map<string, StrategyStatus | undefined>,
  t: number,
  startedAt: number,
  deadline: number,
  p: Palette,
  events: readonly string[],
): string[] {
  const lines = [
    p.bold(
      `watching ${targets.length} load balancer${targets.length === 1 ? '' : 's'} · ${duration((t - startedAt) / 1000)} of at most ${duration((deadline - startedAt) / 1000)} · Ctrl-C stops`,
    ),
  ];
  for (const target of targets) {
    const mine = byStrategy.get(target.strategy)!;
    const recent = since(mine, t - WATCH_LIMITS.windowSeconds * 1000);
    const w = windowStats(recent);
    const all = windowStats(mine);
    const phase = phases.get(target.strategy);
    lines.push(
      '',
      `${p.bold(target.strategy)}  ${phase ? phaseWord(phase.phase, p) : p.dim('(no AWS phase)')}  ${p.dim(target.url)}`,
    );
    for (const s of w.shares) {
      lines.push(`  ${s.version.padEnd(12)} ${p.cyan(bar(s.share))} ${percent(s.share).padStart(7)}`);
    }
    lines.push(
      `  ${all.requests} requests · ${p[all.errors ? 'red' : 'dim'](`${all.errors} errors`)} · ${p[all.non2xx ? 'red' : 'dim'](`${all.non2xx} non-2xx`)} · ${latencyText(latencies(mine))}`,
    );
  }
  lines.push('', ...events.slice(-5).map((e) => p.dim(e)));
  return lines;
}

function bar(share: number): string {
  const cells = 30;
  const full = Math.round(share * cells);
  return '█'.repeat(full) + '░'.repeat(cells - full);
}
