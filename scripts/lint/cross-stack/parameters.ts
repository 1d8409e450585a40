/**
 * Parameters across the deploy boundary: every parameter the deploy plan (scripts/deploy/plan.ts)
 * passes exists in the template, every parameter without a default is passed, and no declared
 * parameter goes unused inside its template. The hook's stack is deployed by `sls deploy`, which
 * passes none.
 */
import type { PlaygroundConfig } from '../../../config';
import type { Check, Finding, Json, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { isObject, walk } from '../walk';
import { PLAN_SCENARIOS, planFor } from './deploy-order';

export const PARAMETERS_CHECK = 'parameters';

/** Parameters passed per stack id, by the plan, in each scenario. */
export function passedParameters(
  config: PlaygroundConfig,
  templates: readonly LintTemplate[],
): { passed: Map<string, Set<string>>; findings: Finding[] } {
  const passed = new Map<string, Set<string>>();
  const findings: Finding[] = [];
  for (const scenario of PLAN_SCENARIOS) {
    let steps: ReturnType<typeof planFor>;
    try {
      steps = planFor(config, templates, scenario.facts);
    } catch (err) {
      findings.push(
        finding(
          PARAMETERS_CHECK,
          'scripts/deploy/plan.ts',
          '',
          `deploy plan (${scenario.name}) refused the templates: ${(err as Error).message}`,
        ),
      );
      continue;
    }
    for (const step of steps) {
      if (step.kind === 'deploy-hook') passed.set('hook', passed.get('hook') ?? new Set());
      if (step.kind !== 'deploy-stack') continue;
      const keys = passed.get(step.stack) ?? new Set<string>();
      for (const p of step.parameters) keys.add(p.key);
      passed.set(step.stack, keys);
    }
  }
  return { passed, findings };
}

/** Names a template uses with `Ref` or inside an `Fn::Sub` string. */
export function referencedNames(t: LintTemplate): Set<string> {
  const used = new Set<string>();
  const visit = (node: Json) => {
    if (!isObject(node)) return;
    if (typeof node.Ref === 'string') used.add(node.Ref);
    const sub = node['Fn::Sub'];
    const text =
      typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    // ${Name} and ${Name.Attr} refer; ${!Literal} is an escaped literal.
    if (text) for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) used.add(m[1].split('.')[0].trim());
  };
  for (const section of ['Resources', 'Outputs', 'Conditions'] as const)
    walk(t.template[section], [section], visit);
  return used;
}

export function checkParameters(config: PlaygroundConfig, templates: readonly LintTemplate[]): Finding[] {
  const { passed, findings } = passedParameters(config, templates);
  for (const t of templates) {
    const declared = t.template.Parameters ?? {};
    const used = referencedNames(t);
    const given = passed.get(t.id);
    for (const [name, spec] of Object.entries(declared)) {
      const where = `Parameters/${name}`;
      if (!used.has(name))
        findings.push(finding(PARAMETERS_CHECK, t, where, 'declared but never referenced (Ref or Fn::Sub)'));
      if (given && !given.has(name) && spec?.Default === undefined) {
        findings.push(finding(PARAMETERS_CHECK, t, where, 'has no default and the deploy does not pass it'));
      }
    }
    for (const name of given ?? []) {
      if (!(name in declared)) {
        findings.push(
          finding(
            PARAMETERS_CHECK,
            t,
            'Parameters',
            `the deploy passes ${name}, which the template does not declare`,
          ),
        );
      }
    }
  }
  return findings;
}

export const parametersCheck: Check = {
  name: PARAMETERS_CHECK,
  description: 'parameters the deploy passes exist; none is unused or left without a value',
  run: (ctx: LintContext) => checkParameters(ctx.config, ctx.templates),
};
