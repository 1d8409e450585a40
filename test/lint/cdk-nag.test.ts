import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { CDK_NAG_CHECK, runCdkNag } from '../../scripts/lint/cdk-nag';
import { cdkNagSuppressions, type NagSuppression } from '../../scripts/lint/suppressions';
import { config, fixture, label } from './support';

describe('lint: cdk-nag', () => {
  // ONE CDK app run (aws-cdk-lib loads once, ~3-8 s): every case below reads its findings.
  let findings: Awaited<ReturnType<typeof runCdkNag>>;
  const suppressions: NagSuppression[] = [
    {
      stack: 'network',
      resource: 'AlbSecurityGroup',
      rule: 'AwsSolutions-EC23',
      reason: 'public ALB must accept 0.0.0.0/0 on 80',
    },
    {
      stack: 'network',
      resource: 'Gone',
      rule: 'AwsSolutions-EC23',
      reason: 'a resource that no longer exists',
    },
  ];
  before(async function () {
    this.timeout(60_000);
    findings = await runCdkNag(
      [
        fixture('nag-error.json', 'network'),
        fixture('iam-resource-star-allowed.json', 'registry'),
        fixture('iam-resource-star.json', 'cluster'),
      ],
      suppressions,
    );
  });

  it('fails on an AwsSolutions error that no suppression covers', () => {
    expect(findings).to.deep.include({
      check: CDK_NAG_CHECK,
      template: label('nag-error.json'),
      location: 'Resources/SshSecurityGroup',
      message: 'AwsSolutions-EC23 (error): The Security Group allows for 0.0.0.0/0 or ::/0 inbound access.',
    });
  });

  it('accepts Resource "*" (IAM5) only where every such statement allows allow-listed actions', () => {
    const iam5 = findings.filter((f) => f.message.startsWith('AwsSolutions-IAM5'));
    expect(iam5).to.deep.equal([
      {
        check: CDK_NAG_CHECK,
        template: label('iam-resource-star.json'),
        location: 'Resources/TaskRole',
        message:
          'AwsSolutions-IAM5[Resource::*] (error): The IAM entity contains wildcard permissions and does not have a ' +
          'cdk-nag rule suppression with evidence for those permission.',
      },
    ]);
  });

  it('honours a listed suppression and fails on one that matches nothing', () => {
    expect(findings.map((f) => `${f.template} ${f.location}: ${f.message.split(':')[0]}`)).to.deep.equal([
      `${label('nag-error.json')} Resources/SshSecurityGroup: AwsSolutions-EC23 (error)`,
      `${label('iam-resource-star.json')} Resources/TaskRole: AwsSolutions-IAM5[Resource`,
      `${label('nag-error.json')} Resources/Gone: suppression of AwsSolutions-EC23 matches no finding`,
    ]);
  });

  it('fails when given no templates instead of passing vacuously', async () => {
    expect(await runCdkNag([], suppressions)).to.deep.equal([
      { check: CDK_NAG_CHECK, template: '-', location: '', message: 'no templates to check' },
    ]);
  });

  it('lists every project suppression with a reason a reviewer can judge', () => {
    const all = [
      ...cdkNagSuppressions(config),
      ...cdkNagSuppressions({ ...config, cluster: { ...config.cluster, containerInsights: true } }),
    ];
    expect(all.length).to.be.greaterThan(10);
    for (const s of all) {
      expect(s.rule, JSON.stringify(s)).to.match(/^AwsSolutions-[A-Z]+[0-9]+(\[.+\])?$/);
      expect(s.rule, JSON.stringify(s)).not.to.contain('undefined');
      expect(s.reason.length, `${s.stack} ${s.resource} ${s.rule}: reason`).to.be.greaterThan(60);
    }
  });

  it('documents every suppression of the default config in docs/checks.md, with its reason', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'checks.md'), 'utf8');
    for (const s of cdkNagSuppressions(config)) {
      expect(doc, `${s.stack} ${s.resource} ${s.rule}`).to.contain(
        `| ${s.stack} | \`${s.resource}\` | \`${s.rule}\` | ${s.reason} |`,
      );
    }
  });
});
