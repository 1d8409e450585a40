/**
 * ECS's side of the outcome check: the service deployment the Deploy action started (the first one
 * created after the action's start), its record, and why the new revision's tasks stopped.
 * Calls: ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions, ListTasks,
 * DescribeTasks (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment-permissions.html).
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { allPages } from '../paging';
import { ecsOutcome, type Outcome } from './verdict';

type EcsTarget = { cluster: string; service: string };

/** The ARN of the first service deployment created after `since`, or undefined. */
export async function findServiceDeployment(
  ecs: ECSClient,
  t: EcsTarget,
  since: Date,
): Promise<string | undefined> {
  // Bounded like every listing of the hook's (../paging.ts): a repeated marker cannot loop the check.
  const found = await allPages(`ListServiceDeployments(${t.service})`, async (nextToken) => {
    const page = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: t.cluster,
        service: t.service,
        createdAt: { after: since },
        nextToken,
      }),
    );
    return { items: page.serviceDeployments ?? [], next: page.nextToken };
  });
  // The API documents no order: the earliest is the Deploy action's (a later one replaced it).
  found.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  return found[0]?.serviceDeploymentArn;
}

/** The outcome of one service deployment, with the stop reasons of its tasks when it failed. */
export async function serviceDeploymentOutcome(ecs: ECSClient, t: EcsTarget, arn: string): Promise<Outcome> {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const d = out.serviceDeployments?.[0];
  if (!d) {
    const why = out.failures?.[0]?.reason ?? 'not found';
    return { state: 'failed', id: arn, message: `service deployment ${arn} cannot be described: ${why}` };
  }
  const first = ecsOutcome(d);
  if (first.state !== 'failed') return first;
  return ecsOutcome(d, await stoppedTaskReasons(ecs, t, d));
}

/** Distinct reasons (3 at most) the target revision's tasks stopped; a line saying why when unreadable. */
async function stoppedTaskReasons(ecs: ECSClient, t: EcsTarget, d: ServiceDeployment): Promise<string[]> {
  const revision = d.targetServiceRevision?.arn;
  if (!revision) return [];
  try {
    const rev = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision] }));
    const taskDefinition = rev.serviceRevisions?.[0]?.taskDefinition;
    const listed = await ecs.send(
      new ListTasksCommand({
        cluster: t.cluster,
        serviceName: t.service,
        desiredStatus: 'STOPPED',
        maxResults: 100,
      }),
    );
    const arns = listed.taskArns ?? [];
    if (!arns.length || !taskDefinition) return [];
    const tasks = await ecs.send(new DescribeTasksCommand({ cluster: t.cluster, tasks: arns }));
    const reasons = new Set<string>();
    for (const task of tasks.tasks ?? []) {
      if (task.taskDefinitionArn !== taskDefinition) continue;
      const exits = (task.containers ?? [])
        .map((c) => c.reason ?? (c.exitCode === undefined ? '' : `${c.name} exited ${c.exitCode}`))
        .filter(Boolean);
      reasons.add([task.stoppedReason ?? task.stopCode ?? 'stopped', ...exits].join(', '));
    }
    return [...reasons].slice(0, 3);
  } catch (err) {
    return [`(stop reasons not read: ${(err as Error).name}: ${(err as Error).message})`];
  }
}
