/**
 * Finds the templates the gate checks: every stack the config deploys (stacksFor) in the templates
 * directory (written by `npm run synth`) and the hook's `sls package` output. A missing or unreadable file is a finding,
 * never a silent skip: a gate that checks nothing must not pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { renderAll } from '../../cloudformation/stacks';
import { type PlaygroundConfig, REPO_ROOT, STACKS, type StackId } from '../../config';
import { type CfnTemplate, type Finding, finding, type LintStackId, type LintTemplate } from './types';
import { isObject } from './walk';

export const TEMPLATES_CHECK = 'templates';

/** Where `npm run synth` writes `<stack>.json`, relative to the repository root. */
export const DEFAULT_TEMPLATES_DIR = 'cloudformation/templates';

export interface Loaded {
  templates: LintTemplate[];
  findings: Finding[];
}

/** Reads `<dir>/<stack>.json` for every stack of `stacks` (all by default), in deployment order. */
export function loadGeneratedTemplates(
  dir: string,
  root: string = REPO_ROOT,
  stacks: readonly StackId[] = STACKS,
): Loaded {
  const out: Loaded = { templates: [], findings: [] };
  const absDir = isAbsolute(dir) ? dir : join(root, dir);
  for (const stack of stacks) {
    const result = readTemplate(stack, join(absDir, `${stack}.json`), root);
    if ('template' in result) out.templates.push(result.template);
    else out.findings.push(result.finding);
  }
  return out;
}

/** One template file, or the finding that says why it cannot be checked. */
export function readTemplate(
  id: LintStackId,
  file: string,
  root: string = REPO_ROOT,
): { template: LintTemplate } | { finding: Finding } {
  const label = labelFor(file, root);
  if (!existsSync(file)) {
    return { finding: finding(TEMPLATES_CHECK, label, '', 'not found (run `npm run synth`)') };
  }
  const body = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { finding: finding(TEMPLATES_CHECK, label, '', `not valid JSON (${(err as Error).message})`) };
  }
  if (!isObject(parsed) || !isObject(parsed.Resources)) {
    return {
      finding: finding(TEMPLATES_CHECK, label, '', 'is not a CloudFormation template (no Resources)'),
    };
  }
  return { template: { id, label, file, body, template: parsed as unknown as CfnTemplate } };
}

/** The templates `npm run synth` writes for `config`, as the gate sees them, without touching the disk. */
export function renderedTemplates(config: PlaygroundConfig): LintTemplate[] {
  return renderAll(config).map(({ stack, json }) => ({
    id: stack,
    label: stack,
    file: join(REPO_ROOT, DEFAULT_TEMPLATES_DIR, `${stack}.json`),
    body: json,
    // A template is JSON CloudFormation reads: the gate's CfnTemplate describes exactly that shape.
    template: JSON.parse(json) as CfnTemplate,
  }));
}

/** Paths inside the repository are shown relative to it; others (the sls temp dir) in full. */
export function labelFor(file: string, root: string = REPO_ROOT): string {
  const rel = relative(root, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
