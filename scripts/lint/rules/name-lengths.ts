/**
 * Names AWS caps in length, checked before a deploy fails on them:
 * Lambda FunctionName ≤ 64 (Lambda CreateFunction), target group and load balancer Name ≤ 32
 * (ELBv2 CreateTargetGroup / CreateLoadBalancer). A name that is not a literal string cannot be
 * judged, so it is a finding too: every name here comes from config/names.ts as a literal.
 */
import type { Check, Finding, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { resourcesOf } from '../walk';

export const NAME_LENGTHS_CHECK = 'name-lengths';

/** Resource type → [name property, maximum length]. */
export const NAME_LIMITS: Readonly<Record<string, readonly [string, number]>> = {
  'AWS::Lambda::Function': ['FunctionName', 64],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name', 32],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 32],
};

export function checkNameLengths(t: LintTemplate): Finding[] {
  const findings: Finding[] = [];
  for (const [type, [property, max]] of Object.entries(NAME_LIMITS)) {
    for (const [id, resource] of resourcesOf(t.template, type)) {
      const name = resource.Properties?.[property];
      const where = `Resources/${id}/Properties/${property}`;
      if (name === undefined) continue; // AWS generates a name that fits
      if (typeof name !== 'string') {
        findings.push(
          finding(
            NAME_LENGTHS_CHECK,
            t,
            where,
            `${type} ${property} is not a literal string, so its length cannot be checked`,
          ),
        );
      } else if (name.length > max) {
        findings.push(
          finding(
            NAME_LENGTHS_CHECK,
            t,
            where,
            `"${name}" is ${name.length} characters; ${type} allows at most ${max}`,
          ),
        );
      }
    }
  }
  return findings;
}

export const nameLengthsCheck: Check = {
  name: NAME_LENGTHS_CHECK,
  description: 'Lambda function names ≤ 64 characters, target group and load balancer names ≤ 32',
  run: (ctx: LintContext) => ctx.templates.flatMap(checkNameLengths),
};
