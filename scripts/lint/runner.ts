/**
 * Runs every check over every template and times each one. The slow, external parts overlap:
 * cfn-lint over the generated templates runs while `sls package` (~7 s) builds the hook's template;
 * then cfn-lint over the hook's template runs while cdk-nag works in-process over all of them.
 *
 * Fail-safe: a check given no templates reports a finding instead of passing vacuously.
 */
import type { PlaygroundConfig } from '../../config';
import { REPO_ROOT, stacksFor } from '../../config';
import { CDK_NAG_CHECK, runCdkNag } from './cdk-nag';
import { CFN_LINT_CHECK, runCfnLint } from './cfn-lint';
import { PURE_CHECKS } from './checks';
import { packageHook } from './sls-package';
import { cdkNagSuppressions, cfnLintSuppressions } from './suppressions';
import { DEFAULT_TEMPLATES_DIR, loadGeneratedTemplates, TEMPLATES_CHECK } from './templates';
import { type Check, type Finding, finding, type LintContext, type LintTemplate } from './types';

export interface CheckReport {
  name: string;
  /** What was checked, e.g. `7 templates`. */
  scope: string;
  findings: Finding[];
  ms: number;
}

export interface LintOptions {
  config: PlaygroundConfig;
  root?: string;
  templatesDir?: string;
  /** Also lint the hook's `sls package` output (the CLI always does; tests of other parts skip it). */
  sls?: boolean;
  /** cfn-lint executable (tests point it at a missing one). */
  cfnLintCommand?: string;
}

export interface LintResult {
  templates: LintTemplate[];
  reports: CheckReport[];
  ms: number;
}

export const NO_TEMPLATES = 'no templates found to check (run `npm run synth`)';

/** Runs one pure check; an empty template set is a finding, never a pass. */
export async function runCheck(check: Check, ctx: LintContext): Promise<CheckReport> {
  const start = Date.now();
  const findings = ctx.templates.length ? await check.run(ctx) : [finding(check.name, '-', '', NO_TEMPLATES)];
  return { name: check.name, scope: scopeOf(ctx.templates), findings, ms: Date.now() - start };
}

export async function lintAll(options: LintOptions): Promise<LintResult> {
  const start = Date.now();
  const root = options.root ?? REPO_ROOT;
  const loaded = loadGeneratedTemplates(
    options.templatesDir ?? DEFAULT_TEMPLATES_DIR,
    root,
    stacksFor(options.config),
  );
  const templates = [...loaded.templates];
  const templateFindings = [...loaded.findings];
  const cfnLintOptions = {
    region: options.config.app.region,
    command: options.cfnLintCommand,
    cwd: root,
    suppressions: cfnLintSuppressions(),
  };

  // cfn-lint over the generated templates runs while `sls package` builds the hook's template.
  const generatedLint = templates.length
    ? timed(runCfnLint(templates, cfnLintOptions))
    : timed(Promise.resolve([]));
  let cleanup = () => {};
  let hookLint = timed(Promise.resolve<Finding[]>([]));
  if (options.sls ?? true) {
    // The hook is packaged with the same config the templates are checked with.
    const hook = await packageHook(root, options.config);
    cleanup = hook.cleanup;
    templateFindings.push(...hook.findings);
    if (hook.template) {
      templates.push(hook.template);
      hookLint = timed(runCfnLint([hook.template], cfnLintOptions));
    }
  }
  if (!templates.length) templateFindings.push(finding(TEMPLATES_CHECK, '-', '', NO_TEMPLATES));
  const reports: CheckReport[] = [
    { name: TEMPLATES_CHECK, scope: scopeOf(templates), findings: templateFindings, ms: Date.now() - start },
  ];

  try {
    // Its time is that of its own two runs (they overlap `sls package` and cdk-nag).
    const cfnLint = Promise.all([generatedLint, hookLint]).then(([a, b]) => ({
      findings: templates.length
        ? [...a.findings, ...b.findings]
        : [finding(CFN_LINT_CHECK, '-', '', 'no templates to lint')],
      ms: a.ms + b.ms,
    }));
    const ctx: LintContext = { templates, config: options.config };
    const pure: CheckReport[] = [];
    for (const check of PURE_CHECKS) pure.push(await runCheck(check, ctx));

    const nagStart = Date.now();
    const nag = await runCdkNag(templates, cdkNagSuppressions(options.config));
    const nagReport = {
      name: CDK_NAG_CHECK,
      scope: scopeOf(templates),
      findings: nag,
      ms: Date.now() - nagStart,
    };
    const lint = await cfnLint;
    reports.push({ name: CFN_LINT_CHECK, scope: scopeOf(templates), ...lint }, nagReport, ...pure);
  } finally {
    cleanup();
  }
  return { templates, reports, ms: Date.now() - start };
}

/** A finding-producing run with its own duration, measured from when it was started. */
function timed(run: Promise<Finding[]>): Promise<{ findings: Finding[]; ms: number }> {
  const started = Date.now();
  return run.then((findings) => ({ findings, ms: Date.now() - started }));
}

function scopeOf(templates: readonly LintTemplate[]): string {
  return `${templates.length} template${templates.length === 1 ? '' : 's'}`;
}
