/**
 * The outcome of a release's deployment, from what ECS or CodeDeploy recorded: succeeded, still
 * running, or failed with the reasons a person needs (no console): the deployment's status and
 * reason, the rollback's reason, the circuit breaker's count, the alarms that fired, the lifecycle
 * hook's verdict and why the new tasks stopped. Pure: the AWS calls are in ecs.ts and codedeploy.ts.
 *
 * ECS: ServiceDeployment (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html);
 * CodeDeploy: DeploymentInfo (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html).
 */
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';

export type Outcome =
  | { state: 'succeeded'; id: string; summary: string }
  | { state: 'running'; id: string; summary: string }
  | { state: 'failed'; id?: string; message: string };

/** ECS statuses of a deployment that will not succeed: the pipeline is red from the first one seen. */
const ECS_FAILED = [
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

/** What ECS recorded of a service deployment, and why its new tasks stopped (ecs.ts reads them). */
export function ecsOutcome(d: ServiceDeployment, stoppedTaskReasons: readonly string[] = []): Outcome {
  const id = d.serviceDeploymentArn ?? 'unknown service deployment';
  const stage = d.lifecycleStage ? ` at ${d.lifecycleStage}` : '';
  if (d.status === 'SUCCESSFUL')
    return { state: 'succeeded', id, summary: `ECS service deployment SUCCESSFUL: ${id}` };
  if (!d.status || !ECS_FAILED.includes(d.status)) {
    return { state: 'running', id, summary: `ECS service deployment ${d.status ?? 'PENDING'}${stage}` };
  }
  const reasons: string[] = [];
  if (d.statusReason) reasons.push(d.statusReason);
  if (d.rollback?.reason && d.rollback.reason !== d.statusReason)
    reasons.push(`rollback: ${d.rollback.reason}`);
  const cb = d.deploymentCircuitBreaker;
  if (cb?.status === 'TRIGGERED') {
    reasons.push(
      `circuit breaker tripped: ${cb.failureCount ?? '?'} failed tasks of a threshold of ${cb.threshold ?? '?'}`,
    );
  }
  const fired = d.alarms?.triggeredAlarmNames ?? [];
  if (fired.length) reasons.push(`alarms in ALARM: ${fired.join(', ')}`);
  for (const h of d.lifecycleHookDetails ?? []) {
    if (h.status === 'FAILED' || h.status === 'TIMED_OUT') {
      reasons.push(
        `lifecycle hook ${h.status} (${h.targetArn ?? 'hook'}; its verdict's reasons are in its log)`,
      );
    }
  }
  if (stoppedTaskReasons.length) reasons.push(`new tasks stopped: ${stoppedTaskReasons.join('; ')}`);
  return {
    state: 'failed',
    id,
    message: `the release did not deploy: ECS service deployment ${d.status}${stage}${reasons.length ? ` - ${reasons.join(' | ')}` : ''} (${id})`,
  };
}

/** What CodeDeploy recorded of a deployment. */
export function codeDeployOutcome(d: DeploymentInfo): Outcome {
  const id = d.deploymentId ?? 'unknown deployment';
  if (d.status === 'Succeeded')
    return { state: 'succeeded', id, summary: `CodeDeploy deployment Succeeded: ${id}` };
  if (d.status !== 'Failed' && d.status !== 'Stopped') {
    return { state: 'running', id, summary: `CodeDeploy deployment ${d.status ?? 'Created'}: ${id}` };
  }
  const reasons: string[] = [];
  const e = d.errorInformation;
  if (e?.code || e?.message) reasons.push(`${e.code ?? 'error'}: ${e.message ?? ''}`.trim());
  if (d.rollbackInfo?.rollbackMessage) reasons.push(`rollback: ${d.rollbackInfo.rollbackMessage}`);
  return {
    state: 'failed',
    id,
    message: `the release did not deploy: CodeDeploy deployment ${d.status}${reasons.length ? ` - ${reasons.join(' | ')}` : ''} (${id})`,
  };
}
