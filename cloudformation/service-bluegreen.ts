/**
 * The blue/green service stack (target of pipeline 2): ALB 2 with a blue and a green target group,
 * a production listener and a test listener, an ECS service with the CODE_DEPLOY controller, and
 * the CodeDeploy application, deployment group and service role that shift traffic between them.
 *
 * What a stack update may change is limited (see docs/infrastructure.md): CodeDeploy owns the
 * service's task set, task definition and the listeners' target groups once it has deployed.
 */
import { ElasticLoadBalancingV2, Fn, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { codeDeployBlueGreen } from './codedeploy';
import { exportedOutputs, template } from './common';
import { imageParameter, loadBalancedFargateService } from './fargate-service';
import {
  deadEndForward,
  deleteBeforeTargetGroups,
  TEST_LISTENER_RULE_PRIORITY,
  testListenerTokenCondition,
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
  TestDefaultTargetGroup: 'BlueGreenTestDefaultTargetGroup',
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

function testListener(
  config: PlaygroundConfig,
): Record<
  string,
  ElasticLoadBalancingV2.Listener | ElasticLoadBalancingV2.ListenerRule | ElasticLoadBalancingV2.TargetGroup
> {
  const forwardToBlue = [{ Type: 'forward', TargetGroupArn: Fn.Ref(BLUEGREEN.BlueTargetGroup) }];
  const base = {
    LoadBalancerArn: Fn.Ref(BLUEGREEN.LoadBalancer),
    Port: config.loadBalancer.testListenerPort,
    // Plain HTTP even with a certificate: only the hook probes it, and its token travels to an ALB
    // whose rule it just read through the (TLS) AWS API; see docs/infrastructure.md.
    Protocol: 'HTTP',
  };
  if (config.loadBalancer.testListenerAccess === 'open') {
    // The default: the setup AWS documents for CodeDeploy (a test listener whose default rule forwards,
    // https://docs.aws.amazon.com/codedeploy/latest/userguide/tutorial-ecs-with-hooks-create-second-listener.html).
    // Anyone who knows the port sees the release before it is live.
    return {
      [BLUEGREEN.TestListener]: new ElasticLoadBalancingV2.Listener({
        ...base,
        DefaultActions: forwardToBlue,
      }),
    };
  }
  return {
    // Never has targets: CodeDeploy registers tasks only in blue and green (the deployment group's pair).
    [BLUEGREEN.TestDefaultTargetGroup]: targetGroup(
      config,
      namesFor(config).blueGreen.testDefaultTargetGroup,
    ),
    // Everyone without the token gets the ALB's 503 from a group without targets. A forward, not a
    // fixed 404: every action on the deployment's listeners forwards (see deadEndForward).
    [BLUEGREEN.TestListener]: new ElasticLoadBalancingV2.Listener({
      ...base,
      DefaultActions: deadEndForward(BLUEGREEN.TestDefaultTargetGroup),
    }),
    // CodeDeploy re-points listener rules that forward to the deployment's target groups, so during
    // a deployment this rule forwards the hook's probes to green (indirect evidence only, see
    // docs/infrastructure.md; the hook fails at once, naming this rule, if it still forwards to blue).
    [BLUEGREEN.TestListenerTokenRule]: new ElasticLoadBalancingV2.ListenerRule({
      ListenerArn: Fn.Ref(BLUEGREEN.TestListener),
      Priority: TEST_LISTENER_RULE_PRIORITY,
      Conditions: [testListenerTokenCondition()],
      Actions: forwardToBlue,
    }),
  };
}

export function serviceBlueGreenTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  const service = loadBalancedFargateService(config, {
    ids: BLUEGREEN,
    names: names.blueGreen,
    logStreamPrefix: BLUEGREEN_LOG_PREFIX,
    targetGroups: [
      {
        id: BLUEGREEN.BlueTargetGroup,
        name: names.blueGreen.blueTargetGroup,
        label: 'blue',
        target5xxAlarm: BLUEGREEN.BlueTarget5xxAlarm,
        unhealthyHostsAlarm: BLUEGREEN.BlueUnhealthyHostsAlarm,
      },
      {
        id: BLUEGREEN.GreenTargetGroup,
        name: names.blueGreen.greenTargetGroup,
        label: 'green',
        target5xxAlarm: BLUEGREEN.GreenTarget5xxAlarm,
        unhealthyHostsAlarm: BLUEGREEN.GreenUnhealthyHostsAlarm,
      },
    ],
    strategy: {
      // CodeDeploy owns the service's task sets: it starts green, shifts traffic, and rolls back.
      controller: 'CODE_DEPLOY',
      taskDefinition: 'family',
      listeners: testListener(config),
      dependsOn: [BLUEGREEN.TestListener],
    },
  });
  // CodeDeploy leaves the listeners forwarding to blue AND green after a deployment.
  deleteBeforeTargetGroups(service.resources, [BLUEGREEN.BlueTargetGroup, BLUEGREEN.GreenTargetGroup]);

  return template(
    `${names.prefix} blue/green service: ALB with test listener, blue/green target groups, ECS service (CODE_DEPLOY), CodeDeploy group.`,
    {
      Parameters: imageParameter,
      Resources: { ...service.resources, ...codeDeployBlueGreen(config, BLUEGREEN, service) },
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
