import { expect } from 'chai';
import {
  type CommandSpec,
  npmHonouredNotes,
  npmTakenFlags,
  parseCommandArgs,
  parseOrExit,
  usageText,
  wholeNumberFlag,
} from '../../scripts/cli/args';

const mockCommand: CommandSpec = {
  command: 'npm run thing --',
  summary: 'Does the thing.',
  options: [
    { name: 'dry-run', help: 'change nothing', fromNpm: 'honour' },
    { name: 'stage', value: 'name', help: 'stage to use' },
    { name: 'url', value: 'id=url', multiple: true, help: 'repeatable' },
  ],
};

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const result = parseOrExit(mockCommand, argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { result, out, err };
}

describe('the command-line convention (scripts/cli/args.ts)', () => {
  it('creates the values of --flag, --flag value, --flag=value and repeatable flags', () => {
    expect(
      parseCommandArgs(['--dry-run', '--stage', 'dev', '--url=a=1', '--url', 'b=2'], mockCommand.options),
    ).to.deep.equal({ 'dry-run': true, stage: 'dev', url: ['a=1', 'b=2'] });
  });

  it('prints the usage and exits 0 on -h and --help, whatever else is given', () => {
    for (const argv of [['-h'], ['--help'], ['--stage', 'x', '-h']]) {
      const r = run(argv);
      expect([r.result, r.out, r.err]).to.deep.equal([0, [usageText(mockCommand)], []]);
    }
    expect(usageText(mockCommand)).to.equal(
      [
        'Usage: npm run thing -- [flags]',
        '',
        'Does the thing.',
        '',
        '      --dry-run       change nothing',
        '      --stage <name>  stage to use',
        '      --url <id=url>  repeatable',
        '  -h, --help          show this help',
      ].join('\n'),
    );
  });

  const problems: [string[], string][] = [
    [['--dryrun'], 'unknown flag --dryrun: did you mean --dry-run?'],
    [['--stag', 'x'], 'unknown flag --stag: did you mean --stage?'],
    [['--force'], 'unknown flag --force'],
    [['-x'], 'unknown flag -x'],
    [['--stage'], '--stage needs a value: --stage <name>'],
    [['--stage', '--dry-run'], '--stage needs a value: --stage <name>'],
    [['--stage='], '--stage needs a value: --stage <name>'],
    [['--dry-run=yes'], '--dry-run takes no value'],
    [['--stage', 'a', '--stage', 'b'], '--stage given twice'],
    [['deploy'], 'unexpected argument "deploy": this command takes only the flags below'],
  ];
  for (const [argv, message] of problems) {
    it(`fails with the usage and exit 2 on ${argv.join(' ')}`, () => {
      const r = run(argv);
      expect([r.result, r.out, r.err]).to.deep.equal([
        2,
        [],
        [`error: ${message}\n\n${usageText(mockCommand)}`],
      ]);
    });
  }

  it('fails a whole-number flag out of its range, naming the range', () => {
    expect(wholeNumberFlag({ n: '3' }, 'n', [1, 5])).to.equal(3);
    expect(wholeNumberFlag({}, 'n', [1, 5])).to.equal(undefined);
    expect(() => wholeNumberFlag({ n: '1.5' }, 'n', [1, 5])).to.throw(
      '--n 1.5: must be a whole number from 1 to 5',
    );
  });

  describe('flags npm takes for itself (npm run thing --flag, without --)', () => {
    const npm = (env: Record<string, string>) => ({ env, command: mockCommand.command });

    it('finds a declared flag or an npm flag in npm_config_*, unless the flag reached the command too', () => {
      const env = { npm_config_dry_run: 'true', npm_config_force: 'true', npm_config_registry: 'x' };
      expect(npmTakenFlags(mockCommand.options, [], env).map((t) => [t.name, t.value])).to.deep.equal([
        ['dry-run', 'true'],
        ['force', 'true'],
      ]);
      expect(npmTakenFlags(mockCommand.options, ['--dry-run'], { npm_config_dry_run: 'true' })).to.deep.equal(
        [],
      );
      // npm writes '' for a flag set to false (--no-dry-run); an exported NPM_CONFIG_* counts too.
      expect(npmTakenFlags(mockCommand.options, [], { npm_config_dry_run: '' })).to.deep.equal([]);
      expect(npmTakenFlags(mockCommand.options, [], { NPM_CONFIG_STAGE: 'prod' })).to.have.length(1);
    });

    it('honours a flag marked fromNpm, and says so', () => {
      const env = { npm_config_dry_run: 'true' };
      expect(parseCommandArgs([], mockCommand.options, npm(env))).to.deep.equal({ 'dry-run': true });
      expect(npmHonouredNotes(mockCommand.options, [], npm(env))).to.deep.equal([
        'note: npm took --dry-run for itself (npm_config_dry_run=true); this command honours it, as if you had typed npm run thing -- --dry-run',
      ]);
    });

    it('fails with the spelling that works for any other flag npm took, before the stray value', () => {
      // `npm run thing --stage prod`: npm keeps --stage, the command gets a bare `prod`.
      expect(() =>
        parseCommandArgs(['prod'], mockCommand.options, npm({ npm_config_stage: 'true' })),
      ).to.throw(
        "npm took --stage for itself (npm_config_stage=true), so this command never saw it; nothing was changed. Put the command's flags after --: npm run thing -- --stage prod (if an .npmrc or your environment sets stage, unset it for this command)",
      );
      expect(() => parseCommandArgs([], mockCommand.options, npm({ npm_config_stage: 'true' }))).to.throw(
        "Put the command's flags after --: npm run thing -- --stage <name>",
      );
      expect(() => parseCommandArgs([], mockCommand.options, npm({ npm_config_stage: 'prod' }))).to.throw(
        "Put the command's flags after --: npm run thing -- --stage prod",
      );
      expect(() => parseCommandArgs([], mockCommand.options, npm({ npm_config_yes: 'true' }))).to.throw(
        'npm took --yes for itself (npm_config_yes=true), so this command never saw it, and it has no --yes flag (npm run thing -- --help lists them); nothing was changed. If an .npmrc or your environment sets yes, unset it for this command',
      );
    });

    it('exits 2 with the usage through parseOrExit when given the environment', () => {
      const err: string[] = [];
      const out = { out: () => {}, err: (t: string) => err.push(t) };
      expect(parseOrExit(mockCommand, [], out, { npm_config_force: 'true' })).to.equal(2);
      expect(err[0]).to.match(/^error: npm took --force for itself/);
      // Without the environment (every other command), npm's variables are not looked at.
      expect(parseOrExit(mockCommand, [], out)).to.deep.equal({});
    });
  });
});
