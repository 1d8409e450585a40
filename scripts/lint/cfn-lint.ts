/**
 * cfn-lint, AWS's CloudFormation linter, over every template in ONE child process (its start-up,
 * loading the resource schemas, is most of its time). Its JSON output becomes findings; any match,
 * error, warning or informational, is a finding unless `.cfnlintrc` ignores the rule with a reason.
 */
import { REPO_ROOT } from '../../config';
import { capture, type Run } from './process';
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
  /** Working directory: cfn-lint reads `.cfnlintrc` from it. */
  cwd?: string;
}

export async function runCfnLint(
  templates: readonly LintTemplate[],
  options: CfnLintOptions,
): Promise<Finding[]> {
  if (!templates.length) return [finding(CFN_LINT_CHECK, '-', '', 'no templates to lint')];
  const command = options.command ?? 'cfn-lint';
  const args = ['--format', 'json', '--regions', options.region, '--', ...templates.map((t) => t.file)];
  // Two minutes: it lints seven templates in ~3 s here; a hang must fail the gate, not CI's clock.
  const run = await capture(command, args, { cwd: options.cwd ?? REPO_ROOT, timeoutMs: 120_000 });
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
  return matches.map((m) => {
    const template = byFile.get(m.Filename)?.label ?? m.Filename;
    const path = (m.Location.Path ?? []).join('/');
    const line = m.Location.Start?.LineNumber;
    const where = line ? `${path} (line ${line})` : path;
    return finding(CFN_LINT_CHECK, template, where, `${m.Rule.Id} ${m.Level}: ${m.Message}`);
  });
}

function crashed(run: Run): Finding {
  const detail = (run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ');
  const how = run.timedOut ? 'timed out' : `exit ${run.code}`;
  return finding(CFN_LINT_CHECK, '-', '', `cfn-lint failed to run (${how}): ${detail}`);
}
