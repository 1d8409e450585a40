import { expect } from 'chai';
import { NAME_LENGTHS_CHECK, nameLengthsCheck } from '../../scripts/lint/rules/name-lengths';
import { checkResourceCount, RESOURCE_COUNT_CHECK } from '../../scripts/lint/rules/resource-count';
import {
  checkTemplateSize,
  TEMPLATE_SIZE_CHECK,
  templateBodyBytes,
} from '../../scripts/lint/rules/template-size';
import type { LintTemplate } from '../../scripts/lint/types';
import { config, fixture, label } from './support';

/** The fixture grown to `count` resources: an oversized template is generated, not checked in (~60 kB). */
function grown(count: number): LintTemplate {
  const t = fixture('log-group-without-retention.json');
  const Resources = { ...t.template.Resources };
  for (let i = 0; Object.keys(Resources).length < count; i++) {
    Resources[`Handle${i}`] = { Type: 'AWS::CloudFormation::WaitConditionHandle' };
  }
  return { ...t, template: { ...t.template, Resources } };
}

describe('lint: limits', () => {
  it('fails when the template body is over 51,200 bytes', () => {
    const big = grown(1000);
    const bytes = templateBodyBytes(big);
    expect(bytes).to.be.greaterThan(51_200);
    expect(checkTemplateSize(big)).to.deep.equal([
      {
        check: TEMPLATE_SIZE_CHECK,
        template: label('log-group-without-retention.json'),
        location: '',
        message: `template body is ${bytes} bytes (compact JSON), over CloudFormation's 51200-byte limit for a request body`,
      },
    ]);
    expect(checkTemplateSize(fixture('log-group-without-retention.json'))).to.deep.equal([]);
  });

  it('fails when a template has more than 500 resources', () => {
    expect(checkResourceCount(grown(500))).to.deep.equal([]);
    expect(checkResourceCount(grown(501))).to.deep.equal([
      {
        check: RESOURCE_COUNT_CHECK,
        template: label('log-group-without-retention.json'),
        location: 'Resources',
        message: "501 resources, over CloudFormation's limit of 500",
      },
    ]);
  });

  it('fails when a target group name is over 32 characters, a Lambda name over 64, or a name is not literal', async () => {
    const findings = await nameLengthsCheck.run({ templates: [fixture('long-names.json')], config });
    expect(findings.map((f) => [f.check, f.location, f.message])).to.deep.equal([
      [
        NAME_LENGTHS_CHECK,
        'Resources/Hook/Properties/FunctionName',
        '"CodeDeployHook_ecs-playground-staging-with-a-much-much-longer-name" is 66 characters; AWS::Lambda::Function allows at most 64',
      ],
      [
        NAME_LENGTHS_CHECK,
        'Resources/TargetGroup/Properties/Name',
        '"ecs-playground-staging-bluegreen-blue" is 37 characters; AWS::ElasticLoadBalancingV2::TargetGroup allows at most 32',
      ],
      [
        NAME_LENGTHS_CHECK,
        'Resources/LoadBalancer/Properties/Name',
        'AWS::ElasticLoadBalancingV2::LoadBalancer Name is not a literal string, so its length cannot be checked',
      ],
    ]);
  });
});
