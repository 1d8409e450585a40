/**
 * The ECS service: task counts, task definition revision, image tag and its deployments
 * (DescribeServices: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html;
 * `deployments[].rolloutState` / `rolloutStateReason` are reported for the ECS deployment controller:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html), and the image of
 * the service's container (DescribeTaskDefinition, cached: a revision never changes).
 */
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../aws';
import { cached, type DescribeContext, isoTime } from '../context';
import type { ServiceView } from '../report';

export interface ServiceFacts {
  view: ServiceView;
  /** The raw service, for what only some strategies read (deployment configuration, current deployment). */
  raw?: Service;
}

/** `arn:…:task-definition/family:7` → `family:7`. */
export function shortTaskDefinition(arn: string | undefined): string | undefined {
  return arn?.split('/').pop();
}

export async function readService(ctx: DescribeContext, service: string): Promise<ServiceFacts> {
  let raw: Service | undefined;
  try {
    const out = await ctx.aws.call('ecs:DescribeServices', (c) =>
      c.ecs.send(new DescribeServicesCommand({ cluster: ctx.names.cluster, services: [service] })),
    );
    raw = out.services?.find((s) => s.serviceName === service);
  } catch (err) {
    if (!(err instanceof AwsCallError && err.awsName === 'ClusterNotFoundException')) throw err;
  }
  if (!raw || raw.status === 'INACTIVE') {
    return {
      view: {
        name: service,
        status: raw?.status ?? 'MISSING',
        desired: 0,
        running: 0,
        pending: 0,
        deployments: [],
      },
    };
  }
  const image = raw.taskDefinition ? await containerImage(ctx, raw.taskDefinition) : undefined;
  return {
    raw,
    view: {
      name: service,
      status: raw.status ?? 'UNKNOWN',
      desired: raw.desiredCount ?? 0,
      running: raw.runningCount ?? 0,
      pending: raw.pendingCount ?? 0,
      taskDefinition: shortTaskDefinition(raw.taskDefinition),
      image,
      imageTag: image?.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : undefined,
      deployments: (raw.deployments ?? []).map((d) => ({
        id: d.id ?? '',
        status: d.status ?? '',
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
        taskDefinition: shortTaskDefinition(d.taskDefinition) ?? '',
        desired: d.desiredCount ?? 0,
        running: d.runningCount ?? 0,
        pending: d.pendingCount ?? 0,
        failedTasks: d.failedTasks ?? 0,
        updatedAt: isoTime(d.updatedAt),
      })),
    },
  };
}

async function containerImage(ctx: DescribeContext, taskDefinition: string): Promise<string | undefined> {
  return cached(ctx, `taskdef:${taskDefinition}`, async () => {
    const out = await ctx.aws.call('ecs:DescribeTaskDefinition', (c) =>
      c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })),
    );
    const containers = out.taskDefinition?.containerDefinitions ?? [];
    return (containers.find((x) => x.name === ctx.config.container.name) ?? containers[0])?.image;
  });
}
