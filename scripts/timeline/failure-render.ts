/**
 * The failure paths (failures.ts) as text (`npm run plan`) and as a Markdown table (README.md), all
 * times after the build, with AWS's defaults in brackets.
 */
import type { PlaygroundConfig } from '../../config';
import { BAD_RELEASE_TEXT, type FailureFigures, type FailurePath, failurePaths } from './failures';
import type { ReleaseStrategy } from './strategies';
import { duration } from './timeline';

function detected(f: FailureFigures): string {
  return f.detectedAt === undefined ? 'never' : duration(f.detectedAt);
}

function users(f: FailureFigures): string {
  if (!f.usersSee) return 'never';
  const { from, until } = f.usersSee;
  return until === undefined ? `from ${duration(from)} on` : `${duration(from)} to ${duration(until)}`;
}

function oldAgain(f: FailureFigures): string {
  if (f.oldServesAllAt !== undefined) return duration(f.oldServesAllAt);
  return f.usersSee ? 'not without a person' : 'throughout';
}

const both = (p: FailurePath, show: (f: FailureFigures) => string) => `${show(p)} (${show(p.awsDefaults)})`;

/** The lines `npm run plan` prints under a strategy's timeline. */
export function failureLines(config: PlaygroundConfig, strategy: ReleaseStrategy): string[] {
  const out = [`  When the release is bad (after the build; with AWS defaults in brackets):`];
  for (const p of failurePaths(config, strategy.id)) {
    out.push(`  - ${p.release} (${BAD_RELEASE_TEXT[p.release]}): ${p.outcome}`);
    out.push(
      `      detected ${both(p, detected)}${p.detectedBy ? ` by ${p.detectedBy}` : ''}; users see it ${both(p, users)}; the old version serves 100 % ${both(p, oldAgain)}`,
    );
    const decisive = p.phases.find((ph) => ph.reaches?.includes('detected'));
    if (decisive) {
      const aws =
        decisive.awsDefault.seconds === decisive.seconds
          ? ''
          : `; with AWS defaults ${duration(decisive.awsDefault.seconds)}`;
      out.push(`      ${decisive.name}: ${duration(decisive.seconds)}, ${decisive.setting}${aws}`);
    }
  }
  return out;
}

/** Every strategy's failure rows as one Markdown table (README.md). */
export function failureTable(config: PlaygroundConfig, strategies: readonly ReleaseStrategy[]): string[] {
  return [
    '| Strategy | Bad release | Detected (AWS defaults) | By | Users see it | Old version serves 100 % |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...strategies.flatMap((s) =>
      failurePaths(config, s.id).map(
        (p) =>
          `| ${s.title} | \`${p.release}\` | ${both(p, detected)} | ${p.detectedBy ?? '—'} | ${both(p, users)} | ${both(p, oldAgain)} |`,
      ),
    ),
  ];
}
