/**
 * Every AWS name this project gives, derived from the config in one place, so the templates,
 * serverless.ts, the build artifacts and the scripts can never disagree on a name.
 */
import type { PlaygroundConfig } from './schema';

/** The CloudFormation stacks this project generates, in deployment order. */
export const STACKS = [
  'network',
  'registry',
  'cluster',
  'pipelines',
  'service-rolling',
  'service-bluegreen',
] as const;
export type StackId = (typeof STACKS)[number];

/** The stacks that run the app: each is a load-balanced Fargate service taking the `ImageUri` parameter. */
export const SERVICE_STACKS = ['service-rolling', 'service-bluegreen'] as const satisfies readonly StackId[];
export type ServiceStackId = (typeof SERVICE_STACKS)[number];

export function isServiceStack(stack: StackId): stack is ServiceStackId {
  return (SERVICE_STACKS as readonly StackId[]).includes(stack);
}

export interface Names {
  /** `<app>-<stage>`: the prefix of every name. */
  prefix: string;
  stackName(stack: StackId): string;
  /** Export name of an output of one of our stacks: `<stack name>:<output>`. */
  exportName(stack: StackId, output: string): string;
  ecrRepository: string;
  cluster: string;
  appLogGroup: string;
  rolling: {
    service: string;
    taskFamily: string;
    loadBalancer: string;
    targetGroup: string;
    pipeline: string;
  };
  blueGreen: {
    service: string;
    taskFamily: string;
    loadBalancer: string;
    blueTargetGroup: string;
    greenTargetGroup: string;
    codeDeployApplication: string;
    deploymentGroup: string;
    pipeline: string;
  };
  /**
   * ECS's built-in canary (deployment controller ECS, strategy CANARY) on its own ALB stack. No
   * generator deploys it yet; `npm run status` and `npm run watch` already look for it.
   */
  ecsCanary: {
    stackName: string;
    service: string;
    pipeline: string;
  };
  codeBuildProject: string;
  /** `CodeDeployHook_…`: AWSCodeDeployRoleForECSLimited may only invoke functions named so. */
  hookFunction: string;
  /** Serverless Framework service of the hook; its stack is `<service>-<stage>`. */
  hookService: string;
  hookStackName: string;
  /** Lambda's own log group name for the hook: `/aws/lambda/<function>`. */
  hookLogGroup: string;
}

export function namesFor(config: PlaygroundConfig): Names {
  const prefix = `${config.app.name}-${config.app.stage}`;
  const stackName = (stack: StackId) => `${prefix}-${stack}`;
  const hookService = `${config.app.name}-hook`;
  const hookFunction = `CodeDeployHook_${prefix}`;
  return {
    prefix,
    stackName,
    exportName: (stack, output) => `${stackName(stack)}:${output}`,
    ecrRepository: prefix,
    cluster: prefix,
    appLogGroup: `/ecs/${prefix}`,
    rolling: {
      service: `${prefix}-rolling`,
      taskFamily: `${prefix}-rolling`,
      loadBalancer: `${prefix}-rolling`,
      targetGroup: `${prefix}-rolling`,
      pipeline: `${prefix}-rolling`,
    },
    blueGreen: {
      service: `${prefix}-bluegreen`,
      taskFamily: `${prefix}-bluegreen`,
      loadBalancer: `${prefix}-bg`,
      blueTargetGroup: `${prefix}-blue`,
      greenTargetGroup: `${prefix}-green`,
      codeDeployApplication: prefix,
      deploymentGroup: `${prefix}-bluegreen`,
      pipeline: `${prefix}-bluegreen`,
    },
    ecsCanary: {
      stackName: `${prefix}-service-canary`,
      service: `${prefix}-canary`,
      pipeline: `${prefix}-canary`,
    },
    codeBuildProject: prefix,
    hookFunction,
    hookService,
    hookStackName: `${hookService}-${config.app.stage}`,
    hookLogGroup: `/aws/lambda/${hookFunction}`,
  };
}
