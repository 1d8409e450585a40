/**
 * Reads the generated templates (`npm run synth` writes them) into what the plan needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT, STACKS, type StackId } from '../../config';
import { PlanError, type TemplateInfo, type Templates } from './plan';

/** Where synth writes `<stack>.json`, relative to the repository root. */
export const TEMPLATE_DIR = 'cloudformation/templates';

export function templatePath(stack: StackId): string {
  return `${TEMPLATE_DIR}/${stack}.json`;
}

/** The directory `npm run synth` writes to by default. */
export const DEFAULT_TEMPLATE_DIR = join(REPO_ROOT, TEMPLATE_DIR);

/**
 * The template of each of `stacks` (all by default; a run passes stacksFor(config)) from `dir` (the
 * repository's templates, or a dry run's temporary copy), or one error naming each missing or
 * unreadable file. Paths in the result are the repository's.
 */
export function loadTemplates(
  dir: string = DEFAULT_TEMPLATE_DIR,
  stacks: readonly StackId[] = STACKS,
): Templates {
  const problems: string[] = [];
  const out: Templates = {};
  for (const stack of stacks) {
    const path = templatePath(stack);
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
export function templateBody(path: string, dir: string = DEFAULT_TEMPLATE_DIR): string {
  return JSON.stringify(JSON.parse(readFileSync(join(dir, basename(path)), 'utf8')));
}

export function describeTemplate(path: string, template: unknown): TemplateInfo {
  if (template === null || typeof template !== 'object') throw new Error('not a JSON object');
  const t = template as { Parameters?: Record<string, unknown>; Resources?: Record<string, unknown> };
  if (!t.Resources || typeof t.Resources !== 'object') throw new Error('has no Resources');
  return {
    path,
    parameters: Object.keys(t.Parameters ?? {}),
    resourceCount: Object.keys(t.Resources).length,
  };
}
