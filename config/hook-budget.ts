/**
 * The hook's time budget, computed once from its real structure. The config schema (a budget that
 * does not cover the worst case is refused), the handler (discovery deadline, summary line),
 * serverless.ts (Lambda timeout) and docs/hook.md (checked by a test) all read it from here.
 *
 * Worst case of one invocation, before the status report:
 *
 *   discovery          ≤ DISCOVERY_BUDGET_MS (the handler aborts discovery there)
 * + probing          = rounds × paths per round × (tries × requestTimeoutMs + pauses)
 *   where tries      = connectRetries + 1 (a request with no app answer — no connection, no answer
 *                      in time, or a 502/503/504 the load balancer generated — is tried again)
 *   and pauses       = PROBE_RETRY_PAUSE_MS × (1 + 2 + … + connectRetries) between those tries.
 *
 * The status report then has `reportReserveSeconds` of its own: the Lambda timeout is the budget
 * plus that reserve.
 */

/** Pause before try n + 1 of one request is n × this: short, a green task is either up or not. */
export const PROBE_RETRY_PAUSE_MS = 100;

/**
 * Most time discovery may take before the hook gives up with Failed. It makes about 10 AWS calls,
 * at most 6 in a row (GetDeployment → GetDeploymentGroup → DescribeListeners → DescribeRules →
 * DescribeTaskSets when there is no AppSpec → DescribeTaskDefinition), each answering in well under
 * a second; 15 s also covers an SDK retry of a call that hit its 3 s request timeout. A slower AWS
 * API fails the release loudly, never silently.
 */
export const DISCOVERY_BUDGET_MS = 15_000;

/** What the probing does, as the config sets it. */
export interface ProbePlan {
  rounds: number;
  pathsPerRound: number;
  connectRetries: number;
  requestTimeoutMs: number;
}

/** The config fields the budget depends on (structural, so the schema can pass its parsed value). */
export interface HookBudgetConfig {
  hook: {
    probeCount: number;
    requestTimeoutMs: number;
    connectRetries: number;
    checkHealthPath: boolean;
    timeBudgetSeconds: number;
    reportReserveSeconds: number;
  };
}

export function probePlan(config: HookBudgetConfig): ProbePlan {
  return {
    rounds: config.hook.probeCount,
    // `/version`, plus the health check path when the hook checks it (hook/handler.ts).
    pathsPerRound: config.hook.checkHealthPath ? 2 : 1,
    connectRetries: config.hook.connectRetries,
    requestTimeoutMs: config.hook.requestTimeoutMs,
  };
}

/** Total pause between the tries of one request: 100 + 200 + … ms. */
export function retryPausesMs(connectRetries: number): number {
  return (PROBE_RETRY_PAUSE_MS * connectRetries * (connectRetries + 1)) / 2;
}

/** Longest time one request can take, all tries and pauses included. */
export function requestWorstCaseMs(plan: ProbePlan): number {
  return (plan.connectRetries + 1) * plan.requestTimeoutMs + retryPausesMs(plan.connectRetries);
}

export function probeWorstCaseMs(plan: ProbePlan): number {
  return plan.rounds * plan.pathsPerRound * requestWorstCaseMs(plan);
}

/** The bound the hook promises: discovery plus probing, before the report. */
export function hookWorstCaseMs(plan: ProbePlan): number {
  return DISCOVERY_BUDGET_MS + probeWorstCaseMs(plan);
}

/** The smallest `hook.timeBudgetSeconds` that covers the worst case. */
export function minimumTimeBudgetSeconds(plan: ProbePlan): number {
  return Math.ceil(hookWorstCaseMs(plan) / 1000);
}

/** The Lambda timeout serverless.ts sets: the budget plus the report's reserve. */
export function lambdaTimeoutSeconds(config: HookBudgetConfig): number {
  return config.hook.timeBudgetSeconds + config.hook.reportReserveSeconds;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/**
 * The worst case spelled out, e.g. `15 s discovery + 10 rounds × 2 paths × (3 tries × 2 s + 0.3 s
 * of pauses) = 141 s`: the schema's message and docs/hook.md use this exact text.
 */
export function describeWorstCase(plan: ProbePlan): string {
  const tries = plan.connectRetries + 1;
  return (
    `${seconds(DISCOVERY_BUDGET_MS)} discovery + ${plan.rounds} round${plan.rounds === 1 ? '' : 's'} × ` +
    `${plan.pathsPerRound} path${plan.pathsPerRound === 1 ? '' : 's'} × (${tries} tr${tries === 1 ? 'y' : 'ies'} × ` +
    `${seconds(plan.requestTimeoutMs)} + ${seconds(retryPausesMs(plan.connectRetries))} of pauses) = ` +
    `${seconds(hookWorstCaseMs(plan))}`
  );
}
