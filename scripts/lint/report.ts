/** Prints the result: one line per check (verdict, name, scope, findings, time), findings indented below. */
import type { LintResult } from './runner';
import { formatFinding } from './types';

/**
 * `wallMs`: time since `npm run lint:cfn` started (with ts-node's start-up), when known; the total
 * line shows it next to the checks' own time.
 */
export function formatResult(result: LintResult, wallMs?: number): string[] {
  const lines = [`lint:cfn over ${result.templates.map((t) => t.label).join(', ') || 'no templates'}`];
  const width = Math.max(...result.reports.map((r) => r.name.length));
  for (const r of result.reports) {
    const verdict = r.findings.length ? 'FAIL' : 'ok  ';
    const count = `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`;
    lines.push(
      `${verdict} ${r.name.padEnd(width)}  ${r.scope.padEnd(12)} ${count.padEnd(12)} ${seconds(r.ms)}`,
    );
    for (const f of r.findings) lines.push(`       ${formatFinding(f)}`);
  }
  const total = result.reports.reduce((n, r) => n + r.findings.length, 0);
  const verdict = total ? `FAILED with ${total} finding${total === 1 ? '' : 's'}` : 'passed';
  const time =
    wallMs === undefined ? seconds(result.ms) : `${seconds(wallMs)} (checks ${seconds(result.ms)})`;
  lines.push(`lint:cfn: ${verdict} in ${time}`);
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
