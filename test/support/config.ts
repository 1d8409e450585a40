/**
 * Tests are hermetic: they never read the developer's or the environment's config
 * (playground.config.json, PLAYGROUND_*). They build configs from the defaults here, and start child
 * processes (synth, sls, deploy) with an environment that names exactly the config those must load.
 */
import { join } from 'node:path';
import {
  DEFAULT_CONFIG,
  deepMerge,
  envWithConfig,
  type PlaygroundConfig,
  validateConfig,
} from '../../config';

/** The defaults with `overrides` merged in, validated: never a file, never the environment. */
export function configWith(overrides: unknown = {}): PlaygroundConfig {
  return validateConfig(deepMerge(DEFAULT_CONFIG, overrides));
}

/**
 * `process.env` for a child process that must load `config` (the defaults unless given), whatever
 * playground.config.json the checkout holds and whatever PLAYGROUND_* the suite runs under.
 */
export function hermeticEnv(
  config: PlaygroundConfig = DEFAULT_CONFIG,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...envWithConfig(process.env, config), ...extra };
}

/**
 * A non-default, valid config in every form the loader reads. test/support/setup.ts installs it for
 * the whole suite (unless the environment already sets one), so a test that reads the environment's
 * config - itself or through a child process that inherits the environment - sees stage "prod",
 * region eu-central-1, port 3000, 3 tasks, and fails its default-based expectations: the suite's
 * hermeticity is checked on every run, at no cost. (The CodeBuild replay test adds a real
 * playground.config.json in a copy of the repository.)
 */
export const HOSTILE_CONFIG = {
  app: { stage: 'staging', region: 'eu-west-1' },
  github: { owner: 'hermeticity-tripwire' },
  container: { port: 3000 },
  service: { desiredCount: 3 },
  network: { natGateways: true },
} as const;

export const HOSTILE_ENV: Readonly<Record<string, string>> = {
  PLAYGROUND_CONFIG_JSON: JSON.stringify(HOSTILE_CONFIG),
  PLAYGROUND_CONFIG: join(__dirname, 'hostile.config.json'),
  PLAYGROUND_STAGE: 'prod',
  PLAYGROUND_REGION: 'eu-central-1',
};
