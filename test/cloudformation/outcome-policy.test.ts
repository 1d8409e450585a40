// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { outcomeStatements } from '../../cloudformation/outcome-policy';
import { REPO_ROOT } from '../../config';
import { configWith } from './helpers';

const sub = (resource: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:${resource}` });
const ecs = (r: string) => sub(`ecs:\${AWS::Region}:\${AWS::AccountId}:${r}`);
const of = (strategies: string[]) => outcomeStatements(configWith({ app: { strategies } }));

/** Every `<Name>Command` the release-outcome check sends, as the IAM action it needs. */
function actionsCalled(): string[] {
  const dir = join(REPO_ROOT, 'hook', 'outcome');
  const service: Record<string, string> = {
    'client-ecs': 'ecs',
    'client-codedeploy': 'codedeploy',
    'client-codepipeline': 'codepipeline',
  };
  const out = new Set<string>();
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const [, names, client] of text.matchAll(/import \{([^}]*)\} from '@aws-sdk\/(client-[a-z-]+)'/g)) {
      for (const [, command] of names.matchAll(/\b(\w+)Command\b/g)) out.add(`${service[client]}:${command}`);
    }
  }
  return [...out].sort();
}

describe("release-outcome check's role (cloudformation/outcome-policy.ts)", () => {
  it('grants exactly the calls hook/outcome/ makes, and its own logs', () => {
    const granted = of(['rolling', 'bluegreen', 'canary']).flatMap((s) => [s.Action].flat());
    expect([...new Set(granted)].filter((a) => !a.startsWith('logs:')).sort()).to.deep.equal(actionsCalled());
  });

  it('reads only the ECS services of the strategies the config runs, their deployments and revisions', () => {
    const read = of(['rolling', 'bluegreen', 'canary']).find((s) => s.Sid === 'ReadServiceDeployments');
    expect(read?.Resource).to.deep.equal(
      ['ecs-playground-dev-rolling', 'ecs-playground-dev-canary'].flatMap((s) => [
        ecs(`service/ecs-playground-dev/${s}`),
        ecs(`service-deployment/ecs-playground-dev/${s}/*`),
        ecs(`service-revision/ecs-playground-dev/${s}/*`),
      ]),
    );
    expect(of(['bluegreen']).map((s) => s.Sid)).to.deep.equal([
      'WriteOwnLogs',
      'FindDeployAction',
      'AnswerPipelineJobs',
      'ReadCodeDeployDeployments',
    ]);
    expect(of(['rolling']).map((s) => s.Sid)).to.not.include('ReadCodeDeployDeployments');
  });

  it('reads the action executions of its own pipelines only; "*" only for the job answers and ListTasks (held to the cluster)', () => {
    const all = of(['rolling', 'bluegreen', 'canary']);
    expect(all.find((s) => s.Sid === 'FindDeployAction')?.Resource).to.deep.equal(
      ['rolling', 'bluegreen', 'canary'].map((s) =>
        sub(`codepipeline:\${AWS::Region}:\${AWS::AccountId}:ecs-playground-dev-${s}`),
      ),
    );
    const star = all.filter((s) => s.Resource === '*');
    expect(star.map((s) => [s.Sid, s.Action, s.Condition])).to.deep.equal([
      [
        'AnswerPipelineJobs',
        ['codepipeline:PutJobFailureResult', 'codepipeline:PutJobSuccessResult'],
        undefined,
      ],
      [
        'ListStoppedTasks',
        'ecs:ListTasks',
        { ArnEquals: { 'ecs:cluster': ecs('cluster/ecs-playground-dev') } },
      ],
    ]);
  });
});
