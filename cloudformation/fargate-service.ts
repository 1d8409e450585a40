/**
 * The load-balanced Fargate service every service stack is built on (in the spirit of CDK's
 * ecs-patterns base): the ALB and its production listeners, the target groups, the task definition,
 * the alarms that stop a bad release, and the ECS service that joins them, all from the network and
 * cluster stacks' exports. A service stack adds only what its deployment strategy needs: the
 * controller and deployment configuration, listeners of its own (a test listener), and resources
 * beside the service (CodeDeploy's application and deployment group, …).
 *
 * Resources come out in one order (load balancer, target groups, listeners, task definition, alarms,
 * service) so that every service template reads the same way.
 */
import { ECS, type ElasticLoadBalancingV2, Fn, Refs, type Template, type Value } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { type AlarmedTargetGroup, serviceAlarms } from './alarms';
import { importValue, tags } from './common';
import {
  applicationLoadBalancer,
  type LoadBalancerIds,
  productionListenerId,
  productionListeners,
} from './load-balancer';
import { targetGroup } from './target-group';
import { taskDefinitionProperties } from './task-definition';

/** The one parameter of each service stack; the deploy script (scripts/deploy/plan.ts) supplies it. */
export const IMAGE_PARAMETER = 'ImageUri';

export const imageParameter: NonNullable<Template['Parameters']> = {
  [IMAGE_PARAMETER]: {
    Type: 'String',
    // The deploy script passes the image currently running, so a stack update never rolls a service
    // back to an older image; the first deploy passes the image the first build pushed.
    Description:
      'Full image URI with its commit tag, e.g. <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<commit>',
    MinLength: 1,
  },
};

/** Logical IDs every load-balanced service stack has (each stack passes its own). */
export interface ServiceIds extends LoadBalancerIds {
  TaskDefinition: string;
  Service: string;
  LoadBalancer5xxAlarm: string;
}

/** One target group of the service, named, with the logical IDs of its alarms. */
export interface ServiceTargetGroup extends AlarmedTargetGroup {
  name: string;
}

type ServiceProperties = ECS.Service['Properties'];
type Listener =
  | ElasticLoadBalancingV2.Listener
  | ElasticLoadBalancingV2.ListenerRule
  | ElasticLoadBalancingV2.TargetGroup;

/**
 * The ECS service's DeploymentConfiguration, with the properties of ECS's built-in blue/green, linear
 * and canary deployments (2025) that CloudFormation (and cfn-lint's schema) has and cloudform's 2023
 * types lack.
 */
export type DeploymentConfiguration = NonNullable<ServiceProperties['DeploymentConfiguration']> & {
  Strategy?: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  BakeTimeInMinutes?: number;
  CanaryConfiguration?: { CanaryPercent?: number; CanaryBakeTimeInMinutes?: number };
  LinearConfiguration?: { StepPercent?: number; StepBakeTimeInMinutes?: number };
  LifecycleHooks?: {
    HookTargetArn: Value<string>;
    RoleArn: Value<string>;
    LifecycleStages: string[];
    HookDetails?: unknown;
  }[];
};

/** `LoadBalancers[].AdvancedConfiguration` of ECS's built-in blue/green, linear and canary deployments. */
export interface AdvancedLoadBalancerConfiguration {
  AlternateTargetGroupArn: Value<string>;
  ProductionListenerRule?: Value<string>;
  TestListenerRule?: Value<string>;
  /** The infrastructure role ECS uses to move the listener rules between the target groups. */
  RoleArn?: Value<string>;
}

/** What a deployment strategy decides about the service; everything else is shared. */
export interface DeploymentStrategy {
  controller: 'ECS' | 'CODE_DEPLOY';
  /**
   * `revision`: the service names the stack's revision (ECS deploys new ones itself).
   * `family`: the service names the family, so no stack update ever changes the task definition of a
   * service whose deployments another controller owns (see taskDefinitionReference).
   */
  taskDefinition: 'revision' | 'family';
  /** The service's DeploymentConfiguration, given the logical IDs of the service's alarms. */
  configuration?: (alarmIds: string[]) => DeploymentConfiguration;
  /** For ECS's own blue/green, linear and canary: the alternate target group and listener rules. */
  advancedConfiguration?: AdvancedLoadBalancerConfiguration;
  /**
   * Listeners and rules of the strategy's own (a test listener, and the target group its default
   * forwards to), placed after the production ones.
   */
  listeners?: Record<string, Listener>;
  /** Resources the service must wait for besides its production listeners (a test listener). */
  dependsOn?: string[];
}

export interface LoadBalancedServiceSpec {
  ids: ServiceIds;
  names: { service: string; taskFamily: string; loadBalancer: string };
  /** awslogs stream prefix: streams are `<prefix>/<container>/<task id>`. */
  logStreamPrefix: string;
  /** The first one serves production traffic when the stack is created. */
  targetGroups: readonly [ServiceTargetGroup, ...ServiceTargetGroup[]];
  strategy: DeploymentStrategy;
}

export interface LoadBalancedService {
  resources: NonNullable<Template['Resources']>;
  /** The alarms that stop a bad release, in template order. */
  alarmIds: string[];
  /** The listener that carries production traffic (443 with a certificate, else 80). */
  productionListenerId: string;
}

export function loadBalancedFargateService(
  config: PlaygroundConfig,
  spec: LoadBalancedServiceSpec,
): LoadBalancedService {
  const { ids, names, strategy } = spec;
  const listeners = productionListeners(config, ids, Fn.Ref(spec.targetGroups[0].id));
  const alarms = serviceAlarms(config, {
    service: names.service,
    loadBalancerId: ids.LoadBalancer,
    loadBalancer5xxAlarm: ids.LoadBalancer5xxAlarm,
    targetGroups: spec.targetGroups,
    // The only target groups among the strategy's own listeners are dead ends (deadEndForward).
    deadEnd: Object.values(strategy.listeners ?? {}).some(
      (r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup',
    ),
  });
  const alarmIds = Object.keys(alarms);
  return {
    resources: {
      [ids.LoadBalancer]: applicationLoadBalancer(config, names.loadBalancer),
      ...Object.fromEntries(spec.targetGroups.map((tg) => [tg.id, targetGroup(config, tg.name)])),
      ...listeners,
      ...strategy.listeners,
      [ids.TaskDefinition]: taskDefinition(config, names.taskFamily, spec.logStreamPrefix),
      ...alarms,
      [ids.Service]: ecsService(config, spec, alarmIds).dependsOn([
        // The family must exist before a service that names it; a service with a load balancer fails
        // to create while its target group has no listener.
        ...(strategy.taskDefinition === 'family' ? [ids.TaskDefinition] : []),
        ...Object.keys(listeners),
        ...(strategy.dependsOn ?? []),
      ]),
    },
    alarmIds,
    productionListenerId: productionListenerId(config, ids),
  };
}

function ecsService(
  config: PlaygroundConfig,
  spec: LoadBalancedServiceSpec,
  alarmIds: string[],
): ECS.Service {
  const { service, container } = config;
  const names = namesFor(config);
  const configuration = spec.strategy.configuration?.(alarmIds);
  const advanced = spec.strategy.advancedConfiguration;
  // cloudform's 2023 types lack the 2025 deployment properties (see DeploymentConfiguration): the one cast.
  return new ECS.Service({
    ServiceName: spec.names.service,
    Cluster: importValue(names, 'cluster', 'ClusterName'),
    LaunchType: 'FARGATE',
    TaskDefinition: taskDefinitionReference(spec),
    DesiredCount: service.desiredCount,
    DeploymentController: { Type: spec.strategy.controller },
    ...(configuration ? { DeploymentConfiguration: configuration } : {}),
    HealthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    LoadBalancers: [
      {
        ContainerName: container.name,
        ContainerPort: container.port,
        TargetGroupArn: Fn.Ref(spec.targetGroups[0].id),
        ...(advanced ? { AdvancedConfiguration: advanced } : {}),
      },
    ],
    NetworkConfiguration: taskNetworkConfiguration(config),
    // Tasks carry the service's tags, so cost reports see them.
    PropagateTags: 'SERVICE',
    EnableECSManagedTags: true,
    Tags: tags(config),
  } as ServiceProperties);
}

function taskDefinitionReference(spec: LoadBalancedServiceSpec): Value<string> {
  // The revision: later revisions come from the pipeline's ECS deploy action; the stack passes the
  // running image (ImageUri), so an update of the stack never rolls the service back.
  if (spec.strategy.taskDefinition === 'revision') return Fn.Ref(spec.ids.TaskDefinition);
  // The task definition FAMILY, not a Ref to the revision: this property's value then never changes,
  // so no stack update ever asks CloudFormation to change the task definition of a CODE_DEPLOY
  // service ("Unable to update task definition on services with a CODE_DEPLOY deployment
  // controller"). New revisions reach the service only through CodeDeploy. At creation the family
  // resolves to its latest ACTIVE revision, which DependsOn guarantees is ours. (CDK renders
  // CODE_DEPLOY services the same way.)
  return spec.names.taskFamily;
}

function taskDefinition(
  config: PlaygroundConfig,
  family: string,
  logStreamPrefix: string,
): ECS.TaskDefinition {
  const names = namesFor(config);
  return new ECS.TaskDefinition({
    ...taskDefinitionProperties(config, {
      family,
      image: Fn.Ref(IMAGE_PARAMETER),
      executionRoleArn: importValue(names, 'cluster', 'ExecutionRoleArn'),
      taskRoleArn: importValue(names, 'cluster', 'TaskRoleArn'),
      logGroupName: importValue(names, 'cluster', 'LogGroupName'),
      region: Refs.Region,
      logStreamPrefix,
    }),
    Tags: tags(config),
  });
}

/** awsvpc placement: the network stack decides the subnets and whether tasks get a public IP. */
function taskNetworkConfiguration(config: PlaygroundConfig) {
  const names = namesFor(config);
  return {
    AwsvpcConfiguration: {
      Subnets: Fn.Split(',', importValue(names, 'network', 'TaskSubnetIds')),
      SecurityGroups: [importValue(names, 'network', 'TaskSecurityGroupId')],
      AssignPublicIp: importValue(names, 'network', 'TaskAssignPublicIp'),
    },
  };
}
