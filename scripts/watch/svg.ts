/**
 * The picture of a release: per strategy, the share of answers per version over time as stacked
 * areas, the failed requests (no answer, or a 5xx) as a band of their own under each panel, and, when
 * given, the release's phases marked on the time axis (`npm run rehearse` knows them; `npm run watch`
 * passes AWS's phase changes). Hand-written SVG (a few dozen elements, no browser or charting runtime needed); every text
 * is XML-escaped, so the file is well-formed whatever a version string holds.
 */
import { type Sample, shareSeries } from './stats';

/** Colour-blind-safe (Okabe–Ito) colours, in order of first appearance of a version. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const PANEL_W = 720;
const PANEL_H = 140;
const LEFT = 56;
const TOP = 60;
const GAP = 56;
/** At most this many time buckets per panel, at least `minBucketMs` each (one second by default). */
const MAX_BUCKETS = 240;
/** The failed-requests band under each panel. */
const BAND_H = 12;

/** A moment marked on a panel's time axis (a phase starting). */
export interface Mark {
  at: number;
  label: string;
}

export interface ChartOptions {
  /** Per strategy, the moments to mark. */
  marks?: Readonly<Record<string, readonly Mark[]>>;
  /** Shortest bucket; a rehearsal at high speed wants less than a second. */
  minBucketMs?: number;
}

/** No answer at all, or a 5xx: a request that failed its user. */
export const failedSample = (s: Sample) => s.status === undefined || s.status >= 500;

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

export function versionShareSvg(
  samples: readonly Sample[],
  strategies: readonly string[],
  startedAt: number,
  endedAt: number,
  title: string,
  options: ChartOptions = {},
): string {
  const minBucket = options.minBucketMs ?? 1000;
  const span = Math.max(minBucket, endedAt - startedAt);
  const bucketMs = Math.max(minBucket, Math.ceil(span / MAX_BUCKETS / minBucket) * minBucket);
  const versions = [...new Set(samples.filter((s) => s.version).map((s) => s.version!))];
  const colour = (v: string) => COLOURS[versions.indexOf(v) % COLOURS.length];
  const height = TOP + strategies.length * (PANEL_H + GAP) + 24;
  const width = LEFT + PANEL_W + (options.marks ? 260 : 200);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  strategies.forEach((strategy, i) => {
    const y0 = TOP + i * (PANEL_H + GAP);
    const mine = samples.filter((s) => s.strategy === strategy);
    const series = shareSeries(mine, startedAt, endedAt, bucketMs);
    const x = (t: number) => LEFT + ((t - startedAt) / span) * PANEL_W;
    const y = (share: number) => y0 + PANEL_H - share * PANEL_H;
    parts.push(`<g class="panel" data-strategy="${escapeXml(strategy)}">`);
    parts.push(`<text x="${LEFT}" y="${y0 - 8}" font-weight="bold">${escapeXml(strategy)}</text>`);
    parts.push(
      `<rect x="${LEFT}" y="${y0}" width="${PANEL_W}" height="${PANEL_H}" fill="#f4f4f4" stroke="#999999"/>`,
    );
    // Stacked areas: each bucket is one column, versions stacked bottom-up in order of appearance.
    for (const b of series) {
      let base = 0;
      const x1 = x(b.from);
      const w = Math.max(0.5, x(Math.min(endedAt, b.from + bucketMs)) - x1);
      for (const v of versions) {
        const share = b.shares.get(v) ?? 0;
        if (share <= 0) continue;
        parts.push(
          `<rect x="${x1.toFixed(1)}" y="${y(base + share).toFixed(1)}" width="${w.toFixed(1)}" height="${(share * PANEL_H).toFixed(1)}" fill="${colour(v)}"><title>${escapeXml(`${v}: ${Math.round(share * 1000) / 10} %`)}</title></rect>`,
        );
        base += share;
      }
    }
    // The failed band: red, as tall as the share of requests in the bucket that failed.
    const bandY = y0 + PANEL_H + 3;
    parts.push(
      `<rect x="${LEFT}" y="${bandY}" width="${PANEL_W}" height="${BAND_H}" fill="#ffffff" stroke="#dddddd"/>`,
    );
    const failedTotal = mine.filter(failedSample).length;
    for (const b of series) {
      const inBucket = mine.filter((s) => s.at >= b.from && s.at < b.from + bucketMs);
      const failed = inBucket.filter(failedSample).length;
      if (!failed) continue;
      const h = Math.max(2, (failed / inBucket.length) * BAND_H);
      const x1 = x(b.from);
      const w = Math.max(0.5, x(Math.min(endedAt, b.from + bucketMs)) - x1);
      parts.push(
        `<rect class="failed" x="${x1.toFixed(1)}" y="${(bandY + BAND_H - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="#D55E00"><title>${failed} failed of ${inBucket.length}</title></rect>`,
      );
    }
    parts.push(
      `<text x="${LEFT + PANEL_W + 6}" y="${bandY + BAND_H - 2}" font-size="10" fill="${failedTotal ? '#D55E00' : '#777777'}">${failedTotal} failed</text>`,
    );
    // Phases: a dashed line each, numbered; the numbers' names beside the panel.
    const listY = y0 + (i === 0 ? versions.length * 20 : 0) + 10;
    for (const [k, mark] of (options.marks?.[strategy] ?? []).entries()) {
      const mx = x(mark.at).toFixed(1);
      const label = mark.label.length > 44 ? `${mark.label.slice(0, 43)}…` : mark.label;
      parts.push(
        `<line class="phase" x1="${mx}" y1="${y0}" x2="${mx}" y2="${bandY + BAND_H}" stroke="#333333" stroke-dasharray="3,3"><title>${escapeXml(mark.label)}</title></line>`,
        `<text x="${mx}" y="${y0 + 10}" font-size="9" text-anchor="middle" fill="#333333">${k + 1}</text>`,
        `<text x="${LEFT + PANEL_W + 24}" y="${listY + k * 11}" font-size="9">${k + 1} ${escapeXml(label)}</text>`,
      );
    }
    for (const tick of [0, 0.5, 1]) {
      parts.push(
        `<text x="${LEFT - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tick * 100} %</text>`,
      );
    }
    const ticks = 6;
    for (let k = 0; k <= ticks; k++) {
      const t = startedAt + (span * k) / ticks;
      parts.push(
        `<text x="${x(t).toFixed(1)}" y="${y0 + PANEL_H + BAND_H + 16}" text-anchor="middle">+${Math.round((t - startedAt) / 1000)} s</text>`,
      );
    }
    parts.push('</g>');
  });
  versions.forEach((v, i) => {
    const ly = TOP + i * 20;
    parts.push(`<rect x="${LEFT + PANEL_W + 24}" y="${ly}" width="14" height="14" fill="${colour(v)}"/>`);
    parts.push(`<text x="${LEFT + PANEL_W + 44}" y="${ly + 11}">${escapeXml(v)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
