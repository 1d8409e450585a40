// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { EXPORTS } from '../../cloudformation/common';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import { DEFAULT_CONFIG, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { attributes, CERT, generated, guardedTrust, type Json, ofType, routesDeletedAfter } from './helpers';

const PORT = DEFAULT_CONFIG.container.port;

const TOKEN = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

describe('service-bluegreen template', () => {
  const t = generated('service-bluegreen');
  const service = t.Resources[BLUEGREEN.Service];
  const group = t.Resources[BLUEGREEN.DeploymentGroup].Properties;

  it('takes exactly one parameter, ImageUri, used as the container image', () => {
    expect(Object.keys(t.Parameters)).to.deep.equal(['ImageUri']);
    const task = t.Resources[BLUEGREEN.TaskDefinition].Properties;
    expect(task.ContainerDefinitions[0].Image).to.deep.equal({ Ref: 'ImageUri' });
    expect(task).to.deep.include({
      Cpu: '256',
      Memory: '512',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
    });
    expect(task.ContainerDefinitions[0].LogConfiguration.Options['awslogs-stream-prefix']).to.equal(
      'bluegreen',
    );
  });

  it('creates a FARGATE service with the CODE_DEPLOY controller and desired count 2 by default', () => {
    expect(service.Properties).to.deep.include({
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentController: { Type: 'CODE_DEPLOY' },
    });
    expect(service.Properties.LoadBalancers).to.deep.equal([
      { ContainerName: 'web', ContainerPort: PORT, TargetGroupArn: { Ref: BLUEGREEN.BlueTargetGroup } },
    ]);
    expect(service.DependsOn).to.deep.equal([
      BLUEGREEN.TaskDefinition,
      BLUEGREEN.HttpListener,
      BLUEGREEN.TestListener,
    ]);
  });

  it('references the task definition by family, so a stack update never changes it (CODE_DEPLOY pitfall)', () => {
    const family = t.Resources[BLUEGREEN.TaskDefinition].Properties.Family;
    expect(family).to.equal('ecs-playground-dev-bluegreen');
    expect(service.Properties.TaskDefinition).to.equal(family);
    // A change that replaces the task definition revision leaves the service resource byte-identical.
    const changed = generated('service-bluegreen', {
      container: { cpu: 512, memory: 1024, stopTimeoutSeconds: 10 },
    });
    expect(changed.Resources[BLUEGREEN.TaskDefinition]).to.not.deep.equal(
      t.Resources[BLUEGREEN.TaskDefinition],
    );
    expect(changed.Resources[BLUEGREEN.Service]).to.deep.equal(service);
  });

  it('creates two target groups with the same settings, both from the config', () => {
    const groups = ofType(t, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups.map(([id, g]) => [id, g.Properties.Name])).to.deep.equal([
      [BLUEGREEN.BlueTargetGroup, 'ecs-playground-dev-blue'],
      [BLUEGREEN.GreenTargetGroup, 'ecs-playground-dev-green'],
    ]);
    const { Name: _blue, ...blue } = groups[0][1].Properties;
    const { Name: _green, ...green } = groups[1][1].Properties;
    expect(blue).to.deep.equal(green);
    expect(blue).to.deep.include({
      TargetType: 'ip',
      Port: PORT,
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 10,
    });
    const tuned = generated('service-bluegreen', { loadBalancer: { deregistrationDelaySeconds: 5 } });
    expect(
      attributes(tuned.Resources[BLUEGREEN.GreenTargetGroup].Properties.TargetGroupAttributes)[
        'deregistration_delay.timeout_seconds'
      ],
    ).to.equal('5');
  });

  it('routes production listener 80 to the blue target group by default', () => {
    expect(t.Resources[BLUEGREEN.HttpListener].Properties).to.deep.include({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: BLUEGREEN.BlueTargetGroup } }],
    });
  });

  it('uses the container port for targets and the test listener port for the test listener (both 8080 by default)', () => {
    const apart = generated('service-bluegreen', {
      container: { port: 9090 },
      loadBalancer: { testListenerPort: 9443 },
    });
    expect(apart.Resources[BLUEGREEN.BlueTargetGroup].Properties.Port).to.equal(9090);
    expect(apart.Resources[BLUEGREEN.Service].Properties.LoadBalancers[0].ContainerPort).to.equal(9090);
    expect(apart.Resources[BLUEGREEN.TestListener].Properties.Port).to.equal(9443);
  });

  it('creates an open test listener by default: its default action forwards (CodeDeploy re-points it)', () => {
    expect(t.Resources[BLUEGREEN.TestListener].Properties).to.deep.include({
      Port: DEFAULT_CONFIG.loadBalancer.testListenerPort,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: BLUEGREEN.BlueTargetGroup } }],
    });
    expect(ofType(t, 'AWS::ElasticLoadBalancingV2::ListenerRule')).to.have.length(0);
  });

  it("creates a header-token test listener when testListenerAccess is header-token: the ALB's 503 from a group without targets unless the per-stack token header is sent", () => {
    const token = generated('service-bluegreen', {
      loadBalancer: { testListenerAccess: 'header-token', testListenerPort: 9000 },
    });
    expect(token.Resources[BLUEGREEN.TestListener].Properties).to.deep.include({
      Port: 9000,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: BLUEGREEN.TestDefaultTargetGroup } }],
    });
    expect(token.Resources[BLUEGREEN.TestDefaultTargetGroup].Properties.Name).to.equal(
      'ecs-playground-dev-bg-0',
    );
    expect(t.Resources[BLUEGREEN.TestDefaultTargetGroup], 'only with header-token').to.equal(undefined);
    expect(token.Resources[BLUEGREEN.TestListenerTokenRule].Properties).to.deep.equal({
      ListenerArn: { Ref: BLUEGREEN.TestListener },
      Priority: 1,
      Conditions: [
        {
          Field: 'http-header',
          HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [TOKEN] },
        },
      ],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: BLUEGREEN.BlueTargetGroup } }],
    });
  });

  it('creates a BLUE_GREEN deployment group with ECSCanary10Percent5Minutes by default', () => {
    expect(group).to.deep.include({
      DeploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      DeploymentGroupName: 'ecs-playground-dev-bluegreen',
    });
    expect(t.Resources[BLUEGREEN.Application].Properties.ComputePlatform).to.equal('ECS');
    expect(group.ECSServices).to.deep.equal([
      {
        ClusterName: { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ClusterName' },
        ServiceName: { 'Fn::GetAtt': [BLUEGREEN.Service, 'Name'] },
      },
    ]);
  });

  it('continues as soon as green is ready, without a wait time, and terminates blue after the configured wait', () => {
    expect(group.BlueGreenDeploymentConfiguration).to.deep.equal({
      DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
      TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 5 },
    });
    const longer = generated('service-bluegreen', { blueGreen: { blueTerminationWaitMinutes: 60 } });
    expect(
      longer.Resources[BLUEGREEN.DeploymentGroup].Properties.BlueGreenDeploymentConfiguration
        .TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes,
    ).to.equal(60);
  });

  it('rolls back on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM, watching 5 alarms', () => {
    expect(group.AutoRollbackConfiguration).to.deep.equal({
      Enabled: true,
      Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
    expect(group.AlarmConfiguration.Enabled).to.equal(true);
    expect(group.AlarmConfiguration.Alarms).to.deep.equal([
      { Name: { Ref: BLUEGREEN.BlueTarget5xxAlarm } },
      { Name: { Ref: BLUEGREEN.BlueUnhealthyHostsAlarm } },
      { Name: { Ref: BLUEGREEN.GreenTarget5xxAlarm } },
      { Name: { Ref: BLUEGREEN.GreenUnhealthyHostsAlarm } },
      { Name: { Ref: BLUEGREEN.LoadBalancer5xxAlarm } },
    ]);
    const watched = ofType(t, 'AWS::CloudWatch::Alarm').map(([, a]) => [
      a.Properties.MetricName,
      a.Properties.Dimensions.find((d: Json) => d.Name === 'TargetGroup')?.Value ?? null,
    ]);
    expect(watched).to.deep.equal([
      ['HTTPCode_Target_5XX_Count', { 'Fn::GetAtt': [BLUEGREEN.BlueTargetGroup, 'TargetGroupFullName'] }],
      ['UnHealthyHostCount', { 'Fn::GetAtt': [BLUEGREEN.BlueTargetGroup, 'TargetGroupFullName'] }],
      ['HTTPCode_Target_5XX_Count', { 'Fn::GetAtt': [BLUEGREEN.GreenTargetGroup, 'TargetGroupFullName'] }],
      ['UnHealthyHostCount', { 'Fn::GetAtt': [BLUEGREEN.GreenTargetGroup, 'TargetGroupFullName'] }],
      ['HTTPCode_ELB_5XX_Count', null],
    ]);
  });

  it('deletes every listener and the test rule before either target group (a Ref or DependsOn on both)', () => {
    // After a deployment CodeDeploy's weighted forwards reference blue and green alike.
    for (const overrides of [
      {},
      { loadBalancer: { testListenerAccess: 'open' } },
      { loadBalancer: { certificateArn: CERT } },
    ]) {
      const t = generated('service-bluegreen', overrides);
      const routes = routesDeletedAfter(t, [BLUEGREEN.BlueTargetGroup, BLUEGREEN.GreenTargetGroup]);
      expect(routes.length, JSON.stringify(overrides)).to.be.at.least(2);
      for (const [id, after] of routes) {
        expect(after, `${id} is deleted after`).to.deep.equal([]);
        expect(t.Resources[id].DependsOn, id).to.include(BLUEGREEN.GreenTargetGroup);
      }
    }
  });

  it('pairs both target groups with the production route 80 and the test route', () => {
    expect(group.LoadBalancerInfo.TargetGroupPairInfoList).to.deep.equal([
      {
        TargetGroups: [
          { Name: { 'Fn::GetAtt': [BLUEGREEN.BlueTargetGroup, 'TargetGroupName'] } },
          { Name: { 'Fn::GetAtt': [BLUEGREEN.GreenTargetGroup, 'TargetGroupName'] } },
        ],
        ProdTrafficRoute: { ListenerArns: [{ Ref: BLUEGREEN.HttpListener }] },
        TestTrafficRoute: { ListenerArns: [{ Ref: BLUEGREEN.TestListener }] },
      },
    ]);
  });

  it('uses listener 443 as the production route when a certificate is configured', () => {
    const tls = generated('service-bluegreen', { loadBalancer: { certificateArn: CERT } });
    const pair =
      tls.Resources[BLUEGREEN.DeploymentGroup].Properties.LoadBalancerInfo.TargetGroupPairInfoList[0];
    expect(pair.ProdTrafficRoute).to.deep.equal({ ListenerArns: [{ Ref: BLUEGREEN.HttpsListener }] });
    expect(tls.Resources[BLUEGREEN.HttpsListener].Properties.Port).to.equal(443);
  });

  it('creates a custom deployment config when blueGreen.deploymentConfig is an object', () => {
    const custom = generated('service-bluegreen', {
      blueGreen: {
        deploymentConfig: {
          name: 'pg-linear-25',
          type: 'TimeBasedLinear',
          percentage: 25,
          intervalMinutes: 2,
        },
      },
    });
    expect(custom.Resources[BLUEGREEN.DeploymentConfig].Properties).to.deep.equal({
      DeploymentConfigName: 'pg-linear-25',
      ComputePlatform: 'ECS',
      TrafficRoutingConfig: {
        Type: 'TimeBasedLinear',
        TimeBasedLinear: { LinearPercentage: 25, LinearInterval: 2 },
      },
    });
    expect(custom.Resources[BLUEGREEN.DeploymentGroup].Properties.DeploymentConfigName).to.deep.equal({
      Ref: BLUEGREEN.DeploymentConfig,
    });
    expect(t.Resources).to.not.have.property(BLUEGREEN.DeploymentConfig);
  });

  it('gives CodeDeploy the Limited ECS policy and PassRole on exactly the two task roles', () => {
    const role = t.Resources[BLUEGREEN.CodeDeployRole].Properties;
    // Only CodeDeploy acting for this deployment group (confused-deputy guard).
    expect(role.AssumeRolePolicyDocument.Statement).to.deep.equal(
      guardedTrust('codedeploy.amazonaws.com', {
        service: 'codedeploy',
        resource: 'deploymentgroup:ecs-playground-dev/ecs-playground-dev-bluegreen',
      }),
    );
    expect(role.ManagedPolicyArns).to.deep.equal([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AWSCodeDeployRoleForECSLimited' },
    ]);
    expect(role.Policies[0].PolicyDocument.Statement).to.deep.equal([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [
          { 'Fn::ImportValue': 'ecs-playground-dev-cluster:ExecutionRoleArn' },
          { 'Fn::ImportValue': 'ecs-playground-dev-cluster:TaskRoleArn' },
        ],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    ]);
    expect(group.ServiceRoleArn).to.deep.equal({ 'Fn::GetAtt': [BLUEGREEN.CodeDeployRole, 'Arn'] });
  });

  it('outputs the URL, service, CodeDeploy names and the test listener', () => {
    expect(Object.keys(t.Outputs)).to.deep.equal(Object.keys(EXPORTS['service-bluegreen']));
    expect(t.Outputs.TestListenerArn.Export).to.deep.equal({
      Name: 'ecs-playground-dev-service-bluegreen:TestListenerArn',
    });
  });
});
