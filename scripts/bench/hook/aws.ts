/**
 * aws-sdk-client-mock fixtures: the AWS answers discovery reads for one blue/green deployment,
 * pointing the "test listener" at a load balancer running on 127.0.0.1.
 */
import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, DescribeTaskSetsCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_CONFIG, namesFor, TEST_LISTENER_TOKEN_HEADER } from '../../../config';

const names = namesFor(DEFAULT_CONFIG);

import {
  APPLICATION,
  APPSPEC,
  BLUE_TASK_SET,
  BLUE_TG,
  CLUSTER,
  DEPLOYMENT_GROUP,
  type Deployment,
  deadEndAction,
  forwardAction,
  GREEN_TASK_SET,
  GREEN_TG,
  IDS,
  LB_ARN,
  LISTENER_ARN,
  SERVICE,
  SHA,
  TARGET_ID,
  TASK_DEFINITION_ARN,
  TOKEN_RULE_ARN,
  tgArn,
} from './deployment-fixtures';

export * from './deployment-fixtures';

/** The clients the handler gets in tests (aws-sdk-client-mock intercepts them); reporter as in the handler. */
export function testClients() {
  return {
    codedeploy: new CodeDeployClient({ region: 'us-west-2' }),
    ecs: new ECSClient({ region: 'us-west-2' }),
    elbv2: new ElasticLoadBalancingV2Client({ region: 'us-west-2' }),
    reporter: new CodeDeployClient({ region: 'us-west-2', maxAttempts: 1 }),
  };
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

function revisionOf(type: NonNullable<Deployment['revisionType']>): RevisionLocation {
  // GetDeployment documents `content` as always null: the hook must fetch it.
  if (type === 'AppSpecContent') return { revisionType: type, appSpecContent: { sha256: SHA } };
  if (type === 'String') return { revisionType: type, string: { sha256: SHA } };
  return { revisionType: 'S3', s3Location: { bucket: 'artifacts', key: 'appspec.yml', bundleType: 'YAML' } };
}

export function stubDeployment(mocks: AwsMocks, d: Deployment) {
  const revisionType = d.revisionType ?? 'AppSpecContent';
  const routeTo = d.routeTo === 'blue' ? BLUE_TG : GREEN_TG;
  mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: IDS.DeploymentId }).resolves({
    deploymentInfo: {
      deploymentId: IDS.DeploymentId,
      applicationName: APPLICATION,
      deploymentGroupName: DEPLOYMENT_GROUP,
      computePlatform: 'ECS',
      status: 'InProgress',
      revision: revisionOf(revisionType),
    },
  });
  if (revisionType !== 'S3') {
    const stored = revisionType === 'String' ? 'string' : 'appSpecContent';
    mocks.codedeploy
      .on(GetApplicationRevisionCommand, {
        applicationName: APPLICATION,
        revision: { revisionType, [stored]: { sha256: SHA } },
      })
      .resolves({
        applicationName: APPLICATION,
        revision: { revisionType, [stored]: { content: APPSPEC, sha256: SHA } },
      });
  }
  mocks.codedeploy
    .on(GetDeploymentGroupCommand, { applicationName: APPLICATION, deploymentGroupName: DEPLOYMENT_GROUP })
    .resolves({
      deploymentGroupInfo: {
        applicationName: APPLICATION,
        deploymentGroupName: DEPLOYMENT_GROUP,
        computePlatform: 'ECS',
        ecsServices: [{ serviceName: SERVICE, clusterName: CLUSTER }],
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: BLUE_TG }, { name: GREEN_TG }],
              prodTrafficRoute: { listenerArns: [`${LISTENER_ARN}-prod`] },
              testTrafficRoute: { listenerArns: [LISTENER_ARN] },
            },
          ],
        },
      },
    });
  mocks.codedeploy
    .on(ListDeploymentTargetsCommand, { deploymentId: IDS.DeploymentId })
    .resolves({ targetIds: [TARGET_ID] });
  mocks.codedeploy
    .on(GetDeploymentTargetCommand, { deploymentId: IDS.DeploymentId, targetId: TARGET_ID })
    .resolves({
      deploymentTarget: {
        deploymentTargetType: 'ECSTarget',
        ecsTarget: {
          deploymentId: IDS.DeploymentId,
          targetId: TARGET_ID,
          targetArn: `arn:aws:ecs:us-west-2:123456789012:service/${CLUSTER}/${SERVICE}`,
          status: 'InProgress',
          taskSetsInfo: [
            {
              identifer: BLUE_TASK_SET,
              desiredCount: 2,
              pendingCount: 0,
              runningCount: 2,
              status: 'PRIMARY',
              trafficWeight: 100,
              targetGroup: { name: BLUE_TG },
              taskSetLabel: 'Blue',
            },
            {
              identifer: GREEN_TASK_SET,
              desiredCount: 2,
              pendingCount: 0,
              runningCount: 2,
              status: 'ACTIVE',
              trafficWeight: 0,
              targetGroup: { name: GREEN_TG },
              taskSetLabel: 'Green',
            },
          ],
        },
      },
    });
  mocks.codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({
    lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId,
  });
  mocks.ecs
    .on(DescribeTaskSetsCommand, { cluster: CLUSTER, service: SERVICE, taskSets: [GREEN_TASK_SET] })
    .resolves({
      taskSets: [
        {
          id: GREEN_TASK_SET,
          taskSetArn: `arn:aws:ecs:us-west-2:123456789012:task-set/${CLUSTER}/${SERVICE}/${GREEN_TASK_SET}`,
          status: 'ACTIVE',
          taskDefinition: TASK_DEFINITION_ARN,
          launchType: 'FARGATE',
          loadBalancers: [
            {
              targetGroupArn: tgArn(GREEN_TG),
              containerName: DEFAULT_CONFIG.container.name,
              containerPort: DEFAULT_CONFIG.container.port,
            },
          ],
        },
      ],
      failures: [],
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
  // Open listener: the default action is the route CodeDeploy re-points. Token listener: a forward
  // to the group without targets by default, and the token rule is the route.
  const defaultActions: Action[] =
    d.token === undefined
      ? [forwardAction(routeTo, d.weighted)]
      : [deadEndAction(tgArn(names.blueGreen.testDefaultTargetGroup))];
  mocks.elbv2.on(DescribeListenersCommand, { ListenerArns: [LISTENER_ARN] }).resolves({
    Listeners: [
      {
        ListenerArn: LISTENER_ARN,
        LoadBalancerArn: LB_ARN,
        Port: d.port,
        Protocol: 'HTTP',
        DefaultActions: defaultActions,
      },
    ],
  });
  mocks.elbv2.on(DescribeLoadBalancersCommand, { LoadBalancerArns: [LB_ARN] }).resolves({
    LoadBalancers: [{ LoadBalancerArn: LB_ARN, DNSName: '127.0.0.1' }],
  });
  const rules: Rule[] = [
    {
      RuleArn: `${LISTENER_ARN}/default`,
      Priority: 'default',
      IsDefault: true,
      Conditions: [],
      Actions: defaultActions,
    },
  ];
  if (d.token !== undefined) {
    rules.unshift({
      RuleArn: TOKEN_RULE_ARN,
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
      Actions: [forwardAction(routeTo, d.weighted)],
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
