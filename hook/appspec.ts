/**
 * The AppSpec of a CodeDeploy ECS deployment: read from an AppSpecContent or a String revision (the
 * same YAML/JSON content), and the task definition and container it names.
 */
import {
  type CodeDeployClient,
  GetApplicationRevisionCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { parse as parseYaml } from 'yaml';
import { DiscoveryError } from './discovery-error';

export interface AppSpecTarget {
  taskDefinition: string;
  containerName: string;
}

/**
 * The AppSpec's task definition and container, or why there is none to read. Only an abort (the
 * budget) escapes: every other failure here leaves the task-set fallback to find the same facts.
 */
export async function appSpecOf(
  codedeploy: CodeDeployClient,
  applicationName: string,
  revision: RevisionLocation | undefined,
  signal: AbortSignal | undefined,
): Promise<{ spec?: AppSpecTarget; missing?: string }> {
  const type = revision?.revisionType;
  if (type !== 'AppSpecContent' && type !== 'String') {
    return { missing: `revision is of type ${type ?? '(none)'}` };
  }
  // `string` is marked deprecated in the SDK model, yet nothing documents that actions stopped creating it.
  const ref = type === 'AppSpecContent' ? revision?.appSpecContent : revision?.string;
  try {
    let content = ref?.content;
    if (!content && ref?.sha256) {
      const sha = { sha256: ref.sha256 };
      const { revision: full } = await codedeploy.send(
        new GetApplicationRevisionCommand({
          applicationName,
          revision:
            type === 'AppSpecContent'
              ? { revisionType: type, appSpecContent: sha }
              : { revisionType: type, string: sha },
        }),
        { abortSignal: signal },
      );
      content = full?.appSpecContent?.content ?? full?.string?.content;
    }
    if (!content) return { missing: `the ${type} revision has no content` };
    return { spec: parseAppSpec(content) };
  } catch (err) {
    if (signal?.aborted) throw err;
    const e = err as Error;
    return {
      missing: `${type} revision unreadable: ${e.name === 'DiscoveryError' ? '' : `${e.name}: `}${e.message}`,
    };
  }
}

/** The ECS AppSpec (YAML or JSON): its one `AWS::ECS::Service` resource's task definition and container. */
export function parseAppSpec(content: string): AppSpecTarget {
  let doc: unknown;
  try {
    doc = parseYaml(content);
  } catch (err) {
    throw new DiscoveryError(`AppSpec content is not valid YAML/JSON: ${(err as Error).message}`);
  }
  const resources = (doc as { Resources?: unknown })?.Resources;
  if (!Array.isArray(resources)) throw new DiscoveryError('AppSpec has no Resources list');
  for (const entry of resources) {
    for (const resource of Object.values((entry ?? {}) as Record<string, unknown>)) {
      const r = resource as { Type?: unknown; Properties?: Record<string, unknown> };
      if (r?.Type !== 'AWS::ECS::Service') continue;
      const taskDefinition = r.Properties?.TaskDefinition;
      const containerName = (r.Properties?.LoadBalancerInfo as { ContainerName?: unknown } | undefined)
        ?.ContainerName;
      if (typeof taskDefinition !== 'string' || !taskDefinition || typeof containerName !== 'string') {
        throw new DiscoveryError(
          'AppSpec AWS::ECS::Service resource lacks TaskDefinition or LoadBalancerInfo.ContainerName',
        );
      }
      return { taskDefinition, containerName };
    }
  }
  throw new DiscoveryError('AppSpec has no AWS::ECS::Service resource');
}
