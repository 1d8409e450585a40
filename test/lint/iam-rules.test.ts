import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  RESOURCE_STAR_ACTIONS,
  type ServicePrincipal,
  TRUSTED_SERVICES,
  trustPolicy,
} from '../../cloudformation/iam';
import { REPO_ROOT } from '../../config';
import {
  checkTrustGuards,
  IAM_TRUST_GUARD_CHECK,
  iamTrustGuardCheck,
} from '../../scripts/lint/rules/iam-trust-guard';
import {
  IAM_WILDCARD_ACTION_CHECK,
  iamWildcardActionCheck,
} from '../../scripts/lint/rules/iam-wildcard-action';
import {
  checkResourceStar,
  IAM_WILDCARD_RESOURCE_CHECK,
  iamWildcardResourceCheck,
} from '../../scripts/lint/rules/iam-wildcard-resource';
import { config, fixture, label } from './support';

const STATEMENTS = 'Resources/TaskRole/Properties/Policies/0/PolicyDocument/Statement';

describe('lint: IAM wildcard actions', () => {
  it('fails when a statement allows Action "*" or "service:*" (Deny statements may)', async () => {
    const findings = await iamWildcardActionCheck.run({
      templates: [fixture('iam-action-star.json')],
      config,
    });
    expect(findings).to.deep.equal([
      {
        check: IAM_WILDCARD_ACTION_CHECK,
        template: label('iam-action-star.json'),
        location: `${STATEMENTS}/0`,
        message: 'allows Action "*" (list the actions needed)',
      },
      {
        check: IAM_WILDCARD_ACTION_CHECK,
        template: label('iam-action-star.json'),
        location: `${STATEMENTS}/1`,
        message: 'allows Action "s3:*" (list the actions needed)',
      },
    ]);
  });
});

describe('lint: IAM wildcard resources', () => {
  it('fails when an action with resource-level permissions is allowed on Resource "*"', async () => {
    const findings = await iamWildcardResourceCheck.run({
      templates: [fixture('iam-resource-star.json')],
      config,
    });
    expect(findings).to.deep.equal([
      {
        check: IAM_WILDCARD_RESOURCE_CHECK,
        template: label('iam-resource-star.json'),
        location: `${STATEMENTS}/0`,
        message:
          'allows "s3:GetObject" on Resource "*" (name the resources, or add the action with its reason to ' +
          'RESOURCE_STAR_ACTIONS in cloudformation/iam.ts if it has no resource-level permissions)',
      },
    ]);
  });

  it('accepts Resource "*" for an allow-listed action, in any letter case', () => {
    const t = fixture('iam-resource-star-allowed.json');
    expect(checkResourceStar(t)).to.deep.equal([]);
    const lower = JSON.parse(
      JSON.stringify(t.template).replace('ecr:GetAuthorizationToken', 'ecr:getauthorizationtoken'),
    );
    expect(checkResourceStar({ ...t, template: lower })).to.deep.equal([]);
  });

  it('fails when an allow-listed action lacks the condition its entry requires', () => {
    const t = fixture('iam-resource-star-allowed.json');
    const listTasks = JSON.parse(
      JSON.stringify(t.template).replace('ecr:GetAuthorizationToken', 'ecs:ListTasks'),
    );
    expect(checkResourceStar({ ...t, template: listTasks }).map((f) => f.message)).to.deep.equal([
      'allows "ecs:ListTasks" on Resource "*" without the ecs:cluster condition that RESOURCE_STAR_ACTIONS requires for it',
    ]);
  });

  it('gives every allow-listed action a reason', () => {
    for (const [action, { reason }] of Object.entries(RESOURCE_STAR_ACTIONS)) {
      expect(action, action).to.match(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      expect(reason.length, `${action}: reason`).to.be.greaterThan(40);
    }
  });

  it('documents every allow-listed action in docs/checks.md, with its reason', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'checks.md'), 'utf8');
    for (const [action, { reason }] of Object.entries(RESOURCE_STAR_ACTIONS)) {
      expect(doc, action).to.contain(`| \`${action}\` | ${reason}`);
    }
  });
});

describe('lint: IAM trust guards', () => {
  const TRUST = (role: string) => `Resources/${role}/Properties/AssumeRolePolicyDocument/Statement/0`;

  it('fails when a trust policy is not made by trustPolicy(), lacks its guard, or trusts an unknown service', async () => {
    const findings = await iamTrustGuardCheck.run({
      templates: [fixture('iam-trust-unguarded.json')],
      config,
    });
    const at = (location: string, message: string) => ({
      check: IAM_TRUST_GUARD_CHECK,
      template: label('iam-trust-unguarded.json'),
      location,
      message,
    });
    expect(findings).to.deep.equal([
      at(
        TRUST('TaskRole'),
        'is not made by trustPolicy() (cloudformation/iam.ts): its Sid is not "AssumedByService"',
      ),
      at(
        TRUST('TaskRole'),
        'trusts ecs-tasks.amazonaws.com without StringEquals aws:SourceAccount, which AWS supports for it (source-arn)',
      ),
      at(
        TRUST('TaskRole'),
        'trusts ecs-tasks.amazonaws.com without ArnLike aws:SourceArn, which AWS supports for it (source-arn)',
      ),
      at(
        TRUST('BuildRole'),
        'trusts codebuild.amazonaws.com without ArnLike aws:SourceArn, which AWS supports for it (source-arn)',
      ),
      at(
        TRUST('StateMachineRole'),
        'trusts states.amazonaws.com, which TRUSTED_SERVICES (cloudformation/iam.ts) does not list: add it with the AWS page that says which confused-deputy condition keys it supports',
      ),
    ]);
  });

  it('accepts what trustPolicy() renders for every known service', () => {
    for (const [service, { guard }] of Object.entries(TRUSTED_SERVICES)) {
      const argument = guard === 'source-arn' ? { sourceArn: 'arn:aws:x:us-west-2:111122223333:y' } : guard;
      const document = JSON.parse(
        JSON.stringify(trustPolicy(service as ServicePrincipal, argument as never)),
      );
      const t = fixture('iam-trust-unguarded.json');
      const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: document } };
      expect(checkTrustGuards({ ...t, template: { Resources: { Role: role } } }), service).to.deep.equal([]);
    }
  });

  it('refuses to render a trust policy with another guard than the service takes', () => {
    expect(() => trustPolicy('ecs-tasks.amazonaws.com', 'none' as never)).to.throw(
      'trustPolicy(ecs-tasks.amazonaws.com): the guard is "source-arn" (TRUSTED_SERVICES), not "none"',
    );
  });

  it('cites an AWS page for every trusted service, in the code and in docs/checks.md', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'checks.md'), 'utf8');
    for (const [service, { docs }] of Object.entries(TRUSTED_SERVICES)) {
      expect(docs, service).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${service}\` |`));
      expect(row, `docs/checks.md: a row for ${service}`).to.contain(`(${docs})`);
    }
  });
});
