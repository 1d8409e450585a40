/**
 * The rolling service stack (target of pipeline 1): ALB 1 with one target group, and an ECS service
 * with the ECS deployment controller. A release replaces tasks in place (min 100 % / max 200 %) and
 * rolls back on its own through the deployment circuit breaker and the deployment alarms.
 */
import { Fn, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { exportedOutputs, template } from './common';
import { imageParameter, loadBalancedFargateService } from './fargate-service';
import { versionUrl } from './load-balancer';

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
  const { service } = config;
  const { resources } = loadBalancedFargateService(config, {
    ids: ROLLING,
    names: names.rolling,
    logStreamPrefix: ROLLING_LOG_PREFIX,
    targetGroups: [
      {
        id: ROLLING.TargetGroup,
        name: names.rolling.targetGroup,
        target5xxAlarm: ROLLING.Target5xxAlarm,
        unhealthyHostsAlarm: ROLLING.UnhealthyHostsAlarm,
      },
    ],
    strategy: {
      controller: 'ECS',
      taskDefinition: 'revision',
      configuration: (alarmIds) => ({
        // 100/200 by default: all new tasks start before an old one stops (config/defaults.ts).
        MinimumHealthyPercent: service.minimumHealthyPercent,
        MaximumPercent: service.maximumPercent,
        // Tasks that never become healthy fail the deployment, which then rolls back by itself.
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        // Healthy tasks that answer 5xx (or drop out) trip an alarm: ECS rolls back to the last release.
        Alarms: { AlarmNames: alarmIds.map((id) => Fn.Ref(id)), Enable: true, Rollback: true },
      }),
    },
  });

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
