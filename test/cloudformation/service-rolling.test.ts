import { expect } from 'chai';
import { EXPORTS } from '../../cloudformation/common';
import { ROLLING } from '../../cloudformation/service-rolling';
import { DEFAULT_CONFIG } from '../../config';
import { attributes, CERT, generated, type Json, ofType } from './helpers';

const PORT = DEFAULT_CONFIG.container.port;

describe('service-rolling template', () => {
  const t = generated('service-rolling');
  const service = t.Resources[ROLLING.Service];
  const task = t.Resources[ROLLING.TaskDefinition].Properties;

  it('takes exactly one parameter, ImageUri, used as the container image', () => {
    expect(Object.keys(t.Parameters)).to.deep.equal(['ImageUri']);
    expect(task.ContainerDefinitions[0].Image).to.deep.equal({ Ref: 'ImageUri' });
  });

  it('creates a Fargate task definition of 256 CPU / 512 MiB in awsvpc mode by default', () => {
    expect(task).to.deep.include({
      Family: 'ecs-playground-dev-rolling',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '256',
      Memory: '512',
    });
    expect(task.ContainerDefinitions[0].PortMappings).to.deep.equal([
      { ContainerPort: PORT, Protocol: 'tcp' },
    ]);
    expect(task.ContainerDefinitions[0].LogConfiguration.Options['awslogs-stream-prefix']).to.equal(
      'rolling',
    );
    expect(task.ExecutionRoleArn).to.deep.equal({
      'Fn::ImportValue': 'ecs-playground-dev-cluster:ExecutionRoleArn',
    });
  });

  it('creates a FARGATE service with the ECS controller, desired count 2 and 100/200 % by default', () => {
    expect(service.Properties).to.deep.include({
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentController: { Type: 'ECS' },
      HealthCheckGracePeriodSeconds: 30,
      TaskDefinition: { Ref: ROLLING.TaskDefinition },
    });
    expect(service.Properties.DeploymentConfiguration.MinimumHealthyPercent).to.equal(100);
    expect(service.Properties.DeploymentConfiguration.MaximumPercent).to.equal(200);
    expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).to.deep.equal({
      'Fn::ImportValue': 'ecs-playground-dev-network:TaskAssignPublicIp',
    });
  });

  it('rolls back through the circuit breaker and through its alarms', () => {
    const deployment = service.Properties.DeploymentConfiguration;
    expect(deployment.DeploymentCircuitBreaker).to.deep.equal({ Enable: true, Rollback: true });
    expect(deployment.Alarms).to.deep.equal({
      AlarmNames: [
        { Ref: ROLLING.Target5xxAlarm },
        { Ref: ROLLING.UnhealthyHostsAlarm },
        { Ref: ROLLING.LoadBalancer5xxAlarm },
      ],
      Enable: true,
      Rollback: true,
    });
    const metrics = ofType(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.MetricName);
    expect(metrics).to.deep.equal([
      'HTTPCode_Target_5XX_Count',
      'UnHealthyHostCount',
      'HTTPCode_ELB_5XX_Count',
    ]);
  });

  it('routes listener 80 to one target group on the container port', () => {
    const groups = ofType(t, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups).to.have.length(1);
    expect(groups[0][1].Properties).to.deep.include({ TargetType: 'ip', Protocol: 'HTTP', Port: PORT });
    const listeners = ofType(t, 'AWS::ElasticLoadBalancingV2::Listener');
    expect(listeners.map(([, l]) => [l.Properties.Port, l.Properties.DefaultActions])).to.deep.equal([
      [80, [{ Type: 'forward', TargetGroupArn: { Ref: ROLLING.TargetGroup } }]],
    ]);
    expect(service.Properties.LoadBalancers).to.deep.equal([
      { ContainerName: 'web', ContainerPort: PORT, TargetGroupArn: { Ref: ROLLING.TargetGroup } },
    ]);
    expect(service.DependsOn).to.deep.equal([ROLLING.HttpListener]);
  });

  it('takes health check, draining, algorithm and idle timeout from the config', () => {
    const tuned = generated('service-rolling', {
      healthCheck: {
        path: '/health',
        intervalSeconds: 7,
        timeoutSeconds: 3,
        healthyThresholdCount: 4,
        unhealthyThresholdCount: 5,
      },
      loadBalancer: {
        deregistrationDelaySeconds: 12,
        algorithm: 'least_outstanding_requests',
        idleTimeoutSeconds: 45,
      },
    });
    const tg = tuned.Resources[ROLLING.TargetGroup].Properties;
    expect(tg).to.deep.include({
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 7,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 4,
      UnhealthyThresholdCount: 5,
      Matcher: { HttpCode: '200' },
    });
    expect(attributes(tg.TargetGroupAttributes)).to.deep.equal({
      'deregistration_delay.timeout_seconds': '12',
      'load_balancing.algorithm.type': 'least_outstanding_requests',
    });
    const alb = attributes(tuned.Resources[ROLLING.LoadBalancer].Properties.LoadBalancerAttributes);
    expect(alb['idle_timeout.timeout_seconds']).to.equal('45');
    expect(alb['routing.http.drop_invalid_header_fields.enabled']).to.equal('true');
  });

  it('uses the default timings: 10 s interval, 2 healthy checks, 30 s draining', () => {
    const tg = t.Resources[ROLLING.TargetGroup].Properties;
    expect([
      tg.HealthCheckIntervalSeconds,
      tg.HealthyThresholdCount,
      tg.UnhealthyThresholdCount,
    ]).to.deep.equal([10, 2, 3]);
    expect(attributes(tg.TargetGroupAttributes)['deregistration_delay.timeout_seconds']).to.equal('30');
  });

  it('takes the service counts and alarm thresholds from the config', () => {
    const changed = generated('service-rolling', {
      service: {
        desiredCount: 3,
        minimumHealthyPercent: 50,
        maximumPercent: 150,
        healthCheckGracePeriodSeconds: 9,
      },
      alarms: { target5xxThreshold: 11, periodSeconds: 30, evaluationPeriods: 2 },
    });
    const props = changed.Resources[ROLLING.Service].Properties;
    expect([props.DesiredCount, props.HealthCheckGracePeriodSeconds]).to.deep.equal([3, 9]);
    expect(props.DeploymentConfiguration.MinimumHealthyPercent).to.equal(50);
    expect(props.DeploymentConfiguration.MaximumPercent).to.equal(150);
    const alarm = changed.Resources[ROLLING.Target5xxAlarm].Properties;
    expect([alarm.Threshold, alarm.Period, alarm.EvaluationPeriods]).to.deep.equal([11, 30, 2]);
  });

  it('serves HTTPS on 443 and redirects 80 when a certificate is configured', () => {
    const tls = generated('service-rolling', { loadBalancer: { certificateArn: CERT } });
    const https = tls.Resources[ROLLING.HttpsListener].Properties;
    expect(https).to.deep.include({ Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERT }] });
    expect(https.DefaultActions).to.deep.equal([
      { Type: 'forward', TargetGroupArn: { Ref: ROLLING.TargetGroup } },
    ]);
    expect(tls.Resources[ROLLING.HttpListener].Properties.DefaultActions[0].Type).to.equal('redirect');
    expect(tls.Resources[ROLLING.Service].DependsOn).to.deep.equal([
      ROLLING.HttpListener,
      ROLLING.HttpsListener,
    ]);
  });

  it('outputs the /version URL and the service name', () => {
    expect(Object.keys(t.Outputs)).to.deep.equal(Object.keys(EXPORTS['service-rolling']));
    expect(t.Outputs.LoadBalancerUrl.Value).to.deep.equal({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
      'Fn::Sub': 'http://${RollingLoadBalancer.DNSName}/version',
    });
  });

  it('uses the container port from the config everywhere', () => {
    const other = generated('service-rolling', { container: { port: 3000 } });
    const ports = [
      other.Resources[ROLLING.TargetGroup].Properties.Port,
      other.Resources[ROLLING.Service].Properties.LoadBalancers[0].ContainerPort,
      other.Resources[ROLLING.TaskDefinition].Properties.ContainerDefinitions[0].PortMappings[0]
        .ContainerPort,
    ];
    expect(ports).to.deep.equal([3000, 3000, 3000]);
    expect((other.Resources as Record<string, Json>)[ROLLING.HttpListener].Properties.Port).to.equal(80);
  });
});
