/**
 * The environment contract between `serverless.ts` (which renders these variables from the config)
 * and the hook (which reads them). The Lambda cannot call `loadConfig()`: the overrides file is not
 * in the bundle, so every value it needs travels as an environment variable, rendered once.
 */
import type { PlaygroundConfig } from '../config';

export const HOOK_ENV = {
  probeCount: 'HOOK_PROBE_COUNT',
  requestTimeoutMs: 'HOOK_REQUEST_TIMEOUT_MS',
  connectRetries: 'HOOK_CONNECT_RETRIES',
  /** Path that must also answer 200 (the ALB health check path); empty = not checked. */
  healthPath: 'HOOK_HEALTH_PATH',
  timeBudgetSeconds: 'HOOK_TIME_BUDGET_SECONDS',
  reportReserveSeconds: 'HOOK_REPORT_RESERVE_SECONDS',
  /** Local use: probe this base URL instead of discovering the test listener (needs HOOK_EXPECTED_VERSION). */
  targetUrl: 'HOOK_TARGET_URL',
  /** Local use: the version every answer must show, instead of reading it from the task definition. */
  expectedVersion: 'HOOK_EXPECTED_VERSION',
  /** `log` prints the verdict instead of reporting it to CodeDeploy (local use only); default `codedeploy`. */
  report: 'HOOK_REPORT',
} as const;

/** The function's key in serverless.ts `functions` (what `sls invoke local -f` takes). */
export const HOOK_FUNCTION_KEY = 'hook';

/** The app's version route (app/app.ts); not configurable because the app does not make it so. */
export const VERSION_PATH = '/version';

export type ReportMode = 'codedeploy' | 'log';

export interface HookSettings {
  probeCount: number;
  requestTimeoutMs: number;
  connectRetries: number;
  /** undefined: the health path is not checked. */
  healthPath: string | undefined;
  timeBudgetMs: number;
  reportReserveMs: number;
  /** Set together with expectedVersion: skip discovery (local use). */
  override: { targetUrl: string; expectedVersion: string } | undefined;
  reportMode: ReportMode;
}

/** Variables serverless.ts sets on the function. The local-use variables are never set by it. */
export function hookEnvironment(config: PlaygroundConfig): Record<string, string> {
  return {
    [HOOK_ENV.probeCount]: String(config.hook.probeCount),
    [HOOK_ENV.requestTimeoutMs]: String(config.hook.requestTimeoutMs),
    [HOOK_ENV.connectRetries]: String(config.hook.connectRetries),
    [HOOK_ENV.healthPath]: config.hook.checkHealthPath ? config.healthCheck.path : '',
    [HOOK_ENV.timeBudgetSeconds]: String(config.hook.timeBudgetSeconds),
    [HOOK_ENV.reportReserveSeconds]: String(config.hook.reportReserveSeconds),
  };
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
  const int = (name: string, min: number, max: number): number => {
    const raw = env[name];
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw ?? null)}: must be a whole number from ${min} to ${max}`);
      return min;
    }
    return value;
  };

  const probeCount = int(HOOK_ENV.probeCount, 1, 100);
  const requestTimeoutMs = int(HOOK_ENV.requestTimeoutMs, 100, 30000);
  const connectRetries = int(HOOK_ENV.connectRetries, 0, 5);
  const timeBudgetSeconds = int(HOOK_ENV.timeBudgetSeconds, 1, 840);
  const reportReserveSeconds = int(HOOK_ENV.reportReserveSeconds, 1, 60);

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
    override,
    reportMode: readReportMode(env),
  };
}
