/**
 * Every AWS name this project gives, derived from the config in one place, so the templates,
 * serverless.ts, the build artifacts and the scripts can never disagree on a name.
 */
import type { PlaygroundConfig } from './schema';
import {
  isServiceStack,
  type ServiceStackId,
  STACKS,
  STRATEGY_IDS,
  STRATEGY_STACKS,
  type StackId,
  type StrategyId,
} from './stacks';

/** Whether the config runs a strategy (`app.strategies`). */
export function runs(config: Pick<PlaygroundConfig, 'app'>, strategy: StrategyId): boolean {
  return config.app.strategies.includes(strategy);
}

/** The stacks this config deploys, in deployment order: every shared stack, and the service stack of each strategy it runs. */
export function stacksFor(config: Pick<PlaygroundConfig, 'app'>): StackId[] {
  const off = new Set<StackId>(STRATEGY_IDS.filter((s) => !runs(config, s)).map((s) => STRATEGY_STACKS[s]));
  return STACKS.filter((stack) => !off.has(stack));
}

/** The service stacks this config deploys, in deployment order. */
export function serviceStacksFor(config: Pick<PlaygroundConfig, 'app'>): ServiceStackId[] {
  return stacksFor(config).filter(isServiceStack);
}

/**
 * Whether the config runs a strategy whose deployments call the hook (blue/green, ECS canary). The
 * hook's stack deploys either way: it also carries the release-outcome check every pipeline invokes.
 */
export function needsHook(config: Pick<PlaygroundConfig, 'app'>): boolean {
  return runs(config, 'bluegreen') || runs(config, 'canary');
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
    /** `header-token` only: the test listener's default forwards here, a group that never has targets. */
    testDefaultTargetGroup: string;
    codeDeployApplication: string;
    deploymentGroup: string;
    pipeline: string;
  };
  /** ECS's built-in canary (deployment controller ECS, strategy CANARY) on its own ALB stack. */
  ecsCanary: {
    stackName: string;
    service: string;
    taskFamily: string;
    loadBalancer: string;
    /** The two target groups ECS alternates between: the live revision's and the new one's. */
    primaryTargetGroup: string;
    alternateTargetGroup: string;
    /** The test listener's default forwards here, a group that never has targets (the ALB answers 503). */
    testDefaultTargetGroup: string;
    pipeline: string;
  };
  codeBuildProject: string;
  /**
   * `CodeDeployHook_…`: AWSCodeDeployRoleForECSLimited may only invoke functions named so. The ECS
   * canary's hook-invoke role names this one function, so the same name serves both.
   */
  hookFunction: string;
  /** Serverless Framework service of the hook; its stack is `<service>-<stage>`. */
  hookService: string;
  hookStackName: string;
  /** Lambda's own log group name for the hook: `/aws/lambda/<function>`. */
  hookLogGroup: string;
  /**
   * The release-outcome check (hook/outcome/), deployed with the hook: every pipeline's `Outcome`
   * action invokes it by this name.
   */
  outcomeFunction: string;
  outcomeLogGroup: string;
}

/** The pipeline that deploys a strategy. */
export function strategyPipeline(names: Names, strategy: StrategyId): string {
  const pipelines: Record<StrategyId, string> = {
    rolling: names.rolling.pipeline,
    bluegreen: names.blueGreen.pipeline,
    canary: names.ecsCanary.pipeline,
  };
  return pipelines[strategy];
}

/** The ECS service a service stack runs. */
export function serviceOf(names: Names, stack: ServiceStackId): string {
  const services: Record<ServiceStackId, string> = {
    'service-rolling': names.rolling.service,
    'service-bluegreen': names.blueGreen.service,
    'service-canary': names.ecsCanary.service,
  };
  return services[stack];
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
      // `0`: the group with zero targets (32 characters at most, the prefix may take 24).
      testDefaultTargetGroup: `${prefix}-bg-0`,
      codeDeployApplication: prefix,
      deploymentGroup: `${prefix}-bluegreen`,
      pipeline: `${prefix}-bluegreen`,
    },
    ecsCanary: {
      stackName: stackName('service-canary'),
      service: `${prefix}-canary`,
      taskFamily: `${prefix}-canary`,
      loadBalancer: `${prefix}-canary`,
      // `cnry`: target group names have 32 characters at most, and the prefix may take 24 of them.
      primaryTargetGroup: `${prefix}-cnry-a`,
      alternateTargetGroup: `${prefix}-cnry-b`,
      testDefaultTargetGroup: `${prefix}-cnry-0`,
      pipeline: `${prefix}-canary`,
    },
    codeBuildProject: prefix,
    hookFunction,
    hookService,
    hookStackName: `${hookService}-${config.app.stage}`,
    hookLogGroup: `/aws/lambda/${hookFunction}`,
    outcomeFunction: `${prefix}-release-outcome`,
    outcomeLogGroup: `/aws/lambda/${prefix}-release-outcome`,
  };
}
