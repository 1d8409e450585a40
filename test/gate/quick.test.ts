import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { globTestFiles } from './support';

/** `npm run test:quick`: the inner loop, every test file but those that are slow by design. */
const quick = require(join(REPO_ROOT, 'test/support/quick.mocharc.js')) as {
  ignore: string[];
  require: string[];
  extension: string[];
};
const main = require(join(REPO_ROOT, '.mocharc.js')) as typeof quick;

describe('npm run test:quick (the inner loop)', () => {
  it('leaves out every test file that starts a child process, and only existing files', () => {
    // (This file names the markers it looks for: it is not one of them.)
    const spawning = globTestFiles().filter(
      (file) =>
        file !== 'test/gate/quick.test.ts' &&
        /from 'node:child_process'|useMoto\(|synthProcess\(/.test(
          readFileSync(join(REPO_ROOT, file), 'utf8'),
        ),
    );
    expect(spawning.filter((f) => !quick.ignore.includes(f))).to.deep.equal([]);
    expect(quick.ignore.filter((f) => !existsSync(join(REPO_ROOT, f)))).to.deep.equal([]);
  });

  it('loads tests exactly as the full suite does', () => {
    expect(quick.require).to.deep.equal(main.require);
    expect(quick.extension).to.deep.equal(main.extension);
  });
});
