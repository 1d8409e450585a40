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
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TEST_LISTENER_TOKEN_HEADER } from '../config/contracts/hook';
import { appSpecOf } from './appspec';
import { DiscoveryError, type Opts } from './discovery-error';
import { describeTestListener, listenerBaseUrl } from './listener';
import { findInPages } from './paging';
import type { TestRoute } from './route';
import { type EcsService, fromTaskSet, greenTaskSet } from './task-set';
import { expectedVersion } from './version';

export { type AppSpecTarget, parseAppSpec } from './appspec';
export { DiscoveryError } from './discovery-error';
export { imageTag } from './version';

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
  const listener = await describeTestListener(elbv2, listenerArn, opts);
  const [baseUrl, tokenRule] = await Promise.all([
    listenerBaseUrl(elbv2, listener, opts),
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
  let route: TestRoute = { listenerArn, actions: listener.defaultActions };
  if (tokenRule) {
    headers[TEST_LISTENER_TOKEN_HEADER] = tokenRule.token;
    route = {
      listenerArn,
      ruleArn: tokenRule.rule.RuleArn ?? '(rule without ARN)',
      actions: tokenRule.rule.Actions ?? [],
    };
  }
  return { baseUrl, headers, route };
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
