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
  /** Progress: what runs now, and each check's report as soon as it is ready (the CLI prints them). */
  events?: LintEvents;
}

export interface LintEvents {
  /** A slow task starts, e.g. `sls package (hook)`. */
  start(task: string): void;
  end(task: string): void;
  report(report: CheckReport): void;
}

const NO_EVENTS: LintEvents = { start: () => {}, end: () => {}, report: () => {} };

/** `run` between start and end events of `task`. */
function tracked<T>(events: LintEvents, task: string, run: () => Promise<T>): Promise<T> {
  events.start(task);
  return run().finally(() => events.end(task));
}

export interface LintResult {
  templates: LintTemplate[];
  reports: CheckReport[];
  ms: number;
}

/** Every check's name, in the order the gate lists them. */
export const CHECK_NAMES: readonly string[] = [
  TEMPLATES_CHECK,
  CFN_LINT_CHECK,
  CDK_NAG_CHECK,
  ...PURE_CHECKS.map((c) => c.name),
];

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
  const events = options.events ?? NO_EVENTS;

  // cfn-lint over the generated templates runs while `sls package` builds the hook's template.
  const generatedLint = templates.length
    ? timed(tracked(events, `cfn-lint (${scopeOf(templates)})`, () => runCfnLint(templates, cfnLintOptions)))
    : timed(Promise.resolve([]));
  let cleanup = () => {};
  let hookLint = timed(Promise.resolve<Finding[]>([]));
  if (options.sls ?? true) {
    // The hook is packaged with the same config the templates are checked with.
    const hook = await tracked(events, 'sls package (hook)', () => packageHook(root, options.config));
    cleanup = hook.cleanup;
    templateFindings.push(...hook.findings);
    if (hook.template) {
      const hookTemplate = hook.template;
      templates.push(hookTemplate);
      hookLint = timed(tracked(events, 'cfn-lint (hook)', () => runCfnLint([hookTemplate], cfnLintOptions)));
    }
  }
  if (!templates.length) templateFindings.push(finding(TEMPLATES_CHECK, '-', '', NO_TEMPLATES));
  const reports: CheckReport[] = [
    { name: TEMPLATES_CHECK, scope: scopeOf(templates), findings: templateFindings, ms: Date.now() - start },
  ];
  events.report(reports[0]);

  try {
    // Its time is that of its own two runs (they overlap `sls package` and cdk-nag).
    const cfnLint = Promise.all([generatedLint, hookLint]).then(([a, b]) => ({
      // The same finding from both runs (cfn-lint is not installed) is one finding.
      findings: templates.length
        ? uniqueFindings([...a.findings, ...b.findings])
        : [finding(CFN_LINT_CHECK, '-', '', 'no templates to lint')],
      ms: a.ms + b.ms,
    }));
    const ctx: LintContext = { templates, config: options.config };
    const pure: CheckReport[] = [];
    for (const check of PURE_CHECKS) {
      pure.push(await runCheck(check, ctx));
      events.report(pure[pure.length - 1]);
    }

    const nagStart = Date.now();
    const nag = await tracked(events, 'cdk-nag', () =>
      runCdkNag(templates, cdkNagSuppressions(options.config)),
    );
    const nagReport = {
      name: CDK_NAG_CHECK,
      scope: scopeOf(templates),
      findings: nag,
      ms: Date.now() - nagStart,
    };
    events.report(nagReport);
    const lint = { name: CFN_LINT_CHECK, scope: scopeOf(templates), ...(await cfnLint) };
    events.report(lint);
    reports.push(lint, nagReport, ...pure);
  } finally {
    cleanup();
  }
  return { templates, reports, ms: Date.now() - start };
}

/** Findings without repeats, in their first order. */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.check, f.template, f.location, f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A finding-producing run with its own duration, measured from when it was started. */
function timed(run: Promise<Finding[]>): Promise<{ findings: Finding[]; ms: number }> {
  const started = Date.now();
  return run.then((findings) => ({ findings, ms: Date.now() - started }));
}

function scopeOf(templates: readonly LintTemplate[]): string {
  return `${templates.length} template${templates.length === 1 ? '' : 's'}`;
}
