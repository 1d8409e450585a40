/**
 * The facts of one blue/green deployment that the hook's AWS stand-ins answer with: ids, ARNs, the
 * AppSpec, the target groups and the listener's forward action (aws.ts serves them).
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_CONFIG, namesFor } from '../../../config';

const names = namesFor(DEFAULT_CONFIG);

export const IDS = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'eyJleGVjdXRpb25JZCI6MX0=' };
export const APPLICATION = names.blueGreen.codeDeployApplication;
export const DEPLOYMENT_GROUP = names.blueGreen.deploymentGroup;
export const TASK_DEFINITION_ARN = `arn:aws:ecs:us-west-2:123456789012:task-definition/${names.blueGreen.taskFamily}:7`;
export const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/bg/50dc6c495c0c9188/f2f7dc8efc522ab2';
export const LB_ARN =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/bg/50dc6c495c0c9188';
export const SHA = '5f6b0b8c6a3d4e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071';
export const TOKEN = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
export const TOKEN_RULE_ARN = `${LISTENER_ARN.replace(':listener/', ':listener-rule/')}/9683b2d02a6cabee`;
export const CLUSTER = names.cluster;
export const SERVICE = names.blueGreen.service;
/** ECS deployment targets are named `<cluster>:<service>`. */
export const TARGET_ID = `${CLUSTER}:${SERVICE}`;
export const BLUE_TASK_SET = 'ecs-svc/1234567890123456789';
export const GREEN_TASK_SET = 'ecs-svc/9876543210987654321';
export const BLUE_TG = names.blueGreen.blueTargetGroup;
export const GREEN_TG = names.blueGreen.greenTargetGroup;
export const tgArn = (name: string) =>
  `arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/${name}/${name === BLUE_TG ? '6d0ecf831eec9f09' : '9e1fa2b3c4d5e6f7'}`;

/**
 * A header-token test listener's default action as DescribeListeners reports it: a plain forward to
 * the group that never has targets (cloudformation/load-balancer.ts deadEndForward).
 */
export function deadEndAction(targetGroupArn: string): Action {
  return {
    Type: 'forward',
    Order: 1,
    TargetGroupArn: targetGroupArn,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] },
  };
}

/** The appspec.yml CodePipeline's CodeDeployToECS sends, with <TASK_DEFINITION> substituted. */
export const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: ${TASK_DEFINITION_ARN}
        LoadBalancerInfo:
          ContainerName: ${DEFAULT_CONFIG.container.name}
          ContainerPort: ${DEFAULT_CONFIG.container.port}
Hooks:
  - BeforeAllowTraffic: ${names.hookFunction}
`;

export interface Deployment {
  /** Port of the 127.0.0.1 "load balancer" the test listener is. */
  port: number;
  imageTag?: string;
  codeVersionEnv?: string;
  /** undefined: an `open` test listener (no token rule). */
  token?: string;
  /** Header name as written in the rule (case differs from ours on purpose in some tests). */
  tokenHeaderName?: string;
  /**
   * How the deployment carries its AppSpec: an AppSpecContent revision (default), a String
   * revision, or an S3 revision (no content the hook can read: the task-set fallback).
   */
  revisionType?: 'AppSpecContent' | 'String' | 'S3';
  /**
   * Where the route the probes take (the token rule, or the default action of an open listener)
   * forwards: to green as CodeDeploy re-pointed it (default), or still to blue.
   */
  routeTo?: 'green' | 'blue';
  /** Re-pointed as a weighted forward (green 100, blue 0) instead of a plain one. */
  weighted?: boolean;
}

/** The route's forward action, as ELB describes it (a weighted forward lists both target groups). */
export function forwardAction(to: string, weighted = false): Action {
  if (!weighted) return { Type: 'forward', TargetGroupArn: tgArn(to), Order: 1 };
  const other = to === GREEN_TG ? BLUE_TG : GREEN_TG;
  return {
    Type: 'forward',
    Order: 1,
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: tgArn(to), Weight: 100 },
        { TargetGroupArn: tgArn(other), Weight: 0 },
      ],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

/** The discovery calls for IDS against these fixtures, sorted like sentCommands. */
export function discoveryCalls(revisionType: Deployment['revisionType'] = 'AppSpecContent'): string[] {
  const calls = [
    `GetDeployment {"deploymentId":"${IDS.DeploymentId}"}`,
    `GetDeploymentGroup {"applicationName":"${APPLICATION}","deploymentGroupName":"${DEPLOYMENT_GROUP}"}`,
    `ListDeploymentTargets {"deploymentId":"${IDS.DeploymentId}"}`,
    `GetDeploymentTarget {"deploymentId":"${IDS.DeploymentId}","targetId":"${TARGET_ID}"}`,
    `DescribeTaskDefinition {"taskDefinition":"${TASK_DEFINITION_ARN}"}`,
    `DescribeListeners {"ListenerArns":["${LISTENER_ARN}"]}`,
    `DescribeLoadBalancers {"LoadBalancerArns":["${LB_ARN}"]}`,
    `DescribeRules {"ListenerArn":"${LISTENER_ARN}"}`,
  ];
  if (revisionType === 'S3') {
    calls.push(
      `DescribeTaskSets {"cluster":"${CLUSTER}","service":"${SERVICE}","taskSets":["${GREEN_TASK_SET}"]}`,
    );
  } else {
    const stored = revisionType === 'String' ? 'string' : 'appSpecContent';
    calls.push(
      `GetApplicationRevision {"applicationName":"${APPLICATION}","revision":{"revisionType":"${revisionType}","${stored}":{"sha256":"${SHA}"}}}`,
    );
  }
  return calls.sort();
}

export function statusCall(status: 'Succeeded' | 'Failed'): string {
  return `PutLifecycleEventHookExecutionStatus ${JSON.stringify({
    deploymentId: IDS.DeploymentId,
    lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId,
    status,
  })}`;
}
