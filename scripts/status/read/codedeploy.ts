/**
 * The blue/green service's current or last CodeDeploy deployment:
 * - GetDeploymentGroup: the alarms it watches and `lastAttemptedDeployment`
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentGroupInfo.html);
 * - ListDeployments filtered to unfinished statuses: the current one, if any (CodeDeploy runs one
 *   deployment per group at a time; https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html);
 * - GetDeployment: status, error, rollback, termination wait
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html);
 * - ListDeploymentTargets + GetDeploymentTarget: the ECS target's lifecycle events and its task sets
 *   with `trafficWeight` per Blue/Green label
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ECSTarget.html,
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ECSTaskSet.html);
 * - GetDeploymentConfig: the canary/linear interval, to say how long the bake has left
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TrafficRoutingConfig.html).
 *
 * Lifecycle events of an ECS deployment, in order: BeforeInstall, Install, AfterInstall,
 * AllowTestTraffic, AfterAllowTestTraffic, BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html).
 * The canary bake runs inside AllowTraffic (first shift at its start, the rest after the interval);
 * the termination wait follows the last event. Both end times are computed from those documented
 * timestamps and intervals, so they are estimates to the minute, not AWS-reported deadlines.
 */
import {
  type DeploymentInfo,
  type DeploymentStatus,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  type LifecycleEvent,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { cached, type DescribeContext, isoTime } from '../context';
import type { CodeDeployView, Phase } from '../report';
import { readHookVerdict } from './hook-verdict';

/** Statuses of a deployment that has not finished (DeploymentStatus). */
export const UNFINISHED: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
/** The lifecycle event our hook answers (appspec.yml). */
export const HOOK_EVENT = 'BeforeAllowTraffic';
const TEST_EVENTS = ['AllowTestTraffic', 'AfterAllowTestTraffic'];

export interface CodeDeployFacts {
  view?: CodeDeployView;
  alarmNames: string[];
  phase: Phase;
}

export async function readCodeDeploy(ctx: DescribeContext): Promise<CodeDeployFacts> {
  const { codeDeployApplication: applicationName, deploymentGroup: deploymentGroupName } =
    ctx.names.blueGreen;
  const [group, unfinished] = await Promise.all([
    ctx.aws.call('codedeploy:GetDeploymentGroup', (c) =>
      c.codedeploy.send(new GetDeploymentGroupCommand({ applicationName, deploymentGroupName })),
    ),
    ctx.aws.call('codedeploy:ListDeployments', (c) =>
      c.codedeploy.send(
        new ListDeploymentsCommand({ applicationName, deploymentGroupName, includeOnlyStatuses: UNFINISHED }),
      ),
    ),
  ]);
  const info = group.deploymentGroupInfo;
  const alarmNames = (info?.alarmConfiguration?.alarms ?? []).map((a) => a.name ?? '').filter(Boolean);
  const id = unfinished.deployments?.[0] ?? info?.lastAttemptedDeployment?.deploymentId;
  if (!id) return { alarmNames, phase: 'stable' };
  const view = await readDeployment(ctx, id);
  return { view, alarmNames, phase: blueGreenPhase(view) };
}

/** A finished deployment never changes: `npm run watch` reads it once. */
async function readDeployment(ctx: DescribeContext, deploymentId: string): Promise<CodeDeployView> {
  const key = `codedeploy:${deploymentId}`;
  const known = ctx.cache.get(key) as CodeDeployView | undefined;
  if (known) return known;
  const out = await ctx.aws.call('codedeploy:GetDeployment', (c) =>
    c.codedeploy.send(new GetDeploymentCommand({ deploymentId })),
  );
  const d = out.deploymentInfo ?? {};
  const events = await readLifecycle(ctx, deploymentId);
  const current = d.status !== undefined && UNFINISHED.includes(d.status);
  const view: CodeDeployView = {
    kind: 'codedeploy',
    id: deploymentId,
    status: d.status ?? 'Unknown',
    current,
    config: d.deploymentConfigName,
    createdAt: isoTime(d.createTime),
    completedAt: isoTime(d.completeTime),
    errorCode: d.errorInformation?.code,
    errorMessage: d.errorInformation?.message,
    rollbackMessage:
      d.rollbackInfo?.rollbackMessage ??
      (d.rollbackInfo?.rollbackDeploymentId
        ? `rolled back by ${d.rollbackInfo.rollbackDeploymentId}`
        : undefined),
    lifecycle: events.events.map((e) => ({
      name: e.lifecycleEventName ?? '?',
      status: e.status ?? 'Unknown',
      startedAt: isoTime(e.startTime),
      endedAt: isoTime(e.endTime),
      message: e.status === 'Failed' ? e.diagnostics?.message : undefined,
    })),
    traffic: events.traffic,
  };
  const hookEvent = events.events.find((e) => e.lifecycleEventName === HOOK_EVENT);
  if (hookEvent) {
    const answered = hookEvent.status === 'Succeeded' || hookEvent.status === 'Failed';
    const verdict = answered ? await readHookVerdict(ctx, deploymentId, hookEvent.startTime) : undefined;
    view.hook = {
      event: HOOK_EVENT,
      status: hookEvent.status ?? 'Unknown',
      reasons: verdict?.reasons ?? [],
      expectedVersion: verdict?.expectedVersion,
      source: verdict?.source,
    };
  }
  if (current) {
    const wait = await waitLeft(ctx, d, events.events);
    if (wait) view.wait = wait;
  } else {
    ctx.cache.set(key, view);
  }
  return view;
}

interface Lifecycle {
  events: LifecycleEvent[];
  traffic?: { blue: number; green: number };
}

async function readLifecycle(ctx: DescribeContext, deploymentId: string): Promise<Lifecycle> {
  const targets = await ctx.aws.call('codedeploy:ListDeploymentTargets', (c) =>
    c.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId })),
  );
  // An ECS deployment has one target: the service (`<cluster>:<service>`).
  const targetId = targets.targetIds?.[0];
  if (!targetId) return { events: [] };
  const out = await ctx.aws.call('codedeploy:GetDeploymentTarget', (c) =>
    c.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId })),
  );
  const ecs = out.deploymentTarget?.ecsTarget;
  const sets = ecs?.taskSetsInfo ?? [];
  const weight = (label: string) => sets.find((s) => s.taskSetLabel === label)?.trafficWeight;
  const blue = weight('Blue');
  const green = weight('Green');
  return {
    events: ecs?.lifecycleEvents ?? [],
    traffic: blue !== undefined || green !== undefined ? { blue: blue ?? 0, green: green ?? 0 } : undefined,
  };
}

async function waitLeft(
  ctx: DescribeContext,
  d: DeploymentInfo,
  events: LifecycleEvent[],
): Promise<CodeDeployView['wait']> {
  const byName = new Map(events.map((e) => [e.lifecycleEventName, e]));
  const allow = byName.get('AllowTraffic');
  if (allow?.status === 'InProgress' && allow.startTime && d.deploymentConfigName) {
    const minutes = await shiftIntervalMinutes(ctx, d.deploymentConfigName);
    if (minutes) return wait('canary-bake', allow.startTime.getTime() + minutes * 60_000, ctx.now());
  }
  const done = events.length > 0 && events.every((e) => e.status === 'Succeeded' || e.status === 'Skipped');
  const waitMinutes =
    d.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess
      ?.terminationWaitTimeInMinutes;
  const lastEnd = Math.max(...events.map((e) => e.endTime?.getTime() ?? 0));
  if (done && waitMinutes !== undefined && lastEnd > 0) {
    return wait('termination-wait', lastEnd + waitMinutes * 60_000, ctx.now());
  }
  return undefined;
}

function wait(kind: 'canary-bake' | 'termination-wait', endsAt: number, now: number): CodeDeployView['wait'] {
  return {
    kind,
    endsAt: new Date(endsAt).toISOString(),
    secondsLeft: Math.max(0, Math.round((endsAt - now) / 1000)),
  };
}

/** Minutes between traffic shifts of a canary or linear configuration; undefined for all-at-once. */
async function shiftIntervalMinutes(
  ctx: DescribeContext,
  deploymentConfigName: string,
): Promise<number | undefined> {
  return cached(ctx, `deployment-config:${deploymentConfigName}`, async () => {
    const out = await ctx.aws.call('codedeploy:GetDeploymentConfig', (c) =>
      c.codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName })),
    );
    const routing = out.deploymentConfigInfo?.trafficRoutingConfig;
    return routing?.timeBasedCanary?.canaryInterval ?? routing?.timeBasedLinear?.linearInterval;
  });
}

export function blueGreenPhase(view: CodeDeployView): Phase {
  if (!view.current) {
    if (view.status === 'Succeeded') return 'stable';
    return view.rollbackMessage ? 'rolled-back' : 'failed';
  }
  const running = view.lifecycle.find((e) => e.status === 'InProgress');
  if (view.wait?.kind === 'termination-wait') return 'termination-wait';
  if (!running) return 'deploying';
  if (running.name === HOOK_EVENT) return 'waiting-for-hook';
  if (running.name === 'AllowTraffic') return 'shifting';
  if (TEST_EVENTS.includes(running.name)) return 'testing';
  return 'deploying';
}
