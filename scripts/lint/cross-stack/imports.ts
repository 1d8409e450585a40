/**
 * Cross-stack wiring (cfn-lint sees one template at a time), by the reference checks of
 * references.ts, run here over every template the gate checks,
 * the hook's too, in the order the deploy plan deploys them:
 * - every `Fn::ImportValue` is a literal export name of ANOTHER stack deployed EARLIER, and no two
 *   stacks export the same name;
 * - inside each template, every Ref / GetAtt / Sub variable / Condition / DependsOn resolves.
 * This module only adapts: the rules live in references.ts, once.
 */
import type { Check, Finding, LintContext, LintStackId, LintTemplate } from '../types';
import { finding } from '../types';
import { deployOrder } from './deploy-order';
import { checkAllReferences } from './references';

export const REFERENCES_CHECK = 'cross-stack-references';

/** Findings of references.ts for templates deployed in `order` (a template not in it goes last). */
export function checkCrossStack(
  templates: readonly LintTemplate[],
  order: readonly LintStackId[],
): Finding[] {
  const rank = (t: LintTemplate) => (order.includes(t.id) ? order.indexOf(t.id) : order.length);
  const ordered = [...templates].sort((a, b) => rank(a) - rank(b));
  return checkAllReferences(ordered).map((text) => {
    // Each finding starts with the template's name; the rest says where and what.
    const owner = ordered.find((t) => text.startsWith(`${t.label}: `));
    return owner
      ? finding(REFERENCES_CHECK, owner, '', text.slice(owner.label.length + 2))
      : finding(REFERENCES_CHECK, '-', '', text);
  });
}

export const referencesCheck: Check = {
  name: REFERENCES_CHECK,
  description:
    'Fn::ImportValue matches an export of a stack deployed earlier; every Ref/GetAtt/Sub/Condition/DependsOn resolves',
  run: (ctx: LintContext) => checkCrossStack(ctx.templates, deployOrder(ctx.config, ctx.templates)),
};
