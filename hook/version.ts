/**
 * The version a release must serve: its container's CODE_VERSION when set (it overrides the image's
 * ENV at run time), else its image tag (the pipelines tag images with the commit).
 */
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { APP_ENV } from '../config/contracts/app';
import type { AppSpecTarget } from './appspec';
import { DiscoveryError, type Opts } from './discovery-error';

export async function expectedVersion(ecs: ECSClient, spec: AppSpecTarget, opts: Opts) {
  const { taskDefinition } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: spec.taskDefinition }),
    opts,
  );
  const container = taskDefinition?.containerDefinitions?.find((c) => c.name === spec.containerName);
  if (!container) {
    throw new DiscoveryError(`task definition ${spec.taskDefinition} has no container ${spec.containerName}`);
  }
  const fromEnv = container.environment?.find((e) => e.name === APP_ENV.codeVersion)?.value;
  if (fromEnv) return { version: fromEnv, versionFrom: 'CODE_VERSION' as const };
  const tag = imageTag(container.image ?? '');
  if (!tag) {
    throw new DiscoveryError(
      `container ${spec.containerName} image ${JSON.stringify(container.image)} has no tag and no ${APP_ENV.codeVersion}`,
    );
  }
  return { version: tag, versionFrom: 'image tag' as const };
}

/** `repo:tag`, `host:port/repo:tag`, `repo:tag@sha256:…` → tag; no tag → undefined. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon > 0 && colon < lastSegment.length - 1 ? lastSegment.slice(colon + 1) : undefined;
}
