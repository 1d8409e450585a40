/**
 * The hook's contract with the rest of the kit: the environment serverless.ts renders from the
 * config and the hook reads back (hook/settings.ts), the function's key in serverless.ts, and the
 * header that opens the test listeners (the template sets the rule, the hook sends it).
 *
 * The Lambda cannot call `loadConfig()` (the overrides file is not in its bundle), so every value
 * it needs travels as an environment variable, rendered once, here. Imported by the hook's bundle:
 * only types and plain data.
 */
import { RANGES, type Range } from '../ranges';
import type { PlaygroundConfig } from '../schema';

export const HOOK_ENV = {
  probeCount: 'HOOK_PROBE_COUNT',
  requestTimeoutMs: 'HOOK_REQUEST_TIMEOUT_MS',
  connectRetries: 'HOOK_CONNECT_RETRIES',
  /** Path that must also answer 200 (the ALB health check path); empty = not checked. */
  healthPath: 'HOOK_HEALTH_PATH',
  timeBudgetSeconds: 'HOOK_TIME_BUDGET_SECONDS',
  reportReserveSeconds: 'HOOK_REPORT_RESERVE_SECONDS',
  /** ECS lifecycle hooks: longest probing of one invocation before it answers IN_PROGRESS. */
  ecsInvocationSeconds: 'HOOK_ECS_INVOCATION_SECONDS',
  /** ECS lifecycle hooks: the `callBackDelay` of an IN_PROGRESS answer. */
  ecsCallBackDelaySeconds: 'HOOK_ECS_CALLBACK_DELAY_SECONDS',
  /** Local use: probe this base URL instead of discovering the test listener (needs HOOK_EXPECTED_VERSION). */
  targetUrl: 'HOOK_TARGET_URL',
  /** Local use: the version every answer must show, instead of reading it from the task definition. */
  expectedVersion: 'HOOK_EXPECTED_VERSION',
  /** `log` prints the verdict instead of reporting it to CodeDeploy (local use only); default `codedeploy`. */
  report: 'HOOK_REPORT',
} as const;

/** The bounds of the numeric variables: those of the config values they are rendered from. */
export const HOOK_ENV_RANGES = {
  probeCount: RANGES.hook.probeCount,
  requestTimeoutMs: RANGES.hook.requestTimeoutMs,
  connectRetries: RANGES.hook.connectRetries,
  timeBudgetSeconds: RANGES.hook.timeBudgetSeconds,
  reportReserveSeconds: RANGES.hook.reportReserveSeconds,
  ecsInvocationSeconds: RANGES.hook.ecsInvocationSeconds,
  ecsCallBackDelaySeconds: RANGES.hook.ecsCallBackDelaySeconds,
} as const satisfies Partial<Record<keyof typeof HOOK_ENV, Range>>;

/** The function's key in serverless.ts `functions` (what `sls invoke local -f` takes). */
export const HOOK_FUNCTION_KEY = 'hook';

/**
 * Header that opens a test listener: the blue/green one when `loadBalancer.testListenerAccess` is
 * `header-token`, the ECS canary's always. Its value is per stack (from the stack id); the hook reads
 * it from the listener rule.
 */
export const TEST_LISTENER_TOKEN_HEADER = 'X-Playground-Probe-Token';

/** Variables serverless.ts sets on the function. The local-use variables are never set by it. */
export function hookEnvironment(config: PlaygroundConfig): Record<string, string> {
  return {
    [HOOK_ENV.probeCount]: String(config.hook.probeCount),
    [HOOK_ENV.requestTimeoutMs]: String(config.hook.requestTimeoutMs),
    [HOOK_ENV.connectRetries]: String(config.hook.connectRetries),
    [HOOK_ENV.healthPath]: config.hook.checkHealthPath ? config.healthCheck.path : '',
    [HOOK_ENV.timeBudgetSeconds]: String(config.hook.timeBudgetSeconds),
    [HOOK_ENV.reportReserveSeconds]: String(config.hook.reportReserveSeconds),
    [HOOK_ENV.ecsInvocationSeconds]: String(config.hook.ecsInvocationSeconds),
    [HOOK_ENV.ecsCallBackDelaySeconds]: String(config.hook.ecsCallBackDelaySeconds),
  };
}
