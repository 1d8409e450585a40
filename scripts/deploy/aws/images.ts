/**
 * Which image runs where: the rolling service's current image, and the newest commit-tagged image
 * in ECR. Read-only lookups, done before planning a real run.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, type ImageDetail } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { awsErrorName, type Runtime } from '../runtime';

/** The build tags each image with the commit it was built from (a hex SHA, full or abbreviated). */
export const COMMIT_TAG = /^[0-9a-f]{7,40}$/;

/**
 * The image the service's current task definition runs for `container`, or undefined when the
 * cluster, the service or the container does not exist (yet).
 */
export async function runningImage(
  rt: Runtime,
  cluster: string,
  service: string,
  container: string,
): Promise<string | undefined> {
  let taskDefinition: string | undefined;
  try {
    const out = await rt.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const found = out.services?.find((s) => s.serviceName === service && s.status === 'ACTIVE');
    taskDefinition = found?.taskDefinition;
  } catch (err) {
    if (awsErrorName(err) === 'ClusterNotFoundException') return undefined;
    throw err;
  }
  if (!taskDefinition) return undefined;
  const td = await rt.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  return td.taskDefinition?.containerDefinitions?.find((c) => c.name === container)?.image;
}

/** `<repository uri>:<tag>` of the most recently pushed commit-tagged image, if any. */
export async function latestCommitImage(rt: Runtime, repositoryName: string): Promise<string | undefined> {
  let repositoryUri: string | undefined;
  try {
    const out = await rt.clients.ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }),
    );
    repositoryUri = out.repositories?.[0]?.repositoryUri;
  } catch (err) {
    if (awsErrorName(err) === 'RepositoryNotFoundException') return undefined;
    throw err;
  }
  if (!repositoryUri) return undefined;
  let best: { tag: string; pushed: number } | undefined;
  let nextToken: string | undefined;
  do {
    const out = await rt.clients.ecr.send(
      new DescribeImagesCommand({ repositoryName, filter: { tagStatus: 'TAGGED' }, nextToken }),
    );
    for (const image of out.imageDetails ?? []) {
      const tag = commitTag(image);
      const pushed = image.imagePushedAt?.getTime() ?? 0;
      if (tag && (!best || pushed > best.pushed)) best = { tag, pushed };
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return best ? `${repositoryUri}:${best.tag}` : undefined;
}

function commitTag(image: ImageDetail): string | undefined {
  return image.imageTags?.find((t) => COMMIT_TAG.test(t));
}
