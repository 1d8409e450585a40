/**
 * The config defaults the app falls back to when a variable of the environment contract is unset.
 *
 * They come from DEFAULT_CONFIG (one source of truth), but the bundle must not carry the config
 * module: it validates with zod, and building that schema at startup costs about as much as the
 * whole rest of the app. So scripts/bundle/app.ts replaces this module in the bundle with its
 * computed values (see `appDefaultsModule`), and tests check the two agree.
 */
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../config';

export interface AppDefaults {
  port: number;
  albIdleTimeoutSeconds: number;
  stopTimeoutSeconds: number;
}

export function appDefaults(config: PlaygroundConfig): AppDefaults {
  return {
    port: config.container.port,
    albIdleTimeoutSeconds: config.loadBalancer.idleTimeoutSeconds,
    stopTimeoutSeconds: config.container.stopTimeoutSeconds,
  };
}

export const APP_DEFAULTS: AppDefaults = appDefaults(DEFAULT_CONFIG);
