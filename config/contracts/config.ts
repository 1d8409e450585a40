/**
 * The environment variables the config loader reads (config/load.ts), in its documented order; their
 * names are defined here and nowhere else. The CodeBuild project sets the first one (BUILD_ENV.config).
 */
export const CONFIG_ENV = {
  /** The overrides document as JSON (set on the CodeBuild project; wins over any file). */
  json: 'PLAYGROUND_CONFIG_JSON',
  /** Path of the overrides file, instead of playground.config.json. */
  file: 'PLAYGROUND_CONFIG',
  stage: 'PLAYGROUND_STAGE',
  region: 'PLAYGROUND_REGION',
} as const;
