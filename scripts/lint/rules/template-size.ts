/**
 * CloudFormation accepts a template body of at most 51,200 bytes in the request (a template read
 * from S3 may be 1 MB, but the deploy script sends the body directly). The size measured is the
 * compact JSON the deploy sends (scripts/deploy/templates.ts templateBody()).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import type { Check, Finding, LintContext, LintTemplate } from '../types';
import { finding } from '../types';

export const TEMPLATE_SIZE_CHECK = 'template-size';
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

export function templateBodyBytes(t: LintTemplate): number {
  return Buffer.byteLength(JSON.stringify(t.template), 'utf8');
}

export function checkTemplateSize(t: LintTemplate, max = MAX_TEMPLATE_BODY_BYTES): Finding[] {
  const bytes = templateBodyBytes(t);
  if (bytes <= max) return [];
  return [
    finding(
      TEMPLATE_SIZE_CHECK,
      t,
      '',
      `template body is ${bytes} bytes (compact JSON), over CloudFormation's ${max}-byte limit for a request body`,
    ),
  ];
}

export const templateSizeCheck: Check = {
  name: TEMPLATE_SIZE_CHECK,
  description: `template body (compact JSON) ≤ ${MAX_TEMPLATE_BODY_BYTES} bytes`,
  run: (ctx: LintContext) => ctx.templates.flatMap((t) => checkTemplateSize(t)),
};
