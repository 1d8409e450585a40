/**
 * What the watch measured: raw samples, the share of each version in a window, latency
 * percentiles, settle detection and the per-strategy timeline of the summary. Pure functions over
 * samples, so each is tested on its own.
 */

export interface Sample {
  /** Epoch ms (injected clock) when the request was sent. */
  at: number;
  strategy: string;
  url: string;
  status?: number;
  version?: string;
  latencyMs: number;
  error?: string;
}

/** The samples after `from`, for chronological samples: a scan from the end, O(window), not O(all). */
export function since(samples: readonly Sample[], from: number): Sample[] {
  let i = samples.length;
  while (i > 0 && samples[i - 1].at > from) i--;
  return samples.slice(i);
}

export const isAnswer = (s: Sample) =>
  s.status !== undefined && s.status >= 200 && s.status < 300 && !!s.version;

export interface WindowStats {
  requests: number;
  /** Share of each version among the 2xx answers with a version, largest first. */
  shares: { version: string; count: number; share: number }[];
  errors: number;
  non2xx: number;
}

export function windowStats(samples: readonly Sample[]): WindowStats {
  const counts = new Map<string, number>();
  let errors = 0;
  let non2xx = 0;
  for (const s of samples) {
    if (s.status === undefined) errors++;
    else if (s.status < 200 || s.status >= 300) non2xx++;
    else if (s.version) counts.set(s.version, (counts.get(s.version) ?? 0) + 1);
    else errors++;
  }
  const answered = [...counts.values()].reduce((a, b) => a + b, 0);
  const shares = [...counts.entries()]
    .map(([version, count]) => ({ version, count, share: answered ? count / answered : 0 }))
    .sort((a, b) => b.count - a.count || a.version.localeCompare(b.version));
  return { requests: samples.length, shares, errors, non2xx };
}

/** Nearest-rank percentile (p in 0..100) of the latencies; undefined without samples. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function latencies(samples: readonly Sample[]): {
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
} {
  const values = samples.filter((s) => s.status !== undefined).map((s) => s.latencyMs);
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : undefined,
  };
}

/**
 * One version in every answer of the last `seconds`, enough answers, no error, and the window lies
 * wholly inside the watch (so a fresh start cannot settle on its first answers).
 */
export function settledVersion(
  samples: readonly Sample[],
  now: number,
  startedAt: number,
  seconds: number,
  minAnswers: number,
): string | undefined {
  if (now - startedAt < seconds * 1000) return undefined;
  const recent = since(samples, now - seconds * 1000);
  if (recent.length < minAnswers || !recent.every(isAnswer)) return undefined;
  const versions = new Set(recent.map((s) => s.version));
  return versions.size === 1 ? recent[0].version : undefined;
}

export interface VersionSpan {
  version: string;
  count: number;
  firstAt: number;
  lastAt: number;
}

export interface Timeline {
  versions: VersionSpan[];
  /** Start of the final stretch where only `version` answered (2xx), if the watch ended in one. */
  onlyFrom?: { version: string; at: number };
}

export function timeline(samples: readonly Sample[]): Timeline {
  const spans = new Map<string, VersionSpan>();
  for (const s of samples) {
    if (!isAnswer(s)) continue;
    const v = s.version!;
    const span = spans.get(v) ?? { version: v, count: 0, firstAt: s.at, lastAt: s.at };
    span.count++;
    span.lastAt = s.at;
    spans.set(v, span);
  }
  let onlyFrom: Timeline['onlyFrom'];
  const answers = samples.filter(isAnswer);
  const last = answers.at(-1);
  if (last) {
    let i = answers.length - 1;
    while (i > 0 && answers[i - 1].version === last.version) i--;
    onlyFrom = { version: last.version!, at: answers[i].at };
  }
  return { versions: [...spans.values()].sort((a, b) => a.firstAt - b.firstAt), onlyFrom };
}

/** Shares per version in consecutive buckets of `bucketMs`, for the chart. */
export function shareSeries(
  samples: readonly Sample[],
  startedAt: number,
  endedAt: number,
  bucketMs: number,
): { from: number; shares: Map<string, number>; answered: number }[] {
  const buckets: { from: number; shares: Map<string, number>; answered: number }[] = [];
  let i = 0;
  for (let from = startedAt; from < endedAt; from += bucketMs) {
    const inBucket: Sample[] = [];
    while (i < samples.length && samples[i].at < from + bucketMs) {
      if (samples[i].at >= from) inBucket.push(samples[i]);
      i++;
    }
    const w = windowStats(inBucket);
    buckets.push({
      from,
      shares: new Map(w.shares.map((x) => [x.version, x.share])),
      answered: w.shares.reduce((a, x) => a + x.count, 0),
    });
  }
  return buckets;
}
