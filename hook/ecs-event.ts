/**
 * The payload ECS invokes a lifecycle hook with, and the answer it expects
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html):
 *
 *   { "executionDetails": { "serviceArn": …, "targetServiceRevisionArn": …,
 *                           "testTrafficWeights": {…}, "productionTrafficWeights": {…} },
 *     "executionId": …, "lifecycleStage": "POST_TEST_TRAFFIC_SHIFT",
 *     "resourceArn": "<service deployment ARN>", "hookDetails": {…} }
 *
 * AWS's page lists the common fields (serviceArn, targetServiceRevisionArn, the two weight maps);
 * its hook samples (aws-samples/sample-amazon-ecs-blue-green-deployment-patterns) read them from
 * `executionDetails`, so both that form and the fields at the top level are accepted.
 *
 * The answer is a `hookStatus` (SUCCEEDED, FAILED, IN_PROGRESS), with a `callBackDelay` in seconds
 * and `hookDetails` that ECS hands back to the next invocation after IN_PROGRESS. The hook keeps
 * its progress there, under PROGRESS_KEY, so a check spread over invocations needs no storage.
 */

/** Where the hook keeps its progress inside `hookDetails`. */
export const PROGRESS_KEY = 'probeProgress';

export type EcsHookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/** What the handler returns to ECS: exactly the documented fields. */
export interface EcsHookResult {
  hookStatus: EcsHookStatus;
  callBackDelay?: number;
  hookDetails?: Record<string, unknown>;
}

/** How far a check spread over invocations got. */
export interface Progress {
  /** Probe rounds passed so far. */
  passedRounds: number;
  /** Milliseconds spent probing so far (the time budget bounds their sum). */
  probedMs: number;
  /** Invocations so far. */
  invocations: number;
}

export interface EcsInvocation {
  serviceArn: string;
  targetServiceRevisionArn: string;
  lifecycleStage: string;
  executionId?: string;
  /** The service deployment (`resourceArn`). */
  serviceDeploymentArn?: string;
  /** hookDetails as received (the configured ones and what the last IN_PROGRESS returned). */
  hookDetails: Record<string, unknown>;
  progress: Progress;
}

const SERVICE_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/[^/]+\/[^/]+$/;
const REVISION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service-revision\/[^/]+\/[^/]+\/[^/]+$/;

/** An ECS payload is told from a CodeDeploy event by its own keys. */
export function isEcsPayload(event: unknown): boolean {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return false;
  return ['executionDetails', 'lifecycleStage', 'targetServiceRevisionArn'].some((k) => k in event);
}

/** The invocation, or every problem with the payload (each naming the field and what is allowed). */
export function parseEcsPayload(event: unknown): { invocation: EcsInvocation } | { problems: string[] } {
  const e = (event ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const text = (value: unknown, field: string, pattern?: RegExp, what?: string): string => {
    if (value === undefined) problems.push(`${field} is missing`);
    else if (typeof value !== 'string' || value === '') problems.push(`${field} must be a non-empty string`);
    else if (pattern && !pattern.test(value))
      problems.push(`${field}=${JSON.stringify(value)}: must be ${what}`);
    return typeof value === 'string' ? value : '';
  };
  let serviceArn = '';
  let targetServiceRevisionArn = '';
  const wrapped = 'executionDetails' in e;
  if (wrapped && !isRecord(e.executionDetails)) {
    problems.push('executionDetails must be an object');
  } else {
    const details = wrapped ? (e.executionDetails as Record<string, unknown>) : e;
    const at = wrapped ? 'executionDetails.' : '';
    serviceArn = text(details.serviceArn, `${at}serviceArn`, SERVICE_ARN, 'an ECS service ARN');
    targetServiceRevisionArn = text(
      details.targetServiceRevisionArn,
      `${at}targetServiceRevisionArn`,
      REVISION_ARN,
      'an ECS service revision ARN (arn:aws:ecs:<region>:<account>:service-revision/<cluster>/<service>/<id>)',
    );
  }
  const lifecycleStage = text(e.lifecycleStage, 'lifecycleStage');
  const hookDetails = readHookDetails(e.hookDetails, problems);
  const progress = readProgress(hookDetails[PROGRESS_KEY], problems);
  if (problems.length) return { problems };
  return {
    invocation: {
      serviceArn,
      targetServiceRevisionArn,
      lifecycleStage,
      executionId: typeof e.executionId === 'string' ? e.executionId : undefined,
      serviceDeploymentArn: typeof e.resourceArn === 'string' ? e.resourceArn : undefined,
      hookDetails,
      progress,
    },
  };
}

/** hookDetails: absent, an object, or (as CloudFormation's HookDetails is written) its JSON text. */
function readHookDetails(value: unknown, problems: string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isRecord(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isRecord(parsed)) return parsed;
    } catch {
      // reported below
    }
  }
  problems.push('hookDetails must be a JSON object');
  return {};
}

function readProgress(value: unknown, problems: string[]): Progress {
  const none: Progress = { passedRounds: 0, probedMs: 0, invocations: 0 };
  if (value === undefined) return none;
  const p = isRecord(value) ? value : {};
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!ok(p.passedRounds) || !ok(p.probedMs) || !ok(p.invocations)) {
    problems.push(
      `hookDetails.${PROGRESS_KEY}=${JSON.stringify(value)}: must be {passedRounds, probedMs, invocations} ` +
        '(whole numbers ≥ 0), as the hook returned it with IN_PROGRESS',
    );
    return none;
  }
  return {
    passedRounds: p.passedRounds as number,
    probedMs: p.probedMs as number,
    invocations: p.invocations as number,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
