/**
 * The environment contract between the task definition (which sets these variables from the
 * config) and the app (which reads them, falling back to the same config defaults).
 */
import type { PlaygroundConfig } from './schema';

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

/** The variables the task definition sets (not CODE_VERSION: the image owns it). */
export function appEnvironment(config: PlaygroundConfig): Record<string, string> {
  return {
    [APP_ENV.port]: String(config.container.port),
    [APP_ENV.albIdleTimeoutSeconds]: String(config.loadBalancer.idleTimeoutSeconds),
    [APP_ENV.stopTimeoutSeconds]: String(config.container.stopTimeoutSeconds),
  };
}
