/**
 * Reads the generated templates (`npm run synth` writes them) into what the plan needs. The deploy
 * works on the templates of YOUR config, in cloudformation/out/<stage>/ (git-ignored); the committed
 * cloudformation/templates/ are the reference set rendered from the defaults and are never deployed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deployTemplateDir } from '../../cloudformation/stacks';
import type { StackId } from '../../config';
import { PlanError, type TemplateInfo, type Templates } from './plan';
import type { CfnTemplate } from './replacement';

/** `cloudformation/out/<stage>/<stack>.json`: where synth writes a stack's template for `stage`. */
export function templatePath(stack: StackId, stage: string): string {
  return `${deployTemplateDir(stage)}/${stack}.json`;
}

/**
 * The template of each of `stacks` (a run passes stacksFor(config)) from `dir` (the stage's folder,
 * or a dry run's temporary copy), or one error naming each missing or unreadable file. Paths in the
 * result are the repository's.
 */
export function loadTemplates(dir: string, stage: string, stacks: readonly StackId[]): Templates {
  const problems: string[] = [];
  const out: Templates = {};
  for (const stack of stacks) {
    const path = templatePath(stack, stage);
    const file = join(dir, `${stack}.json`);
    if (!existsSync(file)) {
      problems.push(`${path} not found (run \`npm run synth\`)`);
      continue;
    }
    try {
      out[stack] = describeTemplate(path, JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      problems.push(`${path}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new PlanError(`templates are not usable:\n  - ${problems.join('\n  - ')}`);
  return out;
}

/** The template body as sent to CloudFormation: compact JSON, the smallest form of the same template. */
export function templateBody(path: string, dir: string): string {
  return JSON.stringify(JSON.parse(readFileSync(join(dir, basename(path)), 'utf8')));
}

export function describeTemplate(path: string, template: unknown): TemplateInfo {
  if (template === null || typeof template !== 'object') throw new Error('not a JSON object');
  const t = template as CfnTemplate & { Parameters?: Record<string, unknown> };
  if (!t.Resources || typeof t.Resources !== 'object') throw new Error('has no Resources');
  return {
    path,
    parameters: Object.keys(t.Parameters ?? {}),
    resourceCount: Object.keys(t.Resources).length,
    template: t,
  };
}
