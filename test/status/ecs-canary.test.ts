import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { colorEnabled, palette } from '../../scripts/cli/color';
import { AwsGateway, createStatusClients } from '../../scripts/status/aws';
import { collectStatus } from '../../scripts/status/collect';
import type { DescribeContext } from '../../scripts/status/context';
import { probeVersion } from '../../scripts/status/probe';
import { renderStatus } from '../../scripts/status/render';
import { ecsCanary } from '../../scripts/status/strategies/ecs-canary';
import {
  ARN,
  CONFIG,
  fakeLoadBalancer,
  minutesAgo,
  mockAlarms,
  mockIdentity,
  mockPipeline,
  mockService,
  mockServiceDeployment,
  mockStack,
  mockTaskDefinition,
  NAMES,
  NOW,
  REGION,
  stableLatency,
  useStatusMocks,
} from './fixtures';

const HOOK_ARN = 'arn:aws:lambda:us-west-2:123456789012:function:CodeDeployHook_ecs-playground-dev';

describe('status: ECS built-in canary describer', () => {
  const m = useStatusMocks();
  const alarms = [`${NAMES.ecsCanary.service}-elb-5xx`];

  function context(): DescribeContext {
    return {
      aws: new AwsGateway(createStatusClients(REGION), REGION, () => NOW),
      config: CONFIG,
      names: NAMES,
      now: () => NOW,
      probe: (url) => probeVersion(url),
      cache: new Map(),
    };
  }

  it('looks for the service-canary stack and names the command that deploys it', async () => {
    mockStack(m, 'ecs-playground-dev-service-canary', undefined);
    const report = await collectStatus(context(), undefined, [ecsCanary]);
    expect(report.strategies[0]).to.deep.include({
      id: 'canary',
      phase: 'not-deployed',
      deployHint: 'npm run deploy',
    });
  });

  it('leaves out the strategies app.strategies does not name', async () => {
    mockStack(m, NAMES.stackName('service-rolling'), undefined);
    const ctx = {
      ...context(),
      config: { ...CONFIG, app: { ...CONFIG.app, strategies: ['rolling' as const] } },
    };
    const report = await collectStatus(ctx);
    expect(report.strategies.map((s) => s.id)).to.deep.equal(['rolling']);
  });

  it("shows the hook's own reasons when it answered FAILED", async () => {
    mockStack(m, NAMES.ecsCanary.stackName, 'http://127.0.0.1:9/version');
    const sd = `${ARN}:service-deployment/ecs-playground-dev/ecs-playground-dev-canary/c2`;
    m.ecs.on(DescribeServicesCommand).resolves({
      services: [mockService(NAMES.ecsCanary.service, { currentServiceDeployment: sd })],
    });
    mockTaskDefinition(m, NAMES.ecsCanary.service, 14, 'c0ffee1');
    const startedAt = minutesAgo(4);
    m.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [sd] }).resolves({
      serviceDeployments: [
        mockServiceDeployment({
          serviceDeploymentArn: sd,
          status: 'ROLLBACK_IN_PROGRESS',
          startedAt,
          lifecycleHookDetails: [{ hookId: 'h1', targetArn: HOOK_ARN, status: 'FAILED' }],
        }),
      ],
    });
    const reason = 'probe 1 GET /version: version "bada55e", expected "c0ffee1"';
    const line = JSON.stringify({
      level: 'warn',
      msg: 'ECS lifecycle hook verdict',
      serviceDeploymentArn: sd,
      hookStatus: 'FAILED',
      reasons: [reason],
    });
    m.logs
      .on(FilterLogEventsCommand, {
        logGroupName: NAMES.hookLogGroup,
        filterPattern: `"ECS lifecycle hook verdict" "${sd}"`,
        startTime: startedAt.getTime() - 60_000,
        limit: 10,
      })
      .resolves({ events: [{ message: `2026-05-06T12:00:00Z\treq\tINFO\t${line}`, logStreamName: 's1' }] });
    const parts = await ecsCanary.describe(context());
    expect(parts.deployment).to.deep.include({
      hooks: [{ target: HOOK_ARN, status: 'FAILED', reasons: [reason] }],
    });
  });

  it('shows a canary at 10 % from the current service deployment once the stack exists', async () => {
    const lb = await fakeLoadBalancer(() => 'c0ffee1');
    try {
      mockIdentity(m);
      mockStack(m, NAMES.ecsCanary.stackName, lb.url);
      const sd = `${ARN}:service-deployment/ecs-playground-dev/ecs-playground-dev-canary/c1`;
      m.ecs.on(DescribeServicesCommand, { services: [NAMES.ecsCanary.service] }).resolves({
        services: [
          mockService(NAMES.ecsCanary.service, {
            deploymentController: { type: 'ECS' },
            deploymentConfiguration: {
              strategy: 'CANARY',
              alarms: { alarmNames: alarms, enable: true, rollback: true },
            },
            currentServiceDeployment: sd,
          }),
        ],
      });
      mockTaskDefinition(m, NAMES.ecsCanary.service, 14, 'c0ffee1');
      m.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [sd] }).resolves({
        serviceDeployments: [
          mockServiceDeployment({
            serviceDeploymentArn: sd,
            status: 'IN_PROGRESS',
            lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
            startedAt: minutesAgo(6),
            sourceServiceRevisions: [{ arn: `${sd}-old`, requestedProductionTrafficWeight: 90 }],
            targetServiceRevision: { arn: `${sd}-new`, requestedProductionTrafficWeight: 10 },
            deploymentConfiguration: {
              strategy: 'CANARY',
              canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
              bakeTimeInMinutes: 5,
            },
            lifecycleHookDetails: [
              {
                hookId: 'h1',
                targetType: 'AWS_LAMBDA',
                targetArn: 'arn:aws:lambda:us-west-2:123456789012:function:hook',
                status: 'SUCCEEDED',
              },
            ],
          }),
        ],
      });
      mockPipeline(m, NAMES.ecsCanary.pipeline);
      mockAlarms(m, alarms);

      const report = await collectStatus(context(), '123456789012', [ecsCanary]);
      const lines = stableLatency(renderStatus(report, palette(colorEnabled(false, {}))));

      expect(lines.slice(2, 10)).to.deep.equal([
        'Canary (ECS built-in)  ◐ shifting  ecs-playground-dev-service-canary',
        '  serving     c0ffee1  200 in N ms  http://LB/version',
        '  service     2/2 running, 0 pending · ecs-playground-dev-canary:14 · image c0ffee1',
        '  deployment  IN_PROGRESS · PRODUCTION_TRAFFIC_SHIFT',
        '  traffic     old 90 % ██░░░░░░░░░░░░░░░░░░ new 10 %',
        '  config      canary 10 % · canary bake 5 min · bake 5 min',
        '  hook        arn:aws:lambda:us-west-2:123456789012:function:hook SUCCEEDED',
        '  pipeline    Succeeded · c0ffee1 "Faster health checks" · started 35 min ago · Source ✓ Build ✓ Deploy ✓',
      ]);
      expect(m.ecs.commandCalls(ListServiceDeploymentsCommand)).to.have.length(0);
    } finally {
      await lb.close();
    }
  });

  it('finds the newest service deployment when the service names no current one', async () => {
    mockStack(m, NAMES.ecsCanary.stackName, 'http://127.0.0.1:9/version');
    m.ecs.on(DescribeServicesCommand).resolves({ services: [mockService(NAMES.ecsCanary.service)] });
    mockTaskDefinition(m, NAMES.ecsCanary.service, 14, 'c0ffee1');
    m.ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: 'old', createdAt: minutesAgo(90), status: 'SUCCESSFUL' },
        { serviceDeploymentArn: 'new', createdAt: minutesAgo(3), status: 'ROLLBACK_SUCCESSFUL' },
      ],
    });
    m.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: ['new'] }).resolves({
      serviceDeployments: [
        mockServiceDeployment({
          serviceDeploymentArn: 'new',
          status: 'ROLLBACK_SUCCESSFUL',
          rollback: { reason: 'alarm' },
        }),
      ],
    });
    const parts = await ecsCanary.describe(context());
    expect(parts.phase).to.equal('rolled-back');
    expect(m.ecs.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input).to.deep.equal({
      cluster: 'ecs-playground-dev',
      service: 'ecs-playground-dev-canary',
    });
  });
});
