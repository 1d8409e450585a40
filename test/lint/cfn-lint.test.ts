import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { capture, type Run } from '../../scripts/cli/process';
import {
  CFN_LINT_CHECK,
  CFN_LINT_INSTALL_HINT,
  type CfnLintOptions,
  runCfnLint,
} from '../../scripts/lint/cfn-lint';
import { type CfnLintSuppression, cfnLintSuppressions } from '../../scripts/lint/suppressions';
import { config, fixture, label } from './support';

/** Every fixture these tests lint, as runCfnLint is given them. */
const FIXTURES = [
  fixture('unknown-property.json', 'registry'),
  fixture('missing-required-property.json', 'cluster'),
  fixture('dangling-ref.json', 'network'),
  fixture('log-group-without-policies.json', 'cluster'),
];

/** cfn-lint's exit code bit of each level (its documented bit field, which runCfnLint reads). */
const LEVEL_BITS: Record<string, number> = { Error: 2, Warning: 4, Informational: 8 };

/**
 * ONE real cfn-lint run over every fixture (its start-up, ~1.5 s of CPU, is most of its time); each
 * test's runCfnLint call then gets that run's matches for its own files, with the exit code cfn-lint
 * gives those matches, after checking it asked for the same flags.
 */
function sharedCfnLint() {
  let real: { args: readonly string[]; run: Run } | undefined;
  const flags = (args: readonly string[]) => args.slice(0, args.indexOf('--'));
  const files = (args: readonly string[]) => args.slice(args.indexOf('--') + 1);
  const once: CfnLintOptions['run'] = async (command, args, options) => {
    real = { args, run: await capture(command, args, options) };
    return real.run;
  };
  const share: CfnLintOptions['run'] = async (_command, args) => {
    if (!real) throw new Error('the shared cfn-lint run has not run');
    expect(flags(args)).to.deep.equal(flags(real.args));
    await new Promise((resolve) => setImmediate(resolve));
    const wanted = new Set(files(args));
    const matches = (JSON.parse(real.run.stdout) as { Filename: string; Level: string }[]).filter((m) =>
      wanted.has(m.Filename),
    );
    const code = matches.reduce((bits, m) => bits | (LEVEL_BITS[m.Level] ?? 0), 0);
    return { ...real.run, code, stdout: JSON.stringify(matches) };
  };
  return { once, share };
}

describe('lint: cfn-lint', () => {
  const cfnLint = sharedCfnLint();
  let all: Awaited<ReturnType<typeof runCfnLint>>;
  before(async () => {
    all = await runCfnLint(FIXTURES, { region: config.app.region, run: cfnLint.once });
  });
  const lint = (templates: typeof FIXTURES, options: Omit<CfnLintOptions, 'region'> = {}) =>
    runCfnLint(templates, { region: config.app.region, run: cfnLint.share, ...options });

  it('fails on an unknown property, a missing required property and a dangling Ref (one cfn-lint run)', async () => {
    const findings = await lint(FIXTURES.slice(0, 3));
    expect(findings).to.deep.equal([
      {
        check: CFN_LINT_CHECK,
        template: label('dangling-ref.json'),
        location: 'Resources/LogGroup/Properties/LogGroupName/Ref (line 9)',
        message:
          "E1020 Error: 'MissingName' is not one of ['LogGroup', 'AWS::AccountId', 'AWS::NoValue', " +
          "'AWS::NotificationARNs', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']",
      },
      {
        check: CFN_LINT_CHECK,
        template: label('missing-required-property.json'),
        location: 'Resources/Cluster/Properties/ContainerDefinitions/0 (line 23)',
        message: "E3003 Error: 'Image' is a required property",
      },
      {
        check: CFN_LINT_CHECK,
        template: label('unknown-property.json'),
        location: 'Resources/Repository/Properties/RepositoryNam (line 8)',
        message:
          "E3002 Error: Additional properties are not allowed ('RepositoryNam' was unexpected. Did you mean 'RepositoryName'?)",
      },
    ]);
  });

  it('fails on informational matches too (cfn-lint leaves them out unless --include-checks I)', async () => {
    const findings = await lint([FIXTURES[3]]);
    const i3011 = (attribute: string) => ({
      check: CFN_LINT_CHECK,
      template: label('log-group-without-policies.json'),
      location: 'Resources/LogGroup (line 5)',
      message:
        `I3011 Informational: '${attribute}' is a required property (The default action when ` +
        'replacing/removing a resource is to delete it. Set explicit values for stateful resource)',
    });
    expect(findings).to.deep.equal([i3011('DeletionPolicy'), i3011('UpdateReplacePolicy')]);
  });

  it('accepts a suppressed rule on its resource only, and fails on a suppression that matches nothing', async () => {
    const reason = 'a reason a reviewer accepted';
    const suppressions: CfnLintSuppression[] = [
      { stack: 'cluster', resource: 'LogGroup', rule: 'I3011', reason },
      { stack: 'cluster', resource: 'LogGroup', rule: 'I1022', reason },
      // Another stack's suppression is not judged by a run that does not lint that stack.
      { stack: 'hook', resource: 'LogGroup', rule: 'I1022', reason },
    ];
    const findings = await lint([FIXTURES[3], FIXTURES[2]], { suppressions });
    expect(findings.map((f) => [f.template, f.location, f.message.split(':')[0]])).to.deep.equal([
      [label('dangling-ref.json'), 'Resources/LogGroup/Properties/LogGroupName/Ref (line 9)', 'E1020 Error'],
      [
        label('log-group-without-policies.json'),
        'Resources/LogGroup',
        'suppression of I1022 matches no finding',
      ],
    ]);
    expect(findings[1]!.message).to.equal(
      'suppression of I1022 matches no finding: remove it from scripts/lint/suppressions.ts',
    );
  });

  it('judges only the suppressions of the templates it was given, even if the list grows meanwhile', async () => {
    // The runner adds the hook's template to its list while cfn-lint runs over the others.
    const list = [FIXTURES[2]];
    const suppressions: CfnLintSuppression[] = [
      {
        stack: 'cluster',
        resource: 'LogGroup',
        rule: 'I3011',
        reason: 'judged by the run that lints cluster',
      },
    ];
    const running = lint(list, { suppressions });
    list.push(FIXTURES[3]);
    const findings = await running;
    expect(findings.map((f) => f.message.split(':')[0])).to.deep.equal(['E1020 Error']);
  });

  it('reports every fixture of one run, each under its own label', () => {
    // The real run the tests above share: all four fixtures, every finding labelled by its file.
    expect([...new Set(all.map((f) => f.template))].sort()).to.deep.equal(
      FIXTURES.map((t) => t.label).sort(),
    );
    expect(all).to.have.length(5);
  });

  it('documents every cfn-lint suppression in docs/checks.md, with its rule id and reason', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'checks.md'), 'utf8');
    for (const s of cfnLintSuppressions()) {
      expect(s.rule, s.resource).to.match(/^[EWI]\d{4}$/);
      expect(doc, `${s.stack} ${s.resource} ${s.rule}`).to.contain(
        `| ${s.stack} | \`${s.resource}\` | \`${s.rule}\` | ${s.reason} |`,
      );
    }
  });

  it('fails with the install instructions when cfn-lint is not installed', async () => {
    const findings = await runCfnLint([fixture('dangling-ref.json')], {
      region: config.app.region,
      command: 'cfn-lint-not-installed-here',
    });
    expect(findings).to.deep.equal([
      { check: CFN_LINT_CHECK, template: '-', location: '', message: CFN_LINT_INSTALL_HINT },
    ]);
    expect(CFN_LINT_INSTALL_HINT).to.contain('pip install cfn-lint');
  });

  it('fails when given no templates instead of passing vacuously', async () => {
    expect(await runCfnLint([], { region: config.app.region })).to.deep.equal([
      { check: CFN_LINT_CHECK, template: '-', location: '', message: 'no templates to lint' },
    ]);
  });
});
