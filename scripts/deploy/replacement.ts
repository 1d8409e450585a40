/**
 * Changes CloudFormation cannot apply to a live stack in place, found by comparing each live stack's
 * template (GetTemplate) with the one about to be deployed, BEFORE anything changes:
 *
 * 1. A resource with a custom name would be replaced (one of its create-only properties changes,
 *    e.g. a target group's Port after `container.port` changed). CloudFormation refuses: "If you
 *    specify a name, you cannot perform updates that require replacement of this resource"
 *    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html).
 *    The stack must be deleted and created again.
 * 2. An exported output would change while another stack imports it (e.g. TaskSubnetIds and
 *    TaskAssignPublicIp when `network.natGateways` is toggled, or VpcId when the VPC is replaced).
 *    "After another stack imports an output value, you can't delete the stack that is exporting the
 *    output value or modify the exported output value. All the imports must be removed before you can
 *    delete the exporting stack or modify the output value."
 *    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html)
 *    The importing stacks must be deleted first and created again after the update.
 *
 * The comparison is on template expressions: an output whose expression changes, or that refers to a
 * resource being replaced, changes its value. (A parameter value is not followed: only the service
 * stacks take one, ImageUri, which only their unnamed task definitions use.)
 */
import { isDeepStrictEqual } from 'node:util';
import type { StackId } from '../../config';
import { CREATE_ONLY_PROPERTIES, CUSTOM_NAME_PROPERTY } from './create-only';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
}

export interface InPlaceProblem {
  /** The stack whose update CloudFormation would refuse. */
  stack: StackId;
  /** One sentence: what would change and why it cannot. */
  what: string;
  /** Stacks to delete before the update (and create again after it), in deployment order. */
  recreate: StackId[];
}

/**
 * Logical ids of `live` resources that `next` replaces: a changed type or create-only property, or a
 * create-only property that refers to a replaced resource (its physical id changes too).
 */
export function replacedResources(live: CfnTemplate, next: CfnTemplate): Map<string, string> {
  const reasons = new Map<string, string>();
  const liveResources = live.Resources ?? {};
  const nextResources = next.Resources ?? {};
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, before] of Object.entries(liveResources)) {
      const after = nextResources[id];
      if (!after || reasons.has(id)) continue;
      const reason = replacementReason(before, after, reasons);
      if (reason) {
        reasons.set(id, reason);
        changed = true;
      }
    }
  }
  return reasons;
}

function replacementReason(
  before: CfnResource,
  after: CfnResource,
  replaced: ReadonlyMap<string, string>,
): string | undefined {
  if (before.Type !== after.Type) return `its type changes to ${after.Type}`;
  for (const property of CREATE_ONLY_PROPERTIES[after.Type] ?? []) {
    const a = before.Properties?.[property];
    const b = after.Properties?.[property];
    if (!isDeepStrictEqual(a, b)) return `${property} changes from ${show(a)} to ${show(b)}`;
    const target = [...references(b)].find((ref) => replaced.has(ref));
    if (target) return `${property} refers to ${target}, which is replaced`;
  }
  return undefined;
}

/** Names of the exports whose value changes (or that disappear) when `live` becomes `next`. */
export function changedExports(live: CfnTemplate, next: CfnTemplate): string[] {
  const replaced = replacedResources(live, next);
  const out: string[] = [];
  for (const [key, output] of Object.entries(live.Outputs ?? {})) {
    const name = output.Export?.Name;
    if (typeof name !== 'string') continue;
    const after = next.Outputs?.[key];
    const stillExported = after?.Export?.Name === name;
    const sameValue = isDeepStrictEqual(output.Value, after?.Value);
    const refersToReplaced = [...references(after?.Value)].some((ref) => replaced.has(ref));
    if (!stillExported || !sameValue || refersToReplaced) out.push(name);
  }
  return out;
}

/** The export names a template imports with Fn::ImportValue. */
export function importedNames(template: CfnTemplate): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'Fn::ImportValue' && typeof v === 'string') names.add(v);
        else walk(v);
      }
    }
  };
  walk(template.Resources);
  return names;
}

/**
 * Every change among `stacks` (deployment order) that CloudFormation cannot apply in place.
 * `live` holds the templates of the stacks that exist; `next` the ones about to be deployed.
 */
export function inPlaceProblems(
  stacks: readonly StackId[],
  live: Partial<Record<StackId, CfnTemplate>>,
  next: Partial<Record<StackId, CfnTemplate>>,
): InPlaceProblem[] {
  const problems: InPlaceProblem[] = [];
  const importersOf = (exportName: string) =>
    stacks.filter((s) => {
      const template = live[s];
      return template !== undefined && importedNames(template).has(exportName);
    });

  for (const stack of stacks) {
    const before = live[stack];
    const after = next[stack];
    if (!before || !after) continue;
    const replaced = replacedResources(before, after);
    for (const [id, reason] of replaced) {
      const type = after.Resources?.[id]?.Type ?? '';
      const nameProperty = CUSTOM_NAME_PROPERTY[type];
      const name = nameProperty ? after.Resources?.[id]?.Properties?.[nameProperty] : undefined;
      if (name === undefined) continue;
      // Deleting this stack also needs every stack that imports from it gone first.
      const exported = Object.values(before.Outputs ?? {}).flatMap((o) =>
        typeof o.Export?.Name === 'string' ? [o.Export.Name] : [],
      );
      const importers = [...new Set(exported.flatMap(importersOf))].filter((s) => s !== stack);
      problems.push({
        stack,
        what: `${id} (${type} named ${show(name)}) would be replaced (${reason}), and CloudFormation cannot replace a resource with a custom name`,
        recreate: inOrder(stacks, [stack, ...importers]),
      });
    }
    for (const exportName of changedExports(before, after)) {
      const importers = importersOf(exportName).filter((s) => s !== stack);
      if (!importers.length) continue;
      problems.push({
        stack,
        what: `its export ${exportName} would change, and CloudFormation cannot change an export that ${importers.join(', ')} import${importers.length === 1 ? 's' : ''}`,
        recreate: inOrder(stacks, importers),
      });
    }
  }
  return problems;
}

/** Logical ids a template expression refers to with Ref, Fn::GetAtt or Fn::Sub. */
export function references(node: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) out.add(v);
        else if (k === 'Fn::GetAtt') {
          const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
          if (typeof target === 'string') out.add(target);
        } else if (k === 'Fn::Sub') {
          const text = Array.isArray(v) ? v[0] : v;
          // Names the Sub's own variable map defines are not resources.
          const local = Array.isArray(v) && v[1] && typeof v[1] === 'object' ? Object.keys(v[1]) : [];
          if (typeof text === 'string') {
            for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) {
              if (!local.includes(m[1])) out.add(m[1]);
            }
          }
          if (Array.isArray(v)) walk(v[1]);
        } else walk(v);
      }
    }
  };
  walk(node);
  return out;
}

function inOrder(stacks: readonly StackId[], some: readonly StackId[]): StackId[] {
  return stacks.filter((s) => some.includes(s));
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
