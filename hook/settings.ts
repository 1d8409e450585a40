/**
 * The hook's settings, read once per invocation from the environment contract in
 * config/contracts/hook.ts (which serverless.ts renders from the config). Every bad variable is
 * named in one SettingsError; the bounds are the config's own (config/ranges.ts).
 */
import { HOOK_ENV, HOOK_ENV_RANGES } from '../config/contracts/hook';
import type { Range } from '../config/ranges';

/** The app's version route (config/contracts/app.ts), re-exported for the hook's modules. */
export { VERSION_PATH } from '../config/contracts/app';

export type ReportMode = 'codedeploy' | 'log';

export interface HookSettings {
  probeCount: number;
  requestTimeoutMs: number;
  connectRetries: number;
  /** undefined: the health path is not checked. */
  healthPath: string | undefined;
  timeBudgetMs: number;
  reportReserveMs: number;
  /** ECS lifecycle hooks: longest probing of one invocation before it answers IN_PROGRESS. */
  ecsInvocationMs: number;
  /** ECS lifecycle hooks: `callBackDelay` of an IN_PROGRESS answer, in seconds. */
  ecsCallBackDelaySeconds: number;
  /** Set together with expectedVersion: skip discovery (local use). */
  override: { targetUrl: string; expectedVersion: string } | undefined;
  reportMode: ReportMode;
}

/** Settings that break a rule; `problems` holds one line per bad variable. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid hook settings: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}

/**
 * The report mode alone, readable even when the other settings are broken: a hook with bad
 * settings must still report Failed, and only an explicit `log` keeps it from calling CodeDeploy.
 */
export function readReportMode(env: Record<string, string | undefined>): ReportMode {
  return env[HOOK_ENV.report] === 'log' ? 'log' : 'codedeploy';
}

export function readSettings(env: Record<string, string | undefined>): HookSettings {
  const problems: string[] = [];
  const int = (name: string, [min, max]: Range): number => {
    const raw = env[name];
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw ?? null)}: must be a whole number from ${min} to ${max}`);
      return min;
    }
    return value;
  };

  const probeCount = int(HOOK_ENV.probeCount, HOOK_ENV_RANGES.probeCount);
  const requestTimeoutMs = int(HOOK_ENV.requestTimeoutMs, HOOK_ENV_RANGES.requestTimeoutMs);
  const connectRetries = int(HOOK_ENV.connectRetries, HOOK_ENV_RANGES.connectRetries);
  const timeBudgetSeconds = int(HOOK_ENV.timeBudgetSeconds, HOOK_ENV_RANGES.timeBudgetSeconds);
  const reportReserveSeconds = int(HOOK_ENV.reportReserveSeconds, HOOK_ENV_RANGES.reportReserveSeconds);
  const ecsInvocationSeconds = int(HOOK_ENV.ecsInvocationSeconds, HOOK_ENV_RANGES.ecsInvocationSeconds);
  const ecsCallBackDelaySeconds = int(
    HOOK_ENV.ecsCallBackDelaySeconds,
    HOOK_ENV_RANGES.ecsCallBackDelaySeconds,
  );

  const healthPathRaw = env[HOOK_ENV.healthPath] ?? '';
  if (healthPathRaw !== '' && !healthPathRaw.startsWith('/')) {
    problems.push(`${HOOK_ENV.healthPath}=${JSON.stringify(healthPathRaw)}: must start with "/" or be empty`);
  }

  const reportRaw = env[HOOK_ENV.report];
  if (reportRaw !== undefined && reportRaw !== 'log' && reportRaw !== 'codedeploy') {
    problems.push(`${HOOK_ENV.report}=${JSON.stringify(reportRaw)}: allowed: codedeploy, log`);
  }

  const targetUrl = env[HOOK_ENV.targetUrl];
  const expectedVersion = env[HOOK_ENV.expectedVersion];
  let override: HookSettings['override'];
  if (targetUrl || expectedVersion) {
    if (!targetUrl || !expectedVersion) {
      problems.push(`${HOOK_ENV.targetUrl} and ${HOOK_ENV.expectedVersion} must be set together`);
    } else if (!/^http:\/\/[^/?#]+\/?$/.test(targetUrl)) {
      problems.push(
        `${HOOK_ENV.targetUrl}=${JSON.stringify(targetUrl)}: must be a base URL such as http://127.0.0.1:8080`,
      );
    } else {
      override = { targetUrl: targetUrl.replace(/\/$/, ''), expectedVersion };
    }
  }

  if (problems.length) throw new SettingsError(problems);
  return {
    probeCount,
    requestTimeoutMs,
    connectRetries,
    healthPath: healthPathRaw === '' ? undefined : healthPathRaw,
    timeBudgetMs: timeBudgetSeconds * 1000,
    reportReserveMs: reportReserveSeconds * 1000,
    ecsInvocationMs: ecsInvocationSeconds * 1000,
    ecsCallBackDelaySeconds,
    override,
    reportMode: readReportMode(env),
  };
}
