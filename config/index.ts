export * from './allowed';
export * from './contracts/app';
export * from './contracts/build';
export * from './contracts/config';
export * from './contracts/hook';
export { DEFAULT_CONFIG } from './defaults';
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
  SERVICE_STACKS,
  type ServiceStackId,
  STACKS,
  type StackId,
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
