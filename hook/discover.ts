/**
 * Finds what to probe and what to expect from the deployment itself, so one hook serves any app
 * and nothing (URL, version, token) can go stale between a config file and the live stacks.
 *
 * Expected version: GetDeployment → the deployment's revision, then GetApplicationRevision → its
 * AppSpec content → `TaskDefinition` and `LoadBalancerInfo.ContainerName` → DescribeTaskDefinition
 * → that container's `CODE_VERSION` environment value if set (it overrides the image's ENV at run
 * time), else its image tag (the pipelines tag images with the commit).
 *   Why the AppSpec and not the green task set: CodeDeploy's deployment target
 *   (ListDeploymentTargets + GetDeploymentTarget → ecsTarget.taskSetsInfo) names the green task set
 *   but not its task definition (ECSTaskSet has identifer, counts, status, targetGroup, label and
 *   weight only), so it would take a further ecs:DescribeTaskSets and two more calls. The AppSpec
 *   is what CodeDeploy creates the green task set from, and it also names the container that
 *   receives traffic — the one whose image matters. GetDeployment alone is not enough: AWS
 *   documents that it always returns the AppSpec `content` as null and that GetApplicationRevision
 *   with the returned sha256 gives the content.
 *
 * Target URL: GetDeploymentGroup → the target group pair's test traffic route listener →
 * DescribeListeners (port, protocol, load balancer) → DescribeLoadBalancers (DNS name), and
 * DescribeRules on that listener: a rule with an `http-header` condition on
 * TEST_LISTENER_TOKEN_HEADER means the listener answers 404 without that header, so every probe
 * sends it (with `testListenerAccess: 'open'` no such rule exists and no header is sent).
 */
import {
  type CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { parse as parseYaml } from 'yaml';
import { APP_ENV } from '../config/contracts/app';
import { TEST_LISTENER_TOKEN_HEADER } from '../config/contracts/hook';

export interface Clients {
  codedeploy: CodeDeployClient;
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
}

export interface Target {
  /** `http://<ALB DNS name>:<test listener port>` */
  baseUrl: string;
  /** Header(s) every probe sends: the test listener's token, when it has one. */
  headers: Record<string, string>;
  expectedVersion: string;
  /** Where each value came from, for the summary log line. */
  source: {
    application: string;
    deploymentGroup: string;
    taskDefinition: string;
    container: string;
    versionFrom: 'CODE_VERSION' | 'image tag';
    testListenerArn: string;
  };
}

/** Discovery could not find something it needs; the message names the missing piece. */
export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
}

export async function discoverTarget(
  clients: Clients,
  deploymentId: string,
  signal?: AbortSignal,
): Promise<Target> {
  const opts = { abortSignal: signal };
  const { deploymentInfo } = await clients.codedeploy.send(new GetDeploymentCommand({ deploymentId }), opts);
  const application = deploymentInfo?.applicationName;
  const deploymentGroup = deploymentInfo?.deploymentGroupName;
  if (!application || !deploymentGroup) {
    throw new DiscoveryError(`deployment ${deploymentId} has no application or deployment group name`);
  }
  if (deploymentInfo?.computePlatform !== 'ECS') {
    throw new DiscoveryError(
      `deployment ${deploymentId} is on compute platform ${deploymentInfo?.computePlatform ?? '(none)'}, not ECS`,
    );
  }
  const revision = deploymentInfo.revision;
  if (revision?.revisionType !== 'AppSpecContent' || !revision.appSpecContent?.sha256) {
    throw new DiscoveryError(
      `deployment ${deploymentId} revision is of type ${revision?.revisionType ?? '(none)'}; ` +
        'the hook reads AppSpecContent revisions (what CodePipeline’s CodeDeployToECS action creates)',
    );
  }

  const [expected, listener] = await Promise.all([
    (async () => {
      const { revision: full } = await clients.codedeploy.send(
        new GetApplicationRevisionCommand({
          applicationName: application,
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: { sha256: revision.appSpecContent?.sha256 },
          },
        }),
        opts,
      );
      const content = full?.appSpecContent?.content;
      if (!content)
        throw new DiscoveryError(
          `revision ${revision.appSpecContent?.sha256} of ${application} has no AppSpec content`,
        );
      const appSpec = parseAppSpec(content);
      return { appSpec, ...(await expectedVersion(clients.ecs, appSpec, opts)) };
    })(),
    (async () => {
      const { deploymentGroupInfo } = await clients.codedeploy.send(
        new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: deploymentGroup }),
        opts,
      );
      const listenerArn =
        deploymentGroupInfo?.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.testTrafficRoute
          ?.listenerArns?.[0];
      if (!listenerArn) {
        throw new DiscoveryError(
          `deployment group ${application}/${deploymentGroup} has no test traffic route listener`,
        );
      }
      return { listenerArn, ...(await testListener(clients.elbv2, listenerArn, opts)) };
    })(),
  ]);

  return {
    baseUrl: listener.baseUrl,
    headers: listener.headers,
    expectedVersion: expected.version,
    source: {
      application,
      deploymentGroup,
      taskDefinition: expected.appSpec.taskDefinition,
      container: expected.appSpec.containerName,
      versionFrom: expected.versionFrom,
      testListenerArn: listener.listenerArn,
    },
  };
}

export interface AppSpecTarget {
  taskDefinition: string;
  containerName: string;
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

async function expectedVersion(ecs: ECSClient, appSpec: AppSpecTarget, opts: { abortSignal?: AbortSignal }) {
  const { taskDefinition } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: appSpec.taskDefinition }),
    opts,
  );
  const container = taskDefinition?.containerDefinitions?.find((c) => c.name === appSpec.containerName);
  if (!container) {
    throw new DiscoveryError(
      `task definition ${appSpec.taskDefinition} has no container ${appSpec.containerName}`,
    );
  }
  const fromEnv = container.environment?.find((e) => e.name === APP_ENV.codeVersion)?.value;
  if (fromEnv) return { version: fromEnv, versionFrom: 'CODE_VERSION' as const };
  const tag = imageTag(container.image ?? '');
  if (!tag) {
    throw new DiscoveryError(
      `container ${appSpec.containerName} image ${JSON.stringify(container.image)} has no tag and no ${APP_ENV.codeVersion}`,
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

async function testListener(
  elbv2: ElasticLoadBalancingV2Client,
  listenerArn: string,
  opts: { abortSignal?: AbortSignal },
) {
  const { Listeners } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }), opts);
  const listener = Listeners?.[0];
  if (!listener?.Port || !listener.LoadBalancerArn) {
    throw new DiscoveryError(`test listener ${listenerArn} not found`);
  }
  if (listener.Protocol !== 'HTTP') {
    throw new DiscoveryError(
      `test listener ${listenerArn} uses ${listener.Protocol}; the hook probes HTTP only`,
    );
  }
  const loadBalancerArn = listener.LoadBalancerArn;
  const [dnsName, token] = await Promise.all([
    (async () => {
      const { LoadBalancers } = await elbv2.send(
        new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
        opts,
      );
      const dns = LoadBalancers?.[0]?.DNSName;
      if (!dns) throw new DiscoveryError(`load balancer ${loadBalancerArn} has no DNS name`);
      return dns;
    })(),
    listenerToken(elbv2, listenerArn, opts),
  ]);
  const headers: Record<string, string> = {};
  if (token !== undefined) headers[TEST_LISTENER_TOKEN_HEADER] = token;
  return { baseUrl: `http://${dnsName}:${listener.Port}`, headers };
}

/** The value the test listener's token rule requires, if it has one (header names are case-insensitive). */
async function listenerToken(
  elbv2: ElasticLoadBalancingV2Client,
  listenerArn: string,
  opts: { abortSignal?: AbortSignal },
): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const page = await elbv2.send(
      new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }),
      opts,
    );
    const token = tokenFromRules(page.Rules ?? []);
    if (token !== undefined) return token;
    marker = page.NextMarker;
  } while (marker);
  return undefined;
}

export function tokenFromRules(rules: readonly Rule[]): string | undefined {
  const wanted = TEST_LISTENER_TOKEN_HEADER.toLowerCase();
  for (const rule of rules) {
    for (const condition of rule.Conditions ?? []) {
      const header = condition.HttpHeaderConfig;
      if (condition.Field === 'http-header' && header?.HttpHeaderName?.toLowerCase() === wanted) {
        const value = header.Values?.[0];
        if (value) return value;
      }
    }
  }
  return undefined;
}
