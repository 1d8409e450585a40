/**
 * Logs expire: every AWS::Logs::LogGroup sets RetentionInDays (the default is "never expire",
 * storage that grows forever), and every Lambda function has such a log group in its template:
 * otherwise Lambda creates `/aws/lambda/<name>` itself on first invocation, without retention and
 * outside the stack.
 */
import type { Check, Finding, Json, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { isObject, referencedId, resourcesOf } from '../walk';

export const LOG_RETENTION_CHECK = 'log-retention';

function retained(t: LintTemplate): { ids: Set<string>; names: Set<string> } {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const [id, group] of resourcesOf(t.template, 'AWS::Logs::LogGroup')) {
    if (group.Properties?.RetentionInDays === undefined) continue;
    ids.add(id);
    if (typeof group.Properties.LogGroupName === 'string') names.add(group.Properties.LogGroupName);
  }
  return { ids, names };
}

function functionLogGroupFound(
  loggingGroup: Json | undefined,
  name: Json | undefined,
  r: ReturnType<typeof retained>,
) {
  const ref = referencedId(loggingGroup);
  if (ref) return r.ids.has(ref);
  if (typeof loggingGroup === 'string') return r.names.has(loggingGroup);
  return typeof name === 'string' && r.names.has(`/aws/lambda/${name}`);
}

export function checkLogRetention(t: LintTemplate): Finding[] {
  const findings: Finding[] = [];
  for (const [id, group] of resourcesOf(t.template, 'AWS::Logs::LogGroup')) {
    if (group.Properties?.RetentionInDays === undefined) {
      findings.push(
        finding(
          LOG_RETENTION_CHECK,
          t,
          `Resources/${id}`,
          'log group has no RetentionInDays (logs would never expire)',
        ),
      );
    }
  }
  const r = retained(t);
  for (const [id, fn] of resourcesOf(t.template, 'AWS::Lambda::Function')) {
    const props = fn.Properties ?? {};
    const logging = isObject(props.LoggingConfig) ? props.LoggingConfig.LogGroup : undefined;
    if (logging === undefined && typeof props.FunctionName !== 'string') {
      findings.push(
        finding(
          LOG_RETENTION_CHECK,
          t,
          `Resources/${id}`,
          'function has no literal FunctionName or LoggingConfig.LogGroup, so its log group cannot be found',
        ),
      );
    } else if (!functionLogGroupFound(logging, props.FunctionName, r)) {
      const expected = logging === undefined ? `/aws/lambda/${props.FunctionName}` : JSON.stringify(logging);
      findings.push(
        finding(
          LOG_RETENTION_CHECK,
          t,
          `Resources/${id}`,
          `function has no log group with RetentionInDays in this template (expected ${expected})`,
        ),
      );
    }
  }
  return findings;
}

export const logRetentionCheck: Check = {
  name: LOG_RETENTION_CHECK,
  description: 'every log group sets RetentionInDays and every Lambda function has such a log group',
  run: (ctx: LintContext) => ctx.templates.flatMap(checkLogRetention),
};
