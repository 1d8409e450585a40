/**
 * Small helpers to read CloudFormation JSON: walking every node with its path, reading literal
 * strings, and recognising the intrinsic functions the checks care about.
 */
import type { CfnResource, CfnTemplate, Json, JsonObject } from './types';

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Calls `visit` on every node below `value` (depth first), with its path from the root. */
export function walk(value: unknown, path: string[], visit: (node: Json, path: string[]) => void): void {
  if (value === undefined) return;
  visit(value as Json, path);
  const children: [string, unknown][] = Array.isArray(value)
    ? value.map((child, i) => [String(i), child])
    : isObject(value)
      ? Object.entries(value)
      : [];
  for (const [key, child] of children) walk(child, [...path, key], visit);
}

/** `Resources/Foo/Properties/Bar` */
export function pathString(path: readonly string[]): string {
  return path.join('/');
}

/** The resources of a template with their logical ids, optionally of one type. */
export function resourcesOf(template: CfnTemplate, type?: string): [string, CfnResource][] {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => !type || r.Type === type);
}

/** A value as a list: CloudFormation accepts one item or a list in many places (Action, Resource…). */
export function asList(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The logical id a value points at with `Ref` or `Fn::GetAtt`, if it is one of those. */
export function referencedId(value: Json | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The export name an `Fn::ImportValue` reads, when it is a literal string. */
export function importedName(value: Json | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  const name = value['Fn::ImportValue'];
  return typeof name === 'string' ? name : undefined;
}
