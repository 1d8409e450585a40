import { expect } from 'chai';
import { CFN_LINT_CHECK, CFN_LINT_INSTALL_HINT, runCfnLint } from '../../scripts/lint/cfn-lint';
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
        location: 'Resources/Cluster/Properties/ContainerDefinitions/0 (line 21)',
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
