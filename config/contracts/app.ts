/**
 * The app's contract with the rest of the kit: the environment the task definition sets from the
 * config (the app reads it back, falling back to the same config defaults, app/settings.ts), and the
 * routes other layers call (the ALB health check is `healthCheck.path`, the hook probes VERSION_PATH).
 *
 * Imported by the app's bundle: it must stay free of the config loader (and zod), so it imports
 * only types and plain data.
 */
import { RANGES, type Range } from '../ranges';
import type { PlaygroundConfig } from '../schema';

export const APP_ENV = {
  /** Port the server listens on. */
  port: 'PORT',
  /** Running code version; the image sets it from the COMMIT_HASH build arg. */
  codeVersion: 'CODE_VERSION',
  /** The ALB idle timeout; the server's keep-alive timeout must be longer (else 502s). */
  albIdleTimeoutSeconds: 'ALB_IDLE_TIMEOUT_SECONDS',
  /** ECS stop timeout; the server must finish draining before it. */
  stopTimeoutSeconds: 'STOP_TIMEOUT_SECONDS',
  /** `true` makes `GET /` answer 500 (simulated unhealthy release); `/version` keeps working. */
  simulateUnhealthy: 'SIMULATE_UNHEALTHY',
} as const;

/** The bounds of the numeric variables: those of the config values they are rendered from. */
export const APP_ENV_RANGES = {
  port: RANGES.container.port,
  albIdleTimeoutSeconds: RANGES.loadBalancer.idleTimeoutSeconds,
  stopTimeoutSeconds: RANGES.container.stopTimeoutSeconds,
} as const satisfies Partial<Record<keyof typeof APP_ENV, Range>>;

/** The app's version route: answers the running commit (app/app.ts); the hook probes it. */
export const VERSION_PATH = '/version';

/** The variables the task definition sets (not CODE_VERSION: the image owns it). */
export function appEnvironment(config: PlaygroundConfig): Record<string, string> {
  return {
    [APP_ENV.port]: String(config.container.port),
    [APP_ENV.albIdleTimeoutSeconds]: String(config.loadBalancer.idleTimeoutSeconds),
    [APP_ENV.stopTimeoutSeconds]: String(config.container.stopTimeoutSeconds),
  };
}
