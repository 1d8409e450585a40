/**
 * Where the probes go, the same way for both protocols: the local override (HOOK_TARGET_URL and
 * HOOK_EXPECTED_VERSION, discovery skipped), or the protocol's own discovery under its own, shorter
 * deadline — whatever discovery leaves of the budget is probing's worst case (config/hook-budget.ts).
 */
import { DISCOVERY_BUDGET_MS } from '../config/hook-budget';
import type { CheckTarget } from './check';
import { withDeadline } from './deadline';
import type { HookSettings } from './settings';

/** The summary line's `source` when the override skips discovery. */
export const OVERRIDE_SOURCE = 'HOOK_TARGET_URL/HOOK_EXPECTED_VERSION (discovery skipped)';

/**
 * The override's target, or what `discover` finds within DISCOVERY_BUDGET_MS (its time goes to
 * `timings.discoverMs`); `signal` is the invocation's budget.
 */
export async function resolveTarget<T>(
  settings: HookSettings,
  signal: AbortSignal,
  timings: Record<string, number>,
  discover: (signal: AbortSignal) => Promise<T>,
): Promise<{ override: CheckTarget } | { found: T }> {
  if (settings.override) {
    const { targetUrl, expectedVersion } = settings.override;
    return { override: { baseUrl: targetUrl, headers: {}, expectedVersion } };
  }
  const started = Date.now();
  const deadline = Math.min(DISCOVERY_BUDGET_MS, settings.timeBudgetMs);
  try {
    const found = await withDeadline(
      deadline,
      `discovery did not finish within ${deadline} ms (AWS API calls too slow or throttled)`,
      discover,
      signal,
    );
    return { found };
  } finally {
    timings.discoverMs = Date.now() - started;
  }
}

/** What the summary line says of the target (the token itself is never logged). */
export function describeTarget(summary: Record<string, unknown>, target: CheckTarget): void {
  summary.expectedVersion = target.expectedVersion;
  summary.target = target.baseUrl;
  summary.tokenHeader = Object.keys(target.headers).length > 0;
}
