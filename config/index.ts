export * from './allowed';
export * from './contracts/app';
export * from './contracts/build';
export * from './contracts/hook';
export { DEFAULT_CONFIG } from './defaults';
export { CONFIG_FILE_NAME, ConfigError, deepMerge, loadConfig, REPO_ROOT, validateConfig } from './load';
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
  PLACEHOLDER_GITHUB_OWNER,
  type PlaygroundConfig,
} from './schema';
