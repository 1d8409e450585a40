import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { CFN_LINT_CHECK, CFN_LINT_INSTALL_HINT, runCfnLint } from '../../scripts/lint/cfn-lint';
import { type CfnLintSuppression, cfnLintSuppressions } from '../../scripts/lint/suppressions';
import { config, fixture, label } from './support';

describe('lint: cfn-lint', () => {
  it('fails on an unknown property, a missing required property and a dangling Ref (one cfn-lint run)', async () => {
    const templates = [
      fixture('unknown-property.json', 'registry'),
      fixture('missing-required-property.json', 'cluster'),
      fixture('dangling-ref.json', 'network'),
    ];
    const findings = await runCfnLint(templates, { region: config.app.region });
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
    const findings = await runCfnLint([fixture('log-group-without-policies.json', 'cluster')], {
      region: config.app.region,
    });
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
    const findings = await runCfnLint(
      [fixture('log-group-without-policies.json', 'cluster'), fixture('dangling-ref.json', 'network')],
      { region: config.app.region, suppressions },
    );
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
    const list = [fixture('dangling-ref.json', 'network')];
    const suppressions: CfnLintSuppression[] = [
      {
        stack: 'cluster',
        resource: 'LogGroup',
        rule: 'I3011',
        reason: 'judged by the run that lints cluster',
      },
    ];
    const running = runCfnLint(list, { region: config.app.region, suppressions });
    list.push(fixture('log-group-without-policies.json', 'cluster'));
    const findings = await running;
    expect(findings.map((f) => f.message.split(':')[0])).to.deep.equal(['E1020 Error']);
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
