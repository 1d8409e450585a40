import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { renderAll } from '../../cloudformation/stacks';
import { CREATE_ONLY_PROPERTIES, CUSTOM_NAME_PROPERTY } from '../../scripts/deploy/create-only';
import {
  type CfnTemplate,
  changedExports,
  importedNames,
  references,
  replacedResources,
} from '../../scripts/deploy/replacement';
import { CERT, configWith } from '../cloudformation/helpers';

/** Every resource type any config variant makes the generators emit. */
function generatedTypes(): string[] {
  const types = new Set<string>();
  for (const config of [
    configWith(),
    configWith({
      network: { natGateways: true },
      loadBalancer: { certificateArn: CERT, testListenerAccess: 'header-token' },
      blueGreen: {
        deploymentConfig: { name: 'X', type: 'TimeBasedLinear', percentage: 10, intervalMinutes: 1 },
      },
    }),
  ]) {
    for (const t of renderAll(config)) {
      for (const r of Object.values(JSON.parse(t.json).Resources as Record<string, { Type: string }>)) {
        types.add(r.Type);
      }
    }
  }
  return [...types].sort();
}

const template = (
  resources: CfnTemplate['Resources'],
  outputs: CfnTemplate['Outputs'] = {},
): CfnTemplate => ({
  Resources: resources,
  Outputs: outputs,
});

describe('changes CloudFormation applies by replacement', () => {
  it("knows the create-only properties of every resource type the generators emit, as AWS's schemas list them", function () {
    this.timeout(60_000);
    const types = generatedTypes();
    expect(Object.keys(CREATE_ONLY_PROPERTIES).sort()).to.deep.equal(types);
    // The CloudFormation registry's provider schemas, as cfn-lint (which `npm test` requires) ships them.
    const script = [
      'import json, sys',
      'from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m',
      // Custom::<name> is AWS::CloudFormation::CustomResource under a name of its own.
      'schema = lambda t: m.get_resource_schema("us-east-1", "AWS::CloudFormation::CustomResource" if t.startswith("Custom::") else t).schema',
      'print(json.dumps({t: [p.split("/")[-1] for p in schema(t).get("createOnlyProperties", [])] for t in json.load(sys.stdin)}))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(types), encoding: 'utf8' });
    if (result.status !== 0 && /No module named/.test(result.stderr)) this.skip(); // no cfn-lint here
    expect(result.status, result.stderr).to.equal(0);
    expect(CREATE_ONLY_PROPERTIES).to.deep.equal(JSON.parse(result.stdout));
    for (const [type, property] of Object.entries(CUSTOM_NAME_PROPERTY)) {
      if (CREATE_ONLY_PROPERTIES[type]) expect(CREATE_ONLY_PROPERTIES[type], type).to.include(property);
    }
  });

  it('replaces a resource whose create-only property changes, and every resource whose create-only property refers to it', () => {
    const live = template({
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } },
      Group: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'x', VpcId: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } },
      },
      Log: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
    });
    const next = structuredClone(live);
    next.Resources!.Vpc.Properties!.CidrBlock = '10.1.0.0/16';
    next.Resources!.Log.Properties!.RetentionInDays = 14;
    expect([...replacedResources(live, next)]).to.deep.equal([
      ['Vpc', 'CidrBlock changes from "10.0.0.0/16" to "10.1.0.0/16"'],
      ['Subnet', 'VpcId refers to Vpc, which is replaced'],
      ['Group', 'VpcId refers to Vpc, which is replaced'],
    ]);
  });

  it('finds the exports whose value changes: another expression, a replaced resource, or gone', () => {
    const live = template(
      { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } },
      {
        VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'net:VpcId' } },
        Public: { Value: 'ENABLED', Export: { Name: 'net:Public' } },
        Same: { Value: 'x', Export: { Name: 'net:Same' } },
        Gone: { Value: 'y', Export: { Name: 'net:Gone' } },
      },
    );
    const next = template(
      { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } } },
      {
        VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'net:VpcId' } },
        Public: { Value: 'DISABLED', Export: { Name: 'net:Public' } },
        Same: { Value: 'x', Export: { Name: 'net:Same' } },
      },
    );
    expect(changedExports(live, next)).to.deep.equal(['net:VpcId', 'net:Public', 'net:Gone']);
  });

  it('reads references and imports the way CloudFormation writes them', () => {
    expect([
      ...references({
        a: { Ref: 'A' },
        b: { Ref: 'AWS::Region' },
        c: { 'Fn::GetAtt': 'C.Arn' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an Fn::Sub string, resolved by CloudFormation
        d: { 'Fn::Sub': ['${D.Arn}/${AWS::AccountId}/${E}', { E: { Ref: 'F' } }] },
      }),
    ]).to.deep.equal(['A', 'C', 'D', 'F']);
    expect([
      ...importedNames(template({ S: { Type: 'X', Properties: { V: { 'Fn::ImportValue': 'net:VpcId' } } } })),
    ]).to.deep.equal(['net:VpcId']);
  });
});
