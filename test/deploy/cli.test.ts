import { join } from 'node:path';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
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
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { deployMain, destroyMain, type Io } from '../../scripts/deploy/cli';
import {
  ACCOUNT,
  fixtureRoot,
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
    s3: S3Client,
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
  }

  async function run(
    main: typeof deployMain,
    argv: string[],
    opts: { config?: unknown; interactive?: boolean; answer?: string } = {},
  ): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const synths: Record<string, string>[] = [];
    const recorder = recordingRuntime();
    let runtimes = 0;
    const root = fixtureRoot(opts.config);
    const io: Io = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      interactive: opts.interactive ?? false,
      ask: async () => opts.answer ?? '',
      synth: async (env, dir) => {
        synths.push(env);
        writeFixtureTemplates(dir);
      },
      runtime: () => {
        runtimes++;
        return recorder.rt;
      },
      templateDir: join(root, 'cloudformation/templates'),
    };
    // The fixture root holds the config file; loadConfig reads it through PLAYGROUND_CONFIG.
    if (opts.config !== undefined) io.env = { PLAYGROUND_CONFIG: join(root, 'playground.config.json') };
    const code = await main(argv, io);
    return { code, out, err, recorder, synths, runtimes };
  }

  const stack = (name: string, outputs: Record<string, string> = {}) => ({
    StackName: name,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/1`,
    StackStatus: 'UPDATE_COMPLETE' as const,
    CreationTime: new Date('2026-11-01T00:00:00Z'),
    Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
  });

  /** An account where everything is deployed and the rolling and canary services run `runningTag`. */
  function deployedAccount(runningTag: string, newestTag: string) {
    m.sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev` });
    m.ecs.on(DescribeServicesCommand).callsFake(({ services }: { services: string[] }) => ({
      services: services.map((serviceName) => ({
        serviceName,
        status: 'ACTIVE',
        taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${serviceName}:7`,
      })),
    }));
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { containerDefinitions: [{ name: 'web', image: `${REPO_URI}:${runningTag}` }] },
    });
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    m.ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [
        { imageTags: [runningTag], imagePushedAt: new Date('2026-11-20T00:00:00Z') },
        { imageTags: [newestTag], imagePushedAt: new Date('2026-11-25T00:00:00Z') },
      ],
    });
    m.cfn.on(DescribeStacksCommand).callsFake(({ StackName }: { StackName: string }) => {
      if (StackName.endsWith('-pipelines'))
        return { Stacks: [stack(StackName, { ConnectionArn: CONNECTION })] };
      if (StackName.endsWith('-service-rolling'))
        return { Stacks: [stack(StackName, { LoadBalancerUrl: 'http://rolling.example/version' })] };
      if (StackName.endsWith('-service-bluegreen'))
        return { Stacks: [stack(StackName, { LoadBalancerUrl: 'http://bg.example/version' })] };
      if (StackName.endsWith('-service-canary'))
        return { Stacks: [stack(StackName, { LoadBalancerUrl: 'http://canary.example/version' })] };
      return { Stacks: [stack(StackName)] };
    });
    m.cfn.on(CreateChangeSetCommand).resolves({});
    m.cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    m.connections.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'AVAILABLE' } });
  }

  const changeSetFor = (name: string) =>
    m.cfn.commandCalls(CreateChangeSetCommand).find((c) => c.args[0].input.StackName === name)?.args[0].input;

  describe('npm run deploy', () => {
    it('passes the image tag the rolling and canary services run now (X), not the newest in ECR, and changes nothing', async () => {
      deployedAccount('a1b2c3d', 'e4f5a6b');
      const r = await run(deployMain, [], { config: OWNER });

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
      expect(changeSetFor('ecs-playground-dev-service-rolling')?.Parameters).to.deep.equal([
        { ParameterKey: 'ImageUri', ParameterValue: `${REPO_URI}:a1b2c3d` },
      ]);
      expect(changeSetFor('ecs-playground-dev-service-bluegreen')?.Parameters).to.deep.equal([
        { ParameterKey: 'ImageUri', UsePreviousValue: true },
      ]);
      expect(changeSetFor('ecs-playground-dev-service-canary')?.Parameters).to.deep.equal([
        { ParameterKey: 'ImageUri', ParameterValue: `${REPO_URI}:a1b2c3d` },
      ]);
      expect(m.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).to.deep.equal([
        { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-rolling'] },
        { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-canary'] },
      ]);
      expect(m.ecs.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).to.deep.equal({
        taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ecs-playground-dev-rolling:7`,
      });
      // A re-run with no changes executes nothing, deletes the 7 empty change sets, starts no build.
      expect(m.cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input.StackName)).to.deep.equal([
        'ecs-playground-dev-network',
        'ecs-playground-dev-registry',
        'ecs-playground-dev-cluster',
        'ecs-playground-dev-pipelines',
        'ecs-playground-dev-service-rolling',
        'ecs-playground-dev-service-bluegreen',
        'ecs-playground-dev-service-canary',
      ]);
      expect(m.cfn.commandCalls(ExecuteChangeSetCommand)).to.have.length(0);
      expect(m.cfn.commandCalls(DeleteChangeSetCommand)).to.have.length(7);
      expect(m.codepipeline.calls()).to.have.length(0);
      expect(r.recorder.commands).to.deep.equal([
        { command: ['npx', 'sls', 'deploy'], env: { PLAYGROUND_STAGE: 'dev', PLAYGROUND_REGION: REGION } },
      ]);
      expect(r.synths).to.deep.equal([{ PLAYGROUND_STAGE: 'dev', PLAYGROUND_REGION: REGION }]);
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

    it('deploys a fresh account in order, building the first image before the services', async () => {
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
      const connectionArn = `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/given`;
      const r = await run(deployMain, [], { config: { github: { owner: 'octocat', connectionArn } } });

      expect(r.err).to.deep.equal([]);
      expect(r.code).to.equal(0);
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
        'error: unknown flag --dryrun (allowed: --dry-run, --stage <name>, --print-commands, --help)',
      ]);
      expect(r.runtimes).to.equal(0);
      expect(r.synths).to.deep.equal([]);
    });

    it('fails when the stage is not one of app.stages', async () => {
      const r = await run(deployMain, ['--stage', 'qa', '--dry-run']);
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal([
        'error: Invalid config:\n  - app.stage="qa": unknown stage (allowed: dev, staging, prod)',
      ]);
      expect(r.synths).to.deep.equal([]);
    });

    it('fails when the config is invalid', async () => {
      const r = await run(deployMain, [], { config: { container: { cpu: 300 } } });
      expect(r.code).to.equal(1);
      expect(r.err).to.deep.equal([
        'error: Invalid config:\n  - container.cpu=300: Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384',
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
      expect(r.out.slice(0, 3)).to.deep.equal([
        `Deploy plan: ecs-playground, stage staging, region ${REGION}`,
        'DRY RUN: no AWS API is called and no credentials are needed.',
        'warning: github.owner is still the placeholder "your-github-user": set github.owner in playground.config.json to the GitHub user or organisation that owns your fork, e.g. {"github": {"owner": "octocat"}} — a real deploy refuses the placeholder',
      ]);
      expect(r.synths).to.deep.equal([{ PLAYGROUND_STAGE: 'staging', PLAYGROUND_REGION: REGION }]);
      expect(r.out).to.include(
        '   same as: aws cloudformation deploy --region us-west-2 --template-file cloudformation/templates/network.json --stack-name ecs-playground-staging-network --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset',
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
        'aws cloudformation deploy --region us-west-2 --template-file cloudformation/templates/service-bluegreen.json --stack-name ecs-playground-prod-service-bluegreen --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --parameter-overrides ImageUri="$IMAGE_URI"',
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
