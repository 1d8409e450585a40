/**
 * ECS rolling update, as ECS documents it
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html):
 * the scheduler starts new tasks while at most `maximumPercent` of the desired count run, waits for
 * them to pass the load balancer's health checks, then drains and stops old tasks while at least
 * `minimumHealthyPercent` stay healthy, in rounds until only new tasks run. The deployment circuit
 * breaker counts failed new tasks and rolls back at its threshold
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html); the
 * service's alarms roll back too (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html).
 * Rolling has no test traffic and no hook: a release that answers healthy but serves the wrong
 * commit completes, as it would on AWS.
 */
import { drainingPhase, healthCheckPhase, taskStartPhase } from '../../timeline/phases';
import { rollingRounds } from '../../timeline/strategies';
import type { TaskSet } from '../task-set';
import {
  type ControlResult,
  circuitBreakerThreshold,
  finish,
  healthy,
  type Stop,
  type StrategyContext,
  type Watch,
} from './context';

export interface ServiceFacts {
  desired: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: boolean;
  alarmsEnabled: boolean;
}

/** The service's deployment settings, from its AWS::ECS::Service resource. */
export function serviceFacts(ctx: StrategyContext, serviceId: string): ServiceFacts {
  const p = ctx.stack.props(serviceId);
  const dc = p.DeploymentConfiguration ?? {};
  return {
    desired: Number(p.DesiredCount ?? 1),
    // ECS's defaults for a rolling update: 100 % and 200 % (service_definition_parameters.html).
    minimumHealthyPercent: Number(dc.MinimumHealthyPercent ?? 100),
    maximumPercent: Number(dc.MaximumPercent ?? 200),
    circuitBreaker: dc.DeploymentCircuitBreaker?.Enable === true,
    alarmsEnabled: dc.Alarms?.Enable === true,
  };
}

export async function rolling(
  ctx: StrategyContext,
  old: TaskSet,
  watchBase: Watch,
  facts: ServiceFacts,
): Promise<ControlResult> {
  const { desired, minimumHealthyPercent: minPct, maximumPercent: maxPct } = facts;
  const rounds = rollingRounds(desired, minPct, maxPct);
  const next = ctx.taskSet('new', ctx.release, old.tg);
  const watch: Watch = {
    ...watchBase,
    tasks: next,
    others: [old],
    breaker: facts.circuitBreaker ? circuitBreakerThreshold(desired) : undefined,
  };
  const minHealthy = Math.ceil((desired * minPct) / 100);
  const maxRunning = Math.floor((desired * maxPct) / 100);
  let stop: Stop | undefined;
  for (let round = 1; old.tasks.length > 0 || next.desired < desired; round++) {
    const of = rounds > 1 ? ` (round ${Math.min(round, rounds)} of ${rounds})` : '';
    ctx.phases.enter(taskStartPhase(`new tasks${of}`));
    const batch = Math.max(
      1,
      Math.min(desired - next.desired, maxRunning - old.tasks.length - next.tasks.length),
    );
    if (next.desired < desired) await next.scaleTo(next.desired + batch);
    ctx.event(`started ${batch} new task(s), ${next.desired} of ${desired}`);
    ctx.phases.enter(healthCheckPhase(ctx.config, `new tasks${of}`));
    stop = await healthy(ctx, next, watch);
    if (stop) break;
    ctx.phases.enter(drainingPhase(ctx.config, `old tasks${of}`));
    const stoppable = Math.min(old.tasks.length, old.tasks.length + (await next.healthy()) - minHealthy);
    ctx.event(`draining ${stoppable} old task(s)`);
    await old.scaleDown(stoppable);
  }
  return finish(
    ctx,
    stop,
    {
      run: async () => {},
      notes: [
        'no hook: an ECS rolling update has no test traffic, so nothing checks the version before users get it',
      ],
    },
    // ECS redeploys the last completed revision: the old tasks back to the desired count, the new ones stopped.
    async () => {
      await old.scaleTo(desired);
      await healthy(ctx, old, { others: [] });
      await next.stopAll();
    },
  );
}
