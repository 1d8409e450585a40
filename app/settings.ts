/**
 * The app's runtime settings, read once at startup from the environment contract in
 * config/contracts/app.ts. Unset variables fall back to the same config defaults the task definition
 * is rendered from, so `npm start` on a laptop behaves like a task on Fargate.
 *
 * The config file itself is not read here: the container holds only the bundled server. APP_ENV
 * is imported from its contract module, not the config index, to keep the config loader (and zod) out
 * of the bundle; see defaults.ts.
 */
import { APP_ENV, APP_ENV_RANGES } from '../config/contracts/app';
import type { Range } from '../config/ranges';
import { APP_DEFAULTS } from './defaults';

/**
 * Seconds the server keeps an idle keep-alive connection open beyond the ALB's idle timeout.
 * The ALB must always be the side that closes an idle connection: if the target closes first, a
 * request the ALB sends at that moment meets a closed socket and the client gets a 502.
 */
export const KEEP_ALIVE_MARGIN_SECONDS = 5;
/** headersTimeout must exceed keepAliveTimeout, else Node may cut a reused connection early. */
export const HEADERS_TIMEOUT_MARGIN_MS = 1000;
/** Longest drain: in-flight requests take milliseconds, so after 10 s something is stuck. */
export const MAX_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Version reported when the image was built without COMMIT_HASH (never `undefined`). */
export const UNKNOWN_VERSION = 'unknown';

export interface AppSettings {
  port: number;
  /** The running code version: the commit the image was built from, or "unknown". */
  codeVersion: string;
  /** `GET /` answers 500 while `/version` keeps working (a simulated bad release). */
  simulateUnhealthy: boolean;
  keepAliveTimeoutMs: number;
  headersTimeoutMs: number;
  /** After SIGTERM, in-flight requests get this long before their connections are cut. */
  shutdownTimeoutMs: number;
}

/** An environment variable the app cannot start with; the message names it and what is allowed. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

type Env = Record<string, string | undefined>;

export function readSettings(env: Env = process.env): AppSettings {
  // The bounds are the config's own (the task definition renders these from it).
  const port = wholeNumber(env, APP_ENV.port, APP_DEFAULTS.port, APP_ENV_RANGES.port);
  const albIdleSeconds = wholeNumber(
    env,
    APP_ENV.albIdleTimeoutSeconds,
    APP_DEFAULTS.albIdleTimeoutSeconds,
    APP_ENV_RANGES.albIdleTimeoutSeconds,
  );
  const stopSeconds = wholeNumber(
    env,
    APP_ENV.stopTimeoutSeconds,
    APP_DEFAULTS.stopTimeoutSeconds,
    APP_ENV_RANGES.stopTimeoutSeconds,
  );
  const keepAliveTimeoutMs = (albIdleSeconds + KEEP_ALIVE_MARGIN_SECONDS) * 1000;
  return {
    port,
    codeVersion: env[APP_ENV.codeVersion]?.trim() || UNKNOWN_VERSION,
    simulateUnhealthy: flag(env, APP_ENV.simulateUnhealthy),
    keepAliveTimeoutMs,
    headersTimeoutMs: keepAliveTimeoutMs + HEADERS_TIMEOUT_MARGIN_MS,
    // Half the stop timeout: the drain (and the log flush after it) ends well before ECS's SIGKILL.
    shutdownTimeoutMs: Math.min(MAX_SHUTDOWN_TIMEOUT_MS, (stopSeconds * 1000) / 2),
  };
}

function wholeNumber(env: Env, name: string, fallback: number, [min, max]: Range): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new SettingsError(
      `${name}=${JSON.stringify(env[name])}: must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new SettingsError(`${name}=${JSON.stringify(env[name])}: must be true, false, 1 or 0`);
}
