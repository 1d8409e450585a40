/**
 * Shared pieces of the status and watch tests: an explicit config (never the developer's), a fixed
 * clock, real HTTP servers on 127.0.0.1 standing in for the load balancers, the mocked AWS clients,
 * and small `mock*` factories shaped like the SDK's model types (the dist-types of each installed @aws-sdk client).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CodeDeployClient,
  type DeploymentInfo,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  type LifecycleEvent,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import {
  type Deployment,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_CONFIG, namesFor, type PlaygroundConfig } from '../../config';
import { createStatusClients } from '../../scripts/status/aws';
import type { StatusIo } from '../../scripts/status/cli';
import { probeVersion } from '../../scripts/status/probe';
import { useMocks } from '../deploy/fixtures';

export const ACCOUNT = '123456789012';
/** The config every status/watch test passes explicitly: the checked-in defaults. */
export const CONFIG: PlaygroundConfig = DEFAULT_CONFIG;
export const NAMES = namesFor(CONFIG);
export const REGION = CONFIG.app.region;
export const NOW = Date.parse('2026-11-27T10:00:00Z');
export const REPO = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${NAMES.ecrRepository}`;
export const ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}`;

export const minutesAgo = (m: number) => new Date(NOW - m * 60_000);

export function useStatusMocks() {
  return useMocks({
    cfn: CloudFormationClient,
    cw: CloudWatchClient,
    cd: CodeDeployClient,
    cp: CodePipelineClient,
    ecs: ECSClient,
    logs: CloudWatchLogsClient,
    sts: STSClient,
  });
}
export type StatusMocks = ReturnType<typeof useStatusMocks>;

export interface Captured {
  io: StatusIo;
  out: string[];
  err: string[];
}

/** A status run's io: the explicit config, a fixed clock, the real probe. */
export function captureIo(overrides: Partial<StatusIo> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const io: StatusIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    isTTY: false,
    config: (stage) => (stage ? { ...CONFIG, app: { ...CONFIG.app, stage } } : CONFIG),
    clients: (region) => createStatusClients(region),
    now: () => NOW,
    probe: (url) => probeVersion(url),
    ...overrides,
  };
  return { io, out, err };
}

/** A local "load balancer": answers `/version` like app/app.ts with whatever `version()` says now. */
export interface FakeLoadBalancer {
  url: string;
  server: Server;
  requests: { at: number; userAgent?: string }[];
  close(): Promise<void>;
}

export async function fakeLoadBalancer(
  version: () => string | { status: number; body: string },
  clock: () => number = Date.now,
): Promise<FakeLoadBalancer> {
  const requests: FakeLoadBalancer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ at: clock(), userAgent: req.headers['user-agent'] });
    const v = version();
    if (typeof v !== 'string') {
      res.writeHead(v.status, { 'Content-Type': 'text/plain' }).end(v.body);
      return;
    }
    const body = JSON.stringify({ version: v, hostname: 'ip-10-0-0-1', pid: 1 });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/version`,
    server,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---- AWS answers, typed by the SDK's own models ----

export function mockIdentity(m: StatusMocks): void {
  m.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev` });
}

export function mockStack(m: StatusMocks, stackName: string, url: string | undefined): void {
  if (url === undefined) {
    m.cfn
      .on(DescribeStacksCommand, { StackName: stackName })
      .rejects(
        Object.assign(new Error(`Stack with id ${stackName} does not exist`), { name: 'ValidationError' }),
      );
    return;
  }
  m.cfn.on(DescribeStacksCommand, { StackName: stackName }).resolves({
    Stacks: [
      {
        StackName: stackName,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: minutesAgo(600),
        Outputs: [{ OutputKey: 'LoadBalancerUrl', OutputValue: url }],
      },
    ],
  });
}

export const ROLLING_ALARMS = ['target-5xx', 'unhealthy-hosts', 'elb-5xx'].map(
  (a) => `${NAMES.rolling.service}-${a}`,
);
export const BLUEGREEN_ALARMS = [
  'blue-target-5xx',
  'blue-unhealthy-hosts',
  'green-target-5xx',
  'green-unhealthy-hosts',
  'elb-5xx',
].map((a) => `${NAMES.blueGreen.service}-${a}`);

export function mockDeployment(d: Partial<Deployment>): Deployment {
  return {
    id: 'ecs-svc/1111111111111111111',
    status: 'PRIMARY',
    taskDefinition: `${ARN}:task-definition/${NAMES.rolling.taskFamily}:14`,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/1111111111111111111 completed.',
    updatedAt: minutesAgo(30),
    ...d,
  };
}

export function mockService(name: string, s: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: `${ARN}:service/${NAMES.cluster}/${name}`,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: `${ARN}:task-definition/${name}:14`,
    deployments: [],
    ...s,
  };
}

export function mockTaskDefinition(m: StatusMocks, family: string, revision: number, tag: string): void {
  m.ecs
    .on(DescribeTaskDefinitionCommand, { taskDefinition: `${ARN}:task-definition/${family}:${revision}` })
    .resolves({
      taskDefinition: {
        family,
        revision,
        containerDefinitions: [{ name: CONFIG.container.name, image: `${REPO}:${tag}` }],
      },
    });
}

export function mockHealthyRolling(m: StatusMocks, tag = 'c0ffee1'): void {
  const sd = `${ARN}:service-deployment/${NAMES.cluster}/${NAMES.rolling.service}/ok1`;
  m.ecs.on(DescribeServicesCommand, { services: [NAMES.rolling.service] }).resolves({
    services: [
      mockService(NAMES.rolling.service, {
        deployments: [mockDeployment({})],
        deploymentConfiguration: { alarms: { alarmNames: ROLLING_ALARMS, enable: true, rollback: true } },
        currentServiceDeployment: sd,
      }),
    ],
  });
  mockTaskDefinition(m, NAMES.rolling.taskFamily, 14, tag);
  m.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [sd] }).resolves({
    serviceDeployments: [{ serviceDeploymentArn: sd, status: 'SUCCESSFUL', finishedAt: minutesAgo(28) }],
  });
}

export function mockPipeline(m: StatusMocks, name: string, status = 'Succeeded', commit = 'c0ffee1aa'): void {
  m.cp.on(ListPipelineExecutionsCommand, { pipelineName: name }).resolves({
    pipelineExecutionSummaries: [
      {
        pipelineExecutionId: `${name}-exec-1`,
        status: status as 'Succeeded',
        startTime: minutesAgo(35),
        lastUpdateTime: minutesAgo(29),
        sourceRevisions: [
          {
            actionName: 'Source',
            revisionId: commit,
            revisionSummary: '{"ProviderType":"GitHub","CommitMessage":"Faster health checks\\n\\nbody"}',
          },
        ],
      },
    ],
  });
  const done = status === 'Succeeded';
  m.cp.on(GetPipelineStateCommand, { name }).resolves({
    pipelineName: name,
    stageStates: [
      {
        stageName: 'Source',
        latestExecution: { pipelineExecutionId: `${name}-exec-1`, status: 'Succeeded' },
      },
      { stageName: 'Build', latestExecution: { pipelineExecutionId: `${name}-exec-1`, status: 'Succeeded' } },
      {
        stageName: 'Deploy',
        latestExecution: { pipelineExecutionId: `${name}-exec-1`, status: done ? 'Succeeded' : 'InProgress' },
      },
    ],
  });
}

export function mockAlarms(m: StatusMocks, names: string[], firing: string[] = []): void {
  const alarms: MetricAlarm[] = names.map((AlarmName) => ({
    AlarmName,
    StateValue: firing.includes(AlarmName) ? 'ALARM' : 'OK',
    StateReason: firing.includes(AlarmName)
      ? 'Threshold Crossed: 1 datapoint [7.0] >= 5.0'
      : 'Threshold Crossed: no datapoints',
    StateUpdatedTimestamp: minutesAgo(90),
  }));
  m.cw.on(DescribeAlarmsCommand, { AlarmNames: names }).resolves({ MetricAlarms: alarms });
}

/** The blue/green service (CODE_DEPLOY controller) with its CodeDeploy group and one deployment. */
export function mockBlueGreen(
  m: StatusMocks,
  deployment:
    | {
        id: string;
        info: Partial<DeploymentInfo>;
        events: LifecycleEvent[];
        blue: number;
        green: number;
        current: boolean;
      }
    | undefined,
  tag = 'c0ffee1',
): void {
  const { codeDeployApplication: applicationName, deploymentGroup: deploymentGroupName } = NAMES.blueGreen;
  m.ecs.on(DescribeServicesCommand, { services: [NAMES.blueGreen.service] }).resolves({
    services: [mockService(NAMES.blueGreen.service, { deploymentController: { type: 'CODE_DEPLOY' } })],
  });
  mockTaskDefinition(m, NAMES.blueGreen.taskFamily, 14, tag);
  m.cd.on(GetDeploymentGroupCommand, { applicationName, deploymentGroupName }).resolves({
    deploymentGroupInfo: {
      applicationName,
      deploymentGroupName,
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      alarmConfiguration: { enabled: true, alarms: BLUEGREEN_ALARMS.map((name) => ({ name })) },
      lastAttemptedDeployment: deployment
        ? { deploymentId: deployment.id, status: deployment.info.status, createTime: minutesAgo(10) }
        : undefined,
    },
  });
  m.cd
    .on(ListDeploymentsCommand, { applicationName, deploymentGroupName })
    .resolves({ deployments: deployment?.current ? [deployment.id] : [] });
  if (!deployment) return;
  const targetId = `${NAMES.cluster}:${NAMES.blueGreen.service}`;
  m.cd.on(GetDeploymentCommand, { deploymentId: deployment.id }).resolves({
    deploymentInfo: {
      deploymentId: deployment.id,
      applicationName,
      deploymentGroupName,
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      createTime: minutesAgo(10),
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      },
      ...deployment.info,
    },
  });
  m.cd.on(ListDeploymentTargetsCommand, { deploymentId: deployment.id }).resolves({ targetIds: [targetId] });
  m.cd.on(GetDeploymentTargetCommand, { deploymentId: deployment.id, targetId }).resolves({
    deploymentTarget: {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        deploymentId: deployment.id,
        targetId,
        status: deployment.current ? 'InProgress' : (deployment.info.status as 'Failed'),
        lifecycleEvents: deployment.events,
        taskSetsInfo: [
          {
            identifer: 'ecs-svc/blue',
            taskSetLabel: 'Blue',
            status: 'PRIMARY',
            trafficWeight: deployment.blue,
            desiredCount: 2,
            runningCount: 2,
            pendingCount: 0,
          },
          {
            identifer: 'ecs-svc/green',
            taskSetLabel: 'Green',
            status: 'ACTIVE',
            trafficWeight: deployment.green,
            desiredCount: 2,
            runningCount: 2,
            pendingCount: 0,
          },
        ],
      },
    },
  });
  m.cd
    .on(GetDeploymentConfigCommand, { deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' })
    .resolves({
      deploymentConfigInfo: {
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
        computePlatform: 'ECS',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
        },
      },
    });
}

const ECS_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

/**
 * The ECS target's lifecycle events with every event before `current` Succeeded (one a minute from
 * 10 minutes ago), `current` in `currentStatus` since `currentStartedMinutesAgo`, the rest Pending.
 */
export function mockLifecycle(
  current: string,
  currentStatus: 'InProgress' | 'Failed',
  currentStartedMinutesAgo: number,
  message?: string,
): LifecycleEvent[] {
  const at = ECS_EVENTS.indexOf(current);
  return ECS_EVENTS.map((name, i) => {
    if (i < at)
      return {
        lifecycleEventName: name,
        status: 'Succeeded',
        startTime: minutesAgo(10 - i),
        endTime: minutesAgo(9.5 - i),
      };
    if (i === at) {
      return {
        lifecycleEventName: name,
        status: currentStatus,
        startTime: minutesAgo(currentStartedMinutesAgo),
        endTime: currentStatus === 'Failed' ? minutesAgo(currentStartedMinutesAgo - 1) : undefined,
        diagnostics: message ? { errorCode: 'ScriptFailed', message } : undefined,
      };
    }
    return { lifecycleEventName: name, status: currentStatus === 'Failed' ? 'Skipped' : 'Pending' };
  });
}

export function mockServiceDeployment(d: Partial<ServiceDeployment>): ServiceDeployment {
  return {
    serviceDeploymentArn: `${ARN}:service-deployment/${NAMES.cluster}/x/1`,
    status: 'IN_PROGRESS',
    createdAt: minutesAgo(8),
    ...d,
  };
}

/** Replaces the numbers of a probe's latency, which depend on the machine, for exact comparisons. */
export function stableLatency(lines: string[]): string[] {
  return lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.replace(/ in \d+ ms/g, ' in N ms').replace(/127\.0\.0\.1:\d+/g, 'LB'));
}

/** The hook's verdict line as Lambda's text log format writes it: `<time>\t<request id>\t<LEVEL>\t<json>`. */
export function mockHookLog(
  m: StatusMocks,
  deploymentId: string,
  status: 'Succeeded' | 'Failed',
  reasons: string[] = [],
): void {
  const json = JSON.stringify({
    level: status === 'Succeeded' ? 'info' : 'warn',
    msg: 'BeforeAllowTraffic verdict',
    deploymentId,
    expectedVersion: 'c0ffee1',
    status,
    reasons,
  });
  m.logs.on(FilterLogEventsCommand).resolves({
    events: [
      {
        logStreamName: '2026/11/27/[$LATEST]abc',
        timestamp: NOW - 300_000,
        message: `2026-11-27T09:55:00.000Z\t1b2c3d4e\t${status === 'Succeeded' ? 'INFO' : 'WARN'}\t${json}\n`,
      },
    ],
  });
}
