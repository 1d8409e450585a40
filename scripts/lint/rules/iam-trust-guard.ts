/**
 * Every IAM role's trust policy comes from trustPolicy() (cloudformation/iam.ts) and carries the
 * confused-deputy guard its service principal takes there: `aws:SourceAccount` (StringEquals), and
 * `aws:SourceArn` (ArnLike) where AWS documents it. A trust policy that lacks the helper's Sid, trusts a
 * service TRUSTED_SERVICES does not know, or misses the guard its entry requires is a finding.
 * Applies to the generated templates and the hook's `sls package` output alike.
 */
import { TRUST_STATEMENT_SID, TRUSTED_SERVICES, type TrustGuardKind } from '../../../cloudformation/iam';
import type { Check, Finding, Json, JsonObject, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { asList, isObject, pathString, resourcesOf } from '../walk';

export const IAM_TRUST_GUARD_CHECK = 'iam-trust-guard';

/** The keys each guard requires, with the condition operator trustPolicy() puts each under. */
const REQUIRED_KEYS: Record<TrustGuardKind, [operator: string, key: string][]> = {
  'source-arn': [
    ['StringEquals', 'aws:SourceAccount'],
    ['ArnLike', 'aws:SourceArn'],
  ],
  'source-account': [['StringEquals', 'aws:SourceAccount']],
  none: [],
};

function guardOf(service: string): TrustGuardKind | undefined {
  return (TRUSTED_SERVICES as Record<string, { guard: TrustGuardKind }>)[service]?.guard;
}

/** Findings for one trust statement of a role. */
function checkStatement(t: LintTemplate, where: string, statement: JsonObject): Finding[] {
  const problems: string[] = [];
  if (statement.Sid !== TRUST_STATEMENT_SID) {
    problems.push(
      `is not made by trustPolicy() (cloudformation/iam.ts): its Sid is not "${TRUST_STATEMENT_SID}"`,
    );
  }
  const principal = isObject(statement.Principal) ? statement.Principal : {};
  const services = asList(principal.Service).filter((s): s is string => typeof s === 'string');
  if (!services.length)
    problems.push('trusts no service principal (only AWS services may assume these roles)');
  const condition: Json = statement.Condition ?? {};
  for (const service of services) {
    const guard = guardOf(service);
    if (!guard) {
      problems.push(
        `trusts ${service}, which TRUSTED_SERVICES (cloudformation/iam.ts) does not list: add it with the AWS page that says which confused-deputy condition keys it supports`,
      );
      continue;
    }
    for (const [operator, key] of REQUIRED_KEYS[guard]) {
      const block = isObject(condition) ? condition[operator] : undefined;
      if (!isObject(block) || !(key in block)) {
        problems.push(`trusts ${service} without ${operator} ${key}, which AWS supports for it (${guard})`);
      }
    }
  }
  return problems.map((p) => finding(IAM_TRUST_GUARD_CHECK, t, where, p));
}

/** Findings for one template; empty means every role's trust policy is trustPolicy()'s, guarded. */
export function checkTrustGuards(t: LintTemplate): Finding[] {
  const findings: Finding[] = [];
  for (const [id, role] of resourcesOf(t.template, 'AWS::IAM::Role')) {
    const path = ['Resources', id, 'Properties', 'AssumeRolePolicyDocument'];
    const document = role.Properties?.AssumeRolePolicyDocument;
    if (!isObject(document)) {
      findings.push(
        finding(IAM_TRUST_GUARD_CHECK, t, pathString(path), 'has no literal trust policy to check'),
      );
      continue;
    }
    asList(document.Statement).forEach((statement, i) => {
      const where = pathString([...path, 'Statement', String(i)]);
      if (isObject(statement)) findings.push(...checkStatement(t, where, statement));
    });
  }
  return findings;
}

export const iamTrustGuardCheck: Check = {
  name: IAM_TRUST_GUARD_CHECK,
  description:
    'every role trusts a known service through trustPolicy(), with the aws:SourceAccount/SourceArn guard',
  run: (ctx: LintContext) => ctx.templates.flatMap(checkTrustGuards),
};
