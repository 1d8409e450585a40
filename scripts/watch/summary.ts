/** What `npm run watch` prints in words: the deployment phase, latency percentiles and the final summary. */
import { duration, percent } from '../cli/format';
import type { StrategyStatus } from '../status/report';
import { latencies, timeline, windowStats } from './stats';
import type { WatchResult, WatchTarget } from './types';

export function phaseText(s: StrategyStatus): string {
  const d = s.deployment && !('error' in s.deployment) ? s.deployment : undefined;
  const word = s.phase.replace(/-/g, ' ');
  if (d?.kind === 'codedeploy') {
    const traffic = d.traffic ? ` (green ${d.traffic.green} %)` : '';
    return `${word} ${d.id}${traffic}`;
  }
  if (d?.kind === 'ecs-service-deployment' && d.traffic) return `${word} (new ${d.traffic.new} %)`;
  return word;
}

export function latencyText(l: ReturnType<typeof latencies>): string {
  if (l.p50 === undefined) return 'no latency';
  const ms = (v: number | undefined) => `${Math.round(v ?? 0)} ms`;
  return `p50 ${ms(l.p50)} p90 ${ms(l.p90)} p99 ${ms(l.p99)}`;
}

/** The summary printed at the end, also written into samples.json. */
export function summaryLines(result: WatchResult, targets: readonly WatchTarget[]): string[] {
  const took = duration((result.endedAt - result.startedAt) / 1000);
  const why = {
    settled: 'every strategy settled on one version',
    'time limit': 'time limit (--for) reached',
    interrupted: 'interrupted',
  }[result.reason];
  const lines = [`Summary after ${took} (${why})`];
  const rel = (t: number) => `+${duration((t - result.startedAt) / 1000)}`;
  for (const target of targets) {
    const mine = result.samples.filter((s) => s.strategy === target.strategy);
    const w = windowStats(mine);
    const tl = timeline(mine);
    lines.push(
      `  ${target.strategy.padEnd(10)} ${w.requests} requests · ${w.errors} errors · ${w.non2xx} non-2xx · ${latencyText(latencies(mine))}`,
    );
    for (const v of tl.versions) {
      const share = w.shares.find((s) => s.version === v.version)?.share ?? 0;
      lines.push(
        `  ${''.padEnd(10)} ${v.version}: ${v.count} answers (${percent(share)}), seen ${rel(v.firstAt)} to ${rel(v.lastAt)}`,
      );
    }
    if (tl.onlyFrom && tl.versions.length > 1) {
      lines.push(`  ${''.padEnd(10)} only ${tl.onlyFrom.version} from ${rel(tl.onlyFrom.at)}`);
    }
    const phase = result.phases.get(target.strategy);
    if (phase) lines.push(`  ${''.padEnd(10)} phase at the end: ${phaseText(phase)}`);
  }
  return lines;
}
