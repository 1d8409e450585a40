import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { expect } from 'chai';
import { connectionState, type FirstImageWait, waitForFirstImage } from '../../scripts/deploy/aws/pipeline';
import { REPO_URI, recordingRuntime, useMocks } from './fixtures';

const wait: FirstImageWait = {
  repository: 'ecs-playground-dev',
  pipeline: 'ecs-playground-dev-rolling',
  codeBuildProject: 'ecs-playground-dev',
  timeoutMinutes: 30,
  buildQuota: { name: 'Concurrently running builds for Linux/Small environment', desired: 3 },
};

describe('waiting for the first image', () => {
  const m = useMocks({ ecr: ECRClient, codepipeline: CodePipelineClient });

  it('starts the pipeline when nothing runs and returns the first commit-tagged image', async () => {
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    m.ecr
      .on(DescribeImagesCommand)
      .resolvesOnce({ imageDetails: [] })
      .resolvesOnce({ imageDetails: [] })
      .resolves({ imageDetails: [{ imageTags: ['3f2c9a1'], imagePushedAt: new Date() }] });
    m.codepipeline
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'old', status: 'Failed' }] });
    m.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'run-1' });
    m.codepipeline
      .on(GetPipelineExecutionCommand)
      .resolves({ pipelineExecution: { status: 'InProgress', pipelineExecutionId: 'run-1' } });
    const { rt, lines } = recordingRuntime();

    expect(await waitForFirstImage(rt, wait)).to.equal(`${REPO_URI}:3f2c9a1`);

    expect(m.codepipeline.commandCalls(StartPipelineExecutionCommand)[0].args[0].input).to.deep.equal({
      name: 'ecs-playground-dev-rolling',
    });
    expect(m.ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).to.deep.equal({
      repositoryName: 'ecs-playground-dev',
      filter: { tagStatus: 'TAGGED' },
      nextToken: undefined,
    });
    expect(lines).to.deep.equal([
      '[image] started pipeline ecs-playground-dev-rolling (run-1) to build the first image',
      '[image] waiting for the first build: pipeline InProgress',
      `[image] found ${REPO_URI}:3f2c9a1`,
    ]);
  });

  it('prints a line when the pipeline changes state and one a minute while it does not, never one per poll', async () => {
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    // Nothing for 29 polls of 5 s (after the first look), then the image.
    const images = m.ecr.on(DescribeImagesCommand);
    for (let i = 0; i < 30; i++) images.resolvesOnce({ imageDetails: [] });
    images.resolves({ imageDetails: [{ imageTags: ['3f2c9a1'], imagePushedAt: new Date() }] });
    m.codepipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    m.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'run-3' });
    const executions = m.codepipeline.on(GetPipelineExecutionCommand);
    executions.resolvesOnce({ pipelineExecution: { status: undefined } });
    executions.resolves({ pipelineExecution: { status: 'InProgress' } });
    const { rt, lines } = recordingRuntime();
    let t = Date.parse('2026-11-26T12:00:00Z');
    const statuses: (string | undefined)[] = [];
    const clocked = {
      ...rt,
      now: () => new Date(t),
      sleep: async () => {
        t += 5000;
      },
      status: (text: string | undefined) => statuses.push(text),
    };

    expect(await waitForFirstImage(clocked, wait)).to.equal(`${REPO_URI}:3f2c9a1`);
    expect(lines).to.deep.equal([
      '[image] started pipeline ecs-playground-dev-rolling (run-3) to build the first image',
      '[image] waiting for the first build: pipeline starting',
      '[image] waiting for the first build: pipeline InProgress (after 10 s)',
      '[image] waiting for the first build: still pipeline InProgress after 1 min 10 s',
      '[image] waiting for the first build: still pipeline InProgress after 2 min 10 s',
      `[image] found ${REPO_URI}:3f2c9a1`,
    ]);
    // The live status line (a terminal only) follows every poll, and goes when the wait ends.
    expect(statuses).to.have.length(30);
    expect(statuses[1]).to.equal('[image] waiting for the first build: pipeline InProgress');
    expect(statuses.at(-1)).to.equal(undefined);
  });

  it('waits for a running execution instead of starting another', async () => {
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    m.ecr
      .on(DescribeImagesCommand)
      .resolvesOnce({ imageDetails: [] })
      .resolves({ imageDetails: [{ imageTags: ['3f2c9a1'], imagePushedAt: new Date() }] });
    m.codepipeline
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'auto', status: 'InProgress' }] });
    const { rt } = recordingRuntime();

    expect(await waitForFirstImage(rt, wait)).to.equal(`${REPO_URI}:3f2c9a1`);
    expect(m.codepipeline.commandCalls(StartPipelineExecutionCommand)).to.have.length(0);
  });

  it('fails, naming the build logs, when the execution ends without an image', async () => {
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    // A moving tag is not a commit tag: the build has not pushed yet.
    m.ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageTags: ['latest'], imagePushedAt: new Date() }] });
    m.codepipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    m.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'run-2' });
    m.codepipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Failed' } });
    m.codepipeline.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
    const { rt } = recordingRuntime();
    let error: Error | undefined;
    await waitForFirstImage(rt, wait).catch((e: Error) => {
      error = e;
    });
    expect(error?.message).to.equal(
      'pipeline ecs-playground-dev-rolling execution run-2 ended Failed before any commit-tagged image reached ECR repository ecs-playground-dev: read the CodeBuild project ecs-playground-dev logs (or the pipeline in the console), fix, and re-run `npm run deploy`',
    );
  });
});

describe('a build CodeBuild refuses to start (AccountLimitExceededException)', () => {
  const m = useMocks({ ecr: ECRClient, codepipeline: CodePipelineClient });
  // What CodePipeline's CodeBuild action reports when StartBuild is refused (field reports quote it so).
  const REFUSAL =
    'Error calling startBuild: Cannot have more than 1 builds in queue for the account (Service: AWSCodeBuild; Status Code: 400; Error Code: AccountLimitExceededException; Request ID: 0f1e; Proxy: null)';

  function failedRun(actions: object[]) {
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    m.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [] });
    m.codepipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    m.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'run-4' });
    m.codepipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: { status: 'Failed' } });
    m.codepipeline
      .on(ListActionExecutionsCommand)
      .resolvesOnce({ actionExecutionDetails: [], nextToken: 'page-2' })
      .resolves({ actionExecutionDetails: actions });
  }

  it('names the quota and the request that raises it, in the region, for one build per pipeline', async () => {
    failedRun([
      { stageName: 'Source', actionName: 'Source', status: 'Succeeded' },
      {
        stageName: 'Build',
        actionName: 'Build',
        status: 'Failed',
        output: { executionResult: { errorDetails: { code: 'JobFailed', message: REFUSAL } } },
      },
    ]);
    const { rt } = recordingRuntime();
    const error = await waitForFirstImage(rt, wait).catch((e: Error) => e);
    expect((error as Error).message).to.equal(
      `CodeBuild refused to start the build of pipeline ecs-playground-dev-rolling (${REFUSAL}): this account may run fewer builds at once than Service Quotas shows (CodeBuild sets a new account's concurrent-build quotas by internal metrics). ` +
        'Request "Concurrently running builds for Linux/Small environment" of 3 (one build per pipeline) in the Service Quotas console (AWS CodeBuild), or: ' +
        `aws service-quotas request-service-quota-increase --region ${rt.region} --service-code codebuild --quota-code "$(aws service-quotas list-aws-default-service-quotas --region ${rt.region} --service-code codebuild --query "Quotas[?QuotaName=='Concurrently running builds for Linux/Small environment'].QuotaCode" --output text)" --desired-value 3` +
        '; once it is granted, re-run `npm run deploy`',
    );
    // Every page of the execution's action executions, filtered by the execution.
    expect(
      m.codepipeline.commandCalls(ListActionExecutionsCommand).map((c) => c.args[0].input),
    ).to.deep.equal([
      {
        pipelineName: 'ecs-playground-dev-rolling',
        filter: { pipelineExecutionId: 'run-4' },
        nextToken: undefined,
      },
      {
        pipelineName: 'ecs-playground-dev-rolling',
        filter: { pipelineExecutionId: 'run-4' },
        nextToken: 'page-2',
      },
    ]);
  });

  it('keeps the build-log message when the build failed for another reason', async () => {
    failedRun([
      {
        stageName: 'Build',
        actionName: 'Build',
        status: 'Failed',
        output: {
          executionResult: {
            errorDetails: { code: 'JobFailed', message: 'Build terminated with state: FAILED' },
          },
        },
      },
    ]);
    const { rt } = recordingRuntime();
    const error = await waitForFirstImage(rt, wait).catch((e: Error) => e);
    expect((error as Error).message).to.match(
      /^pipeline ecs-playground-dev-rolling execution run-4 ended Failed before any commit-tagged image/,
    );
  });
});

describe('the GitHub connection', () => {
  const m = useMocks({ connections: CodeStarConnectionsClient });
  const arn = 'arn:aws:codestar-connections:us-west-2:123456789012:connection/0f1e';

  it('reads PENDING and AVAILABLE as they are', async () => {
    m.connections.on(GetConnectionCommand).resolvesOnce({ Connection: { ConnectionStatus: 'PENDING' } });
    const { rt } = recordingRuntime();
    expect(await connectionState(rt, arn)).to.equal('PENDING');
    expect(m.connections.commandCalls(GetConnectionCommand)[0].args[0].input).to.deep.equal({
      ConnectionArn: arn,
    });
  });

  it('fails on a connection in ERROR with what to do', async () => {
    m.connections.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'ERROR' } });
    const { rt } = recordingRuntime();
    let error: Error | undefined;
    await connectionState(rt, arn).catch((e: Error) => {
      error = e;
    });
    expect(error?.message).to.equal(
      `GitHub connection ${arn} is ERROR: delete it in the console (Developer Tools → Settings → Connections) and re-run \`npm run deploy\` to create a new one`,
    );
  });
});
