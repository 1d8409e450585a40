import { expect } from 'chai';
import {
  type CommandSpec,
  parseCommandArgs,
  parseOrExit,
  usageText,
  wholeNumberFlag,
} from '../../scripts/cli/args';

const mockCommand: CommandSpec = {
  command: 'npm run thing --',
  summary: 'Does the thing.',
  options: [
    { name: 'dry-run', help: 'change nothing' },
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
});
