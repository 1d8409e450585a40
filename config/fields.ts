/**
 * The building blocks of the config schema (schema.ts, ecs-canary.ts): each field kind with a
 * message that says what is allowed, so a bad value fails with `<field>=<value>: <what is allowed>`.
 */
import { z } from 'zod';
import type { Range } from './ranges';

export const list = (values: readonly (string | number)[]) => values.join(', ');

/** A whole number in [min, max], with a message that says so. */
export const int = (...[min, max]: Range) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `allowed: ${list(values)}` });

export const flag = z.boolean({ error: 'must be true or false' });

export const name = (pattern: RegExp, rule: string) =>
  z.string({ error: rule }).regex(pattern, { error: rule });
