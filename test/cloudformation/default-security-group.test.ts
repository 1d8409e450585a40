// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  DEFAULT_SECURITY_GROUP as IDS,
  RESTRICT_DEFAULT_SG_TYPE,
} from '../../cloudformation/default-security-group';
import { NETWORK } from '../../cloudformation/network';
import { REPO_ROOT } from '../../config';
import { generated, ofType, unguardedTrust } from './helpers';

const HANDLER_FILE = join(REPO_ROOT, 'cloudformation', 'default-security-group', 'handler.js');

describe("network template: the VPC's default security group", () => {
  const t = generated('network', { logs: { retentionDays: 30 } });

  it("restricts the VPC's own default security group, once per stack, with a bounded wait", () => {
    expect(ofType(t, RESTRICT_DEFAULT_SG_TYPE)).to.deep.equal([
      [
        IDS.Restrict,
        {
          Type: 'Custom::RestrictDefaultSecurityGroup',
          Properties: {
            ServiceToken: { 'Fn::GetAtt': [IDS.Function, 'Arn'] },
            ServiceTimeout: '300',
            DefaultSecurityGroupId: { 'Fn::GetAtt': [NETWORK.Vpc, 'DefaultSecurityGroup'] },
            Account: { Ref: 'AWS::AccountId' },
          },
        },
      ],
    ]);
  });

  it('runs the handler inline, byte for byte the tested handler.js, on nodejs24.x logging to its own group', () => {
    const fn = t.Resources[IDS.Function].Properties;
    expect(fn.Code).to.deep.equal({ ZipFile: readFileSync(HANDLER_FILE, 'utf8') });
    expect(fn).to.deep.include({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      Timeout: 120,
      Role: { 'Fn::GetAtt': [IDS.Role, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: IDS.LogGroup } },
    });
    // Two revokes with four IAM-propagation retries (2+4+8+16 s) each fit the function's timeout.
    const handler = require(HANDLER_FILE) as { retryDelaysMs: number[] };
    expect(2 * handler.retryDelaysMs.reduce((a, b) => a + b, 0)).to.be.below(fn.Timeout * 1000);
    expect(t.Resources[IDS.LogGroup]).to.deep.equal({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('lets the function revoke rules of that one group only, and write its own logs', () => {
    const role = t.Resources[IDS.Role].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).to.deep.equal(unguardedTrust('lambda.amazonaws.com'));
    expect(role.Policies).to.have.length(1);
    expect(role.Policies[0].PolicyDocument.Statement).to.deep.equal([
      {
        Sid: 'RevokeDefaultGroupRules',
        Effect: 'Allow',
        Action: ['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress'],
        Resource: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${GroupId}',
            { GroupId: { 'Fn::GetAtt': [NETWORK.Vpc, 'DefaultSecurityGroup'] } },
          ],
        },
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [IDS.LogGroup, 'Arn'] },
      },
    ]);
  });
});
