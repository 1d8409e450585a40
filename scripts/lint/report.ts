/** Prints the result: one line per check (verdict, name, scope, findings, time), findings indented below. */
import { type Palette, palette } from '../cli/color';
import type { CheckReport, LintResult } from './runner';
import { formatFinding } from './types';

const PLAIN = palette(false);

/** A check's line and its findings; `width` aligns the names of every check. */
export function reportLines(r: CheckReport, width: number, p: Palette = PLAIN): string[] {
  const verdict = r.findings.length ? p.red('FAIL') : p.green('ok  ');
  const count = `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`;
  return [
    `${verdict} ${r.name.padEnd(width)}  ${r.scope.padEnd(12)} ${count.padEnd(12)} ${seconds(r.ms)}`,
    ...r.findings.map((f) => `       ${formatFinding(f)}`),
  ];
}

/**
 * `wallMs`: time since `npm run lint:cfn` started (with ts-node's start-up), when known; the total
 * line shows it next to the checks' own time.
 */
export function totalLine(result: LintResult, wallMs?: number, p: Palette = PLAIN): string {
  const total = result.reports.reduce((n, r) => n + r.findings.length, 0);
  const verdict = total ? p.red(`FAILED with ${total} finding${total === 1 ? '' : 's'}`) : p.green('passed');
  const time =
    wallMs === undefined ? seconds(result.ms) : `${seconds(wallMs)} (checks ${seconds(result.ms)})`;
  return `lint:cfn: ${verdict} in ${time}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
