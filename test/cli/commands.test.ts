import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { COMMANDS, runScript } from './support';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
/** npm scripts that run one of our commands: `ts-node -T scripts/<command>.ts`. */
const ourScripts = Object.entries(pkg.scripts)
  .filter(([, command]) => /ts-node -T scripts\/[a-z-]+\.ts$/.test(command))
  .map(([name]) => name);

describe('every command: one parser, one help convention', () => {
  it('knows every npm script that runs a scripts/<command>.ts, and each is one command (flags reach it)', () => {
    expect(ourScripts.sort()).to.deep.equal(Object.keys(COMMANDS).sort());
    // `a && b` would hand `npm run x -- --flag` to b only (what broke `npm run bench -- --rounds 5`).
    for (const name of ourScripts) expect(pkg.scripts[name], name).not.to.include('&&');
    // Every scripts/<command>.ts is an npm script's.
    const files = readdirSync(join(REPO_ROOT, 'scripts')).filter(
      (f) => f.endsWith('.ts') && f !== 'command.ts',
    );
    const used = ourScripts.map((name) => /scripts\/([a-z-]+\.ts)$/.exec(pkg.scripts[name])![1]);
    expect(files.sort()).to.deep.equal(used.sort());
  });

  it('parses flags only with the shared parser (scripts/cli/args.ts), never a hand-rolled loop or its own parseArgs', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && path !== 'scripts/cli/args.ts') {
          const text = readFileSync(join(REPO_ROOT, path), 'utf8');
          if (/from 'node:util'[^\n]*|\bparseArgs\(/.test(text) && /\bparseArgs\b/.test(text))
            offenders.push(path);
        }
      }
    };
    walk('scripts');
    expect(offenders).to.deep.equal([]);
  });

  for (const [script, usageLine] of Object.keys(COMMANDS).map(
    (s) => [s, `Usage: ${s === 'start' || s === 'test' ? `npm ${s}` : `npm run ${s}`} -- [flags]`] as const,
  )) {
    it(`${script}: -h and --help print the usage and exit 0; an unknown flag exits 2 with the usage`, async () => {
      for (const flag of ['-h', '--help']) {
        const help = await runScript(script, [flag]);
        expect([help.code, help.stderr], `${script} ${flag}`).to.deep.equal([0, '']);
        expect(help.stdout.split('\n')[0]).to.equal(usageLine);
        expect(help.stdout).to.include('  -h, --help');
      }
      const bad = await runScript(script, ['--no-such-flag']);
      expect(bad.code, `${script} --no-such-flag`).to.equal(2);
      expect(bad.stdout).to.equal('');
      expect(bad.stderr).to.match(
        new RegExp(`^error: unknown flag --no-such-flag\\n\\n${usageLine.replace(/[[\]]/g, '\\$&')}\\n`),
      );
    });
  }
});
