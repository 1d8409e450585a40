/**
 * The picture of a release: per strategy, the share of answers per version over time as stacked
 * areas. Hand-written SVG (a few dozen elements, no browser or charting runtime needed); every text
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
/** At most this many time buckets per panel, at least one second each. */
const MAX_BUCKETS = 240;

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
): string {
  const span = Math.max(1000, endedAt - startedAt);
  const bucketMs = Math.max(1000, Math.ceil(span / MAX_BUCKETS / 1000) * 1000);
  const versions = [...new Set(samples.filter((s) => s.version).map((s) => s.version!))];
  const colour = (v: string) => COLOURS[versions.indexOf(v) % COLOURS.length];
  const height = TOP + strategies.length * (PANEL_H + GAP) + 24;
  const width = LEFT + PANEL_W + 200;
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
    for (const tick of [0, 0.5, 1]) {
      parts.push(
        `<text x="${LEFT - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tick * 100} %</text>`,
      );
    }
    const ticks = 6;
    for (let k = 0; k <= ticks; k++) {
      const t = startedAt + (span * k) / ticks;
      parts.push(
        `<text x="${x(t).toFixed(1)}" y="${y0 + PANEL_H + 16}" text-anchor="middle">+${Math.round((t - startedAt) / 1000)} s</text>`,
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
