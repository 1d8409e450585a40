/**
 * `Resource: "*"` only for the actions listed (with their reason) in RESOURCE_STAR_ACTIONS
 * (cloudformation/iam.ts): actions without resource-level permissions. Every other action
 * must name its resources. Identity-based policies only: in a resource policy the resource is the
 * one the policy is attached to. Allow + NotResource grants everything else and is refused too.
 */
import { resourceStarAction } from '../../../cloudformation/iam';
import type { Check, Finding, Json, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { asList, isObject, pathString } from '../walk';
import { actionsOf, allows, type PolicyStatement, policyStatements } from './policy-statements';

export const IAM_WILDCARD_RESOURCE_CHECK = 'iam-wildcard-resource';

/** The identity statements of a template that allow something on `Resource: "*"`. */
export function resourceStarStatements(t: LintTemplate): PolicyStatement[] {
  return policyStatements(t).filter(
    (s) => s.identity && allows(s.statement) && asList(s.statement.Resource).includes('*'),
  );
}

/** Findings for one template; empty means every `Resource: "*"` is justified by the allow-list. */
export function checkResourceStar(t: LintTemplate): Finding[] {
  const findings: Finding[] = [];
  for (const s of policyStatements(t)) {
    if (!s.identity || !allows(s.statement)) continue;
    const where = pathString(s.path);
    if ('NotResource' in s.statement) {
      findings.push(
        finding(IAM_WILDCARD_RESOURCE_CHECK, t, where, 'allows on NotResource, i.e. every other resource'),
      );
    }
    if (!asList(s.statement.Resource).includes('*')) continue;
    const actions = actionsOf(s.statement);
    if (!actions.length) {
      findings.push(
        finding(IAM_WILDCARD_RESOURCE_CHECK, t, where, 'Resource "*" with no literal Action list to judge'),
      );
    }
    const conditionKeys = conditionKeysOf(s.statement.Condition);
    for (const action of actions) {
      const allowed = resourceStarAction(action);
      if (allowed?.requiredCondition && !conditionKeys.has(allowed.requiredCondition.toLowerCase())) {
        findings.push(
          finding(
            IAM_WILDCARD_RESOURCE_CHECK,
            t,
            where,
            `allows "${action}" on Resource "*" without the ${allowed.requiredCondition} condition that RESOURCE_STAR_ACTIONS requires for it`,
          ),
        );
      }
      if (!allowed) {
        findings.push(
          finding(
            IAM_WILDCARD_RESOURCE_CHECK,
            t,
            where,
            `allows "${action}" on Resource "*" (name the resources, or add the action with its reason to RESOURCE_STAR_ACTIONS in cloudformation/iam.ts if it has no resource-level permissions)`,
          ),
        );
      }
    }
  }
  return findings;
}

/** Condition keys used by a statement (`{"ArnEquals": {"ecs:cluster": …}}` → `ecs:cluster`), lower-cased. */
function conditionKeysOf(condition: Json | undefined): Set<string> {
  const keys = new Set<string>();
  if (!isObject(condition)) return keys;
  for (const operator of Object.values(condition)) {
    if (isObject(operator)) for (const key of Object.keys(operator)) keys.add(key.toLowerCase());
  }
  return keys;
}

export const iamWildcardResourceCheck: Check = {
  name: IAM_WILDCARD_RESOURCE_CHECK,
  description: 'Resource "*" only for the allow-listed actions without resource-level permissions',
  run: (ctx: LintContext) => ctx.templates.flatMap(checkResourceStar),
};
