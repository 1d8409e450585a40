/**
 * The ECS protocol of the hook: ECS invokes it at POST_TEST_TRAFFIC_SHIFT of the canary service's
 * deployment, when the test listener rule routes to the new revision and production traffic does
 * not yet. Probe it, decide, and RETURN the answer (ECS reads `hookStatus` from the function's
 * result; there is nothing to call back):
 *
 * - SUCCEEDED / FAILED: the verdict of check.ts (the same decision as CodeDeploy's).
 * - IN_PROGRESS with `callBackDelay` (hook.ecsCallBackDelaySeconds): this invocation probed for
 *   hook.ecsInvocationSeconds and every answer so far passed, but rounds are left. The rounds passed
 *   and the time spent travel in `hookDetails` (ecs-event.ts); the next invocation goes on from there.
 *   The probing of all invocations together is bounded by hook.timeBudgetSeconds (less discovery),
 *   the same worst case CodeDeploy's single invocation has: past it, FAILED.
 *
 * Guarantees: every invocation returns a hookStatus — a malformed payload, broken settings, a
 * discovery error or anything unexpected answer FAILED with the reason in the log, never an
 * exception (ECS would roll back too, but without a word why). One summary line per invocation.
 */
import { DISCOVERY_BUDGET_MS } from '../config/hook-budget';
import { type CheckTarget, checkGreen } from './check';
import { withDeadline } from './deadline';
import { discoverEcsTarget } from './ecs-discover';
import {
  type EcsHookResult,
  type EcsInvocation,
  PROGRESS_KEY,
  type Progress,
  parseEcsPayload,
} from './ecs-event';
import { describeError, type HandlerDeps, type HookContext, typeOf } from './invocation';
import { type HookSettings, readSettings, VERSION_PATH } from './settings';
import { describeTarget, OVERRIDE_SOURCE, resolveTarget } from './target';
import { failure, type Verdict } from './verdict';

/** The `msg` of the summary line (`npm run status` finds the reasons by it). */
export const ECS_VERDICT_MESSAGE = 'ECS lifecycle hook verdict';

/** The stage the hook checks at: the test rule routes all test traffic to the new revision. */
export const ECS_HOOK_STAGE = 'POST_TEST_TRAFFIC_SHIFT';

type Outcome = { verdict: Verdict } | { progress: Progress };

interface Run {
  deps: HandlerDeps;
  settings: HookSettings;
  invocation: EcsInvocation;
  remainingMs: number | undefined;
  summary: Record<string, unknown>;
  timings: Record<string, number>;
}

/** The ECS lifecycle hook payload's handler. */
export function ecsHook(deps: HandlerDeps) {
  return async function handleEcsPayload(event: unknown, context?: HookContext): Promise<EcsHookResult> {
    const started = Date.now();
    const summary: Record<string, unknown> = { msg: ECS_VERDICT_MESSAGE };
    const timings: Record<string, number> = {};
    let outcome: Outcome;
    let settings: HookSettings | undefined;
    let invocation: EcsInvocation | undefined;
    try {
      const parsed = parseEcsPayload(event);
      if ('problems' in parsed) {
        const message = `Malformed ECS lifecycle hook payload: ${parsed.problems.join('; ')}`;
        const keys = event && typeof event === 'object' ? Object.keys(event) : [];
        Object.assign(summary, { eventType: typeOf(event), eventKeys: keys });
        outcome = { verdict: failure(message) };
      } else {
        invocation = parsed.invocation;
        Object.assign(summary, {
          serviceDeploymentArn: invocation.serviceDeploymentArn,
          executionId: invocation.executionId,
          lifecycleStage: invocation.lifecycleStage,
          targetServiceRevisionArn: invocation.targetServiceRevisionArn,
        });
        settings = readSettings(deps.env);
        const remainingMs = context?.getRemainingTimeInMillis();
        outcome = await run({ deps, settings, invocation, remainingMs, summary, timings });
      }
    } catch (err) {
      outcome = { verdict: failure(describeError(err)) };
    }
    const result = answer(outcome, settings, invocation);
    summary.hookStatus = result.hookStatus;
    summary.reasons = 'verdict' in outcome ? outcome.verdict.reasons : [];
    if ('progress' in outcome) summary.progress = outcome.progress;
    timings.totalMs = Date.now() - started;
    const level = result.hookStatus === 'FAILED' ? (invocation ? 'warn' : 'error') : 'info';
    deps.log(JSON.stringify({ level, ...summary, timings }));
    return result;
  };
}

/** The stage check, then discovery and one slice of probing, within this invocation's budget. */
async function run(r: Run): Promise<Outcome> {
  const { settings, invocation } = r;
  if (invocation.lifecycleStage !== ECS_HOOK_STAGE) {
    return {
      verdict: failure(
        `invoked at lifecycle stage ${invocation.lifecycleStage}: the hook probes the new revision through the ` +
          `test listener rule, which routes to it from ${ECS_HOOK_STAGE} on; configure the hook at ${ECS_HOOK_STAGE}`,
      ),
    };
  }
  const before = invocation.progress;
  const malformed = progressProblem(before, invocation, settings);
  if (malformed) return { verdict: failure(malformed) };
  const allowanceMs = settings.timeBudgetMs - DISCOVERY_BUDGET_MS - before.probedMs;
  if (allowanceMs <= 0) return { verdict: failure(outOfBudget(settings, before)) };
  const budgetMs = Math.max(
    0,
    Math.min(settings.timeBudgetMs, (r.remainingMs ?? Number.POSITIVE_INFINITY) - settings.reportReserveMs),
  );
  r.summary.budgetMs = budgetMs;
  return withDeadline(budgetMs, `time budget of ${budgetMs} ms exceeded before a verdict`, async (signal) => {
    const invocationStarted = Date.now();
    const target = await discover(r, signal);
    const sliceMs = Math.min(
      settings.ecsInvocationMs,
      allowanceMs,
      budgetMs - (Date.now() - invocationStarted),
    );
    r.summary.sliceMs = sliceMs;
    const probeStarted = Date.now();
    try {
      const result = await checkGreen(target, checkSettings(settings), signal, {
        firstRound: before.passedRounds + 1,
        signal: AbortSignal.timeout(Math.max(1, sliceMs)),
      });
      if (result.probes) r.summary.probes = result.probes;
      if ('verdict' in result) return { verdict: result.verdict };
      const progress: Progress = {
        passedRounds: result.passedRounds,
        probedMs: before.probedMs + (Date.now() - probeStarted),
        invocations: before.invocations + 1,
      };
      if (progress.probedMs >= settings.timeBudgetMs - DISCOVERY_BUDGET_MS) {
        return { verdict: failure(outOfBudget(settings, progress)) };
      }
      return { progress };
    } finally {
      r.timings.probeMs = Date.now() - probeStarted;
    }
  });
}

/** The test rule's target (ECS discovery), or the local override. */
async function discover(r: Run, signal: AbortSignal): Promise<CheckTarget> {
  const resolved = await resolveTarget(r.settings, signal, r.timings, (discoverySignal) =>
    discoverEcsTarget(r.deps.clients(), r.invocation.targetServiceRevisionArn, discoverySignal),
  );
  const target = 'override' in resolved ? resolved.override : resolved.found;
  r.summary.source = 'override' in resolved ? OVERRIDE_SOURCE : resolved.found.source;
  describeTarget(r.summary, target);
  return target;
}

function checkSettings(settings: HookSettings) {
  return {
    probeCount: settings.probeCount,
    requestTimeoutMs: settings.requestTimeoutMs,
    connectRetries: settings.connectRetries,
    healthPath: settings.healthPath,
    versionPath: VERSION_PATH,
  };
}

/**
 * Progress handed back in hookDetails must be one the hook could have written: it answers
 * IN_PROGRESS only while rounds are left (passedRounds < hook.probeCount) and counts the invocation
 * that wrote it (invocations ≥ 1). Anything else is stale or hand-written (ECS hands the service's
 * configured hookDetails to every call), and resuming from it could plan 0 rounds: FAILED, naming
 * the field. Progress spent past the budget is outOfBudget's.
 */
export function progressProblem(
  progress: Progress,
  invocation: Pick<EcsInvocation, 'hookDetails'>,
  settings: Pick<HookSettings, 'probeCount'>,
): string | undefined {
  if (!(PROGRESS_KEY in invocation.hookDetails)) return undefined;
  const field = `hookDetails.${PROGRESS_KEY}`;
  const fix =
    `the hook hands it back only with IN_PROGRESS; remove ${PROGRESS_KEY} from the service's ` +
    'LifecycleHooks[].HookDetails if it was configured there';
  if (progress.passedRounds >= settings.probeCount) {
    return (
      `${field}.passedRounds=${progress.passedRounds} is out of bounds: must be below hook.probeCount ` +
      `(${settings.probeCount}), since rounds are left whenever the hook answers IN_PROGRESS; ${fix}`
    );
  }
  if (progress.invocations < 1) {
    return `${field}.invocations=${progress.invocations} is out of bounds: must be at least 1 (the invocation that wrote it); ${fix}`;
  }
  return undefined;
}

function outOfBudget(settings: HookSettings, progress: Progress): string {
  return (
    `no verdict after ${progress.probedMs} ms of probing over ${progress.invocations} invocation(s): the probing ` +
    `budget is ${settings.timeBudgetMs - DISCOVERY_BUDGET_MS} ms (hook.timeBudgetSeconds less ${DISCOVERY_BUDGET_MS} ms of discovery)`
  );
}

/** ECS's answer: the verdict, or IN_PROGRESS with the progress handed back through hookDetails. */
function answer(outcome: Outcome, settings?: HookSettings, invocation?: EcsInvocation): EcsHookResult {
  if ('verdict' in outcome) {
    return { hookStatus: outcome.verdict.status === 'Succeeded' ? 'SUCCEEDED' : 'FAILED' };
  }
  return {
    hookStatus: 'IN_PROGRESS',
    callBackDelay: settings?.ecsCallBackDelaySeconds,
    hookDetails: { ...invocation?.hookDetails, [PROGRESS_KEY]: outcome.progress },
  };
}
