export * from './allowed';
export { APP_ENV, appEnvironment } from './app-env';
export { DEFAULT_CONFIG } from './defaults';
export {
  CONFIG_ENV,
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
export { type Names, namesFor, STACKS, type StackId, TEST_LISTENER_TOKEN_HEADER } from './names';
export {
  type ConfigOverrides,
  type CustomDeploymentConfig,
  configSchema,
  isKnownRegion,
  PLACEHOLDER_GITHUB_OWNER,
  type PlaygroundConfig,
} from './schema';
