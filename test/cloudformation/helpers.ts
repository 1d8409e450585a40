/**
 * Test helpers: templates as CloudFormation reads them (the rendered JSON, parsed back), for the
 * checked-in defaults or defaults with overrides. Never reads playground.config.json or the env.
 */

import { renderTemplate, STACK_TEMPLATES } from '../../cloudformation/stacks';
import type { StackId } from '../../config';
import { configWith } from '../support/config';

export { configWith };

// biome-ignore lint/suspicious/noExplicitAny: templates are arbitrary JSON navigated by tests.
export type Json = any;

/** The parsed JSON template of one stack. */
export function generated(stack: StackId, overrides: unknown = {}): Json {
  const generate = STACK_TEMPLATES[stack];
  if (!generate) throw new Error(`no generator for ${stack}`);
  return JSON.parse(renderTemplate(generate(configWith(overrides))));
}

/** Resources of a given type, as [logicalId, resource] pairs. */
export function ofType(template: Json, type: string): [string, Json][] {
  return Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
}

/** Target group attributes as a key → value map. */
export function attributes(list: { Key: string; Value: string }[]): Record<string, string> {
  return Object.fromEntries(list.map((a) => [a.Key, a.Value]));
}

export const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f2e4c3a-1111-2222-3333-444455556666';
