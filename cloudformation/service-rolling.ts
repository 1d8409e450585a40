/**
 * The rolling service stack (target of pipeline 1): ALB 1 with one target group, and an ECS service
 * with the ECS deployment controller. A release replaces tasks in place (min 100 % / max 200 %) and
 * rolls back on its own through the deployment circuit breaker and the deployment alarms.
 */
import { ECS, Fn, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { loadBalancer5xxAlarm, targetGroupAlarm } from './alarms';
import { exportedOutputs, importValue, tags, template } from './common';
import { imageParameter, taskDefinition, taskNetworkConfiguration } from './ecs-service';
import { applicationLoadBalancer, productionListeners, versionUrl } from './load-balancer';
import { targetGroup } from './target-group';

export const ROLLING = {
  LoadBalancer: 'RollingLoadBalancer',
  HttpListener: 'RollingHttpListener',
  HttpsListener: 'RollingHttpsListener',
  TargetGroup: 'RollingTargetGroup',
  TaskDefinition: 'RollingTaskDefinition',
  Service: 'RollingService',
  Target5xxAlarm: 'RollingTarget5xxAlarm',
  UnhealthyHostsAlarm: 'RollingUnhealthyHostsAlarm',
  LoadBalancer5xxAlarm: 'RollingLoadBalancer5xxAlarm',
} as const;

/** awslogs stream prefix of the rolling tasks: streams are `rolling/<container>/<task id>`. */
export const ROLLING_LOG_PREFIX = 'rolling';

export function serviceRollingTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  const { service, container } = config;
  const listeners = productionListeners(config, ROLLING, Fn.Ref(ROLLING.TargetGroup));
  const alarmIds = [ROLLING.Target5xxAlarm, ROLLING.UnhealthyHostsAlarm, ROLLING.LoadBalancer5xxAlarm];
  const what = names.rolling.service;

  const resources: NonNullable<Template['Resources']> = {
    [ROLLING.LoadBalancer]: applicationLoadBalancer(config, names.rolling.loadBalancer),
    [ROLLING.TargetGroup]: targetGroup(config, names.rolling.targetGroup),
    ...listeners,
    [ROLLING.TaskDefinition]: taskDefinition(config, names.rolling.taskFamily, ROLLING_LOG_PREFIX),
    [ROLLING.Target5xxAlarm]: targetGroupAlarm(config, {
      name: `${names.rolling.service}-target-5xx`,
      metric: 'HTTPCode_Target_5XX_Count',
      loadBalancerId: ROLLING.LoadBalancer,
      targetGroupId: ROLLING.TargetGroup,
      what,
    }),
    [ROLLING.UnhealthyHostsAlarm]: targetGroupAlarm(config, {
      name: `${names.rolling.service}-unhealthy-hosts`,
      metric: 'UnHealthyHostCount',
      loadBalancerId: ROLLING.LoadBalancer,
      targetGroupId: ROLLING.TargetGroup,
      what,
    }),
    [ROLLING.LoadBalancer5xxAlarm]: loadBalancer5xxAlarm(config, {
      name: `${names.rolling.service}-elb-5xx`,
      loadBalancerId: ROLLING.LoadBalancer,
      what,
    }),
    [ROLLING.Service]: new ECS.Service({
      ServiceName: names.rolling.service,
      Cluster: importValue(names, 'cluster', 'ClusterName'),
      LaunchType: 'FARGATE',
      // The pipeline's ECS deploy action registers later revisions; the stack passes the running
      // image (ImageUri) so an update of this stack never rolls the service back.
      TaskDefinition: Fn.Ref(ROLLING.TaskDefinition),
      DesiredCount: service.desiredCount,
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: {
        // 100/200 by default: all new tasks start before an old one stops (config/defaults.ts).
        MinimumHealthyPercent: service.minimumHealthyPercent,
        MaximumPercent: service.maximumPercent,
        // Tasks that never become healthy fail the deployment, which then rolls back by itself.
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        // Healthy tasks that answer 5xx (or drop out) trip an alarm: ECS rolls back to the last release.
        Alarms: { AlarmNames: alarmIds.map((id) => Fn.Ref(id)), Enable: true, Rollback: true },
      },
      HealthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      LoadBalancers: [
        {
          ContainerName: container.name,
          ContainerPort: container.port,
          TargetGroupArn: Fn.Ref(ROLLING.TargetGroup),
        },
      ],
      NetworkConfiguration: taskNetworkConfiguration(config),
      // Tasks carry the service's tags, so cost reports see them.
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
      Tags: tags(config),
      // A service with a load balancer fails to create while its target group has no listener.
    }).dependsOn(Object.keys(listeners)),
  };

  return template(`${names.prefix} rolling service: ALB, target group, ECS service (ECS deployments).`, {
    Parameters: imageParameter,
    Resources: resources,
    Outputs: exportedOutputs(names, 'service-rolling', {
      ServiceName: {
        value: Fn.GetAtt(ROLLING.Service, 'Name'),
        description: 'ECS service of the rolling pipeline',
      },
      LoadBalancerUrl: { value: versionUrl(ROLLING), description: 'GET it to see the running version' },
    }),
  });
}
