/**
 * CodeDeploy discovery: from the deployment alone, find what to probe, the route the probes take,
 * the target group that route must reach, and the version to expect — so one hook serves any app
 * and nothing (URL, version, token) can go stale between a config file and the live stacks.
 *
 *   GetDeployment ─┬─ revision → its AppSpec (AppSpecContent or String revision: same YAML/JSON)
 *                  │     → TaskDefinition + LoadBalancerInfo.ContainerName
 *                  ├─ GetDeploymentGroup → test traffic route listener, ECS cluster/service
 *                  │     → DescribeListeners, DescribeLoadBalancers, DescribeRules (token rule?)
 *                  └─ ListDeploymentTargets → GetDeploymentTarget → ecsTarget.taskSetsInfo
 *                        → the task set labelled Green: its id and target group
 *   No AppSpec (an S3 revision, no content, an unreadable one)? The green task set's own task
 *   definition: ecs:DescribeTaskSets → taskDefinition + the container of its load balancer.
 *   Then DescribeTaskDefinition → that container's CODE_VERSION if set (it overrides the image's
 *   ENV at run time), else its image tag (the pipelines tag images with the commit).
 *
 * AWS behaviour this rests on:
 * - GetDeployment returns the revision's location; for AppSpecContent AWS documents the content as
 *   always null there, to be read with GetApplicationRevision and the returned sha256
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AppSpecContent.html). Which type
 *   CodePipeline's CodeDeployToECS action creates is not documented
 *   (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html),
 *   so both AppSpecContent and the older String (RawString) are read the same way
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RevisionLocation.html).
 * - An ECS deployment target lists its task sets, each labelled Blue (original) or Green
 *   (replacement), with the target group CodeDeploy uses for it
 *   (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html,
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ECSTarget.html,
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ECSTaskSet.html); a task set's
 *   task definition and load balancer container come from ECS
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskSets.html).
 * - A rule with an `http-header` condition on TEST_LISTENER_TOKEN_HEADER means the listener
 *   answers 404 without that header, so every probe sends it (`testListenerAccess: 'open'` has no
 *   such rule: the default action routes the probes and no header is sent).
 */
import {
  type CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, DescribeTaskSetsCommand, type ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { parse as parseYaml } from 'yaml';
import { APP_ENV } from '../config/app-env';
import { TEST_LISTENER_TOKEN_HEADER } from '../config/names';
import { allPages, findInPages } from './paging';
import { type TestRoute, targetGroupName } from './route';

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
  /** The route the probes take through the test listener… */
  route: TestRoute;
  /** …and the target group it must lead to: the green task set's. */
  greenTargetGroup: string;
  /** Where each value came from, for the summary log line. */
  source: {
    application: string;
    deploymentGroup: string;
    revisionType: string;
    /** `AppSpec`, or `green task set` with the reason the AppSpec was not usable. */
    taskDefinitionFrom: string;
    taskDefinition: string;
    container: string;
    versionFrom: 'CODE_VERSION' | 'image tag';
    greenTaskSet: string;
    testListenerArn: string;
    testRoute: 'token rule' | 'default action';
  };
}

/** Discovery could not find something it needs; the message names the missing piece. */
export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
}

type Opts = { abortSignal?: AbortSignal };

export async function discoverTarget(
  clients: Clients,
  deploymentId: string,
  signal?: AbortSignal,
): Promise<Target> {
  const opts: Opts = { abortSignal: signal };
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

  const [appSpec, group, green] = await Promise.all([
    appSpecOf(clients.codedeploy, application, deploymentInfo.revision, signal),
    deploymentGroupTarget(clients, application, deploymentGroup, opts),
    greenTaskSet(clients.codedeploy, deploymentId, opts),
  ]);

  let taskDefinitionFrom = 'AppSpec';
  let spec = appSpec.spec;
  if (!spec) {
    taskDefinitionFrom = `green task set (${appSpec.missing})`;
    try {
      spec = await fromTaskSet(clients.ecs, group.ecsService, green, opts);
    } catch (err) {
      if (err instanceof DiscoveryError) {
        throw new DiscoveryError(`no usable AppSpec (${appSpec.missing}), and ${err.message}`);
      }
      throw err;
    }
  }
  const expected = await expectedVersion(clients.ecs, spec, opts);

  return {
    baseUrl: group.listener.baseUrl,
    headers: group.listener.headers,
    expectedVersion: expected.version,
    route: group.listener.route,
    greenTargetGroup: green.targetGroup,
    source: {
      application,
      deploymentGroup,
      revisionType: deploymentInfo.revision?.revisionType ?? '(none)',
      taskDefinitionFrom,
      taskDefinition: spec.taskDefinition,
      container: spec.containerName,
      versionFrom: expected.versionFrom,
      greenTaskSet: green.id,
      testListenerArn: group.listenerArn,
      testRoute: group.listener.route.ruleArn ? 'token rule' : 'default action',
    },
  };
}

export interface AppSpecTarget {
  taskDefinition: string;
  containerName: string;
}

/**
 * The AppSpec's task definition and container, or why there is none to read. Only an abort (the
 * budget) escapes: every other failure here leaves the task-set fallback to find the same facts.
 */
async function appSpecOf(
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

interface GreenTaskSet {
  id: string;
  targetGroup: string;
}

/** The deployment's replacement (Green) task set: ListDeploymentTargets → GetDeploymentTarget. */
async function greenTaskSet(
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
async function fromTaskSet(
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

async function expectedVersion(ecs: ECSClient, spec: AppSpecTarget, opts: Opts) {
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

interface EcsService {
  cluster: string;
  service: string;
}

/** The deployment group's test listener (URL, token, route) and its ECS service. */
async function deploymentGroupTarget(
  clients: Clients,
  applicationName: string,
  deploymentGroupName: string,
  opts: Opts,
) {
  const { deploymentGroupInfo } = await clients.codedeploy.send(
    new GetDeploymentGroupCommand({ applicationName, deploymentGroupName }),
    opts,
  );
  const listenerArn =
    deploymentGroupInfo?.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.testTrafficRoute?.listenerArns?.[0];
  if (!listenerArn) {
    throw new DiscoveryError(
      `deployment group ${applicationName}/${deploymentGroupName} has no test traffic route listener`,
    );
  }
  const ecs = deploymentGroupInfo?.ecsServices?.[0];
  const ecsService: EcsService | undefined =
    ecs?.clusterName && ecs.serviceName ? { cluster: ecs.clusterName, service: ecs.serviceName } : undefined;
  return { listenerArn, ecsService, listener: await testListener(clients.elbv2, listenerArn, opts) };
}

async function testListener(elbv2: ElasticLoadBalancingV2Client, listenerArn: string, opts: Opts) {
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
  const [dnsName, tokenRule] = await Promise.all([
    (async () => {
      const { LoadBalancers } = await elbv2.send(
        new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
        opts,
      );
      const dns = LoadBalancers?.[0]?.DNSName;
      if (!dns) throw new DiscoveryError(`load balancer ${loadBalancerArn} has no DNS name`);
      return dns;
    })(),
    findInPages(
      `DescribeRules(${listenerArn})`,
      async (marker) => {
        const page = await elbv2.send(
          new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }),
          opts,
        );
        return { items: page.Rules ?? [], next: page.NextMarker };
      },
      tokenRuleOf,
    ),
  ]);
  const headers: Record<string, string> = {};
  let route: TestRoute = { listenerArn, actions: listener.DefaultActions ?? [] };
  if (tokenRule) {
    headers[TEST_LISTENER_TOKEN_HEADER] = tokenRule.token;
    route = {
      listenerArn,
      ruleArn: tokenRule.rule.RuleArn ?? '(rule without ARN)',
      actions: tokenRule.rule.Actions ?? [],
    };
  }
  return { baseUrl: `http://${dnsName}:${listener.Port}`, headers, route };
}

/** The rule that opens the listener to the token header, and the value it requires (header names are case-insensitive). */
export function tokenRuleOf(rule: Rule): { rule: Rule; token: string } | undefined {
  const wanted = TEST_LISTENER_TOKEN_HEADER.toLowerCase();
  for (const condition of rule.Conditions ?? []) {
    const header = condition.HttpHeaderConfig;
    if (condition.Field === 'http-header' && header?.HttpHeaderName?.toLowerCase() === wanted) {
      const value = header.Values?.[0];
      if (value) return { rule, token: value };
    }
  }
  return undefined;
}

/** The token value of the first rule that has one (kept for tests and callers reading plain rule lists). */
export function tokenFromRules(rules: readonly Rule[]): string | undefined {
  for (const rule of rules) {
    const found = tokenRuleOf(rule);
    if (found) return found.token;
  }
  return undefined;
}
