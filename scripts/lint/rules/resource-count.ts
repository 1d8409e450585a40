/**
 * CloudFormation allows at most 500 resources per template.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import type { Check, Finding, LintContext, LintTemplate } from '../types';
import { finding } from '../types';

export const RESOURCE_COUNT_CHECK = 'resource-count';
export const MAX_RESOURCES = 500;

export function checkResourceCount(t: LintTemplate, max = MAX_RESOURCES): Finding[] {
  const count = Object.keys(t.template.Resources ?? {}).length;
  if (count <= max) return [];
  return [
    finding(
      RESOURCE_COUNT_CHECK,
      t,
      'Resources',
      `${count} resources, over CloudFormation's limit of ${max}`,
    ),
  ];
}

export const resourceCountCheck: Check = {
  name: RESOURCE_COUNT_CHECK,
  description: `≤ ${MAX_RESOURCES} resources per template`,
  run: (ctx: LintContext) => ctx.templates.flatMap((t) => checkResourceCount(t)),
};
