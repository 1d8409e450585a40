import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetDeploymentConfigCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { GetPipelineStateCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../config';
import { dollars, perDeployCost, total } from '../../scripts/cost/model';
import { statusMain } from '../../scripts/status/cli';
import { statusReportSchema } from '../../scripts/status/report';
import {
  ARN,
  BLUEGREEN_ALARMS,
  captureIo,
  type FakeLoadBalancer,
  fakeLoadBalancer,
  minutesAgo,
  mockAlarms,
  mockBlueGreen,
  mockDeployment,
  mockHealthyRolling,
  mockHookLog,
  mockIdentity,
  mockLifecycle,
  mockPipeline,
  mockService,
  mockStack,
  mockTaskDefinition,
  NAMES,
  NOW,
  ROLLING_ALARMS,
  type StatusMocks,
  stableLatency,
  useStatusMocks,
} from './fixtures';

/** The per-push cost of the defaults, from the release timeline and the build model. */
const PER_PUSH = dollars(total(perDeployCost(DEFAULT_CONFIG)), 3);

describe('npm run status', () => {
  const m = useStatusMocks();
  let rollingLb: FakeLoadBalancer;
  let blueGreenLb: FakeLoadBalancer;

  beforeEach(async () => {
    rollingLb = await fakeLoadBalancer(() => 'c0ffee1');
    blueGreenLb = await fakeLoadBalancer(() => 'c0ffee1');
  });
  afterEach(async () => {
    await rollingLb.close();
    await blueGreenLb.close();
  });

  /** Both CodePipeline pipelines, alarms and stacks as a healthy account has them; canary not deployed. */
  function mockAccount(mocks: StatusMocks): void {
    mockIdentity(mocks);
    mockStack(mocks, NAMES.stackName('service-rolling'), rollingLb.url);
    mockStack(mocks, NAMES.stackName('service-bluegreen'), blueGreenLb.url);
    mockStack(mocks, NAMES.ecsCanary.stackName, undefined);
    mockPipeline(mocks, NAMES.rolling.pipeline);
    mockPipeline(mocks, NAMES.blueGreen.pipeline);
    mockAlarms(mocks, ROLLING_ALARMS);
    mockAlarms(mocks, BLUEGREEN_ALARMS);
  }

  async function run(argv: string[] = []) {
    const c = captureIo();
    const code = await statusMain(argv, c.io);
    return { code, out: stableLatency(c.out), err: c.err };
  }

  it('renders a healthy account: commit served, tasks, revisions, pipelines, alarms, cost', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, {
      id: 'd-DONE12345',
      info: { status: 'Succeeded', completeTime: minutesAgo(20) },
      events: mockLifecycle('AfterAllowTraffic', 'InProgress', 21).map((e) => ({
        ...e,
        status: 'Succeeded',
        endTime: e.endTime ?? minutesAgo(20),
      })),
      blue: 0,
      green: 100,
      current: false,
    });
    mockHookLog(m, 'd-DONE12345', 'Succeeded');

    const { code, out, err } = await run();

    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(out).to.deep.equal([
      'ecs-playground-dev in us-west-2 (account 123456789012) at 2026-11-27 10:00:00 UTC',
      '',
      'Rolling (ECS)  ● stable  ecs-playground-dev-service-rolling',
      '  serving     c0ffee1  200 in N ms  http://LB/version',
      '  service     2/2 running, 0 pending · ecs-playground-dev-rolling:14 · image c0ffee1',
      '  rollout     COMPLETED',
      '  pipeline    Succeeded · c0ffee1 "Faster health checks" · started 35 min ago · Source ✓ Build ✓ Deploy ✓',
      '  alarms      3 OK',
      '',
      'Blue/green (CodeDeploy)  ● stable  ecs-playground-dev-service-bluegreen',
      '  serving     c0ffee1  200 in N ms  http://LB/version',
      '  service     2/2 running, 0 pending · ecs-playground-dev-bluegreen:14 · image c0ffee1',
      '  deployment  d-DONE12345 Succeeded · CodeDeployDefault.ECSCanary10Percent5Minutes · ended 20 min ago',
      '  traffic     blue 0 % ████████████████████ green 100 %',
      '  lifecycle   BeforeInstall ✓ Install ✓ AfterInstall ✓ AllowTestTraffic ✓ AfterAllowTestTraffic ✓',
      '              BeforeAllowTraffic ✓ AllowTraffic ✓ AfterAllowTraffic ✓',
      '  hook        BeforeAllowTraffic Succeeded (expected c0ffee1)',
      '  pipeline    Succeeded · c0ffee1 "Faster health checks" · started 35 min ago · Source ✓ Build ✓ Deploy ✓',
      '  alarms      5 OK',
      '',
      'Canary (ECS built-in)  ○ not deployed  ecs-playground-dev-service-canary',
      '  deploy      not deployed: npm run deploy',
      '',
      `  cost        ≈ $150.87 per month, ≈ ${PER_PUSH} per push (everything this config deploys, at us-west-2 list`,
      '              prices: docs/deploy.md#cost, checked 2026-11-26)',
    ]);
  });

  it('sends exact read-only requests and one identified GET per load balancer', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, undefined);

    expect((await run()).code).to.equal(0);

    expect(m.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).to.have.deep.members([
      { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-rolling'] },
      { cluster: 'ecs-playground-dev', services: ['ecs-playground-dev-bluegreen'] },
    ]);
    expect(m.cp.commandCalls(ListPipelineExecutionsCommand).map((c) => c.args[0].input)).to.have.deep.members(
      [
        { pipelineName: 'ecs-playground-dev-rolling', maxResults: 1 },
        { pipelineName: 'ecs-playground-dev-bluegreen', maxResults: 1 },
      ],
    );
    expect(m.cp.commandCalls(GetPipelineStateCommand).map((c) => c.args[0].input)).to.have.deep.members([
      { name: 'ecs-playground-dev-rolling' },
      { name: 'ecs-playground-dev-bluegreen' },
    ]);
    expect(m.cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).to.have.deep.members([
      { AlarmNames: ROLLING_ALARMS },
      { AlarmNames: BLUEGREEN_ALARMS },
    ]);
    expect(m.cd.commandCalls(ListDeploymentsCommand)[0].args[0].input).to.deep.equal({
      applicationName: 'ecs-playground-dev',
      deploymentGroupName: 'ecs-playground-dev-bluegreen',
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    });
    expect(m.cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.StackName)).to.have.members([
      'ecs-playground-dev-service-rolling',
      'ecs-playground-dev-service-bluegreen',
      'ecs-playground-dev-service-canary',
    ]);
    for (const lb of [rollingLb, blueGreenLb]) {
      expect(lb.requests).to.have.length(1);
      expect(lb.requests[0].userAgent).to.match(/^ecs-deploy-playground-status\//);
    }
  });

  it('renders a not-deployed account with the command that deploys it, and calls nothing else', async () => {
    mockIdentity(m);
    for (const stack of [
      NAMES.stackName('service-rolling'),
      NAMES.stackName('service-bluegreen'),
      NAMES.ecsCanary.stackName,
    ]) {
      mockStack(m, stack, undefined);
    }

    const { code, out } = await run();

    expect(code).to.equal(0);
    expect(out.slice(1)).to.deep.equal([
      '',
      'Rolling (ECS)  ○ not deployed  ecs-playground-dev-service-rolling',
      '  deploy      not deployed: npm run deploy',
      '',
      'Blue/green (CodeDeploy)  ○ not deployed  ecs-playground-dev-service-bluegreen',
      '  deploy      not deployed: npm run deploy',
      '',
      'Canary (ECS built-in)  ○ not deployed  ecs-playground-dev-service-canary',
      '  deploy      not deployed: npm run deploy',
      '',
      'note: nothing of ecs-playground-dev is deployed in us-west-2: deploy it with `npm run deploy` (or, if you deployed to another region, set app.region or PLAYGROUND_REGION to it)',
      '',
      `  cost        ≈ $150.87 per month, ≈ ${PER_PUSH} per push (everything this config deploys, at us-west-2 list`,
      '              prices: docs/deploy.md#cost, checked 2026-11-26)',
    ]);
    expect(m.ecs.calls()).to.have.length(0);
    expect(m.cd.calls()).to.have.length(0);
    expect(m.cp.calls()).to.have.length(0);
    expect(rollingLb.requests).to.have.length(0);
  });

  it('renders a blue/green deployment waiting in BeforeAllowTraffic (no verdict to read yet)', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, {
      id: 'd-WAIT12345',
      info: { status: 'InProgress' },
      events: mockLifecycle('BeforeAllowTraffic', 'InProgress', 1),
      blue: 100,
      green: 0,
      current: true,
    });
    mockPipeline(m, NAMES.blueGreen.pipeline, 'InProgress');

    const { code, out } = await run();

    expect(code).to.equal(0);
    const block = out.slice(
      out.indexOf('Blue/green (CodeDeploy)  ◐ waiting for hook  ecs-playground-dev-service-bluegreen'),
    );
    expect(block.slice(3, 9)).to.deep.equal([
      '  deployment  d-WAIT12345 InProgress · CodeDeployDefault.ECSCanary10Percent5Minutes · started 10 min ago',
      '  traffic     blue 100 % ░░░░░░░░░░░░░░░░░░░░ green 0 %',
      '  lifecycle   BeforeInstall ✓ Install ✓ AfterInstall ✓ AllowTestTraffic ✓ AfterAllowTestTraffic ✓',
      '              BeforeAllowTraffic ▶ AllowTraffic · AfterAllowTraffic ·',
      "  hook        BeforeAllowTraffic InProgress: waiting for the hook's verdict",
      '  pipeline    InProgress · c0ffee1 "Faster health checks" · started 35 min ago · Source ✓ Build ✓ Deploy ▶',
    ]);
    expect(m.logs.commandCalls(FilterLogEventsCommand)).to.have.length(0);
  });

  it('renders a canary at 10 % with the time left in the bake', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, {
      id: 'd-CANARY123',
      info: { status: 'InProgress' },
      events: mockLifecycle('AllowTraffic', 'InProgress', 2),
      blue: 90,
      green: 10,
      current: true,
    });
    mockHookLog(m, 'd-CANARY123', 'Succeeded');

    const { code, out } = await run();

    expect(code).to.equal(0);
    expect(out).to.include('Blue/green (CodeDeploy)  ◐ shifting  ecs-playground-dev-service-bluegreen');
    expect(out).to.include('  traffic     blue 90 % ██░░░░░░░░░░░░░░░░░░ green 10 %');
    expect(out).to.include('  wait        canary bake: 3 min left (until 10:03:00 UTC)');
    expect(out).to.include('  hook        BeforeAllowTraffic Succeeded (expected c0ffee1)');
    expect(m.cd.commandCalls(GetDeploymentConfigCommand).map((c) => c.args[0].input)).to.deep.equal([
      { deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' },
    ]);
    expect(m.cd.commandCalls(GetDeploymentTargetCommand)[0].args[0].input).to.deep.equal({
      deploymentId: 'd-CANARY123',
      targetId: 'ecs-playground-dev:ecs-playground-dev-bluegreen',
    });
  });

  it('renders a failed hook with its own reason, read from its log', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, {
      id: 'd-FAIL12345',
      info: {
        status: 'Failed',
        completeTime: minutesAgo(4),
        errorInformation: {
          code: 'HOOK_EXECUTION_FAILURE',
          message: 'The deployment failed because a lifecycle event hook failed.',
        },
        rollbackInfo: {
          rollbackMessage: 'Deployment d-FAIL12345 rolled back: traffic stays on the original task set.',
        },
      },
      events: mockLifecycle('BeforeAllowTraffic', 'Failed', 5, 'The Lambda hook reported Failed.'),
      blue: 100,
      green: 0,
      current: false,
    });
    mockHookLog(m, 'd-FAIL12345', 'Failed', ['probe 10 GET /version: version "bada55e", expected "c0ffee1"']);

    const { code, out } = await run();

    expect(code).to.equal(0);
    const start = out.indexOf('Blue/green (CodeDeploy)  ● rolled back  ecs-playground-dev-service-bluegreen');
    expect(out.slice(start + 3, start + 12)).to.deep.equal([
      '  deployment  d-FAIL12345 Failed · CodeDeployDefault.ECSCanary10Percent5Minutes · ended 4 min ago',
      '  traffic     blue 100 % ░░░░░░░░░░░░░░░░░░░░ green 0 %',
      '  lifecycle   BeforeInstall ✓ Install ✓ AfterInstall ✓ AllowTestTraffic ✓ AfterAllowTestTraffic ✓',
      '              BeforeAllowTraffic ✗ AllowTraffic – AfterAllowTraffic –',
      '  hook        BeforeAllowTraffic Failed (expected c0ffee1)',
      '              reason probe 10 GET /version: version "bada55e", expected "c0ffee1"',
      '  error       BeforeAllowTraffic: The Lambda hook reported Failed.',
      '  rollback    Deployment d-FAIL12345 rolled back: traffic stays on the original task set.',
      '  pipeline    Succeeded · c0ffee1 "Faster health checks" · started 35 min ago · Source ✓ Build ✓ Deploy ✓',
    ]);
    expect(m.logs.commandCalls(FilterLogEventsCommand)[0].args[0].input).to.deep.equal({
      logGroupName: '/aws/lambda/CodeDeployHook_ecs-playground-dev',
      filterPattern: '"BeforeAllowTraffic verdict" "d-FAIL12345"',
      startTime: NOW - 5 * 60_000 - 60_000,
      limit: 10,
    });
  });

  it('renders a rolled-back rolling deployment: circuit breaker reason and the tripped alarm', async () => {
    mockAccount(m);
    mockBlueGreen(m, undefined);
    const sd = `${ARN}:service-deployment/ecs-playground-dev/ecs-playground-dev-rolling/bad1`;
    m.ecs.on(DescribeServicesCommand, { services: [NAMES.rolling.service] }).resolves({
      services: [
        mockService(NAMES.rolling.service, {
          taskDefinition: `${ARN}:task-definition/ecs-playground-dev-rolling:13`,
          runningCount: 3,
          deployments: [
            mockDeployment({
              id: 'ecs-svc/2222',
              taskDefinition: `${ARN}:task-definition/ecs-playground-dev-rolling:13`,
              rolloutState: 'IN_PROGRESS',
              rolloutStateReason: 'ECS deployment ecs-svc/2222 in progress.',
            }),
            mockDeployment({
              id: 'ecs-svc/3333',
              status: 'ACTIVE',
              runningCount: 1,
              failedTasks: 3,
              rolloutState: 'FAILED',
              rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
            }),
          ],
          deploymentConfiguration: { alarms: { alarmNames: ROLLING_ALARMS, enable: true, rollback: true } },
          currentServiceDeployment: sd,
        }),
      ],
    });
    mockTaskDefinition(m, NAMES.rolling.taskFamily, 13, 'c0ffee1');
    m.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [sd] }).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: sd,
          status: 'ROLLBACK_IN_PROGRESS',
          rollback: { reason: 'Circuit breaker triggered', startedAt: minutesAgo(1) },
          deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
          alarms: {
            status: 'TRIGGERED',
            alarmNames: ROLLING_ALARMS,
            triggeredAlarmNames: [ROLLING_ALARMS[1]],
          },
        },
      ],
    });
    m.cw.on(DescribeAlarmsCommand, { AlarmNames: ROLLING_ALARMS }).resolves({
      MetricAlarms: ROLLING_ALARMS.map((AlarmName, i) => ({
        AlarmName,
        StateValue: i === 1 ? 'ALARM' : 'OK',
      })),
    });

    const { code, out } = await run();

    expect(code).to.equal(0);
    expect(out.slice(2, 10)).to.deep.equal([
      'Rolling (ECS)  ● rolled back  ecs-playground-dev-service-rolling',
      '  serving     c0ffee1  200 in N ms  http://LB/version',
      '  service     3/2 running, 0 pending · ecs-playground-dev-rolling:13 · image c0ffee1',
      '  rollout     rolled back (ROLLBACK_IN_PROGRESS)',
      '  reason      ECS deployment circuit breaker: tasks failed to start.',
      '  tripped     ecs-playground-dev-rolling-unhealthy-hosts',
      '  pipeline    Succeeded · c0ffee1 "Faster health checks" · started 35 min ago · Source ✓ Build ✓ Deploy ✓',
      '  alarms      2 OK, ecs-playground-dev-rolling-unhealthy-hosts ALARM',
    ]);
  });

  it('prints --json in the documented shape', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, {
      id: 'd-CANARY123',
      info: { status: 'InProgress' },
      events: mockLifecycle('AllowTraffic', 'InProgress', 2),
      blue: 90,
      green: 10,
      current: true,
    });
    mockHookLog(m, 'd-CANARY123', 'Succeeded');
    const c = captureIo();

    expect(await statusMain(['--json'], c.io)).to.equal(0);

    const report = statusReportSchema.parse(JSON.parse(c.out.join('\n')));
    expect(report.strategies.map((s) => [s.id, s.phase])).to.deep.equal([
      ['rolling', 'stable'],
      ['bluegreen', 'shifting'],
      ['canary', 'not-deployed'],
    ]);
    const bg = report.strategies[1];
    expect(bg.deployment).to.deep.include({
      kind: 'codedeploy',
      id: 'd-CANARY123',
      status: 'InProgress',
      current: true,
      traffic: { blue: 90, green: 10 },
      wait: { kind: 'canary-bake', endsAt: '2026-11-27T10:03:00.000Z', secondsLeft: 180 },
    });
    expect(bg.serving).to.deep.include({ status: 200, version: 'c0ffee1' });
    expect(report).to.deep.include({
      schemaVersion: 1,
      prefix: 'ecs-playground-dev',
      account: '123456789012',
    });
    expect(report.cost.monthlyUsd).to.equal(150.87);
  });

  it('shows --help without any AWS call, and exits 2 with usage on an unknown flag', async () => {
    const noAws = captureIo({
      clients: () => {
        throw new Error('no AWS client may be created for --help');
      },
    });
    expect(await statusMain(['--help'], noAws.io)).to.equal(0);
    expect(noAws.out.join('\n')).to.match(/^Usage: npm run status -- \[flags\]/);
    expect(await statusMain(['-h'], noAws.io)).to.equal(0);

    const bad = captureIo();
    expect(await statusMain(['--bogus'], bad.io)).to.equal(2);
    expect(bad.err[0]).to.match(/^error: unknown flag --bogus\n\nUsage: npm run status -- \[flags\]/);
    expect(m.sts.calls()).to.have.length(0);
  });

  it('fails with one clear line when there are no credentials, and calls nothing else', async () => {
    m.sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );

    const { code, out, err } = await run();

    expect(code).to.equal(1);
    expect(out).to.deep.equal([]);
    expect(err).to.deep.equal([
      'error: no AWS credentials found: run `aws configure` (or `aws sso login`, or set AWS_PROFILE) and re-run',
    ]);
    expect(m.cfn.calls()).to.have.length(0);
  });

  it('fails with one clear line naming the region when its endpoint cannot be reached', async () => {
    m.sts
      .on(GetCallerIdentityCommand)
      .rejects(
        Object.assign(new Error('getaddrinfo ENOTFOUND sts.us-west-2.amazonaws.com'), { code: 'ENOTFOUND' }),
      );

    const { code, err } = await run();

    expect(code).to.equal(1);
    expect(err).to.deep.equal([
      'error: cannot reach AWS STS in us-west-2 (Error: getaddrinfo ENOTFOUND sts.us-west-2.amazonaws.com): check the region (app.region, PLAYGROUND_REGION) and your network',
    ]);
  });

  it('reports throttling that outlasted the retries in its section, without a stack trace', async () => {
    mockAccount(m);
    mockHealthyRolling(m);
    mockBlueGreen(m, undefined);
    m.ecs.on(DescribeServicesCommand, { services: [NAMES.rolling.service] }).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { attempts: 8 },
      }),
    );

    const { code, out, err } = await run();

    expect(code).to.equal(1);
    expect(err).to.deep.equal([]);
    expect(out.join('\n')).to.include(
      '  service     AWS throttled ecs:DescribeServices (ThrottlingException) after 8 attempts with backoff: wait a\n' +
        '              minute and re-run',
    );
    expect(out.join('\n')).not.to.match(/\n\s+at /);
    expect(out).to.include('Blue/green (CodeDeploy)  ● stable  ecs-playground-dev-service-bluegreen');
  });

  it('colours only on a terminal and never with NO_COLOR', async () => {
    mockIdentity(m);
    for (const stack of [
      NAMES.stackName('service-rolling'),
      NAMES.stackName('service-bluegreen'),
      NAMES.ecsCanary.stackName,
    ]) {
      mockStack(m, stack, undefined);
    }
    const tty = captureIo({ isTTY: true });
    await statusMain([], tty.io);
    expect(tty.out.join('\n')).to.include('\x1b[');
    const noColor = captureIo({ isTTY: true, env: { NO_COLOR: '1' } });
    await statusMain([], noColor.io);
    expect(noColor.out.join('\n')).not.to.include('\x1b[');
    const piped = captureIo({ isTTY: false });
    await statusMain([], piped.io);
    expect(piped.out.join('\n')).not.to.include('\x1b[');
  });
});
