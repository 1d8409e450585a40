import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import {
  ListAWSDefaultServiceQuotasCommand,
  ListServiceQuotasCommand,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { envWithConfig, STACKS, type StackId } from '../../config';
import { usageText } from '../../scripts/cli/args';
import { DEPLOY_COMMAND } from '../../scripts/deploy/args';
import { deployMain, destroyMain, type Io } from '../../scripts/deploy/cli';
import { configWith } from '../support/config';
import {
  ACCOUNT,
  fixtureRoot,
  fixtureTemplate,
  REGION,
  REPO_URI,
  type Recorder,
  recordingRuntime,
  useMocks,
  writeFixtureTemplates,
} from './fixtures';

describe('deploy and destroy commands', () => {
  const m = useMocks({
    cfn: CloudFormationClient,
    ecs: ECSClient,
    ecr: ECRClient,
    sts: STSClient,
    connections: CodeStarConnectionsClient,
    codepipeline: CodePipelineClient,
    codedeploy: CodeDeployClient,
    quotas: ServiceQuotasClient,
    s3: S3Client,
  });

  /** A new account's defaults for the preflight reads: room for both builds, no blue/green deployment. */
  beforeEach(() => {
    m.quotas.on(ListServiceQuotasCommand).resolves({
      Quotas: [
        {
          QuotaName: 'Concurrently running builds for Linux/Small environment',
          QuotaCode: 'L-9D07B6EF',
          Value: 2,
        },
      ],
    });
    m.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  });

  const OWNER = { github: { owner: 'octocat' } };
  const CONNECTION = `arn:aws:codestar-connections:${REGION}:${ACCOUNT}:connection/0f1e`;

  interface Run {
    code: number;
    out: string[];
    err: string[];
    recorder: Recorder;
    synths: Record<string, string>[];
    runtimes: number;
    /** The questions asked on the terminal. */
    asked: string[];
  }

  async function run(
    main: typeof deployMain,
    argv: string[],
    opts: { config?: unknown; interactive?: boolean; answer?: string } = {},
  ): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const synths: Record<string, string>[] = [];
    const asked: string[] = [];
    const recorder = recordingRuntime();
    let runtimes = 0;
    const root = fixtureRoot(opts.config);
    const io: Io = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      interactive: opts.interactive ?? false,
      ask: async (question) => {
        asked.push(question);
        return opts.answer ?? '';
      },
      synth: async (env, dir) => {
        synths.push(env);
        writeFixtureTemplates(dir);
      },
      runtime: () => {
        runtimes++;
        return recorder.rt;
      },
      // The fixture root is the repository root: its playground.config.json (when given) is the config.
      root,
    };
    const code = await main(argv, io);
    return { code, out, err, recorder, synths, runtimes, asked };
  }

  const stack = (name: string, outputs: Record<string, string> = {}) => ({
    StackName: name,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/1`,
    StackStatus: 'UPDATE_COMPLETE' as const,
    CreationTime: new Date('2026-11-01T00:00:00Z'),
    Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
  });

  const FIRST_TAG = '0000000';
  const digestOf = (tag: string) => `sha256:${tag.padEnd(64, '0')}`;

  /**
   * An account where everything is deployed from the fixture templates (GetTemplate returns them,
   * except for the stacks in `changed`), the service stacks were created with FIRST_TAG, and the
   * rolling and canary services now run `runningTag` (released by their pipelines); `newestTag` is the
   * newest in ECR. The blue/green service has no task set yet.
   */
  function deployedAccount(runningTag: string, newestTag: string, changed: string[] = []) {
    m.sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev` });
    m.ecs.on(DescribeServicesCommand).callsFake(({ services }: { services: string[] }) =>
      services[0] === 'ecs-playground-dev-rolling' || services[0] === 'ecs-playground-dev-canary'
        ? {
            services: services.map((serviceName) => ({
              serviceName,
              status: 'ACTIVE',
              taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${serviceName}:7`,
            })),
          }
        : { services: [], failures: [{ arn: services[0], reason: 'MISSING' }] },
    );
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { containerDefinitions: [{ name: 'web', image: `${REPO_URI}:${runningTag}` }] },
    });
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    m.ecr.on(DescribeImagesCommand).callsFake((input: { imageIds?: { imageTag: string }[] }) => {
      if (input.imageIds) {
        const tag = input.imageIds[0].imageTag;
        return { imageDetails: [{ imageTags: [tag], imageDigest: digestOf(tag) }] };
      }
      return {
        imageDetails: [
          {
            imageTags: [runningTag],
            imageDigest: digestOf(runningTag),
            imagePushedAt: new Date('2026-11-20T00:00:00Z'),
          },
          {
            imageTags: [newestTag],
            imageDigest: digestOf(newestTag),
            imagePushedAt: new Date('2026-11-25T00:00:00Z'),
          },
        ],
      };
    });
    m.cfn.on(DescribeStacksCommand).callsFake(({ StackName }: { StackName: string }) => {
      const service = StackName.includes('-service-');
      const parameters = service
        ? [{ ParameterKey: 'ImageUri', ParameterValue: `${REPO_URI}:${FIRST_TAG}` }]
        : [];
      const outputs: Record<string, string> = StackName.endsWith('-pipelines')
        ? { ConnectionArn: CONNECTION }
        : StackName.endsWith('-service-rolling')
          ? { LoadBalancerUrl: 'http://rolling.example/version' }
          : StackName.endsWith('-service-bluegreen')
            ? { LoadBalancerUrl: 'http://bg.example/version' }
            : StackName.endsWith('-service-canary')
              ? { LoadBalancerUrl: 'http://canary.example/version' }
              : {};
      return { Stacks: [{ ...stack(StackName, outputs), Parameters: parameters }] };
    });
    m.cfn.on(GetTemplateCommand).callsFake(({ StackName }: { StackName: string }) => {
      const id = StackName.replace('ecs-playground-dev-', '') as StackId;
      const template = changed.includes(id)
        ? { Resources: { Older: { Type: 'AWS::SNS::Topic' } } }
        : fixtureTemplate(id);
      return { TemplateBody: JSON.stringify(template) };
    });
    m.cfn.on(CreateChangeSetCommand).resolves({});
    m.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE' });
    m.cfn.on(ExecuteChangeSetCommand).resolves({});
    m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    m.connections.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'AVAILABLE' } });
  }

  const changeSetFor = (name: string) =>
    m.cfn.commandCalls(CreateChangeSetCommand).find((c) => c.args[0].input.StackName === name)?.args[0].input;

  describe('npm run deploy', () => {
    it('re-runs on an unchanged account: reads first, skips every stack, and says the rolling and canary ones differ only by their image', async () => {
      deployedAccount('a1b2c3d', 'e4f5a6b');
      const r = await run(deployMain, [], { config: OWNER });

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
      // Nothing changes: no change set at all, no build.
      expect(m.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(0);
      expect(m.codepipeline.calls()).to.have.length(0);
      // The read-only preflight, with exact inputs.
      expect(m.cfn.commandCalls(GetTemplateCommand).map((c) => c.args[0].input)).to.deep.equal(
        STACKS.map((s) => ({ StackName: `ecs-playground-dev-${s}`, TemplateStage: 'Original' })),
      );
      expect(m.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).to.deep.equal([
        { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-rolling'] },
        { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-bluegreen'] },
        { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-canary'] },
      ]);
      expect(m.ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input)).to.deep.equal([
        { taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ecs-playground-dev-rolling:7` },
        { taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ecs-playground-dev-canary:7` },
      ]);
      expect(m.codedeploy.commandCalls(ListDeploymentsCommand)[0].args[0].input).to.deep.equal({
        applicationName: 'ecs-playground-dev',
        deploymentGroupName: 'ecs-playground-dev-bluegreen',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
        nextToken: undefined,
      });
      expect(m.quotas.commandCalls(ListServiceQuotasCommand)[0].args[0].input).to.deep.equal({
        ServiceCode: 'codebuild',
        NextToken: undefined,
      });
      // The plan says why each stack is left alone.
      expect(r.out).to.include(
        '  8. ecs-playground-dev-service-rolling: rolling-update service behind its own ALB',
      );
      // Rolling and canary: the pipeline released a1b2c3d since the stacks were created.
      const imageOnly = `       skipped: only the image differs: the stack names ${REPO_URI}:${FIRST_TAG}, the service runs ${REPO_URI}:a1b2c3d (released by the pipeline since); nothing else would change, so the stack is left as it is and the service keeps running its image`;
      expect(r.out.filter((l) => l === imageOnly)).to.have.length(2);
      expect(r.out.filter((l) => l.includes('skipped: unchanged'))).to.have.length(5);
      // Children (sls, synth) get the resolved config itself, first in the loader's order.
      const childEnv = envWithConfig({}, configWith(OWNER));
      expect(r.recorder.commands).to.deep.equal([{ command: ['npx', 'sls', 'deploy'], env: childEnv }]);
      expect(r.synths).to.deep.equal([childEnv]);
      expect(r.out[0]).to.equal(
        `Deploying ecs-playground-dev to account ${ACCOUNT}, region ${REGION} as arn:aws:iam::${ACCOUNT}:user/dev`,
      );
      expect(r.recorder.lines.slice(-5)).to.deep.equal([
        'Deployed. Try:',
        '  rolling    http://rolling.example/version',
        '  blue/green http://bg.example/version',
        '  canary     http://canary.example/version',
        '  hook       CodeDeployHook_ecs-playground-dev (stack ecs-playground-hook-dev)',
      ]);
    });

    it('reads only the services of app.strategies, and leaves the stacks of the others alone', async () => {
      deployedAccount('a1b2c3d', 'e4f5a6b');
      const r = await run(deployMain, [], { config: { ...OWNER, app: { strategies: ['rolling'] } } });

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
      expect(m.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services)).to.deep.equal([
        ['ecs-playground-dev-rolling'],
      ]);
      expect(m.codedeploy.commandCalls(ListDeploymentsCommand)).to.have.length(0);
      expect(m.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(0);
      // No strategy calls the hook, but its stack carries the release-outcome check every pipeline
      // invokes: sls deploy runs; no step for the blue/green or canary stack.
      expect(r.recorder.commands.map((c) => c.command)).to.deep.equal([['npx', 'sls', 'deploy']]);
      expect(r.out.filter((l) => /^ *\d+\. .*service-(bluegreen|canary)/.test(l))).to.deep.equal([]);
    });

    for (const [stack, service] of [
      ['service-rolling', 'rolling'],
      ['service-canary', 'canary'],
    ] as const) {
      it(`updates a changed ${stack} stack with the image its service runs now (X), never the newest in ECR`, async () => {
        deployedAccount('a1b2c3d', 'e4f5a6b', [stack]);
        const r = await run(deployMain, [], { config: OWNER });

        expect(r.err).to.deep.equal([]);
        expect(r.code).to.equal(0);
        expect(
          m.cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input.StackName),
        ).to.deep.equal([`ecs-playground-dev-${stack}`]);
        expect(changeSetFor(`ecs-playground-dev-${stack}`)?.Parameters).to.deep.equal([
          { ParameterKey: 'ImageUri', ParameterValue: `${REPO_URI}:a1b2c3d` },
        ]);
        // Read again when the step runs (from its own service), and compared by digest with the stack's value.
        expect(m.ecs.commandCalls(DescribeServicesCommand).at(-1)?.args[0].input).to.deep.equal({
          cluster: 'ecs-playground-dev',
          services: [`ecs-playground-dev-${service}`],
        });
        expect(
          m.ecr.commandCalls(DescribeImagesCommand).flatMap((c) => c.args[0].input.imageIds ?? []),
        ).to.deep.include.members([{ imageTag: FIRST_TAG }, { imageTag: 'a1b2c3d' }]);
        expect(r.recorder.lines).to.include(
          `[${stack}] ImageUri: ${REPO_URI}:a1b2c3d, the image the service runs now (the stack had ${REPO_URI}:${FIRST_TAG})`,
        );
      });
    }

    it("keeps the stack's ImageUri when the service runs the same image, so no task is replaced", async () => {
      deployedAccount(FIRST_TAG, 'e4f5a6b', ['service-rolling']);
      const r = await run(deployMain, [], { config: OWNER });

      expect(r.code).to.equal(0);
      expect(changeSetFor('ecs-playground-dev-service-rolling')?.Parameters).to.deep.equal([
        { ParameterKey: 'ImageUri', UsePreviousValue: true },
      ]);
    });

    it('stops before any change when the CodeBuild quota allows no build', async () => {
      deployedAccount('a1b2c3d', 'e4f5a6b');
      m.quotas.on(ListServiceQuotasCommand).resolves({ Quotas: [] });
      m.quotas.on(ListAWSDefaultServiceQuotasCommand).resolves({
        Quotas: [
          {
            QuotaName: 'Concurrently running builds for Linux/Small environment',
            QuotaCode: 'L-9D07B6EF',
            Value: 0,
          },
        ],
      });
      const r = await run(deployMain, [], { config: OWNER });

      expect(r.code).to.equal(1);
      expect(r.err[0]).to.match(
        /^error: nothing was changed: this account may run 0 CodeBuild builds at once/,
      );
      expect(m.quotas.commandCalls(ListAWSDefaultServiceQuotasCommand)[0].args[0].input).to.deep.equal({
        ServiceCode: 'codebuild',
        NextToken: undefined,
      });
      expect(m.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(0);
      expect(r.recorder.commands).to.deep.equal([]);
    });

    /** An empty account: every stack is created; the first build pushes image 3f2c9a1. Returns the changes, in order. */
    function freshAccount(): string[] {
      const events: string[] = [];
      const live = new Set<string>();
      m.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: 'arn' });
      m.ecs
        .on(DescribeServicesCommand)
        .rejects(Object.assign(new Error('no cluster'), { name: 'ClusterNotFoundException' }));
      m.cfn.on(DescribeStacksCommand).callsFake(({ StackName }: { StackName: string }) => {
        if (!live.has(StackName)) {
          throw new CloudFormationServiceException({
            name: 'ValidationError',
            $fault: 'client',
            message: `Stack with id ${StackName} does not exist`,
            $metadata: {},
          });
        }
        const url: Record<string, string> = StackName.includes('service-')
          ? { LoadBalancerUrl: `http://${StackName}/version` }
          : {};
        return { Stacks: [{ ...stack(StackName, url), StackStatus: 'CREATE_COMPLETE' }] };
      });
      m.cfn.on(CreateChangeSetCommand).callsFake((input: { StackName: string; ChangeSetType: string }) => {
        events.push(`${input.ChangeSetType} ${input.StackName}`);
        return {};
      });
      m.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE' });
      m.cfn.on(ExecuteChangeSetCommand).callsFake(({ StackName }: { StackName: string }) => {
        live.add(StackName);
        return {};
      });
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.connections.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'AVAILABLE' } });
      let started = false;
      m.codepipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
      m.codepipeline.on(StartPipelineExecutionCommand).callsFake(({ name }: { name: string }) => {
        events.push(`start ${name}`);
        started = true;
        return { pipelineExecutionId: 'run-1' };
      });
      m.codepipeline
        .on(GetPipelineExecutionCommand)
        .resolves({ pipelineExecution: { status: 'InProgress' } });
      m.ecr.on(DescribeRepositoriesCommand).callsFake(() => {
        if (!live.has('ecs-playground-dev-registry'))
          throw Object.assign(new Error('none'), { name: 'RepositoryNotFoundException' });
        return { repositories: [{ repositoryUri: REPO_URI }] };
      });
      m.ecr.on(DescribeImagesCommand).callsFake(() => ({
        imageDetails: started ? [{ imageTags: ['3f2c9a1'], imagePushedAt: new Date() }] : [],
      }));
      return events;
    }

    const CONNECTION_GIVEN = `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/given`;

    it('deploys a fresh account in order, building the first image before the services', async () => {
      const events = freshAccount();
      const connectionArn = CONNECTION_GIVEN;
      const r = await run(deployMain, ['--yes'], { config: { github: { owner: 'octocat', connectionArn } } });

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
      // The cost, before the plan and the first change.
      const cost = r.out.findIndex((l) => l.startsWith('Cost: ≈ $'));
      expect(cost).to.be.within(0, r.out.indexOf('Plan:'));
      expect(r.out[cost]).to.match(
        /^Cost: ≈ \$\d+\.\d\d a month while it runs and ≈ \$0\.\d{3} per push through every pipeline \(us-west-2 list prices checked \d{4}-\d\d-\d\d: docs\/deploy\.md#cost\); `npm run destroy` stops it\.$/,
      );
      expect(r.asked).to.deep.equal([]);
      expect(events).to.deep.equal([
        'CREATE ecs-playground-dev-network',
        'CREATE ecs-playground-dev-registry',
        'CREATE ecs-playground-dev-cluster',
        'CREATE ecs-playground-dev-pipelines',
        'start ecs-playground-dev-rolling',
        'CREATE ecs-playground-dev-service-rolling',
        'CREATE ecs-playground-dev-service-bluegreen',
        'CREATE ecs-playground-dev-service-canary',
      ]);
      for (const service of ['service-rolling', 'service-bluegreen', 'service-canary']) {
        expect(changeSetFor(`ecs-playground-dev-${service}`)?.Parameters).to.deep.equal([
          { ParameterKey: 'ImageUri', ParameterValue: `${REPO_URI}:3f2c9a1` },
        ]);
      }
      expect(m.connections.commandCalls(GetConnectionCommand)[0].args[0].input).to.deep.equal({
        ConnectionArn: connectionArn,
      });
      expect(r.recorder.commands.map((c) => c.command)).to.deep.equal([['npx', 'sls', 'deploy']]);
      expect(r.recorder.lines.slice(-4)).to.deep.equal([
        '  rolling    http://ecs-playground-dev-service-rolling/version',
        '  blue/green http://ecs-playground-dev-service-bluegreen/version',
        '  canary     http://ecs-playground-dev-service-canary/version',
        '  hook       CodeDeployHook_ecs-playground-dev (stack ecs-playground-hook-dev)',
      ]);
    });

    it('refuses to create stacks without a terminal and without --yes, in one line naming --yes', async () => {
      freshAccount();
      const r = await run(deployMain, [], {
        config: { github: { owner: 'octocat', connectionArn: CONNECTION_GIVEN } },
      });

      expect(r.code).to.equal(2);
      expect(r.err).to.have.length(1);
      expect(r.err[0]).to.match(
        /^error: creating 7 stacks of ecs-playground-dev starts a bill of ≈ \$\d+\.\d\d a month until `npm run destroy`; no terminal to ask in: pass --yes to confirm \(npm run deploy -- --yes\); nothing was changed$/,
      );
      expect(m.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(0);
      expect(r.recorder.commands).to.deep.equal([]);
    });

    it('asks once on a terminal before creating stacks, and changes nothing unless the answer is yes', async () => {
      freshAccount();
      const config = { github: { owner: 'octocat', connectionArn: CONNECTION_GIVEN } };
      const no = await run(deployMain, [], { config, interactive: true, answer: 'n' });

      expect(no.code).to.equal(1);
      expect(no.asked).to.deep.equal(['Create them? Type yes to go on: ']);
      expect(no.out.at(-1)).to.match(
        /^\nThis creates ecs-playground-dev-network, .*, ecs-playground-dev-service-bluegreen and ecs-playground-dev-service-canary: ≈ \$\d+\.\d\d a month until `npm run destroy`, \$0\.\d{3} per push\.$/,
      );
      expect(no.err).to.deep.equal(['error: you typed "n", not "yes": nothing was changed']);
      expect(m.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(0);

      const yes = await run(deployMain, [], { config, interactive: true, answer: 'yes' });
      expect([yes.code, yes.asked.length, yes.err]).to.deep.equal([0, 1, []]);
      expect(m.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(7);
    });

    it('stops with exit 0 and the console steps while the GitHub connection is PENDING', async () => {
      deployedAccount('a1b2c3d', 'a1b2c3d');
      m.connections.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'PENDING' } });
      const r = await run(deployMain, [], { config: OWNER });

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
      expect(m.connections.commandCalls(GetConnectionCommand)[0].args[0].input).to.deep.equal({
        ConnectionArn: CONNECTION,
      });
      expect(r.recorder.lines).to.include.members([
        'The GitHub connection is PENDING: AWS requires a person to approve it once.',
        `  2. Select the connection ${CONNECTION}`,
        '  4. Re-run `npm run deploy` after approving: it skips what is done and resumes here.',
      ]);
      expect(r.out.at(-1)).to.equal('\nStopped: re-run `npm run deploy` after approving the connection.');
      // The services are not touched before the connection works.
      expect(changeSetFor('ecs-playground-dev-service-rolling')).to.equal(undefined);
    });

    it('fails when a flag is unknown, before anything else', async () => {
      const r = await run(deployMain, ['--dryrun']);
      expect(r.code).to.equal(2);
      expect(r.err).to.deep.equal([
        `error: unknown flag --dryrun: did you mean --dry-run?\n\n${usageText(DEPLOY_COMMAND)}`,
      ]);
      expect(usageText(DEPLOY_COMMAND).split('\n')).to.include.members([
        'Usage: npm run deploy -- [flags]',
        '      --stage <name>    stage to deploy (one of app.stages); default app.stage',
        '  -h, --help            show this help',
      ]);
      expect(r.runtimes).to.equal(0);
      expect(r.synths).to.deep.equal([]);
    });

    it('fails when the stage is not one of app.stages', async () => {
      const r = await run(deployMain, ['--stage', 'qa', '--dry-run']);
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal([
        'error: Invalid config: app.stage="qa": unknown stage (allowed: dev, staging, prod)',
      ]);
      expect(r.synths).to.deep.equal([]);
    });

    it('fails when the config is invalid', async () => {
      const r = await run(deployMain, [], { config: { container: { cpu: 300 } } });
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal([
        'error: Invalid config: container.cpu=300: Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384',
      ]);
      expect(r.runtimes).to.equal(0);
    });

    it('refuses the placeholder GitHub owner for a real deploy without calling AWS', async () => {
      const r = await run(deployMain, []);
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal([
        'error: github.owner is still the placeholder "your-github-user": set github.owner in playground.config.json to the GitHub user or organisation that owns your fork, e.g. {"github": {"owner": "octocat"}}',
      ]);
      expect(r.runtimes).to.equal(0);
    });

    it('fails when there are no credentials, before any change', async () => {
      const noCredentials = new Error('Could not load credentials from any providers');
      noCredentials.name = 'CredentialsProviderError';
      m.sts.on(GetCallerIdentityCommand).rejects(noCredentials);
      const r = await run(deployMain, [], { config: OWNER });
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal([
        'error: no AWS credentials found: run `aws configure` (or `aws sso login`, or set AWS_PROFILE) and re-run; `--dry-run` needs none',
      ]);
      expect(m.cfn.calls()).to.have.length(0);
      expect(r.synths).to.deep.equal([]);
    });

    it('prints a dry-run plan with the placeholder owner as a warning and builds no AWS client', async () => {
      const r = await run(deployMain, ['--dry-run', '--stage', 'staging']);
      expect(r.code).to.equal(0);
      expect(r.runtimes).to.equal(0);
      // The first screen: what it costs, before anything else.
      expect(r.out[2]).to.match(/^Cost: ≈ \$\d+\.\d\d a month while it runs and ≈ \$0\.\d{3} per push/);
      expect([...r.out.slice(0, 2), ...r.out.slice(3, 5)]).to.deep.equal([
        `Deploy plan: ecs-playground, stage staging, region ${REGION}`,
        'DRY RUN: no AWS API is called and no credentials are needed.',
        'Config: command line. A real run deploys the templates of this config from cloudformation/out/staging/ (git-ignored); this dry run generated them in a temporary directory.',
        'warning: github.owner is still the placeholder "your-github-user": set github.owner in playground.config.json to the GitHub user or organisation that owns your fork, e.g. {"github": {"owner": "octocat"}} — a real deploy refuses the placeholder',
      ]);
      expect(r.synths).to.deep.equal([envWithConfig({}, configWith({ app: { stage: 'staging' } }))]);
      expect(r.out).to.include(
        '   same as: aws cloudformation deploy --region us-west-2 --template-file cloudformation/out/staging/network.json --stack-name ecs-playground-staging-network --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset',
      );
    });
    it('plans no canary stack step or canary image lookup when app.strategies leaves the canary out', async () => {
      const r = await run(deployMain, ['--dry-run'], {
        config: { app: { strategies: ['rolling', 'bluegreen'] } },
      });
      expect([r.code, r.err]).to.deep.equal([0, []]);
      expect(r.runtimes).to.equal(0);
      const lines = r.out.flatMap((l) => l.split('\n'));
      const titles = lines.filter((l) => /^\d+\. /.test(l));
      expect(titles.slice(8).map((t) => t.replace(/:.*/, ''))).to.deep.equal([
        '9. ecs-playground-dev-service-rolling',
        '10. ecs-playground-dev-service-bluegreen',
        '11. print the load balancer URLs and the hook name',
      ]);
      // Only the preflight's read of the stacks mentions it: a canary stack an earlier deploy left is
      // read to stop before a change it would block (docs/deploy.md#re-running), never deployed.
      const mentions = lines.filter((l) => l.includes('canary'));
      expect(mentions).to.have.length(2);
      expect(mentions[0]).to.match(
        /^ {3}cloudformation:DescribeStacks \{"StackName":"<each of .*ecs-playground-dev-service-canary>"\}$/,
      );
      expect(mentions[1]).to.include(
        'service-canary (not in app.strategies) only to find one an earlier deploy left',
      );
    });

    it('prints the manual commands for another stage, with the stage for the local commands', async () => {
      const r = await run(deployMain, ['--print-commands', '--stage', 'prod']);
      expect(r.code).to.equal(0);
      expect(r.runtimes).to.equal(0);
      expect(r.out[0]).to.equal('PLAYGROUND_STAGE=prod npm run synth');
      expect(r.out).to.include('PLAYGROUND_STAGE=prod npx sls deploy');
      expect(r.out.filter((l) => l.startsWith('aws cloudformation deploy'))).to.have.length(7);
      expect(r.out).to.include(
        'aws cloudformation deploy --region us-west-2 --template-file cloudformation/out/prod/service-bluegreen.json --stack-name ecs-playground-prod-service-bluegreen --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --parameter-overrides ImageUri="$IMAGE_URI"',
      );
    });
  });

  describe('npm run destroy', () => {
    it('refuses without a terminal and without --yes, calling nothing', async () => {
      const r = await run(destroyMain, []);
      expect(r.code).to.equal(2);
      expect(r.err).to.deep.equal([
        'error: refusing to destroy without confirmation: no terminal to ask in; pass --yes to confirm (nothing was deleted)',
      ]);
      expect(r.runtimes).to.equal(0);
    });

    it('deletes nothing when the typed stage name does not match', async () => {
      m.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: 'arn' });
      const r = await run(destroyMain, [], { interactive: true, answer: 'prod' });
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal(['error: you typed "prod", not "dev": nothing was deleted']);
      expect(m.cfn.calls()).to.have.length(0);
    });

    it('deletes every stack in reverse order with --yes, removing the hook with sls', async () => {
      m.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: 'arn' });
      const gone = new Set<string>();
      m.cfn.on(DescribeStacksCommand).callsFake(({ StackName }: { StackName: string }) => {
        const name = StackName.includes(':stack/') ? StackName.split('/')[1] : StackName;
        if (gone.has(name)) {
          if (StackName.includes(':stack/'))
            return { Stacks: [{ ...stack(name), StackStatus: 'DELETE_COMPLETE' }] };
          throw new CloudFormationServiceException({
            name: 'ValidationError',
            $fault: 'client',
            message: `Stack with id ${name} does not exist`,
            $metadata: {},
          });
        }
        return {
          Stacks: [stack(name, name.endsWith('-pipelines') ? { ArtifactBucketName: 'artifacts-123' } : {})],
        };
      });
      m.cfn.on(DeleteStackCommand).callsFake(({ StackName }: { StackName: string }) => {
        gone.add(StackName);
        return {};
      });
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.s3.onAnyCommand().resolves({ IsTruncated: false });
      m.ecr.onAnyCommand().resolves({});
      const r = await run(destroyMain, ['--yes']);

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
      expect(m.cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName)).to.deep.equal([
        'ecs-playground-dev-service-canary',
        'ecs-playground-dev-service-bluegreen',
        'ecs-playground-dev-service-rolling',
        'ecs-playground-dev-pipelines',
        'ecs-playground-dev-cluster',
        'ecs-playground-dev-registry',
        'ecs-playground-dev-network',
      ]);
      expect(r.recorder.commands.map((c) => c.command)).to.deep.equal([['npx', 'sls', 'remove']]);
      expect(m.s3.calls()[0].args[0].input).to.deep.equal({
        Bucket: 'artifacts-123',
        KeyMarker: undefined,
        VersionIdMarker: undefined,
      });
      expect(m.ecr.calls()[0].args[0].input).to.deep.equal({
        repositoryName: 'ecs-playground-dev',
        maxResults: 100,
        nextToken: undefined,
      });
    });
  });
});
