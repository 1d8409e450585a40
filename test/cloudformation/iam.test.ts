// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import {
  type ServicePrincipal,
  TRUST_STATEMENT_SID,
  TRUSTED_SERVICES,
  trustPolicy,
} from '../../cloudformation/iam';
import { checkTrustGuards } from '../../scripts/lint/rules/iam-trust-guard';
import { renderedTemplates } from '../../scripts/lint/templates';
import { CONFIG_VARIANTS, configWith, type Json } from './helpers';

/** What trustPolicy() renders for the role's principal, given the source ARN the role names (if any). */
function rendered(service: ServicePrincipal, document: Json): Json {
  const guard = TRUSTED_SERVICES[service].guard;
  const argument =
    guard === 'source-arn'
      ? { sourceArn: document.Statement[0].Condition?.ArnLike?.['aws:SourceArn'] }
      : guard;
  return JSON.parse(JSON.stringify(trustPolicy(service, argument as never)));
}

describe('IAM trust policies of every generated template', () => {
  for (const [variant, overrides] of Object.entries(CONFIG_VARIANTS)) {
    it(`creates every role's trust policy with trustPolicy() and its confused-deputy guard (${variant})`, () => {
      const trusted = new Set<string>();
      for (const t of renderedTemplates(configWith(overrides))) {
        const stack = t.id;
        expect(checkTrustGuards(t), stack).to.deep.equal([]);
        for (const [id, resource] of Object.entries(t.template.Resources as Record<string, Json>)) {
          if (resource.Type !== 'AWS::IAM::Role') continue;
          const document = resource.Properties.AssumeRolePolicyDocument;
          expect(document.Statement, `${stack} ${id}`).to.have.length(1);
          expect(document.Statement[0].Sid, `${stack} ${id}`).to.equal(TRUST_STATEMENT_SID);
          const service = document.Statement[0].Principal.Service as ServicePrincipal;
          expect(document, `${stack} ${id}`).to.deep.equal(rendered(service, document));
          if (TRUSTED_SERVICES[service].guard !== 'none') {
            expect(document.Statement[0].Condition.StringEquals, `${stack} ${id}`).to.deep.equal({
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            });
          }
          trusted.add(service);
        }
      }
      // Every service the templates trust (ecs: the canary's load-balancer and hook-invoke roles; lambda:
      // the default security group's custom resource; the hook's role is checked on the sls package output).
      expect([...trusted].sort()).to.deep.equal([
        'codebuild.amazonaws.com',
        'codedeploy.amazonaws.com',
        'codepipeline.amazonaws.com',
        'ecs-tasks.amazonaws.com',
        'ecs.amazonaws.com',
        'lambda.amazonaws.com',
        'vpc-flow-logs.amazonaws.com',
      ]);
    });
  }

  it('creates the source ARN each service documents', () => {
    const arns = new Map<string, unknown>();
    for (const { template } of renderedTemplates(configWith())) {
      for (const [id, r] of Object.entries(template.Resources as Record<string, Json>)) {
        const arnLike = r.Properties?.AssumeRolePolicyDocument?.Statement[0].Condition?.ArnLike;
        if (arnLike) arns.set(id, arnLike['aws:SourceArn']['Fn::Sub']);
      }
    }
    const account = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:';
    const arn = (service: string, resource: string) => account.replace('%s', service) + resource;
    expect(Object.fromEntries(arns)).to.deep.equal({
      FlowLogRole: arn('ec2', 'vpc-flow-log/*'),
      TaskExecutionRole: arn('ecs', '*'),
      TaskRole: arn('ecs', '*'),
      BuildRole: arn('codebuild', 'project/ecs-playground-dev'),
      CodeDeployServiceRole: arn(
        'codedeploy',
        'deploymentgroup:ecs-playground-dev/ecs-playground-dev-bluegreen',
      ),
    });
  });
});
