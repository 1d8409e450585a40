// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates

import { expect } from 'chai';
import { EXPORTS } from '../../cloudformation/common';
import { CANARY } from '../../cloudformation/service-canary';
import { renderAll } from '../../cloudformation/stacks';
import { DEFAULT_CONFIG, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { canaryWorstCase, ecsDeploymentTimeoutMinutes } from '../../config/timeouts';
import {
  CERT,
  configWith,
  generated,
  type Json,
  ofType,
  routesDeletedAfter,
  unguardedTrust,
} from './helpers';

const TOKEN = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
const HOOK_ARN = {
  'Fn::Sub':
    'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:CodeDeployHook_ecs-playground-dev',
};
/** Both target groups, all requests to A: the shape ECS re-weights at every shift. */
const ALL_TO_A = {
  Type: 'forward',
  ForwardConfig: {
    TargetGroups: [
      { TargetGroupArn: { Ref: CANARY.PrimaryTargetGroup }, Weight: 100 },
      { TargetGroupArn: { Ref: CANARY.AlternateTargetGroup }, Weight: 0 },
    ],
  },
};

describe('service-canary template', () => {
  const t = generated('service-canary');
  const service = t.Resources[CANARY.Service];
  const deployment = service.Properties.DeploymentConfiguration;

  it('takes exactly one parameter, ImageUri, used by the revision the service names', () => {
    expect(Object.keys(t.Parameters)).to.deep.equal(['ImageUri']);
    const task = t.Resources[CANARY.TaskDefinition].Properties;
    expect(task.Family).to.equal('ecs-playground-dev-canary');
    expect(task.ContainerDefinitions[0].Image).to.deep.equal({ Ref: 'ImageUri' });
    expect(task.ContainerDefinitions[0].LogConfiguration.Options['awslogs-stream-prefix']).to.equal('canary');
    expect(service.Properties.TaskDefinition).to.deep.equal({ Ref: CANARY.TaskDefinition });
  });

  it("creates a FARGATE service with ECS's controller and Strategy CANARY, 10 % for 5 minutes then a 5-minute bake by default", () => {
    expect(service.Properties).to.deep.include({
      ServiceName: 'ecs-playground-dev-canary',
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentController: { Type: 'ECS' },
    });
    expect(deployment).to.deep.include({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
      BakeTimeInMinutes: 5,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
  });

  it('takes the canary percent and both bake times from the config', () => {
    const custom = generated('service-canary', {
      ecsCanary: {
        canaryPercent: 12.5,
        canaryBakeMinutes: 15,
        bakeTimeMinutes: 0,
      },
    });
    expect(custom.Resources[CANARY.Service].Properties.DeploymentConfiguration).to.deep.include({
      CanaryConfiguration: { CanaryPercent: 12.5, CanaryBakeTimeInMinutes: 15 },
      BakeTimeInMinutes: 0,
    });
  });

  it('rolls back on every alarm of both target groups and of the load balancer', () => {
    const alarms = ofType(t, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms).to.deep.equal([
      CANARY.Target5xxAlarmA,
      CANARY.UnhealthyHostsAlarmA,
      CANARY.Target5xxAlarmB,
      CANARY.UnhealthyHostsAlarmB,
      CANARY.LoadBalancer5xxAlarm,
    ]);
    expect(deployment.Alarms).to.deep.equal({
      AlarmNames: alarms.map((id) => ({ Ref: id })),
      Enable: true,
      Rollback: true,
    });
    expect(t.Resources[CANARY.Target5xxAlarmB].Properties.AlarmName).to.equal(
      'ecs-playground-dev-canary-b-target-5xx',
    );
  });

  it('calls the hook at POST_TEST_TRAFFIC_SHIFT with a role that may invoke only the hook', () => {
    expect(deployment.LifecycleHooks).to.deep.equal([
      {
        HookTargetArn: HOOK_ARN,
        RoleArn: { 'Fn::GetAtt': [CANARY.HookInvokeRole, 'Arn'] },
        LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      },
    ]);
    const role = t.Resources[CANARY.HookInvokeRole].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).to.deep.equal(unguardedTrust('ecs.amazonaws.com'));
    expect(role.Policies).to.deep.equal([
      {
        PolicyName: 'invoke-hook',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'InvokeHook', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: HOOK_ARN },
          ],
        },
      },
    ]);
  });

  it('gives ECS the alternate target group, both listener rules and the role that moves them', () => {
    expect(service.Properties.LoadBalancers).to.deep.equal([
      {
        ContainerName: 'web',
        ContainerPort: DEFAULT_CONFIG.container.port,
        TargetGroupArn: { Ref: CANARY.PrimaryTargetGroup },
        AdvancedConfiguration: {
          AlternateTargetGroupArn: { Ref: CANARY.AlternateTargetGroup },
          ProductionListenerRule: { Ref: CANARY.ProductionRule },
          TestListenerRule: { Ref: CANARY.TestRule },
          RoleArn: { 'Fn::GetAtt': [CANARY.LoadBalancerRole, 'Arn'] },
        },
      },
    ]);
    const groups = ofType(t, 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([id, r]) => [
      id,
      r.Properties.Name,
    ]);
    expect(groups).to.deep.equal([
      [CANARY.PrimaryTargetGroup, 'ecs-playground-dev-cnry-a'],
      [CANARY.AlternateTargetGroup, 'ecs-playground-dev-cnry-b'],
      // The test listener's default (never registered by ECS, see the test listener's test).
      [CANARY.TestDefaultTargetGroup, 'ecs-playground-dev-cnry-0'],
    ]);
    expect(service.DependsOn).to.deep.equal([CANARY.HttpListener, CANARY.TestListener]);
  });

  it('routes production through a rule on every path of listener 80, weighted to A', () => {
    expect(t.Resources[CANARY.ProductionRule].Properties).to.deep.equal({
      ListenerArn: { Ref: CANARY.HttpListener },
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      Actions: [ALL_TO_A],
    });
    // With a certificate the rule moves to the HTTPS listener; 80 only redirects.
    const https = generated('service-canary', { loadBalancer: { certificateArn: CERT } });
    expect(https.Resources[CANARY.ProductionRule].Properties.ListenerArn).to.deep.equal({
      Ref: CANARY.HttpsListener,
    });
  });

  it('deletes every listener and rule before either target group (a Ref or DependsOn on both)', () => {
    // After a deployment ECS leaves the production and test rules forwarding (weighted) to A and B.
    for (const overrides of [{}, { loadBalancer: { certificateArn: CERT } }]) {
      const routes = routesDeletedAfter(generated('service-canary', overrides), [
        CANARY.PrimaryTargetGroup,
        CANARY.AlternateTargetGroup,
      ]);
      expect(routes.map(([id]) => id).sort(), JSON.stringify(overrides)).to.include.members([
        CANARY.HttpListener,
        CANARY.ProductionRule,
        CANARY.TestListener,
        CANARY.TestRule,
      ]);
      for (const [id, after] of routes) expect(after, `${id} is deleted after`).to.deep.equal([]);
    }
  });

  it("opens the test listener only to the token header: everyone else reaches a target group without targets (the ALB's 503)", () => {
    expect(t.Resources[CANARY.TestListener].Properties).to.deep.equal({
      LoadBalancerArn: { Ref: CANARY.LoadBalancer },
      Port: DEFAULT_CONFIG.loadBalancer.testListenerPort,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: CANARY.TestDefaultTargetGroup } }],
    });
    expect(t.Resources[CANARY.TestDefaultTargetGroup].Properties.Name).to.equal('ecs-playground-dev-cnry-0');
    // ECS registers tasks only in A and B: nothing names the default's group but the test listener.
    const mentions = Object.entries(t.Resources).filter(([, r]) =>
      JSON.stringify(r).includes(JSON.stringify({ Ref: CANARY.TestDefaultTargetGroup })),
    );
    expect(mentions.map(([id]) => id)).to.deep.equal([CANARY.TestListener]);
    expect(t.Resources[CANARY.TestRule].Properties).to.deep.equal({
      ListenerArn: { Ref: CANARY.TestListener },
      Priority: 1,
      Conditions: [
        {
          Field: 'http-header',
          HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [TOKEN] },
        },
      ],
      Actions: [ALL_TO_A],
    });
  });

  it("lets ECS's load balancer role change only this stack's rules, listeners and target groups", () => {
    const role = t.Resources[CANARY.LoadBalancerRole].Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).to.deep.equal({
      Service: 'ecs.amazonaws.com',
    });
    const statements: Json[] = role.Policies[0].PolicyDocument.Statement;
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
      [
        'ReadLoadBalancing',
        [
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeRules',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
        ],
        '*',
      ],
      [
        'RegisterCanaryTargets',
        ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        [{ Ref: CANARY.PrimaryTargetGroup }, { Ref: CANARY.AlternateTargetGroup }],
      ],
      [
        'ShiftCanaryRules',
        'elasticloadbalancing:ModifyRule',
        [{ Ref: CANARY.ProductionRule }, { Ref: CANARY.TestRule }],
      ],
      [
        'ModifyCanaryListeners',
        'elasticloadbalancing:ModifyListener',
        [{ Ref: CANARY.HttpListener }, { Ref: CANARY.TestListener }],
      ],
    ]);
    expect(role).to.not.have.property('ManagedPolicyArns');
  });

  it('exports the service, the URL and the test rule', () => {
    expect(Object.keys(t.Outputs)).to.deep.equal(Object.keys(EXPORTS['service-canary']));
    expect(t.Outputs.LoadBalancerUrl.Value).to.deep.equal({
      'Fn::Sub': `http://\${${CANARY.LoadBalancer}.DNSName}/version`,
    });
    expect(t.Outputs.TestListenerRuleArn.Export).to.deep.equal({
      Name: 'ecs-playground-dev-service-canary:TestListenerRuleArn',
    });
  });
});

describe('app.strategies', () => {
  const stacksOf = (strategies: string[]) =>
    renderAll(configWith({ app: { strategies } })).map((r) => r.stack);
  const pipelinesOf = (strategies: string[]) =>
    ofType(generated('pipelines', { app: { strategies } }), 'AWS::CodePipeline::Pipeline').map(
      ([, r]) => r.Properties.Name,
    );

  it('renders every strategy by default', () => {
    expect(stacksOf(['rolling', 'bluegreen', 'canary']).slice(4)).to.deep.equal([
      'service-rolling',
      'service-bluegreen',
      'service-canary',
    ]);
    expect(pipelinesOf(['rolling', 'bluegreen', 'canary'])).to.deep.equal([
      'ecs-playground-dev-rolling',
      'ecs-playground-dev-bluegreen',
      'ecs-playground-dev-canary',
    ]);
  });

  it("drops a strategy's stack and pipeline when it is left out", () => {
    expect(stacksOf(['rolling', 'bluegreen'])).to.deep.equal([
      'network',
      'registry',
      'cluster',
      'pipelines',
      'service-rolling',
      'service-bluegreen',
    ]);
    expect(stacksOf(['canary']).slice(4)).to.deep.equal(['service-canary']);
    expect(pipelinesOf(['canary'])).to.deep.equal(['ecs-playground-dev-canary']);
    const roles = ofType(generated('pipelines', { app: { strategies: ['canary'] } }), 'AWS::IAM::Role').map(
      ([id]) => id,
    );
    expect(roles).to.deep.equal(['BuildRole', 'CanaryPipelineRole']);
  });

  it('points the canary pipeline at the canary service with the ECS deploy action and its timeout', () => {
    const pipeline = generated('pipelines').Resources.CanaryPipeline.Properties;
    expect(pipeline.Stages.map((s: Json) => s.Name)).to.deep.equal(['Source', 'Build', 'Deploy']);
    expect(pipeline.Stages[2].Actions[0]).to.deep.include({
      ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'ECS', Version: '1' },
      Configuration: {
        ClusterName: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ClusterName' },
        ServiceName: 'ecs-playground-dev-canary',
        FileName: 'imagedefinitions.json',
        DeploymentTimeout: String(ecsDeploymentTimeoutMinutes(canaryWorstCase(DEFAULT_CONFIG))),
      },
    });
  });
});
