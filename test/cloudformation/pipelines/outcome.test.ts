// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { PIPELINES_IDS as IDS } from '../../../cloudformation/pipelines';
import { generated, type Json } from '../helpers';
import { stages, statement } from './support';

const outcome = (t: Json, id: string) => stages(t, id)[2].Actions[1];

describe('pipelines stack: the Outcome action (a red pipeline for every rollback)', () => {
  const t = generated('pipelines');

  const cases = [
    [
      IDS.rollingPipeline,
      'ecs-playground-dev-rolling',
      { kind: 'ecs', cluster: 'ecs-playground-dev', service: 'ecs-playground-dev-rolling' },
    ],
    [
      IDS.blueGreenPipeline,
      'ecs-playground-dev-bluegreen',
      {
        kind: 'codedeploy',
        application: 'ecs-playground-dev',
        deploymentGroup: 'ecs-playground-dev-bluegreen',
      },
    ],
    [
      IDS.canaryPipeline,
      'ecs-playground-dev-canary',
      { kind: 'ecs', cluster: 'ecs-playground-dev', service: 'ecs-playground-dev-canary' },
    ],
  ] as const;

  for (const [id, name, target] of cases) {
    it(`runs the release-outcome check after ${name}'s deploy action, on this execution's deployment`, () => {
      const deploy = stages(t, id)[2];
      expect(deploy.Actions.map((a: Json) => [a.Name, a.ActionTypeId.Provider, a.RunOrder])).to.deep.equal([
        ['Deploy', deploy.Actions[0].ActionTypeId.Provider, undefined],
        ['Outcome', 'Lambda', 2],
      ]);
      expect(outcome(t, id)).to.deep.equal({
        Name: 'Outcome',
        ActionTypeId: { Category: 'Invoke', Owner: 'AWS', Provider: 'Lambda', Version: '1' },
        RunOrder: 2,
        Configuration: {
          FunctionName: 'ecs-playground-dev-release-outcome',
          UserParameters: JSON.stringify({
            pipeline: name,
            execution: '#{codepipeline.PipelineExecutionId}',
            deployAction: 'Deploy',
            target,
          }),
        },
      });
    });
  }

  it('lets each pipeline role invoke that one function and no other', () => {
    for (const role of [IDS.rollingRole, IDS.blueGreenRole, IDS.canaryRole]) {
      expect(statement(t, role, 'InvokeOutcomeCheck')).to.deep.equal({
        Sid: 'InvokeOutcomeCheck',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: {
          'Fn::Sub':
            'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:ecs-playground-dev-release-outcome',
        },
      });
    }
  });
});
