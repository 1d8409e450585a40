/**
 * Turns the bench's samples into medians, app/raw ratios and a printable table.
 */

/** Goals from the issue: the app keeps ≥ 35 % of bare node:http's throughput… */
export const MIN_THROUGHPUT_RATIO = 0.35;
/** …and starts (to its first 200) at most 1.5× as slowly. */
export const MAX_STARTUP_RATIO = 1.5;

export type ServerKind = 'app' | 'raw';

export interface LoadSample {
  kind: ServerKind;
  requestsPerSecond: number;
  p99Ms: number;
  peakRssBytes: number | undefined;
  /** Server CPU microseconds per request during the measured run (Linux). */
  cpuUsPerRequest: number | undefined;
}

export interface KindSummary {
  requestsPerSecond: number;
  p99Ms: number;
  /** The highest peak over the rounds. */
  peakRssBytes: number | undefined;
  startupMs: number;
  cpuUsPerRequest: number | undefined;
  startupCpuMs: number | undefined;
}

export interface StartupSample {
  wallMs: number;
  cpuMs: number | undefined;
}

export interface BenchSummary {
  app: KindSummary;
  raw: KindSummary;
  ratios: {
    requestsPerSecond: number;
    p99Ms: number;
    peakRssBytes: number | undefined;
    startupMs: number;
    cpuUsPerRequest: number | undefined;
    startupCpuMs: number | undefined;
  };
  throughputGoalMet: boolean;
  startupGoalMet: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(
  loads: readonly LoadSample[],
  startups: Readonly<Record<ServerKind, readonly StartupSample[]>>,
): BenchSummary {
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const medianOrNone = (values: number[]) => (values.length ? median(values) : undefined);
  const of = (kind: ServerKind): KindSummary => {
    const mine = loads.filter((s) => s.kind === kind);
    const rss = defined(mine.map((s) => s.peakRssBytes));
    return {
      requestsPerSecond: median(mine.map((s) => s.requestsPerSecond)),
      p99Ms: median(mine.map((s) => s.p99Ms)),
      peakRssBytes: rss.length ? Math.max(...rss) : undefined,
      startupMs: median(startups[kind].map((s) => s.wallMs)),
      cpuUsPerRequest: medianOrNone(defined(mine.map((s) => s.cpuUsPerRequest))),
      startupCpuMs: medianOrNone(defined(startups[kind].map((s) => s.cpuMs))),
    };
  };
  const divide = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
  const app = of('app');
  const raw = of('raw');
  const ratios = {
    requestsPerSecond: app.requestsPerSecond / raw.requestsPerSecond,
    p99Ms: app.p99Ms / raw.p99Ms,
    peakRssBytes: divide(app.peakRssBytes, raw.peakRssBytes),
    startupMs: app.startupMs / raw.startupMs,
    cpuUsPerRequest: divide(app.cpuUsPerRequest, raw.cpuUsPerRequest),
    startupCpuMs: divide(app.startupCpuMs, raw.startupCpuMs),
  };
  return {
    app,
    raw,
    ratios,
    throughputGoalMet: ratios.requestsPerSecond >= MIN_THROUGHPUT_RATIO,
    startupGoalMet: ratios.startupMs <= MAX_STARTUP_RATIO,
  };
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const fixed = (value: number | undefined, digits: number, unit: string) =>
  value === undefined ? 'n/a' : `${value.toFixed(digits)}${unit}`;
const ratio = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);

export function formatSummary(summary: BenchSummary): string {
  const { app, raw, ratios } = summary;
  const rows: [string, string, string, string][] = [
    ['', 'app (Express)', 'raw node:http', 'app/raw'],
    [
      'req/s (median)',
      app.requestsPerSecond.toFixed(0),
      raw.requestsPerSecond.toFixed(0),
      ratio(ratios.requestsPerSecond),
    ],
    ['p99 latency (median)', `${app.p99Ms.toFixed(1)} ms`, `${raw.p99Ms.toFixed(1)} ms`, ratio(ratios.p99Ms)],
    ['peak RSS (max)', mib(app.peakRssBytes), mib(raw.peakRssBytes), ratio(ratios.peakRssBytes)],
    [
      'startup to first 200 (median)',
      `${app.startupMs.toFixed(1)} ms`,
      `${raw.startupMs.toFixed(1)} ms`,
      ratio(ratios.startupMs),
    ],
    [
      'server CPU per request (median)',
      fixed(app.cpuUsPerRequest, 1, ' us'),
      fixed(raw.cpuUsPerRequest, 1, ' us'),
      ratio(ratios.cpuUsPerRequest),
    ],
    [
      'startup CPU to first 200 (median)',
      fixed(app.startupCpuMs, 0, ' ms'),
      fixed(raw.startupCpuMs, 0, ' ms'),
      ratio(ratios.startupCpuMs),
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
  );
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  lines.push(
    '',
    "CPU rows: the servers' own CPU time, which other load on the machine hardly changes (Linux only).",
    `throughput goal (app/raw >= ${MIN_THROUGHPUT_RATIO}): ${verdict(summary.throughputGoalMet)}`,
    `startup goal (app/raw <= ${MAX_STARTUP_RATIO}): ${verdict(summary.startupGoalMet)}`,
  );
  return lines.join('\n');
}
