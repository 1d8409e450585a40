/**
 * One strategy's rehearsal: the old revision in its steady state, the users' load on the production
 * listener, the deployment by the strategy's control plane (control/), and what users saw.
 */
import { STRATEGY_STACKS, type StrategyId } from '../../config';
import { ROLLBACK_PHASES, reroutePhase } from '../timeline/failure-phases';
import { RELEASE_STRATEGIES } from '../timeline/strategies';
import type { Sample } from '../watch/stats';
import { AlarmWatch, alarmsOf } from './alarms';
import type { Balancer } from './balancer';
import { blueGreen } from './control/blue-green';
import { type ControlResult, healthy, type StrategyContext, type Watch } from './control/context';
import { ecsCanary } from './control/ecs-canary';
import { rolling, serviceFacts } from './control/rolling';
import type { Haproxy } from './haproxy';
import { type Load, steadyLoad } from './load';
import { type MeasuredPhase, PhaseLog } from './phases';
import { TaskSet } from './task-set';
import type { RenderedStack } from './template';

export interface StrategyRun {
  strategy: StrategyId;
  result: ControlResult;
  samples: Sample[];
  phases: MeasuredPhase[];
  /** Epoch ms: when the deployment started (phases count from here) and when the load stopped. */
  deployedAt: number;
  endedAt: number;
  startedAt: number;
  /** The printed timeline lines. */
  events: string[];
  canaryPercent?: number;
  /** Real ms each of the new revision's tasks took to start (spawn to listening, or to its exit). */
  newTaskLaunchesMs: number[];
}

export type Shared = Omit<
  StrategyContext,
  'strategy' | 'stack' | 'balancer' | 'phases' | 'planned' | 'event' | 'taskSet'
> & {
  haproxy: Haproxy;
  rate: number;
  say(line: string): void;
  /** Real ms of load before the deployment starts and after it ends, so the picture shows both sides. */
  marginMs: number;
  /** Every load started, so that a failed rehearsal stops them all. */
  loads: Load[];
};

export async function rehearseStrategy(
  strategy: StrategyId,
  stack: RenderedStack,
  balancer: Balancer,
  shared: Shared,
): Promise<StrategyRun> {
  const { clock, config } = shared;
  const serviceId = stack.ofType('AWS::ECS::Service')[0];
  const service = stack.props(serviceId);
  const lbConfig = service.LoadBalancers[0];
  const mainTg = balancer.model.targetGroups.find((t) => t.arn === lbConfig.TargetGroupArn)!.id;
  const stopTimeout = Number(
    (
      stack.resolve(stack.resources[stack.ofType('AWS::ECS::TaskDefinition')[0]].Properties) as {
        ContainerDefinitions: { StopTimeout?: number }[];
      }
    ).ContainerDefinitions[0].StopTimeout ?? 30,
  );
  const events: string[] = [];
  let origin = clock.now();
  const event = (text: string) => {
    const line = `+${((clock.now() - origin) / 1000).toFixed(1).padStart(5)}s ${strategy.padEnd(9)} ${text}`;
    events.push(line);
    shared.say(line);
  };
  const newSets: TaskSet[] = [];
  const taskSet = (label: string, release: StrategyContext['release'] | 'old', tg: string) => {
    const set = new TaskSet({
      label: `${strategy}-${label}`,
      release,
      tg,
      balancer,
      runner: shared.runner,
      clock,
      graceSeconds: Number(service.HealthCheckGracePeriodSeconds ?? 0),
      stopTimeoutSeconds: stopTimeout,
      replace: true,
    });
    if (release !== 'old') newSets.push(set);
    return set;
  };
  const facts = serviceFacts({ stack } as StrategyContext, serviceId);

  // The steady state before the release: the old revision serving, healthy.
  const old = taskSet('old', 'old', mainTg);
  await old.scaleTo(facts.desired, true);
  const ctxBase = { ...shared, strategy, stack, balancer, event, taskSet };
  const warm = {
    ...ctxBase,
    phases: new PhaseLog(origin, clock.now, clock.speed, []),
    planned: [],
  } as StrategyContext;
  // The scheduler replaces an old task that fails to start; a steady state that never comes is an error.
  const settled = await withinMs(STEADY_STATE_MS, healthy(warm, old, { others: [old] }));
  if (!settled)
    throw new Error(
      `${strategy}: the old revision's tasks were not healthy after ${STEADY_STATE_MS / 1000} s`,
    );

  const startedAt = clock.now();
  const load = steadyLoad(strategy, balancer.url(productionListener(stack, balancer, strategy)), shared.rate);
  shared.loads.push(load);
  await clock.sleepMs(shared.marginMs);
  origin = clock.now();
  const planned = RELEASE_STRATEGIES[strategy].deploy(config);
  // The rollback, when there is one, has the failure model's prediction beside it.
  const known = [...planned, reroutePhase(ROLLBACK_PHASES[strategy])];
  const phases = new PhaseLog(origin, clock.now, clock.speed, known, (name) => event(`▶ ${name}`));
  const ctx: StrategyContext = { ...ctxBase, phases, planned };
  const alarmNames = deploymentAlarms(stack);
  const alarms = new AlarmWatch(
    alarmsOf(stack, balancer).filter((a) => alarmNames.includes(a.name)),
    balancer,
    shared.haproxy,
    clock,
  );
  alarms.start();
  const watch: Watch = { alarms };
  event(
    `deployment of ${shared.release} release started (${STRATEGY_STACKS[strategy]}, speed ×${clock.speed})`,
  );
  // A watchdog: the plan's whole release at this speed, twice, and a minute for this machine.
  const limitMs = (2 * 1000 * planned.reduce((sum, p) => sum + p.seconds, 0)) / clock.speed + 60_000;
  let result: ControlResult | undefined;
  try {
    result = (
      await withinMs(
        limitMs,
        strategy === 'rolling'
          ? rolling(ctx, old, watch, facts)
          : strategy === 'bluegreen'
            ? blueGreen(ctx, old, watch, facts.desired)
            : ecsCanary(ctx, old, watch, facts),
      )
    )?.value;
  } finally {
    await alarms.stop();
    if (!result) await load.stop();
  }
  if (!result) {
    const at = phases.phases.at(-1)?.name ?? 'before its first phase';
    throw new Error(
      `${strategy}: no outcome after ${Math.round(limitMs / 1000)} s (at "${at}"): the rehearsal is stuck`,
    );
  }
  event(
    result.outcome === 'completed'
      ? 'deployment completed'
      : `deployment rolled back (${result.stoppedBy?.by})`,
  );
  await clock.sleepMs(shared.marginMs);
  const samples = await load.stop();
  const canary = service.DeploymentConfiguration?.CanaryConfiguration?.CanaryPercent;
  return {
    strategy,
    result,
    samples,
    phases: phases.phases,
    deployedAt: origin,
    startedAt,
    endedAt: clock.now(),
    events,
    canaryPercent: canary === undefined ? blueGreenCanary(planned) : Number(canary),
    newTaskLaunchesMs: newSets.flatMap((set) => set.launchesMs),
  };
}

/** Real ms the old revision may take to be healthy before the release. */
const STEADY_STATE_MS = 60_000;

/** `{ value }` of the promise, or undefined when `ms` pass first. */
async function withinMs<T>(ms: number, promise: Promise<T>): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The listener users reach: the production rule's (canary), the production route's (blue/green), else the first. */
function productionListener(stack: RenderedStack, lb: Balancer, strategy: StrategyId): string {
  const all = lb.model.listeners;
  if (strategy === 'bluegreen') {
    const g = stack.props(stack.ofType('AWS::CodeDeploy::DeploymentGroup')[0]);
    const arn = g.LoadBalancerInfo.TargetGroupPairInfoList[0].ProdTrafficRoute.ListenerArns[0];
    return all.find((l) => l.arn === arn)!.id;
  }
  if (strategy === 'canary') {
    const s = stack.props(stack.ofType('AWS::ECS::Service')[0]);
    const rule = s.LoadBalancers[0].AdvancedConfiguration.ProductionListenerRule;
    return all.find((l) => l.routes.some((r) => r.arn === rule))!.id;
  }
  // The listener that forwards (with a certificate, HTTPS; port 80 only redirects to it).
  return (all.find((l) => l.routes.at(-1)!.action.type === 'forward') ?? all[0]).id;
}

/** The alarms the deployment watches: the ECS service's deployment alarms, or the deployment group's. */
function deploymentAlarms(stack: RenderedStack): string[] {
  const [group] = stack.ofType('AWS::CodeDeploy::DeploymentGroup');
  if (group) {
    const a = stack.props(group).AlarmConfiguration;
    return a?.Enabled ? (a.Alarms as { Name: string }[]).map((x) => x.Name) : [];
  }
  const s = stack.props(stack.ofType('AWS::ECS::Service')[0]);
  const a = s.DeploymentConfiguration?.Alarms;
  return a?.Enable ? (a.AlarmNames as string[]) : [];
}

/** Blue/green's canary percent, when its deployment configuration is a canary (the plan's phase says). */
function blueGreenCanary(planned: { name: string }[]): number | undefined {
  const m = /^traffic shifts: (\d+) % for/.exec(
    planned.find((p) => p.name.startsWith('traffic shifts:'))?.name ?? '',
  );
  return m ? Number(m[1]) : undefined;
}
