/**
 * Reference checks over templates, as pure functions returning findings (one string each, starting
 * with the template's label; none means clean). The lint gate runs them over every template it
 * checks (imports.ts adapts them to its findings); the generators' tests run them too.
 *
 * - every `Ref` names a resource, a parameter or a pseudo parameter;
 * - every `Fn::GetAtt` names a resource;
 * - every `${var}` of `Fn::Sub` names a resource (`${Res.Attr}` too), a parameter, a pseudo
 *   parameter or one of the Sub's own variables (`${!Literal}` is text);
 * - every `Condition` (on a resource/output, in `Fn::If` or `{"Condition": …}`) names a condition;
 * - every `DependsOn` names a resource;
 * - every `Fn::ImportValue` is a literal export name of another template earlier in the list.
 */

import type { CfnTemplate, LintTemplate } from '../types';

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** A template with the label its findings start with (a LintTemplate is one). */
export type LabelledTemplate = Pick<LintTemplate, 'label' | 'template'>;

const keysOf = (v: unknown): Set<string> =>
  new Set(v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);

/** `${Name}` / `${Res.Attr}` variables of a Sub string; `${!Literal}` is escaped text. */
export function subVariables(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (!match[1].startsWith('!')) out.push(match[1].trim());
  }
  return out;
}

/** Findings for Ref / GetAtt / Sub / Condition / DependsOn inside one template. */
export function checkReferences(label: string, template: CfnTemplate): string[] {
  const findings: string[] = [];
  const resources = keysOf(template.Resources);
  const parameters = keysOf(template.Parameters);
  const conditions = keysOf(template.Conditions);
  const refable = (name: string) =>
    resources.has(name) || parameters.has(name) || PSEUDO_PARAMETERS.has(name);

  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        walk(child, `${where}[${i}]`);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(obj)) {
      const at = `${where}.${key}`;
      if (key === 'Ref') {
        if (typeof value !== 'string') findings.push(`${label}: ${at} is not a string`);
        else if (!refable(value))
          findings.push(`${label}: ${at} → "${value}" is not a resource, parameter or pseudo parameter`);
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(value)
          ? value[0]
          : typeof value === 'string'
            ? value.split('.')[0]
            : undefined;
        if (typeof target !== 'string' || !resources.has(target)) {
          findings.push(`${label}: ${at} → "${String(target)}" is not a resource`);
        }
      } else if (key === 'Fn::Sub') {
        const [text, vars] = Array.isArray(value) ? value : [value, {}];
        const own = keysOf(vars);
        if (typeof text !== 'string') findings.push(`${label}: ${at} has no template string`);
        else {
          for (const variable of subVariables(text)) {
            const base = variable.includes('.') ? variable.split('.')[0] : variable;
            const ok =
              own.has(variable) || (variable.includes('.') ? resources.has(base) : refable(variable));
            if (!ok) findings.push(`${label}: ${at} → "\${${variable}}" resolves to nothing`);
          }
        }
      } else if (key === 'Fn::If') {
        const name = Array.isArray(value) ? value[0] : undefined;
        if (typeof name !== 'string' || !conditions.has(name)) {
          findings.push(`${label}: ${at} → condition "${String(name)}" is not defined`);
        }
      } else if (key === 'Condition' && typeof value === 'string' && !conditions.has(value)) {
        findings.push(`${label}: ${at} → condition "${value}" is not defined`);
      }
      walk(value, at);
    }
  };

  for (const section of ['Resources', 'Outputs', 'Conditions'] as const) {
    walk(template[section], section);
  }
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const dependsOn = resource.DependsOn;
    const list = dependsOn === undefined ? [] : Array.isArray(dependsOn) ? dependsOn : [dependsOn];
    for (const dep of list) {
      if (typeof dep !== 'string' || !resources.has(dep)) {
        findings.push(`${label}: Resources.${id}.DependsOn → "${String(dep)}" is not a resource`);
      }
    }
  }
  return findings;
}

/** Literal export names of a template's Outputs. */
export function exportNames(template: CfnTemplate): string[] {
  return Object.values(template.Outputs ?? {})
    .map((o) => o.Export?.Name)
    .filter((n): n is string => typeof n === 'string');
}

/** Every `Fn::ImportValue` in a template, with where it sits. */
export function importValues(template: CfnTemplate): { at: string; name: unknown }[] {
  const out: { at: string; name: unknown }[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((c, i) => {
        walk(c, `${where}[${i}]`);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::ImportValue') out.push({ at: `${where}.${key}`, name: value });
      else walk(value, `${where}.${key}`);
    }
  };
  walk(template.Resources, 'Resources');
  walk(template.Outputs, 'Outputs');
  return out;
}

/**
 * Findings for imports across templates given in deployment order: each import must be a literal
 * name exported by a template that comes EARLIER (a later or the same stack cannot exist yet).
 */
export function checkImports(templates: readonly LabelledTemplate[]): string[] {
  const findings: string[] = [];
  const exportedBy = new Map<string, number>();
  templates.forEach((t, i) => {
    for (const name of exportNames(t.template)) {
      const previous = exportedBy.get(name);
      if (previous !== undefined) {
        findings.push(`${t.label}: export "${name}" is also exported by ${templates[previous].label}`);
      } else exportedBy.set(name, i);
    }
  });
  templates.forEach((t, i) => {
    for (const { at, name } of importValues(t.template)) {
      if (typeof name !== 'string') {
        findings.push(`${t.label}: ${at} is not a literal export name`);
        continue;
      }
      const from = exportedBy.get(name);
      if (from === undefined)
        findings.push(`${t.label}: ${at} → "${name}" is exported by no generated stack`);
      else if (from >= i) {
        findings.push(
          `${t.label}: ${at} → "${name}" is exported by ${templates[from].label}, which is not deployed earlier`,
        );
      }
    }
  });
  return findings;
}

/** All reference findings over templates in deployment order. */
export function checkAllReferences(templates: readonly LabelledTemplate[]): string[] {
  return [...templates.flatMap((t) => checkReferences(t.label, t.template)), ...checkImports(templates)];
}
