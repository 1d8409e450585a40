// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { hookStatements } from '../../cloudformation/hook-policy';
import { configWith } from './helpers';

const sids = (strategies: string[]) => hookStatements(configWith({ app: { strategies } })).map((s) => s.Sid);
const starActions = (strategies: string[]) =>
  hookStatements(configWith({ app: { strategies } })).find(
    (s) => s.Sid === 'DescribeWithoutResourceLevelPermissions',
  )?.Action;

describe("hook role's permissions (cloudformation/hook-policy.ts)", () => {
  it('holds both protocols by default', () => {
    expect(sids(['rolling', 'bluegreen', 'canary'])).to.deep.equal([
      'WriteOwnLogs',
      'ReadDeployment',
      'ReportHookStatus',
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

  it('reports the hook status on "*", the resource form the SAR gives an action without resource type', () => {
    const statements = hookStatements(configWith({ app: { strategies: ['bluegreen'] } }));
    expect(statements.find((s) => s.Sid === 'ReportHookStatus')).to.deep.equal({
      Sid: 'ReportHookStatus',
      Effect: 'Allow',
      Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
      Resource: '*',
    });
    // Nowhere else: not on the deployment group, where it would match nothing.
    const elsewhere = statements.filter(
      (s) =>
        s.Sid !== 'ReportHookStatus' &&
        [s.Action].flat().includes('codedeploy:PutLifecycleEventHookExecutionStatus'),
    );
    expect(elsewhere).to.deep.equal([]);
    expect(sids(['canary'])).to.not.include('ReportHookStatus');
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
