/**
 * ECS service deployments (2024+): one record per deployment of an ECS-controlled service, with its
 * status, lifecycle stage, rollback reason, circuit breaker and alarm state, and for canary/linear
 * the traffic weight requested per revision
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRevisionSummary.html).
 * The service names its current one (`currentServiceDeployment`); a service without it is looked up
 * with ListServiceDeployments (its order is not documented, so the newest `createdAt` wins).
 * Permissions: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment-permissions.html
 */
import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { DescribeContext } from '../context';

/** Statuses after which a service deployment never changes. */
export const FINISHED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export async function readServiceDeployment(
  ctx: DescribeContext,
  service: Service,
): Promise<ServiceDeployment | undefined> {
  let arn = service.currentServiceDeployment;
  if (!arn) {
    const list = await ctx.aws.call('ecs:ListServiceDeployments', (c) =>
      c.ecs.send(
        new ListServiceDeploymentsCommand({ cluster: ctx.names.cluster, service: service.serviceName }),
      ),
    );
    const newest = [...(list.serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    arn = newest?.serviceDeploymentArn;
  }
  if (!arn) return undefined;
  const key = `service-deployment:${arn}`;
  if (ctx.cache.has(key)) return ctx.cache.get(key) as ServiceDeployment;
  const out = await ctx.aws.call('ecs:DescribeServiceDeployments', (c) =>
    c.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
  );
  const found = out.serviceDeployments?.[0];
  if (found?.status && FINISHED.includes(found.status)) ctx.cache.set(key, found);
  return found;
}
