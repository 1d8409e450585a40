/** The raw samples as CSV and JSON, written next to the chart. */
import type { Sample } from './stats';

export const CSV_HEADER = [
  'time',
  'elapsed_ms',
  'strategy',
  'url',
  'status',
  'version',
  'latency_ms',
  'error',
];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function samplesCsv(samples: readonly Sample[], startedAt: number): string {
  const rows = samples.map((s) =>
    [
      new Date(s.at).toISOString(),
      s.at - startedAt,
      s.strategy,
      s.url,
      s.status,
      s.version,
      s.latencyMs,
      s.error,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[CSV_HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}
