/**
 * The blue/green service stack (target of pipeline 2): ALB 2 with a blue and a green target group,
 * a production listener and a test listener, an ECS service with the CODE_DEPLOY controller, and
 * the CodeDeploy application, deployment group and service role that shift traffic between them.
 *
 * What a stack update may change is limited (see docs/infrastructure.md): CodeDeploy owns the
 * service's task set, task definition and the listeners' target groups once it has deployed.
 */
import {
  type CloudWatch,
  CodeDeploy,
  ECS,
  ElasticLoadBalancingV2,
  Fn,
  IAM,
  Refs,
  type Template,
  type Value,
} from 'cloudform';
import { namesFor, type PlaygroundConfig, TEST_LISTENER_TOKEN_HEADER } from '../config';
import { loadBalancer5xxAlarm, targetGroupAlarm } from './alarms';
import { exportedOutputs, importValue, tags, template } from './common';
import { imageParameter, taskDefinition, taskNetworkConfiguration } from './ecs-service';
import { sub } from './intrinsics';
import {
  applicationLoadBalancer,
  productionListenerId,
  productionListeners,
  versionUrl,
} from './load-balancer';
import { targetGroup } from './target-group';

export const BLUEGREEN = {
  LoadBalancer: 'BlueGreenLoadBalancer',
  HttpListener: 'BlueGreenHttpListener',
  HttpsListener: 'BlueGreenHttpsListener',
  TestListener: 'BlueGreenTestListener',
  TestListenerTokenRule: 'BlueGreenTestListenerTokenRule',
  BlueTargetGroup: 'BlueTargetGroup',
  GreenTargetGroup: 'GreenTargetGroup',
  TaskDefinition: 'BlueGreenTaskDefinition',
  Service: 'BlueGreenService',
  Application: 'CodeDeployApplication',
  DeploymentGroup: 'DeploymentGroup',
  DeploymentConfig: 'DeploymentConfig',
  CodeDeployRole: 'CodeDeployServiceRole',
  BlueTarget5xxAlarm: 'BlueTarget5xxAlarm',
  BlueUnhealthyHostsAlarm: 'BlueUnhealthyHostsAlarm',
  GreenTarget5xxAlarm: 'GreenTarget5xxAlarm',
  GreenUnhealthyHostsAlarm: 'GreenUnhealthyHostsAlarm',
  LoadBalancer5xxAlarm: 'BlueGreenLoadBalancer5xxAlarm',
} as const;

/** awslogs stream prefix of the blue/green tasks: streams are `bluegreen/<container>/<task id>`. */
export const BLUEGREEN_LOG_PREFIX = 'bluegreen';

/**
 * The test listener's token: the UUID at the end of the stack id (`arn:…:stack/<name>/<uuid>`).
 * Random per stack, free, and readable only by principals allowed elbv2:DescribeRules (the hook).
 */
export const TEST_LISTENER_TOKEN = Fn.Select(2, Fn.Split('/', Refs.StackId));

/** Priority of the token rule: the only rule on the test listener. */
export const TEST_LISTENER_RULE_PRIORITY = 1;

/** Both events that roll a deployment back: a failed lifecycle hook/step, and a tripped alarm. */
export const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'];

/** AWS managed policy for CodeDeploy's ECS service role; may invoke only `CodeDeployHook_*` Lambdas. */
export const CODEDEPLOY_ECS_POLICY = 'AWSCodeDeployRoleForECSLimited';

function testListener(
  config: PlaygroundConfig,
): Record<string, ElasticLoadBalancingV2.Listener | ElasticLoadBalancingV2.ListenerRule> {
  const forwardToBlue = [{ Type: 'forward', TargetGroupArn: Fn.Ref(BLUEGREEN.BlueTargetGroup) }];
  const base = {
    LoadBalancerArn: Fn.Ref(BLUEGREEN.LoadBalancer),
    Port: config.loadBalancer.testListenerPort,
    // Plain HTTP even with a certificate: only the hook probes it, and its token travels to an ALB
    // whose rule it just read through the (TLS) AWS API; see docs/infrastructure.md.
    Protocol: 'HTTP',
  };
  if (config.loadBalancer.testListenerAccess === 'open') {
    // CodeDeploy's plain setup: anyone who knows the port sees the release before it is live.
    return {
      [BLUEGREEN.TestListener]: new ElasticLoadBalancingV2.Listener({
        ...base,
        DefaultActions: forwardToBlue,
      }),
    };
  }
  return {
    // Everyone without the token gets a 404, as if nothing listened there.
    [BLUEGREEN.TestListener]: new ElasticLoadBalancingV2.Listener({
      ...base,
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
        },
      ],
    }),
    // CodeDeploy re-points listener rules that forward to the deployment's target groups, so during
    // a deployment this rule forwards the hook's probes to green (see docs/infrastructure.md).
    [BLUEGREEN.TestListenerTokenRule]: new ElasticLoadBalancingV2.ListenerRule({
      ListenerArn: Fn.Ref(BLUEGREEN.TestListener),
      Priority: TEST_LISTENER_RULE_PRIORITY,
      Conditions: [
        {
          Field: 'http-header',
          HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [TEST_LISTENER_TOKEN] },
        },
      ],
      Actions: forwardToBlue,
    }),
  };
}

/** A predefined deployment configuration by name, or the custom one this stack creates. */
function deploymentConfig(config: PlaygroundConfig): {
  name: Value<string>;
  resources: Record<string, CodeDeploy.DeploymentConfig>;
} {
  const chosen = config.blueGreen.deploymentConfig;
  if (typeof chosen === 'string') return { name: chosen, resources: {} };
  const routing =
    chosen.type === 'TimeBasedCanary'
      ? {
          Type: 'TimeBasedCanary',
          TimeBasedCanary: { CanaryPercentage: chosen.percentage, CanaryInterval: chosen.intervalMinutes },
        }
      : {
          Type: 'TimeBasedLinear',
          TimeBasedLinear: { LinearPercentage: chosen.percentage, LinearInterval: chosen.intervalMinutes },
        };
  return {
    name: Fn.Ref(BLUEGREEN.DeploymentConfig),
    resources: {
      [BLUEGREEN.DeploymentConfig]: new CodeDeploy.DeploymentConfig({
        // Deployment config names are per account and region: the config's name must be unique there.
        DeploymentConfigName: chosen.name,
        ComputePlatform: 'ECS',
        TrafficRoutingConfig: routing,
      }),
    },
  };
}

export function serviceBlueGreenTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  const { service, container, blueGreen } = config;
  const listeners = productionListeners(config, BLUEGREEN, Fn.Ref(BLUEGREEN.BlueTargetGroup));
  const test = testListener(config);
  // Deletion order. After a CodeDeploy deployment the listeners and the token rule forward to blue
  // AND green (weighted forwards), though the template names blue only: without an explicit
  // dependency CloudFormation may delete green first, and "You can delete a target group if it is
  // not referenced by any actions" (ResourceInUse otherwise). A resource is deleted before the
  // resources it DependsOn (or Refs), so the listeners and the rule go first. (Only the groups a
  // resource does not Ref already: cfn-lint W3005 flags a DependsOn a Ref implies.)
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html
  for (const routing of [...Object.values(listeners), ...Object.values(test)]) {
    const refs = JSON.stringify(routing.Properties);
    const missing = [BLUEGREEN.BlueTargetGroup, BLUEGREEN.GreenTargetGroup].filter(
      (id) => !refs.includes(JSON.stringify({ Ref: id })),
    );
    if (missing.length) routing.dependsOn(missing);
  }
  const dc = deploymentConfig(config);
  const what = names.blueGreen.service;
  const tgAlarm = (metric: 'HTTPCode_Target_5XX_Count' | 'UnHealthyHostCount', tg: string, color: string) =>
    targetGroupAlarm(config, {
      name: `${names.blueGreen.service}-${color}-${metric === 'UnHealthyHostCount' ? 'unhealthy-hosts' : 'target-5xx'}`,
      metric,
      loadBalancerId: BLUEGREEN.LoadBalancer,
      targetGroupId: tg,
      what: `${what} (${color})`,
    });
  const alarms: Record<string, CloudWatch.Alarm> = {
    [BLUEGREEN.BlueTarget5xxAlarm]: tgAlarm('HTTPCode_Target_5XX_Count', BLUEGREEN.BlueTargetGroup, 'blue'),
    [BLUEGREEN.BlueUnhealthyHostsAlarm]: tgAlarm('UnHealthyHostCount', BLUEGREEN.BlueTargetGroup, 'blue'),
    [BLUEGREEN.GreenTarget5xxAlarm]: tgAlarm(
      'HTTPCode_Target_5XX_Count',
      BLUEGREEN.GreenTargetGroup,
      'green',
    ),
    [BLUEGREEN.GreenUnhealthyHostsAlarm]: tgAlarm('UnHealthyHostCount', BLUEGREEN.GreenTargetGroup, 'green'),
    [BLUEGREEN.LoadBalancer5xxAlarm]: loadBalancer5xxAlarm(config, {
      name: `${names.blueGreen.service}-elb-5xx`,
      loadBalancerId: BLUEGREEN.LoadBalancer,
      what,
    }),
  };

  const resources: NonNullable<Template['Resources']> = {
    [BLUEGREEN.LoadBalancer]: applicationLoadBalancer(config, names.blueGreen.loadBalancer),
    [BLUEGREEN.BlueTargetGroup]: targetGroup(config, names.blueGreen.blueTargetGroup),
    [BLUEGREEN.GreenTargetGroup]: targetGroup(config, names.blueGreen.greenTargetGroup),
    ...listeners,
    ...test,
    [BLUEGREEN.TaskDefinition]: taskDefinition(config, names.blueGreen.taskFamily, BLUEGREEN_LOG_PREFIX),
    ...alarms,
    [BLUEGREEN.Service]: new ECS.Service({
      ServiceName: names.blueGreen.service,
      Cluster: importValue(names, 'cluster', 'ClusterName'),
      LaunchType: 'FARGATE',
      // The task definition FAMILY, not a Ref to the revision: this property's value then never
      // changes, so no stack update ever asks CloudFormation to change the task definition of a
      // CODE_DEPLOY service ("Unable to update task definition on services with a CODE_DEPLOY
      // deployment controller"). New revisions reach the service only through CodeDeploy. At creation
      // the family resolves to its latest ACTIVE revision, which DependsOn guarantees is ours. (CDK
      // renders CODE_DEPLOY services the same way.)
      TaskDefinition: names.blueGreen.taskFamily,
      DesiredCount: service.desiredCount,
      DeploymentController: { Type: 'CODE_DEPLOY' },
      HealthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      LoadBalancers: [
        {
          ContainerName: container.name,
          ContainerPort: container.port,
          TargetGroupArn: Fn.Ref(BLUEGREEN.BlueTargetGroup),
        },
      ],
      NetworkConfiguration: taskNetworkConfiguration(config),
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
      Tags: tags(config),
      // The family must exist before the service, and its target group must sit behind a listener.
    }).dependsOn([BLUEGREEN.TaskDefinition, ...Object.keys(listeners), BLUEGREEN.TestListener]),
    [BLUEGREEN.Application]: new CodeDeploy.Application({
      ApplicationName: names.blueGreen.codeDeployApplication,
      ComputePlatform: 'ECS',
      Tags: tags(config),
    }),
    ...dc.resources,
    [BLUEGREEN.CodeDeployRole]: new IAM.Role({
      Description: `CodeDeploy shifting ${names.blueGreen.service} between blue and green`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      // The Limited variant (not AWSCodeDeployRoleForECS): task sets, listeners/rules, alarms, and
      // lambda:InvokeFunction only on functions named CodeDeployHook_* (our hook is `hookFunction`).
      ManagedPolicyArns: [sub(`arn:\${AWS::Partition}:iam::aws:policy/${CODEDEPLOY_ECS_POLICY}`)],
      Policies: [
        {
          PolicyName: 'pass-task-roles',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                // CreateTaskSet passes the task definition's roles. The managed policy's iam:PassRole
                // covers only roles named ecsTaskExecutionRole / ECSTaskExecution*; ours have
                // CloudFormation-generated names, so exactly these two are allowed here.
                Effect: 'Allow',
                Action: 'iam:PassRole',
                Resource: [
                  importValue(names, 'cluster', 'ExecutionRoleArn'),
                  importValue(names, 'cluster', 'TaskRoleArn'),
                ],
                Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
              },
            ],
          },
        },
      ],
      Tags: tags(config),
    }),
    [BLUEGREEN.DeploymentGroup]: new CodeDeploy.DeploymentGroup({
      ApplicationName: Fn.Ref(BLUEGREEN.Application),
      DeploymentGroupName: names.blueGreen.deploymentGroup,
      ServiceRoleArn: Fn.GetAtt(BLUEGREEN.CodeDeployRole, 'Arn'),
      DeploymentConfigName: dc.name,
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      BlueGreenDeploymentConfiguration: {
        // Shift as soon as the replacement is ready and the hooks passed. No WaitTimeInMinutes:
        // it is only valid with STOP_DEPLOYMENT, and KEEP_ALIVE is not valid for ECS.
        DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
        TerminateBlueInstancesOnDeploymentSuccess: {
          Action: 'TERMINATE',
          // Default 5 min (config/defaults.ts): a late alarm can still re-route instantly, without
          // the console's 60 min of doubled task cost per deploy.
          TerminationWaitTimeInMinutes: blueGreen.blueTerminationWaitMinutes,
        },
      },
      AutoRollbackConfiguration: { Enabled: true, Events: ROLLBACK_EVENTS },
      AlarmConfiguration: {
        Enabled: true,
        // A failing CloudWatch read must not let a deployment pass unwatched.
        IgnorePollAlarmFailure: false,
        Alarms: Object.keys(alarms).map((id) => ({ Name: Fn.Ref(id) })),
      },
      ECSServices: [
        {
          ClusterName: importValue(names, 'cluster', 'ClusterName'),
          ServiceName: Fn.GetAtt(BLUEGREEN.Service, 'Name'),
        },
      ],
      LoadBalancerInfo: {
        TargetGroupPairInfoList: [
          {
            TargetGroups: [
              { Name: Fn.GetAtt(BLUEGREEN.BlueTargetGroup, 'TargetGroupName') },
              { Name: Fn.GetAtt(BLUEGREEN.GreenTargetGroup, 'TargetGroupName') },
            ],
            ProdTrafficRoute: { ListenerArns: [Fn.Ref(productionListenerId(config, BLUEGREEN))] },
            TestTrafficRoute: { ListenerArns: [Fn.Ref(BLUEGREEN.TestListener)] },
          },
        ],
      },
      Tags: tags(config),
    }),
  };

  return template(
    `${names.prefix} blue/green service: ALB with test listener, blue/green target groups, ECS service (CODE_DEPLOY), CodeDeploy group.`,
    {
      Parameters: imageParameter,
      Resources: resources,
      Outputs: exportedOutputs(names, 'service-bluegreen', {
        ServiceName: {
          value: Fn.GetAtt(BLUEGREEN.Service, 'Name'),
          description: 'ECS service of the blue/green pipeline',
        },
        LoadBalancerUrl: { value: versionUrl(BLUEGREEN), description: 'GET it to see the live version' },
        CodeDeployApplicationName: {
          value: Fn.Ref(BLUEGREEN.Application),
          description: 'CodeDeploy application (ECS)',
        },
        DeploymentGroupName: {
          value: Fn.Ref(BLUEGREEN.DeploymentGroup),
          description: 'CodeDeploy deployment group',
        },
        TestListenerArn: {
          value: Fn.Ref(BLUEGREEN.TestListener),
          description: 'Test listener the hook probes (it reads the token rule from it)',
        },
      }),
    },
  );
}
