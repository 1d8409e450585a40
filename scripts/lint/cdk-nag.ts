/**
 * cdk-nag's AwsSolutions pack over every template: each is imported with `CfnInclude` as its own
 * stack of ONE throwaway CDK app (aws-cdk-lib loads once, ~2 s), offline, nothing synthesised.
 *
 * How it is run (verified with aws-cdk-lib 2.276 and cdk-nag 3.0.2): cdk-nag 3 is a CDK policy
 * validation plugin. `Validations.of(app).addPlugins(pack)` + `app.synth()` works, but synthesises
 * a cloud assembly to disk, also runs CDK's own "CloudFormation Validate" plugin (a second cfn-lint)
 * and prints its report to the console before throwing. `pack.validateScope(app)`, the plugin's
 * documented direct entry point, walks the same construct tree with the same rules and returns the
 * violations as data. (cdk-nag 3 packs are not aspects any more: the cdk-nag 2 style `Aspects.of(app).add(pack)` does not work.)
 *
 * Every error AND warning fails the gate unless cdkNagSuppressions() (suppressions.ts) lists it for
 * that stack and resource with a reason. `AwsSolutions-IAM5[Resource::*]` is accepted on a resource
 * exactly when each of its `Resource: "*"` statements only allows RESOURCE_STAR_ACTIONS (the
 * iam-wildcard-resource rule's verdict), so that list is the one place those reasons live.
 * A suppression that matches no finding is a finding too: the list stays true.
 */

import { checkResourceStar, resourceStarStatements } from './rules/iam-wildcard-resource';
import type { NagSuppression } from './suppressions';
import { type Finding, finding, type LintTemplate } from './types';

export const CDK_NAG_CHECK = 'cdk-nag';

/** The construct id of the CfnInclude inside each stack; violation paths are `<stack>/<this>/<logical id>`. */
const INCLUDE_ID = 'Template';
export const RESOURCE_STAR_FINDING = 'AwsSolutions-IAM5[Resource::*]';

export interface NagViolation {
  rule: string;
  severity: string;
  description: string;
  stack: string;
  resource: string;
}

/**
 * The few pieces of aws-cdk-lib and cdk-nag this check uses, typed here. Loaded with `require` when
 * the check runs, not imported: only this check pays aws-cdk-lib's load time (~2 s), and `tsc` does
 * not parse aws-cdk-lib's ~2,600 declaration files for four constructors (it halves the type check).
 * test/lint/cdk-nag.test.ts runs the real pack, so a changed API fails there.
 */
interface CdkApi {
  App: new () => object;
  Stack: new (scope: object, id: string) => object;
  CfnInclude: new (scope: object, id: string, props: { templateFile: string }) => object;
  AwsSolutionsChecks: new () => {
    validateScope(scope: object): {
      violations: {
        ruleName: string;
        severity?: string;
        description: string;
        violatingResources: { constructPath?: string }[];
      }[];
    };
  };
}

function loadCdk(): CdkApi {
  const { App, Stack } = require('aws-cdk-lib');
  const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
  const { AwsSolutionsChecks } = require('cdk-nag');
  return { App, Stack, CfnInclude, AwsSolutionsChecks };
}

/** Runs the AwsSolutions pack; returns the raw violations and the templates it could not import. */
export async function nagViolations(
  templates: readonly LintTemplate[],
): Promise<{ violations: NagViolation[]; findings: Finding[] }> {
  const { App, Stack, CfnInclude, AwsSolutionsChecks } = loadCdk();

  const findings: Finding[] = [];
  const app = new App();
  for (const t of templates) {
    const stack = new Stack(app, t.id);
    try {
      new CfnInclude(stack, INCLUDE_ID, { templateFile: t.file });
    } catch (err) {
      findings.push(
        finding(CDK_NAG_CHECK, t, '', `CfnInclude could not import the template: ${(err as Error).message}`),
      );
    }
  }
  const report = new AwsSolutionsChecks().validateScope(app);
  const violations: NagViolation[] = [];
  for (const v of report.violations) {
    for (const r of v.violatingResources) {
      const path = r.constructPath ?? '';
      const [stack, , ...rest] = path.split('/');
      violations.push({
        rule: v.ruleName,
        severity: v.severity ?? 'error',
        description: v.description,
        stack,
        resource: rest.join('/') || path,
      });
    }
  }
  return { violations, findings };
}

export async function runCdkNag(
  templates: readonly LintTemplate[],
  suppressions: readonly NagSuppression[],
): Promise<Finding[]> {
  if (!templates.length) return [finding(CDK_NAG_CHECK, '-', '', 'no templates to check')];
  const { violations, findings } = await nagViolations(templates);
  const byId = new Map(templates.map((t) => [t.id as string, t]));
  const used = new Set<NagSuppression>();

  for (const v of violations) {
    const t = byId.get(v.stack);
    const label = t?.label ?? v.stack;
    const match = suppressions.find(
      (s) => s.stack === v.stack && s.rule === v.rule && s.resource === v.resource,
    );
    if (match) {
      used.add(match);
      continue;
    }
    if (v.rule === RESOURCE_STAR_FINDING && t && resourceStarJustified(t, v.resource)) continue;
    findings.push(
      finding(CDK_NAG_CHECK, label, `Resources/${v.resource}`, `${v.rule} (${v.severity}): ${v.description}`),
    );
  }
  const checked = new Set(templates.map((t) => t.id as string));
  for (const s of suppressions) {
    if (used.has(s) || !checked.has(s.stack)) continue;
    findings.push(
      finding(
        CDK_NAG_CHECK,
        byId.get(s.stack)?.label ?? s.stack,
        `Resources/${s.resource}`,
        `suppression of ${s.rule} matches no finding: remove it from scripts/lint/suppressions.ts`,
      ),
    );
  }
  return findings;
}

/** Every `Resource: "*"` statement of the resource allows only allow-listed actions. */
function resourceStarJustified(t: LintTemplate, resource: string): boolean {
  const statements = resourceStarStatements(t).filter((s) => s.resource === resource);
  const problems = checkResourceStar(t).filter((f) => f.location.startsWith(`Resources/${resource}/`));
  return statements.length > 0 && problems.length === 0;
}
