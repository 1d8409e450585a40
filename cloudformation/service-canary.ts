/**
 * The ECS canary service stack (target of pipeline 3): ALB 3 with two target groups, a production
 * rule on the production listener and a header-token test rule on the test listener, and an ECS
 * service with the ECS deployment controller and `Strategy: CANARY`. ECS itself starts the new
 * revision in the other target group, routes the test rule to it, calls the hook, shifts
 * `ecsCanary.canaryPercent` % of production traffic, waits `canaryBakeMinutes`, shifts the rest, keeps
 * the old revision `bakeTimeMinutes`, and rolls back on a failed hook, a tripped alarm or the circuit
 * breaker (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html).
 *
 * After the first deployment ECS owns the two rules' weights: the rules take no value from the
 * config, so that no stack update ever re-points production traffic (docs/infrastructure.md).
 */
import { ElasticLoadBalancingV2, Fn, type Template, type Value } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { exportedOutputs, template } from './common';
import { ecsCanaryRoles, hookFunctionArn } from './ecs-canary-roles';
import { type DeploymentStrategy, imageParameter, loadBalancedFargateService } from './fargate-service';
import {
  deadEndForward,
  deleteBeforeTargetGroups,
  productionListenerId,
  TEST_LISTENER_RULE_PRIORITY,
  testListenerTokenCondition,
  versionUrl,
} from './load-balancer';
import { targetGroup } from './target-group';

export const CANARY = {
  LoadBalancer: 'CanaryLoadBalancer',
  HttpListener: 'CanaryHttpListener',
  HttpsListener: 'CanaryHttpsListener',
  ProductionRule: 'CanaryProductionRule',
  TestListener: 'CanaryTestListener',
  TestRule: 'CanaryTestRule',
  PrimaryTargetGroup: 'CanaryTargetGroupA',
  AlternateTargetGroup: 'CanaryTargetGroupB',
  TestDefaultTargetGroup: 'CanaryTestDefaultTargetGroup',
  TaskDefinition: 'CanaryTaskDefinition',
  Service: 'CanaryService',
  LoadBalancerRole: 'CanaryLoadBalancerRole',
  HookInvokeRole: 'CanaryHookInvokeRole',
  Target5xxAlarmA: 'CanaryTargetGroupATarget5xxAlarm',
  UnhealthyHostsAlarmA: 'CanaryTargetGroupAUnhealthyHostsAlarm',
  Target5xxAlarmB: 'CanaryTargetGroupBTarget5xxAlarm',
  UnhealthyHostsAlarmB: 'CanaryTargetGroupBUnhealthyHostsAlarm',
  LoadBalancer5xxAlarm: 'CanaryLoadBalancer5xxAlarm',
} as const;

/** awslogs stream prefix of the canary tasks: streams are `canary/<container>/<task id>`. */
export const CANARY_LOG_PREFIX = 'canary';

/**
 * The stage the hook runs at: "The test traffic shift is complete. The green service revision handles
 * 100% of the test traffic" (DeploymentLifecycleHook.lifecycleStages,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html), before
 * any production traffic reaches it.
 */
export const CANARY_HOOK_STAGE = 'POST_TEST_TRAFFIC_SHIFT';

/** Priority of the production rule: the only rule on the production listener. */
export const PRODUCTION_RULE_PRIORITY = 1;

/**
 * A forward to both target groups, all requests to A: the shape ECS re-weights at every shift (AWS's
 * ECS blue/green samples start their rules this way; a weight of 0 gets no requests).
 */
function weightedForward(): {
  Type: string;
  ForwardConfig: { TargetGroups: { TargetGroupArn: Value<string>; Weight: number }[] };
} {
  return {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: Fn.Ref(CANARY.PrimaryTargetGroup), Weight: 100 },
        { TargetGroupArn: Fn.Ref(CANARY.AlternateTargetGroup), Weight: 0 },
      ],
    },
  };
}

/**
 * The production rule (every path), the test listener (503 without the token) and its token rule.
 * Every action is a forward (see deadEndForward). ECS uses the listeners of the two rules it is given
 * (AdvancedConfiguration.ProductionListenerRule and TestListenerRule,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html): the
 * production listener (80, or 443 with a certificate) and the test listener. The HTTPS option's
 * 80 → 443 redirect is on a listener of its own that ECS is never given and that has no forward to mix with.
 */
function canaryListeners(
  config: PlaygroundConfig,
): Record<
  string,
  ElasticLoadBalancingV2.Listener | ElasticLoadBalancingV2.ListenerRule | ElasticLoadBalancingV2.TargetGroup
> {
  return {
    // Never has targets: ECS registers tasks only in A and B (LoadBalancers[0] and AlternateTargetGroupArn).
    [CANARY.TestDefaultTargetGroup]: targetGroup(config, namesFor(config).ecsCanary.testDefaultTargetGroup),
    // ECS moves production traffic by re-weighting a listener rule, not the default action: an
    // explicit rule matching every path carries it (AdvancedConfiguration.ProductionListenerRule).
    [CANARY.ProductionRule]: new ElasticLoadBalancingV2.ListenerRule({
      ListenerArn: Fn.Ref(productionListenerId(config, CANARY)),
      Priority: PRODUCTION_RULE_PRIORITY,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      Actions: [weightedForward()],
    }),
    [CANARY.TestListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: Fn.Ref(CANARY.LoadBalancer),
      Port: config.loadBalancer.testListenerPort,
      // Plain HTTP even with a certificate, as the blue/green test listener (docs/infrastructure.md).
      Protocol: 'HTTP',
      // Everyone without the token gets the ALB's 503 from a group without targets, never a revision.
      DefaultActions: deadEndForward(CANARY.TestDefaultTargetGroup),
    }),
    // ECS routes test traffic to the new revision through this rule
    // (AdvancedConfiguration.TestListenerRule): only the hook, which reads the token from the rule, sees it.
    [CANARY.TestRule]: new ElasticLoadBalancingV2.ListenerRule({
      ListenerArn: Fn.Ref(CANARY.TestListener),
      Priority: TEST_LISTENER_RULE_PRIORITY,
      Conditions: [testListenerTokenCondition()],
      Actions: [weightedForward()],
    }),
  };
}

/** ECS's canary: the deployment configuration, the alternate target group and the rules it moves. */
function canaryStrategy(config: PlaygroundConfig): DeploymentStrategy {
  const { ecsCanary } = config;
  const role = (id: string): Value<string> => Fn.GetAtt(id, 'Arn');
  return {
    controller: 'ECS',
    // ECS deploys the revisions the pipeline registers; the stack's own revision runs the image it is given.
    taskDefinition: 'revision',
    configuration: (alarmIds) => ({
      Strategy: 'CANARY',
      // 10 % for 5 minutes by default, like the blue/green pipeline's CodeDeploy canary (config/defaults.ts).
      CanaryConfiguration: {
        CanaryPercent: ecsCanary.canaryPercent,
        CanaryBakeTimeInMinutes: ecsCanary.canaryBakeMinutes,
      },
      // The old revision stays this long after the full shift: a late alarm rolls back by re-routing.
      BakeTimeInMinutes: ecsCanary.bakeTimeMinutes,
      // New tasks that never become healthy fail the deployment, which then rolls back by itself.
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      // 5xx answers or unhealthy targets during the deployment and its bake time roll it back.
      Alarms: { AlarmNames: alarmIds.map((id) => Fn.Ref(id)), Enable: true, Rollback: true },
      LifecycleHooks: [
        {
          HookTargetArn: hookFunctionArn(config),
          RoleArn: role(CANARY.HookInvokeRole),
          LifecycleStages: [CANARY_HOOK_STAGE],
        },
      ],
    }),
    advancedConfiguration: {
      AlternateTargetGroupArn: Fn.Ref(CANARY.AlternateTargetGroup),
      ProductionListenerRule: Fn.Ref(CANARY.ProductionRule),
      TestListenerRule: Fn.Ref(CANARY.TestRule),
      RoleArn: role(CANARY.LoadBalancerRole),
    },
    listeners: canaryListeners(config),
    // The rules are referenced above (an implicit dependency); the test listener is not.
    dependsOn: [CANARY.TestListener],
  };
}

export function serviceCanaryTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  const service = loadBalancedFargateService(config, {
    ids: CANARY,
    names: names.ecsCanary,
    logStreamPrefix: CANARY_LOG_PREFIX,
    targetGroups: [
      {
        id: CANARY.PrimaryTargetGroup,
        name: names.ecsCanary.primaryTargetGroup,
        label: 'a',
        target5xxAlarm: CANARY.Target5xxAlarmA,
        unhealthyHostsAlarm: CANARY.UnhealthyHostsAlarmA,
      },
      {
        id: CANARY.AlternateTargetGroup,
        name: names.ecsCanary.alternateTargetGroup,
        label: 'b',
        target5xxAlarm: CANARY.Target5xxAlarmB,
        unhealthyHostsAlarm: CANARY.UnhealthyHostsAlarmB,
      },
    ],
    strategy: canaryStrategy(config),
  });
  // ECS leaves the production and test rules forwarding (weighted) to both target groups.
  deleteBeforeTargetGroups(service.resources, [CANARY.PrimaryTargetGroup, CANARY.AlternateTargetGroup]);

  return template(
    `${names.prefix} ECS canary service: ALB with production and header-token test rules, two target groups (and the test listener's empty default), ECS service (strategy CANARY).`,
    {
      Parameters: imageParameter,
      Resources: {
        ...service.resources,
        ...ecsCanaryRoles(config, CANARY, service.productionListenerId),
      },
      Outputs: exportedOutputs(names, 'service-canary', {
        ServiceName: {
          value: Fn.GetAtt(CANARY.Service, 'Name'),
          description: 'ECS service of the canary pipeline',
        },
        LoadBalancerUrl: { value: versionUrl(CANARY), description: 'GET it to see the live version' },
        TestListenerRuleArn: {
          value: Fn.Ref(CANARY.TestRule),
          description: 'Test listener rule the hook probes through (it reads the token from it)',
        },
      }),
    },
  );
}
