/**
 * cfn-lint, AWS's CloudFormation linter, over every template in ONE child process (its start-up,
 * loading the resource schemas, is most of its time). Its JSON output becomes findings; any match,
 * error, warning or informational (`--include-checks I`: cfn-lint leaves those out by default), is a
 * finding unless cfnLintSuppressions() (suppressions.ts) accepts that rule on that resource with a
 * reason. A suppression that matches nothing is a finding too: the list stays true.
 */
import { REPO_ROOT } from '../../config';
import { type CaptureOptions, capture, type Run } from '../cli/process';
import type { CfnLintSuppression } from './suppressions';
import { type Finding, finding, type LintTemplate } from './types';

export const CFN_LINT_CHECK = 'cfn-lint';

/**
 * The cfn-lint the gate is kept green with: CodeBuild installs exactly this one (buildspec.yml), and
 * README, docs/checks.md and .ci/run say the same (test/lint/cfn-lint.test.ts holds them to it).
 */
export const CFN_LINT_VERSION = '1.51.0';

export const CFN_LINT_INSTALL_HINT =
  'cfn-lint (AWS CloudFormation Linter, Python) is not installed or not on PATH: install it with ' +
  `\`pip install cfn-lint==${CFN_LINT_VERSION}\` (pyenv users: make sure ~/.pyenv/shims is on PATH) and run again`;

/** One match of cfn-lint's `--format json` output (the fields we use). */
interface CfnLintMatch {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational' | string;
  Message: string;
  Location: { Path?: (string | number)[] | null; Start?: { LineNumber?: number } };
  Rule: { Id: string };
}

export interface CfnLintOptions {
  /** Region whose resource types and values cfn-lint validates against (the config's region). */
  region: string;
  /** Executable; tests point it at a missing one. */
  command?: string;
  /** Working directory (cfn-lint would read a `.cfnlintrc` there; the kit keeps none). */
  cwd?: string;
  /** Matches accepted with a reason; only those of the stacks being linted apply. */
  suppressions?: readonly CfnLintSuppression[];
  /** Runs the process (capture()); the tests share one real run among several calls. */
  run?: (command: string, args: readonly string[], options: CaptureOptions) => Promise<Run>;
}

/** Informational checks are opt-in in cfn-lint; the gate holds them to the same zero as the rest. */
export const INCLUDE_INFORMATIONAL = ['--include-checks', 'I'] as const;

export async function runCfnLint(
  given: readonly LintTemplate[],
  options: CfnLintOptions,
): Promise<Finding[]> {
  // A copy: the caller may add templates to its list while this run awaits cfn-lint (the runner adds
  // the hook's once `sls package` is done), and the suppressions judged here are those of THIS run.
  const templates = [...given];
  if (!templates.length) return [finding(CFN_LINT_CHECK, '-', '', 'no templates to lint')];
  const command = options.command ?? 'cfn-lint';
  const args = [
    '--format',
    'json',
    ...INCLUDE_INFORMATIONAL,
    '--regions',
    options.region,
    '--',
    ...templates.map((t) => t.file),
  ];
  // Two minutes: it lints seven templates in ~3 s here; a hang must fail the gate, not CI's clock.
  const run = await (options.run ?? capture)(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    timeoutMs: 120_000,
  });
  if (run.missing) return [finding(CFN_LINT_CHECK, '-', '', CFN_LINT_INSTALL_HINT)];

  let matches: CfnLintMatch[];
  try {
    matches = JSON.parse(run.stdout || '[]');
    if (!Array.isArray(matches)) throw new Error('not a list');
  } catch {
    return [crashed(run)];
  }
  // cfn-lint's exit code is a bit field: 2 errors, 4 warnings, 8 informational. Anything else
  // (1, 16, 32) means it failed to run, even when it printed an empty list.
  if (run.code !== 0 && (run.code & ~(2 | 4 | 8)) !== 0) return [crashed(run)];
  if (run.code !== 0 && !matches.length) return [crashed(run)];

  const byFile = new Map(templates.map((t) => [t.file, t]));
  const checked = new Set(templates.map((t) => t.id as string));
  const suppressions = (options.suppressions ?? []).filter((s) => checked.has(s.stack));
  const used = new Set<CfnLintSuppression>();
  const findings: Finding[] = [];
  for (const m of matches) {
    const t = byFile.get(m.Filename);
    const path = m.Location.Path ?? [];
    const match = suppressions.find(
      (s) => s.stack === t?.id && s.rule === m.Rule.Id && path[0] === 'Resources' && path[1] === s.resource,
    );
    if (match) {
      used.add(match);
      continue;
    }
    const line = m.Location.Start?.LineNumber;
    const where = line ? `${path.join('/')} (line ${line})` : path.join('/');
    findings.push(
      finding(CFN_LINT_CHECK, t?.label ?? m.Filename, where, `${m.Rule.Id} ${m.Level}: ${m.Message}`),
    );
  }
  for (const s of suppressions) {
    if (used.has(s)) continue;
    const label = templates.find((t) => t.id === s.stack)?.label ?? s.stack;
    findings.push(
      finding(
        CFN_LINT_CHECK,
        label,
        `Resources/${s.resource}`,
        `suppression of ${s.rule} matches no finding: remove it from scripts/lint/suppressions.ts`,
      ),
    );
  }
  return findings;
}

function crashed(run: Run): Finding {
  const detail = (run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ');
  const how = run.timedOut ? 'timed out' : `exit ${run.code}`;
  return finding(CFN_LINT_CHECK, '-', '', `cfn-lint failed to run (${how}): ${detail}`);
}
