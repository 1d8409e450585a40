/**
 * ECS's built-in canary: deployment controller ECS with strategy CANARY, its own ALB stack. ECS
 * shifts `canaryPercent` of production traffic to the new revision, bakes `canaryBakeTimeInMinutes`,
 * shifts the rest, then keeps the old revision `bakeTimeInMinutes`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html).
 * Progress shows in the service deployment record (read/service-deployment.ts): lifecycle stage,
 * requested traffic weights, lifecycle hooks. ECS reports no start time of the canary phase, so
 * unlike CodeDeploy no countdown is shown, only the configured bake times. A hook that answered
 * FAILED shows the hook's own reasons, from its `ECS lifecycle hook verdict` log line.
 *
 * The stack is cloudformation/service-canary.ts (`<prefix>-service-canary`, output LoadBalancerUrl);
 * `npm run deploy` deploys it when app.strategies names `canary`.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { DescribeContext } from '../context';
import { ECS_VERDICT, readHookVerdict } from '../read/hook-verdict';
import { readService } from '../read/service';
import { readServiceDeployment } from '../read/service-deployment';
import type { EcsServiceDeploymentView, Phase } from '../report';
import type { StrategyDescriber, StrategyParts } from './strategy';

export const ecsCanary: StrategyDescriber = {
  id: 'canary',
  title: 'Canary (ECS built-in)',
  stackName: (names) => names.ecsCanary.stackName,
  pipelineName: (names) => names.ecsCanary.pipeline,
  deployHint: 'npm run deploy',
  async describe(ctx: DescribeContext): Promise<StrategyParts> {
    const { view, raw } = await readService(ctx, ctx.names.ecsCanary.service);
    const record = raw ? await readServiceDeployment(ctx, raw) : undefined;
    const deployment = record ? serviceDeploymentView(record) : undefined;
    if (record?.serviceDeploymentArn && deployment) {
      for (const hook of deployment.hooks.filter((h) => h.status === 'FAILED')) {
        const arn = record.serviceDeploymentArn;
        const verdict = await readHookVerdict(ctx, arn, record.startedAt ?? record.createdAt, ECS_VERDICT);
        if (verdict.reasons.length) hook.reasons = verdict.reasons;
      }
    }
    return {
      service: view,
      deployment,
      phase: !raw ? 'unknown' : deployment ? canaryPhase(deployment) : 'stable',
      alarmNames: raw?.deploymentConfiguration?.alarms?.alarmNames ?? [],
    };
  },
};

export function serviceDeploymentView(d: ServiceDeployment): EcsServiceDeploymentView {
  const target = d.targetServiceRevision?.requestedProductionTrafficWeight;
  const source = (d.sourceServiceRevisions ?? []).reduce(
    (sum, r) => sum + (r.requestedProductionTrafficWeight ?? 0),
    0,
  );
  const canary = d.deploymentConfiguration?.canaryConfiguration;
  return {
    kind: 'ecs-service-deployment',
    arn: d.serviceDeploymentArn ?? '',
    status: d.status ?? 'UNKNOWN',
    statusReason: d.statusReason,
    lifecycleStage: d.lifecycleStage,
    traffic: target !== undefined ? { old: source, new: target } : undefined,
    hooks: (d.lifecycleHookDetails ?? []).map((h) => ({
      target: h.targetArn ?? h.hookId ?? '?',
      status: h.status ?? '?',
    })),
    rollbackReason: d.rollback?.reason,
    canaryPercent: canary?.canaryPercent,
    canaryBakeMinutes: canary?.canaryBakeTimeInMinutes,
    bakeMinutes: d.deploymentConfiguration?.bakeTimeInMinutes,
  };
}

export function canaryPhase(d: EcsServiceDeploymentView): Phase {
  if (d.status === 'SUCCESSFUL') return 'stable';
  if (d.status === 'ROLLBACK_FAILED' || d.status === 'STOPPED') return 'failed';
  if (d.status.startsWith('ROLLBACK_')) return 'rolled-back';
  if (d.hooks.some((h) => h.status === 'IN_PROGRESS' || h.status === 'AWAITING_ACTION'))
    return 'waiting-for-hook';
  switch (d.lifecycleStage) {
    case 'TEST_TRAFFIC_SHIFT':
    case 'POST_TEST_TRAFFIC_SHIFT':
      return 'testing';
    case 'PRODUCTION_TRAFFIC_SHIFT':
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      return 'shifting';
    case 'BAKE_TIME':
    case 'CLEAN_UP':
      return 'termination-wait';
    default:
      return 'deploying';
  }
}
