/**
 * No policy may Allow every action, `*`, or every action of a service, `s3:*`; nor Allow with
 * `NotAction`, which grants everything except a list. Deny statements may use wildcards (the TLS-only
 * bucket policy denies `s3:*`, as it should).
 */
import type { Check, Finding, LintContext } from '../types';
import { finding } from '../types';
import { pathString } from '../walk';
import { actionsOf, allows, isFullWildcardAction, policyStatements } from './policy-statements';

export const IAM_WILDCARD_ACTION_CHECK = 'iam-wildcard-action';

export const iamWildcardActionCheck: Check = {
  name: IAM_WILDCARD_ACTION_CHECK,
  description: 'no IAM statement allows Action "*" or "service:*" (or uses Allow + NotAction)',
  run(ctx: LintContext): Finding[] {
    const findings: Finding[] = [];
    for (const t of ctx.templates) {
      for (const s of policyStatements(t)) {
        if (!allows(s.statement)) continue;
        const where = pathString(s.path);
        for (const action of actionsOf(s.statement).filter(isFullWildcardAction)) {
          findings.push(
            finding(
              IAM_WILDCARD_ACTION_CHECK,
              t,
              where,
              `allows Action "${action}" (list the actions needed)`,
            ),
          );
        }
        if ('NotAction' in s.statement) {
          findings.push(
            finding(IAM_WILDCARD_ACTION_CHECK, t, where, 'allows NotAction, i.e. every other action'),
          );
        }
      }
    }
    return findings;
  },
};
