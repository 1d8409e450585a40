/**
 * The two roles ECS assumes for the canary service, beside it as codedeploy.ts is beside the
 * blue/green one:
 *
 * - the infrastructure role for load balancers, with which ECS moves the production and test listener
 *   rules between the two target groups and (de)registers the tasks. It holds the statements of AWS's
 *   AmazonECSInfrastructureRolePolicyForLoadBalancers (the policy AWS documents for this role:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html,
 *   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForLoadBalancers.html),
 *   each narrowed from every load balancer of the account to this stack's own listeners, rules and
 *   target groups; the Describe* actions have no resource-level permissions and stay on "*".
 * - the role with which ECS invokes the lifecycle hook: lambda:InvokeFunction on the hook function
 *   only (AWS documents the action, on every function:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-permissions.html).
 *
 * Neither trust policy has a confused-deputy condition: AWS documents none for ecs.amazonaws.com
 * (see TRUSTED_SERVICES in iam.ts).
 */
import { Fn, IAM, type Value } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { tags } from './common';
import { anyResourceStatement, policyDocument, trustPolicy } from './iam';
import { accountArn } from './intrinsics';

/** Logical IDs of the roles and of the load balancer resources the infrastructure role may change. */
export interface EcsCanaryRoleIds {
  LoadBalancerRole: string;
  HookInvokeRole: string;
  PrimaryTargetGroup: string;
  AlternateTargetGroup: string;
  TestListener: string;
  ProductionRule: string;
  TestRule: string;
}

/** The hook function's ARN: the function serverless.ts deploys under names.hookFunction. */
export function hookFunctionArn(config: PlaygroundConfig): Value<string> {
  return accountArn('lambda', `function:${namesFor(config).hookFunction}`);
}

/** Both roles, by logical ID; `productionListenerId` is the listener that carries production traffic. */
export function ecsCanaryRoles(
  config: PlaygroundConfig,
  ids: EcsCanaryRoleIds,
  productionListenerId: string,
): Record<string, IAM.Role> {
  return {
    [ids.LoadBalancerRole]: loadBalancerRole(config, ids, productionListenerId),
    [ids.HookInvokeRole]: hookInvokeRole(config),
  };
}

function loadBalancerRole(config: PlaygroundConfig, ids: EcsCanaryRoleIds, productionListenerId: string) {
  const names = namesFor(config);
  return new IAM.Role({
    Description: `ECS moving ${names.ecsCanary.service}'s listener rules between its two target groups`,
    AssumeRolePolicyDocument: trustPolicy('ecs.amazonaws.com', 'none'),
    Policies: [
      {
        PolicyName: 'canary-load-balancer',
        PolicyDocument: policyDocument([
          // The managed policy's ELBReadOperations (Describe* has no resource-level permissions).
          anyResourceStatement('ReadLoadBalancing', [
            'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeRules',
            'elasticloadbalancing:DescribeTargetGroups',
            'elasticloadbalancing:DescribeTargetHealth',
          ]),
          {
            // The managed policy's TargetGroupOperations, on this stack's two target groups only.
            Sid: 'RegisterCanaryTargets',
            Effect: 'Allow',
            Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
            Resource: [Fn.Ref(ids.PrimaryTargetGroup), Fn.Ref(ids.AlternateTargetGroup)],
          },
          {
            // The managed policy's ALBModifyRules: the two rules ECS re-weights at each traffic shift.
            Sid: 'ShiftCanaryRules',
            Effect: 'Allow',
            Action: 'elasticloadbalancing:ModifyRule',
            Resource: [Fn.Ref(ids.ProductionRule), Fn.Ref(ids.TestRule)],
          },
          {
            // The managed policy's ALBModifyListeners, for a route given as a listener rather than a
            // rule; held to this stack's production and test listeners.
            Sid: 'ModifyCanaryListeners',
            Effect: 'Allow',
            Action: 'elasticloadbalancing:ModifyListener',
            Resource: [Fn.Ref(productionListenerId), Fn.Ref(ids.TestListener)],
          },
        ]),
      },
    ],
    Tags: tags(config),
  });
}

function hookInvokeRole(config: PlaygroundConfig) {
  const names = namesFor(config);
  return new IAM.Role({
    Description: `ECS invoking ${names.hookFunction} during ${names.ecsCanary.service}'s deployments`,
    AssumeRolePolicyDocument: trustPolicy('ecs.amazonaws.com', 'none'),
    Policies: [
      {
        PolicyName: 'invoke-hook',
        PolicyDocument: policyDocument([
          {
            Sid: 'InvokeHook',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            // The unqualified ARN ($LATEST): serverless.ts keeps no numbered versions.
            Resource: hookFunctionArn(config),
          },
        ]),
      },
    ],
    Tags: tags(config),
  });
}
