export * from './allowed';
export {
  BUILD_PHASES,
  type BuildPhase,
  buildSeconds,
  GATE_WAIT_MARGIN_SECONDS,
  gateWaitSeconds,
  reuseBuildSeconds,
} from './build-phases';
export * from './contracts/app';
export * from './contracts/build';
export * from './contracts/config';
export * from './contracts/hook';
export { DEFAULT_CONFIG } from './defaults';
export { ECS_CANARY_OVERHEAD_MINUTES, type EcsCanaryConfig, ecsCanaryMinutes } from './ecs-canary';
export {
  CONFIG_FILE_NAME,
  ConfigError,
  deepMerge,
  envWithConfig,
  type LoadOptions,
  loadConfig,
  REPO_ROOT,
  type ResolvedConfig,
  resolveConfig,
  validateConfig,
} from './load';
export {
  isServiceStack,
  type Names,
  namesFor,
  needsHook,
  runs,
  SERVICE_STACKS,
  type ServiceStackId,
  STACKS,
  STRATEGY_IDS,
  STRATEGY_STACKS,
  type StackId,
  type StrategyId,
  serviceOf,
  serviceStacksFor,
  stacksFor,
  strategyPipeline,
} from './names';
export { RANGES, type Range } from './ranges';
export {
  type ConfigOverrides,
  type CustomDeploymentConfig,
  configSchema,
  isKnownRegion,
  PLACEHOLDER_GITHUB_OWNER,
  type PlaygroundConfig,
} from './schema';
