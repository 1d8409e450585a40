/**
 * ECS's built-in canary, stage by stage as ECS documents its lifecycle
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html):
 * SCALE_UP (the new revision's tasks in the alternate target group) → POST_SCALE_UP →
 * TEST_TRAFFIC_SHIFT (the test listener rule to the new revision) → POST_TEST_TRAFFIC_SHIFT →
 * PRODUCTION_TRAFFIC_SHIFT (CanaryPercent of the production rule, CanaryBakeTimeInMinutes, then the
 * rest) → POST_PRODUCTION_TRAFFIC_SHIFT → BAKE_TIME (BakeTimeInMinutes with the old revision kept) →
 * CLEAN_UP. A Lambda hook at a stage is run as ECS runs it (ecs-hook.ts). The
 * circuit breaker and the service's alarms roll back as for a rolling update.
 */
import { drainingPhase, ecsHookPhase, healthCheckPhase, taskStartPhase } from '../../timeline/phases';
import type { TaskSet } from '../task-set';
import { REHEARSAL_ACCOUNT } from '../template';
import {
  bake,
  type ControlResult,
  circuitBreakerThreshold,
  finish,
  firstStop,
  healthy,
  plannedPhase,
  type Stop,
  type StrategyContext,
  type Watch,
} from './context';
import { runEcsHook } from './ecs-hook';
import { registerTaskDefinition } from './revision';
import type { ServiceFacts } from './rolling';

export async function ecsCanary(
  ctx: StrategyContext,
  old: TaskSet,
  watchBase: Watch,
  facts: ServiceFacts,
): Promise<ControlResult> {
  const { stack, balancer: lb } = ctx;
  const serviceId = stack.ofType('AWS::ECS::Service')[0];
  const p = stack.props(serviceId);
  const dc = p.DeploymentConfiguration;
  const canaryPercent = Number(dc.CanaryConfiguration?.CanaryPercent ?? 5);
  const canaryMinutes = Number(dc.CanaryConfiguration?.CanaryBakeTimeInMinutes ?? 10);
  const bakeMinutes = Number(dc.BakeTimeInMinutes ?? 0);
  const lbConfig = p.LoadBalancers[0];
  const advanced = lbConfig.AdvancedConfiguration;
  const tgOf = (arn: string) => lb.model.targetGroups.find((t) => t.arn === arn)!.id;
  const primary = tgOf(lbConfig.TargetGroupArn);
  const alternate = tgOf(advanced.AlternateTargetGroupArn);
  const routeOf = (arn: string) => lb.model.listeners.flatMap((l) => l.routes).find((r) => r.arn === arn)!.id;
  const prodRule = routeOf(advanced.ProductionListenerRule);
  const testRule = advanced.TestListenerRule ? routeOf(advanced.TestListenerRule) : undefined;
  const hookStages = new Set<string>(
    ((dc.LifecycleHooks ?? []) as { LifecycleStages: string[] }[]).flatMap((h) => h.LifecycleStages),
  );

  const serviceArn = stack.ref(serviceId);
  const revisionArn = `${serviceArn.replace(':service/', ':service-revision/')}/2`;
  const deploymentArn = `${serviceArn.replace(':service/', ':service-deployment/')}/rehearsal`;
  const taskDefinition = registerTaskDefinition(ctx, stack.ofType('AWS::ECS::TaskDefinition')[0]);
  ctx.aws.serviceRevisions.set(revisionArn, {
    serviceRevisionArn: revisionArn,
    serviceArn,
    clusterArn: `arn:aws:ecs:${ctx.config.app.region}:${REHEARSAL_ACCOUNT}:cluster/${String(p.Cluster)}`,
    taskDefinition,
    loadBalancers: [
      {
        targetGroupArn: lbConfig.TargetGroupArn,
        containerName: lbConfig.ContainerName,
        containerPort: lbConfig.ContainerPort,
        advancedConfiguration: {
          alternateTargetGroupArn: advanced.AlternateTargetGroupArn,
          productionListenerRule: advanced.ProductionListenerRule,
          testListenerRule: advanced.TestListenerRule,
          roleArn: advanced.RoleArn,
        },
      },
    ],
    // The new revision runs in the alternate target group (the old one serves from the primary).
    resolvedConfiguration: {
      loadBalancers: [
        { targetGroupArn: lb.tg(alternate).arn, productionListenerRule: advanced.ProductionListenerRule },
      ],
    },
  });

  const weights = (route: string) => ({
    [lb.tg(primary).arn]: lb.weightOf(route, primary),
    [lb.tg(alternate).arn]: lb.weightOf(route, alternate),
  });
  const runHook = async (stage: string): Promise<Stop | undefined> => {
    if (!hookStages.has(stage)) return undefined;
    const payload = (invocation: number) => ({
      executionDetails: {
        serviceArn,
        targetServiceRevisionArn: revisionArn,
        testTrafficWeights: testRule ? weights(testRule) : {},
        productionTrafficWeights: weights(prodRule),
      },
      executionId: `rehearsal-${stage}-${invocation}`,
      lifecycleStage: stage,
      resourceArn: deploymentArn,
    });
    return runEcsHook(stage, payload, ctx);
  };

  const next = ctx.taskSet('new', ctx.release, alternate);
  const watch: Watch = {
    ...watchBase,
    tasks: next,
    others: [old],
    breaker: facts.circuitBreaker ? circuitBreakerThreshold(facts.desired) : undefined,
  };
  const split = (alternatePercent: number) => [
    { tg: primary, weight: 100 - alternatePercent },
    { tg: alternate, weight: alternatePercent },
  ];
  const stop = await firstStop([
    () => runHook('RECONCILE_SERVICE'),
    () => runHook('PRE_SCALE_UP'),
    async () => {
      ctx.phases.enter(taskStartPhase('new revision tasks'));
      await next.scaleTo(facts.desired);
      ctx.phases.enter(healthCheckPhase(ctx.config, 'new revision tasks'));
      return healthy(ctx, next, watch);
    },
    () => runHook('POST_SCALE_UP'),
    async () => {
      if (testRule) await lb.forward(testRule, split(100));
      return runHook('TEST_TRAFFIC_SHIFT');
    },
    () => {
      ctx.phases.enter(ecsHookPhase(ctx.config));
      return runHook('POST_TEST_TRAFFIC_SHIFT');
    },
    async () => {
      ctx.phases.enter(plannedPhase(ctx, 'canary:'));
      await lb.forward(prodRule, split(canaryPercent));
      ctx.event(
        `PRODUCTION_TRAFFIC_SHIFT: new revision ${canaryPercent} % of production for ${canaryMinutes} min`,
      );
      return bake(ctx, canaryMinutes * 60, watch);
    },
    async () => {
      // The canary phase ends with the shift of the rest: the bake time counts from it.
      ctx.phases.enter(plannedPhase(ctx, 'old revision kept'));
      await lb.forward(prodRule, split(100));
      ctx.event('PRODUCTION_TRAFFIC_SHIFT: new revision 100 % of production');
      return runHook('POST_PRODUCTION_TRAFFIC_SHIFT');
    },
    () => bake(ctx, bakeMinutes * 60, watch),
  ]);
  return finish(
    ctx,
    stop,
    { phase: drainingPhase(ctx.config, 'old revision tasks', 'done'), run: () => old.stopAll() },
    async () => {
      await lb.forward(prodRule, split(0));
      if (testRule) await lb.forward(testRule, split(0));
      await next.stopAll();
    },
  );
}
