/**
 * How one runs some tests only: `npx mocha <files>`, from the root or any folder below it (mocha finds
 * .mocharc.js upward; its paths are absolute), and what `npm test -- --help` says to type.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { runScript } from '../cli/support';

describe('running some tests only', function () {
  // One mocha process with ts-node: seconds on a busy machine.
  this.timeout(120_000);

  it('runs one file with npx mocha from a subfolder (test/cli: npx mocha args.test.ts), and only that file', () => {
    const mocha = require.resolve('mocha/bin/mocha.js');
    const r = spawnSync(process.execPath, [mocha, 'args.test.ts'], {
      cwd: join(REPO_ROOT, 'test/cli'),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    const [, passed] = /\n(\d+) passed, 0 failed\n/.exec(r.stdout) ?? [];
    // test/cli/args.test.ts alone: its own tests, not the suite's hundreds.
    expect(Number(passed)).to.be.within(10, 40);
    expect(r.stdout).to.include('the command-line convention (scripts/cli/args.ts)');
  });

  it('tells npm test -- --help readers the command that runs only their files', async () => {
    const r = await runScript('test', ['--help']);
    expect(r.stdout).to.include('Some tests only: npx mocha <files> (from any folder;');
    expect(r.stdout).not.to.match(/Some tests only: npm run test:unit -- <files>;/);
  });
});
