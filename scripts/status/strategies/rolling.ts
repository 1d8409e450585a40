/**
 * Rolling: an ECS service with the ECS deployment controller. Its state is the primary deployment's
 * `rolloutState` (IN_PROGRESS → COMPLETED, or FAILED when the circuit breaker trips:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html) and the service
 * deployment record, which keeps the rollback and its reason after the failed deployment is gone
 * from `deployments[]` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Rollback.html).
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { DescribeContext } from '../context';
import { readService } from '../read/service';
import { readServiceDeployment } from '../read/service-deployment';
import type { EcsRolloutView, Phase, ServiceView } from '../report';
import type { StrategyDescriber, StrategyParts } from './strategy';

export const rolling: StrategyDescriber = {
  id: 'rolling',
  title: 'Rolling (ECS)',
  stackName: (names) => names.stackName('service-rolling'),
  pipelineName: (names) => names.rolling.pipeline,
  deployHint: 'npm run deploy',
  async describe(ctx: DescribeContext): Promise<StrategyParts> {
    const { view, raw } = await readService(ctx, ctx.names.rolling.service);
    const record = raw ? await readServiceDeployment(ctx, raw) : undefined;
    const deployment = rolloutView(view, record);
    return {
      service: view,
      deployment,
      phase: raw ? rollingPhase(view, deployment) : 'unknown',
      alarmNames: raw?.deploymentConfiguration?.alarms?.alarmNames ?? [],
    };
  },
};

export function rolloutView(service: ServiceView, record: ServiceDeployment | undefined): EcsRolloutView {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const failed = service.deployments.find((d) => d.rolloutState === 'FAILED');
  const status = record?.status ?? '';
  const rolledBack = status.startsWith('ROLLBACK_') || (failed !== undefined && primary !== failed);
  return {
    kind: 'ecs-rolling',
    rolloutState: primary?.rolloutState,
    rolledBack,
    reason: failed?.rolloutStateReason ?? record?.rollback?.reason ?? record?.statusReason,
    serviceDeployment: record?.serviceDeploymentArn
      ? {
          arn: record.serviceDeploymentArn,
          status,
          statusReason: record.statusReason,
          rollbackReason: record.rollback?.reason,
          circuitBreaker: record.deploymentCircuitBreaker?.status,
          triggeredAlarms: record.alarms?.triggeredAlarmNames ?? [],
        }
      : undefined,
  };
}

function rollingPhase(service: ServiceView, d: EcsRolloutView): Phase {
  if (d.rolledBack) return 'rolled-back';
  if (d.rolloutState === 'FAILED') return 'failed';
  if (d.rolloutState === 'IN_PROGRESS' || service.deployments.length > 1) return 'deploying';
  return 'stable';
}
