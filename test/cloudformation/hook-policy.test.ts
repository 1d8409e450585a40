// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { hookStatements } from '../../cloudformation/hook-policy';
import { configWith } from './helpers';

const sids = (strategies: string[]) => hookStatements(configWith({ app: { strategies } })).map((s) => s.Sid);
const starActions = (strategies: string[]) =>
  hookStatements(configWith({ app: { strategies } })).find((s) => s.Resource === '*')?.Action;

describe("hook role's permissions (cloudformation/hook-policy.ts)", () => {
  it('holds both protocols by default', () => {
    expect(sids(['rolling', 'bluegreen', 'canary'])).to.deep.equal([
      'WriteOwnLogs',
      'ReadDeploymentAndReport',
      'ReadAppSpecRevision',
      'DescribeGreenTaskSet',
      'DescribeCanaryRevision',
      'DescribeWithoutResourceLevelPermissions',
    ]);
  });

  it('reads only the canary service and its revisions for ECS discovery', () => {
    const statement = hookStatements(configWith()).find((s) => s.Sid === 'DescribeCanaryRevision');
    expect(statement).to.deep.equal({
      Sid: 'DescribeCanaryRevision',
      Effect: 'Allow',
      Action: ['ecs:DescribeServiceRevisions'],
      Resource: [
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/ecs-playground-dev/ecs-playground-dev-canary',
        },
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service-revision/ecs-playground-dev/ecs-playground-dev-canary/*',
        },
      ],
    });
  });

  it("drops a strategy's permissions when app.strategies leaves it out", () => {
    expect(sids(['canary'])).to.deep.equal([
      'WriteOwnLogs',
      'DescribeCanaryRevision',
      'DescribeWithoutResourceLevelPermissions',
    ]);
    expect(starActions(['canary'])).to.deep.equal([
      'ecs:DescribeTaskDefinition',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeRules',
    ]);
    expect(sids(['rolling', 'bluegreen'])).to.not.include('DescribeCanaryRevision');
    expect(starActions(['bluegreen'])).to.include('codedeploy:ListDeploymentTargets');
  });
});
