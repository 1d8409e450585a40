/**
 * CodeDeploy's ECS blue/green deployment, in the order of its lifecycle events
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs):
 * BeforeInstall → Install (the replacement task set, registered in the green target group) →
 * AfterInstall → AllowTestTraffic (the test listener routed to green) → AfterAllowTestTraffic →
 * BeforeAllowTraffic → AllowTraffic (production shifted by the deployment configuration) →
 * AfterAllowTraffic; then, after the termination wait, the original task set is removed
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-ecs.html). The AppSpec's
 * hooks run at their events; a hook reporting Failed through PutLifecycleEventHookExecutionStatus
 * fails the deployment, and the deployment group's alarms stop it; with automatic rollback on those
 * events, traffic goes back to blue and green is removed
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html).
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { namesFor, TASK_DEFINITION_PLACEHOLDER } from '../../../config';
import { renderAppSpec } from '../../artifacts/appspec';
import {
  drainingPhase,
  healthCheckPhase,
  hookPhase,
  taskStartPhase,
  terminationWaitPhase,
} from '../../timeline/phases';
import { verdictOf } from '../hook';
import type { TaskSet } from '../task-set';
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
import { registerTaskDefinition } from './revision';
import { trafficSteps } from './traffic';

export async function blueGreen(
  ctx: StrategyContext,
  blue: TaskSet,
  watchBase: Watch,
  desired: number,
): Promise<ControlResult> {
  const { stack, balancer: lb } = ctx;
  const groupId = stack.ofType('AWS::CodeDeploy::DeploymentGroup')[0];
  const g = stack.props(groupId);
  const pair = g.LoadBalancerInfo.TargetGroupPairInfoList[0];
  const tgByName = (name: string) => lb.model.targetGroups.find((t) => t.name === name)!.id;
  const [blueTg, greenTg] = (pair.TargetGroups as { Name: string }[]).map((t) => tgByName(t.Name));
  const listenerOf = (arn: string) => lb.model.listeners.find((l) => l.arn === arn)!;
  const prod = listenerOf(pair.ProdTrafficRoute.ListenerArns[0]);
  const test = pair.TestTrafficRoute ? listenerOf(pair.TestTrafficRoute.ListenerArns[0]) : undefined;
  const waitMinutes = Number(
    g.BlueGreenDeploymentConfiguration?.TerminateBlueInstancesOnDeploymentSuccess
      ?.TerminationWaitTimeInMinutes ?? 0,
  );
  const steps = trafficSteps(stack, g.DeploymentConfigName);

  const names = namesFor(ctx.config);
  const taskDefinitionArn = registerTaskDefinition(ctx, stack.ofType('AWS::ECS::TaskDefinition')[0]);
  const appSpec = renderAppSpec(ctx.config).replace(TASK_DEFINITION_PLACEHOLDER, taskDefinitionArn);
  const hooks = new Map<string, string>(
    ((parseYaml(appSpec) as { Hooks?: Record<string, string>[] }).Hooks ?? []).flatMap((h) =>
      Object.entries(h),
    ),
  );
  const deploymentId = 'd-REHEARSAL1';
  const green = ctx.taskSet('green', ctx.release, greenTg);
  const reports = new Map<string, string>();
  const weightOf = (tg: string) => lb.weightOf(prod.routes.at(-1)!.id, tg);
  const taskSetInfo = (set: TaskSet, label: 'Blue' | 'Green', tg: string) => ({
    identifer: `ecs-svc/${label.toLowerCase()}`,
    desiredCount: set.desired,
    pendingCount: 0,
    runningCount: set.tasks.length,
    status: label === 'Blue' ? 'PRIMARY' : 'ACTIVE',
    trafficWeight: weightOf(tg),
    targetGroup: { name: lb.tg(tg).name },
    taskSetLabel: label,
  });
  ctx.aws.taskSets.set('ecs-svc/green', {
    id: 'ecs-svc/green',
    taskDefinition: taskDefinitionArn,
    loadBalancers: [
      {
        targetGroupArn: lb.tg(greenTg).arn,
        containerName: ctx.config.container.name,
        containerPort: ctx.config.container.port,
      },
    ],
  });
  ctx.aws.deployments.set(deploymentId, {
    deploymentId,
    applicationName: g.ApplicationName,
    deploymentGroupName: g.DeploymentGroupName,
    appSpec,
    sha256: createHash('sha256').update(appSpec).digest('hex'),
    deploymentGroupInfo: {
      applicationName: g.ApplicationName,
      deploymentGroupName: g.DeploymentGroupName,
      computePlatform: 'ECS',
      ecsServices: (g.ECSServices as { ClusterName: string; ServiceName: string }[]).map((s) => ({
        clusterName: s.ClusterName,
        serviceName: s.ServiceName,
      })),
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: lb.tg(blueTg).name }, { name: lb.tg(greenTg).name }],
            prodTrafficRoute: { listenerArns: [prod.arn] },
            ...(test ? { testTrafficRoute: { listenerArns: [test.arn] } } : {}),
          },
        ],
      },
    },
    target: () => ({
      deploymentId,
      targetId: `${names.cluster}:${names.blueGreen.service}`,
      targetArn: ctx.stack.ref(stack.ofType('AWS::ECS::Service')[0]),
      status: 'InProgress',
      taskSetsInfo: [taskSetInfo(blue, 'Blue', blueTg), taskSetInfo(green, 'Green', greenTg)],
    }),
    report: (executionId, status) => reports.set(executionId, status),
  });

  /** Runs the AppSpec's hook for `event`, if it names one: undefined when it reports Succeeded. */
  const runHook = async (event: string): Promise<Stop | undefined> => {
    if (!hooks.has(event)) return undefined;
    const executionId = `rehearsal-${event}`;
    ctx.event(`${event}: invoking ${hooks.get(event)}`);
    const invocation = await ctx.invokeHook({
      DeploymentId: deploymentId,
      LifecycleEventHookExecutionId: executionId,
    });
    const status = reports.get(executionId);
    const { reasons, summary } = verdictOf(invocation);
    const via = (summary?.source as { testRoute?: string } | undefined)?.testRoute;
    ctx.event(
      `${event}: hook reported ${status ?? 'nothing'}${via ? ` (probed through the ${via})` : ''}${reasons ? ` (${reasons})` : ''}`,
    );
    if (status === 'Succeeded') return undefined;
    return {
      by: 'hook',
      reason: `${event} hook ${status ? `reported ${status}` : 'never reported'}${reasons ? `: ${reasons}` : ''}`,
    };
  };
  // Each forward of a listener that sends traffic to blue, sent to green instead (or back).
  const route = async (listener: typeof prod, to: string, from: string) => {
    for (const r of listener.routes) {
      if (lb.weightOf(r.id, from) > 0) await lb.forward(r.id, [{ tg: to, weight: 1 }]);
    }
  };

  const watch: Watch = {
    ...watchBase,
    tasks: green,
    others: [blue],
    failureLimit: circuitBreakerThreshold(desired),
  };
  const prodRoute = prod.routes.at(-1)!;
  const stop = await firstStop([
    () => runHook('BeforeInstall'),
    async () => {
      ctx.phases.enter(taskStartPhase('green tasks'));
      await green.scaleTo(desired);
      ctx.phases.enter(healthCheckPhase(ctx.config, 'green tasks'));
      return healthy(ctx, green, watch);
    },
    () => runHook('AfterInstall'),
    async () => {
      if (test) await route(test, greenTg, blueTg);
      return runHook('AfterAllowTestTraffic');
    },
    () => {
      ctx.phases.enter(hookPhase(ctx.config, 'BeforeAllowTraffic:'));
      return runHook('BeforeAllowTraffic');
    },
    () => {
      ctx.phases.enter(plannedPhase(ctx, 'traffic shifts:'));
      return firstStop(
        steps.map((step) => async () => {
          await lb.forward(prodRoute.id, [
            { tg: blueTg, weight: 100 - step.percent },
            { tg: greenTg, weight: step.percent },
          ]);
          ctx.event(`AllowTraffic: green ${step.percent} % of production`);
          return bake(ctx, step.minutes * 60, watch);
        }),
      );
    },
    () => runHook('AfterAllowTraffic'),
    () => {
      ctx.phases.enter(terminationWaitPhase(ctx.config));
      return bake(ctx, waitMinutes * 60, watch);
    },
  ]);
  return finish(
    ctx,
    stop,
    { phase: drainingPhase(ctx.config, 'blue tasks', 'done'), run: () => blue.stopAll() },
    async () => {
      await route(prod, blueTg, greenTg);
      if (test) await route(test, blueTg, greenTg);
      await green.stopAll();
    },
  );
}
