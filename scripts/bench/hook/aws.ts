/**
 * aws-sdk-client-mock fixtures: the AWS answers discovery reads for one blue/green deployment,
 * pointing the "test listener" at a load balancer running on 127.0.0.1.
 */
import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_CONFIG, namesFor, TEST_LISTENER_TOKEN_HEADER } from '../../../config';

const names = namesFor(DEFAULT_CONFIG);

export const IDS = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'eyJleGVjdXRpb25JZCI6MX0=' };
export const APPLICATION = names.blueGreen.codeDeployApplication;
export const DEPLOYMENT_GROUP = names.blueGreen.deploymentGroup;
export const TASK_DEFINITION_ARN = `arn:aws:ecs:us-west-2:123456789012:task-definition/${names.blueGreen.taskFamily}:7`;
export const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/bg/50dc6c495c0c9188/f2f7dc8efc522ab2';
export const LB_ARN =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/bg/50dc6c495c0c9188';
export const SHA = '5f6b0b8c6a3d4e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071';
export const TOKEN = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

/** The appspec.yml CodePipeline's CodeDeployToECS sends, with <TASK_DEFINITION> substituted. */
export const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: ${TASK_DEFINITION_ARN}
        LoadBalancerInfo:
          ContainerName: ${DEFAULT_CONFIG.container.name}
          ContainerPort: ${DEFAULT_CONFIG.container.port}
Hooks:
  - BeforeAllowTraffic: ${names.hookFunction}
`;

export interface Deployment {
  /** Port of the 127.0.0.1 "load balancer" the test listener is. */
  port: number;
  imageTag?: string;
  codeVersionEnv?: string;
  /** undefined: an `open` test listener (no token rule). */
  token?: string;
  /** Header name as written in the rule (case differs from ours on purpose in some tests). */
  tokenHeaderName?: string;
}

export function mockAws() {
  const codedeploy = mockClient(CodeDeployClient);
  const ecs = mockClient(ECSClient);
  const elbv2 = mockClient(ElasticLoadBalancingV2Client);
  const restore = () => {
    codedeploy.restore();
    ecs.restore();
    elbv2.restore();
  };
  return { codedeploy, ecs, elbv2, restore };
}

export type AwsMocks = ReturnType<typeof mockAws>;

export function stubDeployment(mocks: AwsMocks, d: Deployment) {
  mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: IDS.DeploymentId }).resolves({
    deploymentInfo: {
      deploymentId: IDS.DeploymentId,
      applicationName: APPLICATION,
      deploymentGroupName: DEPLOYMENT_GROUP,
      computePlatform: 'ECS',
      status: 'InProgress',
      // GetDeployment documents `content` as always null: the hook must fetch it.
      revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: SHA } },
    },
  });
  mocks.codedeploy
    .on(GetApplicationRevisionCommand, {
      applicationName: APPLICATION,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: SHA } },
    })
    .resolves({
      applicationName: APPLICATION,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC, sha256: SHA } },
    });
  mocks.codedeploy
    .on(GetDeploymentGroupCommand, { applicationName: APPLICATION, deploymentGroupName: DEPLOYMENT_GROUP })
    .resolves({
      deploymentGroupInfo: {
        applicationName: APPLICATION,
        deploymentGroupName: DEPLOYMENT_GROUP,
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [
                { name: names.blueGreen.blueTargetGroup },
                { name: names.blueGreen.greenTargetGroup },
              ],
              prodTrafficRoute: { listenerArns: [`${LISTENER_ARN}-prod`] },
              testTrafficRoute: { listenerArns: [LISTENER_ARN] },
            },
          ],
        },
      },
    });
  mocks.codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({
    lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId,
  });
  mocks.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEFINITION_ARN }).resolves({
    taskDefinition: {
      taskDefinitionArn: TASK_DEFINITION_ARN,
      containerDefinitions: [
        { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0' },
        {
          name: DEFAULT_CONFIG.container.name,
          image: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${names.ecrRepository}${d.imageTag ? `:${d.imageTag}` : ''}`,
          environment: [
            { name: 'PORT', value: String(DEFAULT_CONFIG.container.port) },
            ...(d.codeVersionEnv ? [{ name: 'CODE_VERSION', value: d.codeVersionEnv }] : []),
          ],
        },
      ],
    },
  });
  mocks.elbv2.on(DescribeListenersCommand, { ListenerArns: [LISTENER_ARN] }).resolves({
    Listeners: [{ ListenerArn: LISTENER_ARN, LoadBalancerArn: LB_ARN, Port: d.port, Protocol: 'HTTP' }],
  });
  mocks.elbv2.on(DescribeLoadBalancersCommand, { LoadBalancerArns: [LB_ARN] }).resolves({
    LoadBalancers: [{ LoadBalancerArn: LB_ARN, DNSName: '127.0.0.1' }],
  });
  const rules: Rule[] = [
    { RuleArn: `${LISTENER_ARN}/default`, Priority: 'default', IsDefault: true, Conditions: [] },
  ];
  if (d.token !== undefined) {
    rules.unshift({
      RuleArn: `${LISTENER_ARN}/token`,
      Priority: '1',
      IsDefault: false,
      Conditions: [
        {
          Field: 'http-header',
          HttpHeaderConfig: {
            HttpHeaderName: d.tokenHeaderName ?? TEST_LISTENER_TOKEN_HEADER,
            Values: [d.token],
          },
        },
      ],
    });
  }
  mocks.elbv2.on(DescribeRulesCommand, { ListenerArn: LISTENER_ARN }).resolves({ Rules: rules });
}

/** Every command the hook sent, in order, as `Name input-json` lines: the exact calls are asserted. */
export function sentCommands(mocks: AwsMocks): string[] {
  const commands: unknown[] = [
    ...mocks.codedeploy.calls().map((c) => c.args[0]),
    ...mocks.ecs.calls().map((c) => c.args[0]),
    ...mocks.elbv2.calls().map((c) => c.args[0]),
  ];
  return commands
    .map((command) => {
      const c = command as { constructor: { name: string }; input: unknown };
      return `${c.constructor.name.replace(/Command$/, '')} ${JSON.stringify(c.input)}`;
    })
    .sort();
}

/** The discovery calls for IDS against the fixtures above, sorted like sentCommands. */
export function discoveryCalls(): string[] {
  return [
    `GetDeployment {"deploymentId":"${IDS.DeploymentId}"}`,
    `GetApplicationRevision {"applicationName":"${APPLICATION}","revision":{"revisionType":"AppSpecContent","appSpecContent":{"sha256":"${SHA}"}}}`,
    `GetDeploymentGroup {"applicationName":"${APPLICATION}","deploymentGroupName":"${DEPLOYMENT_GROUP}"}`,
    `DescribeTaskDefinition {"taskDefinition":"${TASK_DEFINITION_ARN}"}`,
    `DescribeListeners {"ListenerArns":["${LISTENER_ARN}"]}`,
    `DescribeLoadBalancers {"LoadBalancerArns":["${LB_ARN}"]}`,
    `DescribeRules {"ListenerArn":"${LISTENER_ARN}"}`,
  ];
}

export function statusCall(status: 'Succeeded' | 'Failed'): string {
  return `PutLifecycleEventHookExecutionStatus ${JSON.stringify({
    deploymentId: IDS.DeploymentId,
    lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId,
    status,
  })}`;
}
