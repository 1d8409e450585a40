import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../config';

/** Every `*.test.ts` under test/, as paths from the repository root. */
export function globTestFiles(dir = join(REPO_ROOT, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? globTestFiles(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [relative(REPO_ROOT, join(dir, e.name))]
        : [],
  );
}
