/** Small formatting helpers every command shares: durations, clock times, bars and percentages. */

/** `45 s`, `3 min 12 s`, `2 h 05 min`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** `14 min ago` from two instants. */
export function ago(iso: string | undefined, nowIso: string): string | undefined {
  if (!iso) return undefined;
  return `${duration((Date.parse(nowIso) - Date.parse(iso)) / 1000)} ago`;
}

/** `10:42:07 UTC`. */
export function clockTime(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

/** A horizontal bar of `width` cells for a share in [0, 1]. */
export function bar(share: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, share)) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** `12.5 %`, `100 %`. */
export function percent(share: number): string {
  const p = share * 100;
  return `${Number.isInteger(p) ? p : p.toFixed(1)} %`;
}
