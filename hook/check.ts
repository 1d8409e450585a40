/**
 * The decision, free of any deployment protocol: given where the green tasks answer and what
 * they must say, check the route, probe, and decide. The CodeDeploy handler (handler.ts) finds
 * the target and reports the verdict; another protocol (ECS's own lifecycle hooks) can reuse this
 * unchanged with its own discovery and reply.
 */
import { type ProbeAnswer, probe } from './probe';
import { diagnoseRoute, type TestRoute } from './route';
import { decide, failure, judgeAnswer, tally, type Verdict } from './verdict';

export interface CheckTarget {
  /** `http://host:port` of the test listener. */
  baseUrl: string;
  /** Headers every probe sends (the test listener's token). */
  headers: Record<string, string>;
  expectedVersion: string;
  /** The route the probes take and the target group it must reach; absent for a given URL (local use). */
  route?: { route: TestRoute; greenTargetGroup: string };
}

export interface CheckSettings {
  probeCount: number;
  requestTimeoutMs: number;
  connectRetries: number;
  /** Also probed every round when set (the ALB health check path). */
  healthPath: string | undefined;
  /** The route whose body carries the version. */
  versionPath: string;
}

export interface CheckResult {
  verdict: Verdict;
  /** What the probes saw, for the summary line; undefined when the route check failed first. */
  probes?: {
    requests: number;
    planned: number;
    /** Tries in all (> requests when some were retried). */
    attempts: number;
    versions: Record<string, number>;
    statuses: Record<string, number>;
  };
}

/** The paths every round requests: the version route, then the health path. */
export function probePaths(settings: Pick<CheckSettings, 'healthPath' | 'versionPath'>): string[] {
  return settings.healthPath ? [settings.versionPath, settings.healthPath] : [settings.versionPath];
}

/** Route check, then probes; `signal` is the caller's budget (its abort is an error, not a verdict). */
export async function checkGreen(
  target: CheckTarget,
  settings: CheckSettings,
  signal: AbortSignal,
): Promise<CheckResult> {
  if (target.route) {
    const problem = diagnoseRoute(target.route.route, target.route.greenTargetGroup);
    if (problem) return { verdict: failure(problem) };
  }
  const paths = probePaths(settings);
  const { versionPath } = settings;
  const answers: ProbeAnswer[] = await probe({
    baseUrl: target.baseUrl,
    paths,
    rounds: settings.probeCount,
    requestTimeoutMs: settings.requestTimeoutMs,
    connectRetries: settings.connectRetries,
    headers: target.headers,
    signal,
    versionPath,
    // One bad answer fails the release: stop there instead of spending the budget on more.
    keepGoing: (a) => judgeAnswer(a, target.expectedVersion, versionPath) === undefined,
  });
  if (signal.aborted) {
    throw signal.reason instanceof Error ? signal.reason : new Error('time budget exceeded');
  }
  return {
    verdict: decide({
      expectedVersion: target.expectedVersion,
      answers,
      versionPath,
      paths,
      rounds: settings.probeCount,
    }),
    probes: {
      requests: answers.length,
      planned: settings.probeCount * paths.length,
      attempts: answers.reduce((sum, a) => sum + a.attempts, 0),
      ...tally(answers, versionPath),
    },
  };
}
