/**
 * aws-sdk-client-mock fixtures for the hook's ECS protocol: the payload ECS invokes the hook with at
 * POST_TEST_TRAFFIC_SHIFT of a canary deployment, and the AWS answers ECS discovery reads
 * (DescribeServiceRevisions, DescribeTaskDefinition, DescribeRules, DescribeListeners,
 * DescribeLoadBalancers), shaped by the installed SDK's output types, pointing the test listener
 * rule at a load balancer running on 127.0.0.1.
 */
import {
  DescribeServiceRevisionsCommand,
  type DescribeServiceRevisionsCommandOutput,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandOutput,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  type DescribeListenersCommandOutput,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_CONFIG, namesFor, TEST_LISTENER_TOKEN_HEADER } from '../../../config';
import type { AwsMocks } from './aws';
import { deadEndAction } from './deployment-fixtures';

const names = namesFor(DEFAULT_CONFIG);
const ACCOUNT = 'arn:aws:ecs:us-west-2:123456789012';
const ELB = 'arn:aws:elasticloadbalancing:us-west-2:123456789012';

export const CANARY_CLUSTER = names.cluster;
export const CANARY_SERVICE = names.ecsCanary.service;
export const CANARY_SERVICE_ARN = `${ACCOUNT}:service/${CANARY_CLUSTER}/${CANARY_SERVICE}`;
export const TARGET_REVISION_ARN = `${ACCOUNT}:service-revision/${CANARY_CLUSTER}/${CANARY_SERVICE}/4980306466373577095`;
export const SOURCE_REVISION_ARN = `${ACCOUNT}:service-revision/${CANARY_CLUSTER}/${CANARY_SERVICE}/1485800978477494678`;
export const SERVICE_DEPLOYMENT_ARN = `${ACCOUNT}:service-deployment/${CANARY_CLUSTER}/${CANARY_SERVICE}/NCWGC2ZR-taawPAYrIaU5`;
export const CANARY_TASK_DEFINITION_ARN = `${ACCOUNT}:task-definition/${names.ecsCanary.taskFamily}:12`;
export const CANARY_LB_ARN = `${ELB}:loadbalancer/app/${names.ecsCanary.loadBalancer}/7a1b2c3d4e5f6a7b`;
export const CANARY_TEST_LISTENER_ARN = `${ELB}:listener/app/${names.ecsCanary.loadBalancer}/7a1b2c3d4e5f6a7b/8c9d0e1f2a3b4c5d`;
export const CANARY_TEST_RULE_ARN = `${ELB}:listener-rule/app/${names.ecsCanary.loadBalancer}/7a1b2c3d4e5f6a7b/8c9d0e1f2a3b4c5d/1a2b3c4d5e6f7a8b`;
export const CANARY_PROD_RULE_ARN = `${ELB}:listener-rule/app/${names.ecsCanary.loadBalancer}/7a1b2c3d4e5f6a7b/0f1e2d3c4b5a6978/9a8b7c6d5e4f3a2b`;
/** The live revision's target group (A) and the new one's (B): ECS alternates between them. */
export const OLD_TG = names.ecsCanary.primaryTargetGroup;
export const NEW_TG = names.ecsCanary.alternateTargetGroup;
export const canaryTgArn = (name: string) =>
  `${ELB}:targetgroup/${name}/${name === OLD_TG ? '3c4d5e6f7a8b9c0d' : 'a1b2c3d4e5f60718'}`;

/** The payload ECS sends at POST_TEST_TRAFFIC_SHIFT (test traffic all on the new revision). */
export function ecsPayload(extra: Record<string, unknown> = {}) {
  return {
    executionDetails: {
      testTrafficWeights: { [TARGET_REVISION_ARN]: 100, [SOURCE_REVISION_ARN]: 0 },
      productionTrafficWeights: { [TARGET_REVISION_ARN]: 0, [SOURCE_REVISION_ARN]: 100 },
      serviceArn: CANARY_SERVICE_ARN,
      targetServiceRevisionArn: TARGET_REVISION_ARN,
    },
    executionId: 'a7a3b4c5-6d7e-4f80-9a1b-2c3d4e5f6a7b',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    resourceArn: SERVICE_DEPLOYMENT_ARN,
    ...extra,
  };
}

export interface CanaryDeployment {
  /** Port of the 127.0.0.1 "load balancer" the test listener is. */
  port: number;
  imageTag: string;
  token: string;
  /** Where the test rule forwards: the new revision's target group (default) or still the old one's. */
  routeTo?: 'new' | 'old';
  /** false: the revision has no resolvedConfiguration (the route cannot be checked). */
  resolved?: boolean;
}

/** A weighted forward as ECS leaves it after a shift: `to` 100, the other group 0. */
function forwardAllTo(to: string): NonNullable<Rule['Actions']>[number] {
  return {
    Type: 'forward',
    Order: 1,
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: canaryTgArn(OLD_TG), Weight: to === OLD_TG ? 100 : 0 },
        { TargetGroupArn: canaryTgArn(NEW_TG), Weight: to === NEW_TG ? 100 : 0 },
      ],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

export function stubCanaryDeployment(mocks: AwsMocks, d: CanaryDeployment): void {
  const revisions: Pick<DescribeServiceRevisionsCommandOutput, 'serviceRevisions' | 'failures'> = {
    serviceRevisions: [
      {
        serviceRevisionArn: TARGET_REVISION_ARN,
        serviceArn: CANARY_SERVICE_ARN,
        clusterArn: `${ACCOUNT}:cluster/${CANARY_CLUSTER}`,
        taskDefinition: CANARY_TASK_DEFINITION_ARN,
        launchType: 'FARGATE',
        loadBalancers: [
          {
            targetGroupArn: canaryTgArn(OLD_TG),
            containerName: DEFAULT_CONFIG.container.name,
            containerPort: DEFAULT_CONFIG.container.port,
            advancedConfiguration: {
              alternateTargetGroupArn: canaryTgArn(NEW_TG),
              productionListenerRule: CANARY_PROD_RULE_ARN,
              testListenerRule: CANARY_TEST_RULE_ARN,
              roleArn:
                'arn:aws:iam::123456789012:role/ecs-playground-dev-service-c-CanaryLoadBalancerRole-1A2B3C',
            },
          },
        ],
        ...(d.resolved === false
          ? {}
          : {
              resolvedConfiguration: {
                loadBalancers: [
                  { targetGroupArn: canaryTgArn(NEW_TG), productionListenerRule: CANARY_PROD_RULE_ARN },
                ],
              },
            }),
        createdAt: new Date('2026-05-06T12:00:00Z'),
      },
    ],
    failures: [],
  };
  mocks.ecs
    .on(DescribeServiceRevisionsCommand, { serviceRevisionArns: [TARGET_REVISION_ARN] })
    .resolves(revisions);
  const taskDefinition: Pick<DescribeTaskDefinitionCommandOutput, 'taskDefinition'> = {
    taskDefinition: {
      taskDefinitionArn: CANARY_TASK_DEFINITION_ARN,
      family: names.ecsCanary.taskFamily,
      containerDefinitions: [
        {
          name: DEFAULT_CONFIG.container.name,
          image: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${names.ecrRepository}:${d.imageTag}`,
          environment: [{ name: 'PORT', value: String(DEFAULT_CONFIG.container.port) }],
        },
      ],
    },
  };
  mocks.ecs
    .on(DescribeTaskDefinitionCommand, { taskDefinition: CANARY_TASK_DEFINITION_ARN })
    .resolves(taskDefinition);
  const rule: Rule = {
    RuleArn: CANARY_TEST_RULE_ARN,
    Priority: '1',
    IsDefault: false,
    Conditions: [
      {
        Field: 'http-header',
        HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [d.token] },
      },
    ],
    Actions: [forwardAllTo(d.routeTo === 'old' ? OLD_TG : NEW_TG)],
  };
  mocks.elbv2.on(DescribeRulesCommand, { RuleArns: [CANARY_TEST_RULE_ARN] }).resolves({ Rules: [rule] });
  const listeners: Pick<DescribeListenersCommandOutput, 'Listeners'> = {
    Listeners: [
      {
        ListenerArn: CANARY_TEST_LISTENER_ARN,
        LoadBalancerArn: CANARY_LB_ARN,
        Port: d.port,
        Protocol: 'HTTP',
        DefaultActions: [deadEndAction(canaryTgArn(names.ecsCanary.testDefaultTargetGroup))],
      },
    ],
  };
  mocks.elbv2.on(DescribeListenersCommand, { ListenerArns: [CANARY_TEST_LISTENER_ARN] }).resolves(listeners);
  mocks.elbv2
    .on(DescribeLoadBalancersCommand, { LoadBalancerArns: [CANARY_LB_ARN] })
    .resolves({ LoadBalancers: [{ LoadBalancerArn: CANARY_LB_ARN, DNSName: '127.0.0.1' }] });
}

/** ECS discovery's calls against these fixtures, sorted like sentCommands. */
export function canaryDiscoveryCalls(): string[] {
  return [
    `DescribeServiceRevisions {"serviceRevisionArns":["${TARGET_REVISION_ARN}"]}`,
    `DescribeTaskDefinition {"taskDefinition":"${CANARY_TASK_DEFINITION_ARN}"}`,
    `DescribeRules {"RuleArns":["${CANARY_TEST_RULE_ARN}"]}`,
    `DescribeListeners {"ListenerArns":["${CANARY_TEST_LISTENER_ARN}"]}`,
    `DescribeLoadBalancers {"LoadBalancerArns":["${CANARY_LB_ARN}"]}`,
  ].sort();
}
