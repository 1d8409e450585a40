import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import {
  IAM_WILDCARD_ACTION_CHECK,
  iamWildcardActionCheck,
} from '../../scripts/lint/rules/iam-wildcard-action';
import {
  checkResourceStar,
  IAM_WILDCARD_RESOURCE_CHECK,
  iamWildcardResourceCheck,
} from '../../scripts/lint/rules/iam-wildcard-resource';
import { RESOURCE_STAR_ACTIONS } from '../../scripts/lint/suppressions';
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
          'RESOURCE_STAR_ACTIONS in scripts/lint/suppressions.ts if it has no resource-level permissions)',
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
