/**
 * CodeDeploy's side of the blue/green service: the application, the deployment configuration (a
 * predefined one, or the custom canary/linear one the config describes), the service role and the
 * deployment group that shifts traffic between the blue and green target groups.
 */
import { CodeDeploy, Fn, IAM, type Value } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { passTaskRoles } from './cluster';
import { importValue, tags } from './common';
import { policyDocument, trustPolicy } from './iam';
import { accountArn, sub } from './intrinsics';

/** Both events that roll a deployment back: a failed lifecycle hook/step, and a tripped alarm. */
export const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'];

/** AWS managed policy for CodeDeploy's ECS service role; may invoke only `CodeDeployHook_*` Lambdas. */
export const CODEDEPLOY_ECS_POLICY = 'AWSCodeDeployRoleForECSLimited';

/** Logical IDs of the CodeDeploy resources and of the service resources they point at. */
export interface CodeDeployIds {
  Application: string;
  DeploymentConfig: string;
  CodeDeployRole: string;
  DeploymentGroup: string;
  Service: string;
  BlueTargetGroup: string;
  GreenTargetGroup: string;
  TestListener: string;
}

/**
 * The name of the deployment configuration the deployment group uses: the predefined one the config
 * names, or the custom one `blueGreen.deploymentConfig` describes (which the blue/green stack creates).
 * The pipeline role's CodeDeploy permissions name the same configuration.
 */
export function deploymentConfigName(config: PlaygroundConfig): string {
  const chosen = config.blueGreen.deploymentConfig;
  return typeof chosen === 'string' ? chosen : chosen.name;
}

/** The custom deployment configuration the config describes, if it describes one. */
function customDeploymentConfig(config: PlaygroundConfig): CodeDeploy.DeploymentConfig | undefined {
  const chosen = config.blueGreen.deploymentConfig;
  if (typeof chosen === 'string') return undefined;
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
  return new CodeDeploy.DeploymentConfig({
    // Deployment config names are per account and region: the config's name must be unique there.
    DeploymentConfigName: deploymentConfigName(config),
    ComputePlatform: 'ECS',
    TrafficRoutingConfig: routing,
  });
}

/** The application, the deployment configuration (when custom), the service role and the group. */
export function codeDeployBlueGreen(
  config: PlaygroundConfig,
  ids: CodeDeployIds,
  service: { alarmIds: string[]; productionListenerId: string },
): Record<
  string,
  CodeDeploy.Application | CodeDeploy.DeploymentConfig | IAM.Role | CodeDeploy.DeploymentGroup
> {
  const names = namesFor(config);
  const custom = customDeploymentConfig(config);
  // A Ref to the custom configuration (its name) makes the group wait for it.
  const configName: Value<string> = custom ? Fn.Ref(ids.DeploymentConfig) : deploymentConfigName(config);
  return {
    [ids.Application]: new CodeDeploy.Application({
      ApplicationName: names.blueGreen.codeDeployApplication,
      ComputePlatform: 'ECS',
      Tags: tags(config),
    }),
    ...(custom ? { [ids.DeploymentConfig]: custom } : {}),
    [ids.CodeDeployRole]: serviceRole(config),
    [ids.DeploymentGroup]: deploymentGroup(config, ids, configName, service),
  };
}

function serviceRole(config: PlaygroundConfig): IAM.Role {
  const names = namesFor(config);
  const { codeDeployApplication, deploymentGroup } = names.blueGreen;
  return new IAM.Role({
    Description: `CodeDeploy shifting ${names.blueGreen.service} between blue and green`,
    // Only CodeDeploy acting for this deployment group may assume it (confused-deputy guard).
    AssumeRolePolicyDocument: trustPolicy('codedeploy.amazonaws.com', {
      sourceArn: accountArn('codedeploy', `deploymentgroup:${codeDeployApplication}/${deploymentGroup}`),
    }),
    // The Limited variant (not AWSCodeDeployRoleForECS): task sets, listeners/rules, alarms, and
    // lambda:InvokeFunction only on functions named CodeDeployHook_* (our hook is `hookFunction`).
    ManagedPolicyArns: [sub(`arn:\${AWS::Partition}:iam::aws:policy/${CODEDEPLOY_ECS_POLICY}`)],
    Policies: [
      {
        PolicyName: 'pass-task-roles',
        // CreateTaskSet passes the task definition's roles. The managed policy's iam:PassRole covers
        // only roles named ecsTaskExecutionRole / ECSTaskExecution*; ours have CloudFormation-generated
        // names, so exactly these two are allowed here.
        PolicyDocument: policyDocument([passTaskRoles(names)]),
      },
    ],
    Tags: tags(config),
  });
}

function deploymentGroup(
  config: PlaygroundConfig,
  ids: CodeDeployIds,
  configName: Value<string>,
  service: { alarmIds: string[]; productionListenerId: string },
): CodeDeploy.DeploymentGroup {
  const names = namesFor(config);
  return new CodeDeploy.DeploymentGroup({
    ApplicationName: Fn.Ref(ids.Application),
    DeploymentGroupName: names.blueGreen.deploymentGroup,
    ServiceRoleArn: Fn.GetAtt(ids.CodeDeployRole, 'Arn'),
    DeploymentConfigName: configName,
    DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
    BlueGreenDeploymentConfiguration: {
      // Shift as soon as the replacement is ready and the hooks passed. No WaitTimeInMinutes:
      // it is only valid with STOP_DEPLOYMENT, and KEEP_ALIVE is not valid for ECS.
      DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
      TerminateBlueInstancesOnDeploymentSuccess: {
        Action: 'TERMINATE',
        // Default 5 min (config/defaults.ts): a late alarm can still re-route instantly, without
        // the console's 60 min of doubled task cost per deploy.
        TerminationWaitTimeInMinutes: config.blueGreen.blueTerminationWaitMinutes,
      },
    },
    AutoRollbackConfiguration: { Enabled: true, Events: ROLLBACK_EVENTS },
    AlarmConfiguration: {
      Enabled: true,
      // A failing CloudWatch read must not let a deployment pass unwatched.
      IgnorePollAlarmFailure: false,
      Alarms: service.alarmIds.map((id) => ({ Name: Fn.Ref(id) })),
    },
    ECSServices: [
      {
        ClusterName: importValue(names, 'cluster', 'ClusterName'),
        ServiceName: Fn.GetAtt(ids.Service, 'Name'),
      },
    ],
    LoadBalancerInfo: {
      TargetGroupPairInfoList: [
        {
          TargetGroups: [
            { Name: Fn.GetAtt(ids.BlueTargetGroup, 'TargetGroupName') },
            { Name: Fn.GetAtt(ids.GreenTargetGroup, 'TargetGroupName') },
          ],
          ProdTrafficRoute: { ListenerArns: [Fn.Ref(service.productionListenerId)] },
          TestTrafficRoute: { ListenerArns: [Fn.Ref(ids.TestListener)] },
        },
      ],
    },
    Tags: tags(config),
  });
}
