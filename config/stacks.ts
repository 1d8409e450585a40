/**
 * The ids of the stacks this project generates and of its deployment strategies: plain constants
 * that the schema validates `app.strategies` against and that names.ts derives every AWS name
 * from. They sit below both, so neither has to import the other to know them.
 */

/** The CloudFormation stacks this project generates, in deployment order. */
export const STACKS = [
  'network',
  'registry',
  'cluster',
  'pipelines',
  'service-rolling',
  'service-bluegreen',
  'service-canary',
] as const;
export type StackId = (typeof STACKS)[number];

/** The stacks that run the app: each is a load-balanced Fargate service taking the `ImageUri` parameter. */
export const SERVICE_STACKS = [
  'service-rolling',
  'service-bluegreen',
  'service-canary',
] as const satisfies readonly StackId[];
export type ServiceStackId = (typeof SERVICE_STACKS)[number];

export function isServiceStack(stack: StackId): stack is ServiceStackId {
  return (SERVICE_STACKS as readonly StackId[]).includes(stack);
}

/**
 * The deployment strategies, by the id `app.strategies` (and `npm run status`) uses, each with the
 * service stack that runs it: ECS rolling update, CodeDeploy blue/green, ECS's own canary.
 */
export const STRATEGY_STACKS = {
  rolling: 'service-rolling',
  bluegreen: 'service-bluegreen',
  canary: 'service-canary',
} as const satisfies Record<string, ServiceStackId>;
export type StrategyId = keyof typeof STRATEGY_STACKS;
export const STRATEGY_IDS = Object.keys(STRATEGY_STACKS) as [StrategyId, ...StrategyId[]];
