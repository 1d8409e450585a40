export * from './allowed';
export { BUILD_PHASES, type BuildPhase, buildSeconds, reuseBuildSeconds } from './build-model';
export * from './contracts/app';
export * from './contracts/build';
export * from './contracts/config';
export * from './contracts/hook';
export * from './contracts/outcome';
export { DEFAULT_CONFIG } from './defaults';
export type { EcsCanaryConfig } from './ecs-canary';
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
  type Names,
  namesFor,
  needsHook,
  runs,
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
export {
  isServiceStack,
  SERVICE_STACKS,
  type ServiceStackId,
  STACKS,
  STRATEGY_IDS,
  STRATEGY_STACKS,
  type StackId,
  type StrategyId,
} from './stacks';
export { GATE_WAIT_MARGIN_SECONDS, gateWaitSeconds } from './timeouts';
