/**
 * Which image runs where, and whether two image URIs name the same image. Read-only lookups.
 *
 * After a pipeline release the service runs the pipeline's task definition, not the stack's, so a
 * re-run asks ECS for the image it runs NOW (never the newest in ECR: after the unhealthy-release demo
 * the newest is the bad one), and compares it with the stack's ImageUri by digest, so a different
 * spelling of the same image never replaces the task definition.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, type ImageDetail } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { awsErrorName, type Runtime } from '../runtime';

/** The build tags each image with the commit it was built from (a hex SHA, full or abbreviated). */
export const COMMIT_TAG = /^[0-9a-f]{7,40}$/;

/** An image URI's parts: `<registry>/<repository>[:<tag>][@<digest>]`. */
export interface ImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image URI; undefined for something that is not one. The registry is case-insensitive. */
export function parseImageUri(uri: string): ImageRef | undefined {
  const match = /^([^/]+)\/([^:@]+)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(uri.trim());
  if (!match) return undefined;
  const [, registry, repository, tag, digest] = match;
  return { registry: registry.toLowerCase(), repository, tag, digest };
}

/**
 * True when `a` and `b` name the same image: the same repository, and the same digest (written in
 * the URI or looked up in `digests`) or, when a digest is unknown, the same tag (the repository's
 * tags are IMMUTABLE: a tag never moves to another image).
 */
export function sameImage(a: string, b: string, digests: Readonly<Record<string, string>> = {}): boolean {
  if (a === b) return true;
  const x = parseImageUri(a);
  const y = parseImageUri(b);
  if (!x || !y || x.registry !== y.registry || x.repository !== y.repository) return false;
  const dx = x.digest ?? digests[a];
  const dy = y.digest ?? digests[b];
  if (dx && dy) return dx === dy;
  return x.tag !== undefined && x.tag === y.tag;
}

export interface RunningImage {
  /** The image of the container, as the task definition names it. */
  uri: string;
  /** The task definition ARN (revision) the service runs. */
  taskDefinition: string;
}

/**
 * The image the service runs now for `container`: for an ECS-controlled service its task definition;
 * for a CODE_DEPLOY service (no service-level revision once CodeDeploy deploys) the task set that
 * serves production traffic (PRIMARY). Undefined when the cluster, service or container is missing.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskSet.html
 */
export async function runningImage(
  rt: Runtime,
  cluster: string,
  service: string,
  container: string,
): Promise<RunningImage | undefined> {
  let taskDefinition: string | undefined;
  try {
    const out = await rt.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const found = out.services?.find((s) => s.serviceName === service && s.status === 'ACTIVE');
    taskDefinition =
      found?.taskSets?.find((t) => t.status === 'PRIMARY')?.taskDefinition ?? found?.taskDefinition;
  } catch (err) {
    if (awsErrorName(err) === 'ClusterNotFoundException') return undefined;
    throw err;
  }
  if (!taskDefinition) return undefined;
  const td = await rt.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  const uri = td.taskDefinition?.containerDefinitions?.find((c) => c.name === container)?.image;
  return uri ? { uri, taskDefinition } : undefined;
}

export interface RepositoryImage {
  /** `<repository uri>:<commit tag>` */
  uri: string;
  digest?: string;
  pushedAt?: Date;
}

/** The repository's URI, or undefined when it does not exist (yet). */
export async function repositoryUri(rt: Runtime, repositoryName: string): Promise<string | undefined> {
  try {
    const out = await rt.clients.ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }),
    );
    return out.repositories?.[0]?.repositoryUri;
  } catch (err) {
    if (awsErrorName(err) === 'RepositoryNotFoundException') return undefined;
    throw err;
  }
}

/** The most recently pushed commit-tagged image, if any. */
export async function latestCommitImage(
  rt: Runtime,
  repositoryName: string,
): Promise<RepositoryImage | undefined> {
  const base = await repositoryUri(rt, repositoryName);
  if (!base) return undefined;
  let best: { tag: string; image: ImageDetail; pushed: number } | undefined;
  let nextToken: string | undefined;
  do {
    const out = await rt.clients.ecr.send(
      new DescribeImagesCommand({ repositoryName, filter: { tagStatus: 'TAGGED' }, nextToken }),
    );
    for (const image of out.imageDetails ?? []) {
      const tag = image.imageTags?.find((t) => COMMIT_TAG.test(t));
      const pushed = image.imagePushedAt?.getTime() ?? 0;
      if (tag && (!best || pushed > best.pushed)) best = { tag, image, pushed };
    }
    nextToken = out.nextToken;
  } while (nextToken);
  if (!best) return undefined;
  return { uri: `${base}:${best.tag}`, digest: best.image.imageDigest, pushedAt: best.image.imagePushedAt };
}

/**
 * Digests of the given URIs that live in `repositoryName` (at `base`, its URI), looked up in ECR by
 * tag; URIs elsewhere, or tags ECR no longer has, are left out.
 */
export async function imageDigests(
  rt: Runtime,
  repositoryName: string,
  base: string,
  uris: readonly string[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const home = parseImageUri(`${base}:x`);
  for (const uri of new Set(uris)) {
    const ref = parseImageUri(uri);
    if (!ref || !home || ref.registry !== home.registry || ref.repository !== home.repository) continue;
    if (ref.digest) {
      out[uri] = ref.digest;
      continue;
    }
    if (!ref.tag) continue;
    try {
      const found = await rt.clients.ecr.send(
        new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: ref.tag }] }),
      );
      const digest = found.imageDetails?.[0]?.imageDigest;
      if (digest) out[uri] = digest;
    } catch (err) {
      if (awsErrorName(err) !== 'ImageNotFoundException') throw err;
    }
  }
  return out;
}
