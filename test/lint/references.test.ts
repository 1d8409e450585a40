import { expect } from 'chai';
import {
  checkAllReferences,
  checkImports,
  checkReferences,
  subVariables,
} from '../../scripts/lint/cross-stack/references';
import { renderedTemplates } from '../../scripts/lint/templates';
import type { CfnTemplate } from '../../scripts/lint/types';
import { CONFIG_VARIANTS, configWith } from '../cloudformation/helpers';

describe('reference checks', () => {
  for (const [variant, overrides] of Object.entries(CONFIG_VARIANTS)) {
    it(`resolves every Ref, GetAtt, Sub variable and ImportValue of the generated templates (${variant})`, () => {
      const templates = renderedTemplates(configWith(overrides));
      expect(templates.map((t) => t.label)).to.include.members(['network', 'service-bluegreen']);
      expect(checkAllReferences(templates)).to.deep.equal([]);
    });
  }

  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
  it('reads Sub variables and skips ${!Literal}', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
    expect(subVariables('http://${Alb.DNSName}:${Port}/${!Literal}${AWS::Region}')).to.deep.equal([
      'Alb.DNSName',
      'Port',
      'AWS::Region',
    ]);
  });

  it('fails when a Ref, GetAtt, Sub variable, DependsOn or condition resolves to nothing', () => {
    const template = {
      Parameters: { ImageUri: { Type: 'String' } },
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Topic: {
          Type: 'AWS::SNS::Topic',
          DependsOn: ['Queue', 'Ghost'],
          Condition: 'IsProd',
          Properties: {
            A: { Ref: 'ImageUri' },
            B: { Ref: 'AWS::Region' },
            C: { Ref: 'Missing' },
            D: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            E: { 'Fn::GetAtt': ['Nope', 'Arn'] },
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
            F: { 'Fn::Sub': ['${Queue.Arn}/${Own}/${Unknown}/${!Skip}', { Own: 'x' }] },
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
            G: { 'Fn::Sub': '${AWS::StackName}-${Other.Name}' },
            H: { 'Fn::If': ['NoSuchCondition', 1, 2] },
          },
        },
      },
    };
    expect(checkReferences('demo', template)).to.deep.equal([
      'demo: Resources.Topic.Condition → condition "IsProd" is not defined',
      'demo: Resources.Topic.Properties.C.Ref → "Missing" is not a resource, parameter or pseudo parameter',
      'demo: Resources.Topic.Properties.E.Fn::GetAtt → "Nope" is not a resource',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
      'demo: Resources.Topic.Properties.F.Fn::Sub → "${Unknown}" resolves to nothing',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
      'demo: Resources.Topic.Properties.G.Fn::Sub → "${Other.Name}" resolves to nothing',
      'demo: Resources.Topic.Properties.H.Fn::If → condition "NoSuchCondition" is not defined',
      'demo: Resources.Topic.DependsOn → "Ghost" is not a resource',
    ]);
  });

  it('fails when an import names no export, a later stack, or is not a literal', () => {
    const exporting = (name: string) => ({
      Resources: { Q: { Type: 'AWS::SQS::Queue' } },
      Outputs: { Out: { Value: { Ref: 'Q' }, Export: { Name: name } } },
    });
    const importing = (names: unknown[]) => ({
      Resources: {
        T: { Type: 'AWS::SNS::Topic', Properties: { X: names.map((n) => ({ 'Fn::ImportValue': n })) } },
      },
    });
    const findings = checkImports([
      { label: 'first', template: exporting('first:Out') },
      {
        label: 'second',
        template: importing(['first:Out', 'third:Out', 'nobody:Out', { 'Fn::Sub': 'x' }]) as CfnTemplate,
      },
      { label: 'third', template: exporting('third:Out') },
    ]);
    expect(findings).to.deep.equal([
      'second: Resources.T.Properties.X[1].Fn::ImportValue → "third:Out" is exported by third, which is not deployed earlier',
      'second: Resources.T.Properties.X[2].Fn::ImportValue → "nobody:Out" is exported by no generated stack',
      'second: Resources.T.Properties.X[3].Fn::ImportValue is not a literal export name',
    ]);
  });
});
