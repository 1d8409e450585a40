/** Loads the broken fixtures of test/lint/fixtures as the gate's templates. */
import { join } from 'node:path';
import { loadConfig } from '../../config';
import { readTemplate } from '../../scripts/lint/templates';
import type { LintStackId, LintTemplate } from '../../scripts/lint/types';

export const FIXTURES = join(__dirname, 'fixtures');

/** The checked-in defaults only: a developer's playground.config.json must not change test results. */
export const config = loadConfig({ env: {}, cwd: FIXTURES });

export function fixture(name: string, id: LintStackId = 'network'): LintTemplate {
  const result = readTemplate(id, join(FIXTURES, name));
  if ('finding' in result) throw new Error(`fixture ${name}: ${result.finding.message}`);
  return result.template;
}

/** The label findings carry for a fixture. */
export function label(name: string): string {
  return `test/lint/fixtures/${name}`;
}
