/**
 * The CodeDeploy protocol of the hook (BeforeAllowTraffic): after AfterAllowTestTraffic, when AWS
 * documents the test listener serving the new (green) tasks, and before production traffic moves
 * (docs/hook.md#when-the-hook-runs-what-aws-documents; check.ts verifies the route). Probe them,
 * decide, and report Succeeded or Failed.
 *
 * This file is the event, discovery (discover.ts), the status report (report.ts) and the summary
 * line. The decision itself — route check, probes, verdict — is check.ts, which knows nothing of
 * CodeDeploy; ecs.ts is the other protocol, handler.ts tells them apart.
 *
 * Guarantees:
 * - A well-formed event is reported exactly once (one successful status call), ALWAYS — even when
 *   the settings are broken, discovery fails, a probe hangs or the time budget runs out: a hook
 *   that never reports leaves the deployment waiting for up to an hour.
 * - Discovery and probing share one time budget (HOOK_TIME_BUDGET_SECONDS, also capped by the
 *   Lambda's remaining time minus the report reserve); discovery alone gets at most
 *   DISCOVERY_BUDGET_MS of it, so probing always keeps the worst case config/hook-budget.ts computes.
 * - A malformed event (no ids) is logged and fails the invocation, with no CodeDeploy call:
 *   there is nothing to report to.
 * - One structured summary line per invocation: expected and seen versions, statuses, timings,
 *   verdict, where the target came from.
 */
import { hookWorstCaseMs } from '../config/hook-budget';
import { type CheckTarget, checkGreen, probePaths } from './check';
import { withDeadline } from './deadline';
import { discoverTarget } from './discover';
import { describeError, type HandlerDeps, type HookContext, typeOf } from './invocation';
import { REPORT_DEFAULTS, type ReportError, reportStatus } from './report';
import { type HookSettings, readReportMode, readSettings, VERSION_PATH } from './settings';
import { describeTarget, OVERRIDE_SOURCE, resolveTarget } from './target';
import { failure, type Verdict } from './verdict';

export interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export interface HookResult {
  status: Verdict['status'];
  reasons: string[];
}

/** The CodeDeploy lifecycle event's handler. */
export function codeDeployHook(deps: HandlerDeps) {
  return async function handleCodeDeployEvent(event: unknown, context?: HookContext): Promise<HookResult> {
    const started = Date.now();
    const ids = validateEvent(event, deps.log);
    const remaining = context?.getRemainingTimeInMillis();

    const summary: Record<string, unknown> = {
      msg: 'BeforeAllowTraffic verdict',
      deploymentId: ids.DeploymentId,
      lifecycleEventHookExecutionId: ids.LifecycleEventHookExecutionId,
    };
    const timings: Record<string, number> = {};
    let verdict: Verdict;
    let settings: HookSettings | undefined;

    try {
      const loaded = readSettings(deps.env);
      settings = loaded;
      const budgetMs = Math.max(
        0,
        Math.min(loaded.timeBudgetMs, (remaining ?? Number.POSITIVE_INFINITY) - loaded.reportReserveMs),
      );
      summary.budgetMs = budgetMs;
      summary.worstCaseMs = hookWorstCaseMs({
        rounds: loaded.probeCount,
        pathsPerRound: probePaths({ healthPath: loaded.healthPath, versionPath: VERSION_PATH }).length,
        connectRetries: loaded.connectRetries,
        requestTimeoutMs: loaded.requestTimeoutMs,
      });
      verdict = await withDeadline(
        budgetMs,
        `time budget of ${budgetMs} ms exceeded before a verdict`,
        (signal) => check(deps, loaded, ids, signal, summary, timings),
      );
    } catch (err) {
      verdict = failure(describeError(err));
    }

    summary.status = verdict.status;
    summary.reasons = verdict.reasons;

    const mode = settings?.reportMode ?? readReportMode(deps.env);
    const reportStarted = Date.now();
    try {
      if (mode === 'log') {
        summary.report = { mode, note: 'HOOK_REPORT=log: verdict logged, NOT sent to CodeDeploy' };
      } else {
        const deadline = remaining === undefined ? undefined : started + remaining - 1000;
        const result = await reportStatus(
          deps.clients().reporter,
          {
            deploymentId: ids.DeploymentId,
            lifecycleEventHookExecutionId: ids.LifecycleEventHookExecutionId,
          },
          verdict.status,
          { ...REPORT_DEFAULTS, deadline, ...deps.report },
        );
        summary.report = { mode, attempts: result.attempts };
        if (result.alreadyCompleted) {
          summary.report = { mode, attempts: result.attempts, alreadyCompleted: true };
          // Not an error: the report landed, only its answer was lost (see report.ts).
          deps.log(
            JSON.stringify({
              level: 'info',
              msg: 'Status report counted as delivered',
              deploymentId: ids.DeploymentId,
              detail: result.alreadyCompleted,
            }),
          );
        }
      }
    } catch (err) {
      const e = err as ReportError;
      summary.report = { mode, attempts: e.attempts, error: e.message };
      timings.reportMs = Date.now() - reportStarted;
      timings.totalMs = Date.now() - started;
      deps.log(JSON.stringify({ level: 'error', ...summary, timings }));
      throw err;
    }
    timings.reportMs = Date.now() - reportStarted;
    timings.totalMs = Date.now() - started;
    deps.log(
      JSON.stringify({ level: verdict.status === 'Succeeded' ? 'info' : 'warn', ...summary, timings }),
    );
    return { status: verdict.status, reasons: verdict.reasons };
  };
}

/** Finds the target (CodeDeploy discovery, or the local override), then hands it to the decision. */
async function check(
  deps: HandlerDeps,
  settings: HookSettings,
  ids: HookEvent,
  signal: AbortSignal,
  summary: Record<string, unknown>,
  timings: Record<string, number>,
): Promise<Verdict> {
  let target: CheckTarget;
  const resolved = await resolveTarget(settings, signal, timings, (discoverySignal) =>
    discoverTarget(deps.clients(), ids.DeploymentId, discoverySignal),
  );
  if ('override' in resolved) {
    target = resolved.override;
    summary.source = OVERRIDE_SOURCE;
  } else {
    const { found } = resolved;
    target = { ...found, route: { route: found.route, greenTargetGroup: found.greenTargetGroup } };
    summary.source = found.source;
    summary.greenTargetGroup = found.greenTargetGroup;
  }
  describeTarget(summary, target);

  const probeStarted = Date.now();
  try {
    const result = await checkGreen(
      target,
      {
        probeCount: settings.probeCount,
        requestTimeoutMs: settings.requestTimeoutMs,
        connectRetries: settings.connectRetries,
        healthPath: settings.healthPath,
        versionPath: VERSION_PATH,
      },
      signal,
    );
    if (result.probes) summary.probes = result.probes;
    return result.verdict;
  } finally {
    timings.probeMs = Date.now() - probeStarted;
  }
}

/** The ids, or a logged error and a thrown one (the invocation fails; nothing is reported). */
export function validateEvent(event: unknown, log: (line: string) => void): HookEvent {
  const problems: string[] = [];
  const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  for (const key of ['DeploymentId', 'LifecycleEventHookExecutionId'] as const) {
    const value = e[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(value === undefined ? `${key} is missing` : `${key} must be a non-empty string`);
    }
  }
  if (problems.length) {
    const message = `Malformed CodeDeploy hook event: ${problems.join('; ')}`;
    const keys = event && typeof event === 'object' ? Object.keys(event) : [];
    log(JSON.stringify({ level: 'error', msg: message, eventType: typeOf(event), eventKeys: keys }));
    throw new Error(message);
  }
  return {
    DeploymentId: e.DeploymentId as string,
    LifecycleEventHookExecutionId: e.LifecycleEventHookExecutionId as string,
  };
}
