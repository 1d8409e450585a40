/**
 * Reports the verdict to CodeDeploy: one PutLifecycleEventHookExecutionStatus that succeeds,
 * retried on throttling, 5xx and network errors with bounded exponential backoff.
 *
 * The retry is ours rather than the SDK's (the client is built with maxAttempts 1, see handler.ts):
 * one visible layer whose attempts, delays and give-up point are tested call by call, and which
 * stops early when the Lambda is about to time out. Client errors other than throttling (e.g.
 * AccessDenied) are final: repeating them changes nothing.
 *
 * LifecycleEventAlreadyCompletedException ("An attempt to return the status of an already
 * completed lifecycle event occurred",
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html#API_PutLifecycleEventHookExecutionStatus_Errors)
 * means different things by what came before it:
 * - after an attempt whose outcome is unknown (no HTTP answer — a timeout or a dropped connection —
 *   or a 5xx), the likeliest reason is that this very report landed and only its answer was lost:
 *   it counts as delivered (`alreadyCompleted` in the result);
 * - on a first attempt, or when every earlier attempt was certainly refused (throttled), someone
 *   else completed the event (an earlier invocation, or CodeDeploy's own timeout): an error.
 */
import {
  type CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import type { HookStatus } from './verdict';

export interface ReportIds {
  deploymentId: string;
  lifecycleEventHookExecutionId: string;
}

export interface ReportOptions {
  /** Tries in all, including the first. */
  maxAttempts: number;
  /** First backoff; doubles per retry, plus up to 100 % jitter. */
  baseDelayMs: number;
  /** Do not start a retry after this epoch-ms instant (the Lambda would time out mid-call). */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** 4 tries over ~1.5 s of backoff: rides out a throttling burst, well within the report reserve. */
export const REPORT_DEFAULTS: ReportOptions = { maxAttempts: 4, baseDelayMs: 200 };

export interface ReportResult {
  attempts: number;
  ms: number;
  /**
   * Set when CodeDeploy answered LifecycleEventAlreadyCompletedException after an attempt whose
   * outcome was unknown: the report counts as delivered; this says why.
   */
  alreadyCompleted?: string;
}

export class ReportError extends Error {
  override name = 'ReportError';
  constructor(
    message: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

export async function reportStatus(
  client: CodeDeployClient,
  ids: ReportIds,
  status: HookStatus,
  options: ReportOptions = REPORT_DEFAULTS,
): Promise<ReportResult> {
  const started = Date.now();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const input = {
    deploymentId: ids.deploymentId,
    lifecycleEventHookExecutionId: ids.lifecycleEventHookExecutionId,
    status,
  };
  /** The last earlier attempt that may have reached CodeDeploy although we got no success answer. */
  let unknownOutcome: { attempt: number; error: unknown } | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      // The deadline also bounds a call that hangs (the SDK's own request timeout aside).
      const abortSignal =
        options.deadline === undefined
          ? undefined
          : AbortSignal.timeout(Math.max(1, options.deadline - Date.now()));
      await client.send(new PutLifecycleEventHookExecutionStatusCommand(input), { abortSignal });
      return { attempts: attempt, ms: Date.now() - started };
    } catch (err) {
      if (isAlreadyCompleted(err) && unknownOutcome) {
        return {
          attempts: attempt,
          ms: Date.now() - started,
          alreadyCompleted:
            `attempt ${attempt} got LifecycleEventAlreadyCompletedException after attempt ${unknownOutcome.attempt} ` +
            `ended without a clear answer (${describe(unknownOutcome.error)}): that report landed`,
        };
      }
      if (outcomeUnknown(err)) unknownOutcome = { attempt, error: err };
      const delay = options.baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random());
      const outOfTime = options.deadline !== undefined && Date.now() + delay >= options.deadline;
      if (!isRetryable(err) || attempt >= options.maxAttempts || outOfTime) {
        const why = !isRetryable(err)
          ? 'not retryable'
          : outOfTime
            ? 'no time left to retry'
            : 'retries exhausted';
        throw new ReportError(
          `PutLifecycleEventHookExecutionStatus(${status}) failed after ${attempt} attempt(s), ${why}: ${describe(err)}`,
          attempt,
          err,
        );
      }
      await sleep(delay);
    }
  }
}

function isAlreadyCompleted(err: unknown): boolean {
  return (err as { name?: string })?.name === 'LifecycleEventAlreadyCompletedException';
}

/**
 * The request may have been carried out: no HTTP answer at all (timeout, reset, abort), or a
 * server fault. A 4xx (throttling included) is a refusal: the request was not carried out.
 */
export function outcomeUnknown(err: unknown): boolean {
  const code = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return code === undefined || code >= 500;
}

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Throttling, server faults (5xx) and errors without an HTTP answer (network, timeouts). */
export function isRetryable(err: unknown): boolean {
  const e = err as {
    name?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  if (!e || typeof e !== 'object') return false;
  if (e.name && THROTTLING_CODES.has(e.name)) return true;
  if (e.$retryable) return true;
  const code = e.$metadata?.httpStatusCode;
  if (code !== undefined) return code === 429 || code >= 500;
  // No HTTP status at all: the request never got an answer (ECONNRESET, socket timeout, DNS).
  return true;
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
}
