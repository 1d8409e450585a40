/**
 * The deployment's replacement (Green) task set, from CodeDeploy's deployment target, and — when the
 * revision carries no AppSpec — the task definition and container that task set runs.
 */
import {
  type CodeDeployClient,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskSetsCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { AppSpecTarget } from './appspec';
import { DiscoveryError, type Opts } from './discovery-error';
import { allPages } from './paging';
import { targetGroupName } from './route';

/** The ECS service of a deployment group. */
export interface EcsService {
  cluster: string;
  service: string;
}

export interface GreenTaskSet {
  id: string;
  targetGroup: string;
}

/** The deployment's replacement (Green) task set: ListDeploymentTargets → GetDeploymentTarget. */
export async function greenTaskSet(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  opts: Opts,
): Promise<GreenTaskSet> {
  const targetIds = await allPages(`ListDeploymentTargets(${deploymentId})`, async (nextToken) => {
    const page = await codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }), opts);
    return { items: page.targetIds ?? [], next: page.nextToken };
  });
  for (const targetId of targetIds) {
    const { deploymentTarget } = await codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId }),
      opts,
    );
    const green = deploymentTarget?.ecsTarget?.taskSetsInfo?.find(
      (set) => set.taskSetLabel?.toLowerCase() === 'green',
    );
    // `identifer` (sic) is the model's spelling.
    if (green?.identifer && green.targetGroup?.name) {
      return { id: green.identifer, targetGroup: green.targetGroup.name };
    }
  }
  throw new DiscoveryError(
    `deployment ${deploymentId} has no Green task set with a target group among its deployment targets ` +
      `(${targetIds.length ? targetIds.join(', ') : 'none'}); the replacement task set must exist before BeforeAllowTraffic`,
  );
}

/** Fallback: the green task set's own task definition and the container behind its load balancer. */
export async function fromTaskSet(
  ecs: ECSClient,
  service: EcsService | undefined,
  green: GreenTaskSet,
  opts: Opts,
): Promise<AppSpecTarget> {
  if (!service) {
    throw new DiscoveryError(
      `the deployment group names no ECS service, so task set ${green.id} cannot be described`,
    );
  }
  const { taskSets, failures } = await ecs.send(
    new DescribeTaskSetsCommand({ cluster: service.cluster, service: service.service, taskSets: [green.id] }),
    opts,
  );
  const set = taskSets?.[0];
  if (!set?.taskDefinition) {
    const why = failures?.[0]?.reason ? ` (${failures[0].reason})` : '';
    throw new DiscoveryError(
      `green task set ${green.id} of ${service.cluster}/${service.service} was not found${why}`,
    );
  }
  const lbs = set.loadBalancers ?? [];
  const lb =
    lbs.find((l) => l.targetGroupArn && targetGroupName(l.targetGroupArn) === green.targetGroup) ?? lbs[0];
  if (!lb?.containerName) {
    throw new DiscoveryError(`green task set ${green.id} has no load balancer container`);
  }
  return { taskDefinition: set.taskDefinition, containerName: lb.containerName };
}
