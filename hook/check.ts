/**
 * The decision, free of any deployment protocol: given where the green tasks answer and what
 * they must say, check the route, probe, and decide. The CodeDeploy protocol (codedeploy.ts) runs
 * it in one go and reports the verdict; the ECS protocol (ecs.ts) may run it in slices, one per
 * invocation, each going on from the rounds the earlier ones passed (an unfinished slice is not a
 * verdict: ECS calls again after IN_PROGRESS).
 */
import { type ProbeAnswer, probe } from './probe';
import { diagnoseRoute, type RouteOwner, type TestRoute } from './route';
import { decide, failure, judgeAnswer, tally, type Verdict } from './verdict';

export interface CheckTarget {
  /** `http://host:port` of the test listener. */
  baseUrl: string;
  /** Headers every probe sends (the test listener's token). */
  headers: Record<string, string>;
  expectedVersion: string;
  /** The route the probes take and the target group it must reach; absent for a given URL (local use). */
  route?: { route: TestRoute; greenTargetGroup: string; owner?: RouteOwner };
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

/** What the probes saw, for the summary line. */
export interface ProbeStats {
  requests: number;
  planned: number;
  /** Tries in all (> requests when some were retried). */
  attempts: number;
  versions: Record<string, number>;
  statuses: Record<string, number>;
}

export interface CheckResult {
  verdict: Verdict;
  /** Undefined when the route check failed first. */
  probes?: ProbeStats;
}

/** One slice of a check spread over several invocations. */
export interface Slice {
  /** Rounds 1 … firstRound - 1 passed in earlier slices. */
  firstRound: number;
  /** Ends the slice: the rounds not finished by then are left for the next one. */
  signal: AbortSignal;
}

/** A slice that ended before the verdict: every round it finished passed. */
export interface Unfinished {
  /** Rounds passed so far, earlier slices included. */
  passedRounds: number;
  probes: ProbeStats;
}

/** The paths every round requests: the version route, then the health path. */
export function probePaths(settings: Pick<CheckSettings, 'healthPath' | 'versionPath'>): string[] {
  return settings.healthPath ? [settings.versionPath, settings.healthPath] : [settings.versionPath];
}

/**
 * Route check, then probes; `signal` is the caller's budget (its abort is an error, not a verdict).
 * With a `slice`, probing starts at its first round and stops when its signal fires: the rounds
 * answered by then are judged, the rest is left (`Unfinished`) unless an answer already failed.
 */
export async function checkGreen(
  target: CheckTarget,
  settings: CheckSettings,
  signal: AbortSignal,
): Promise<CheckResult>;
export async function checkGreen(
  target: CheckTarget,
  settings: CheckSettings,
  signal: AbortSignal,
  slice: Slice,
): Promise<CheckResult | Unfinished>;
export async function checkGreen(
  target: CheckTarget,
  settings: CheckSettings,
  signal: AbortSignal,
  slice?: Slice,
): Promise<CheckResult | Unfinished> {
  if (target.route) {
    const { route, greenTargetGroup, owner } = target.route;
    const problem = diagnoseRoute(route, greenTargetGroup, owner);
    if (problem) return { verdict: failure(problem) };
  }
  const paths = probePaths(settings);
  const { versionPath } = settings;
  const firstRound = slice?.firstRound ?? 1;
  const rounds = settings.probeCount - firstRound + 1;
  // Nothing left to probe is never a pass (the ECS protocol refuses such progress before this).
  if (rounds < 1) {
    const plan = `first round ${firstRound}, ${settings.probeCount} planned`;
    return {
      verdict: failure(
        `no probe round left to run (${plan}): a verdict of success rests on answers received`,
      ),
    };
  }
  const answers: ProbeAnswer[] = await probe({
    baseUrl: target.baseUrl,
    paths,
    rounds: settings.probeCount,
    firstRound,
    requestTimeoutMs: settings.requestTimeoutMs,
    connectRetries: settings.connectRetries,
    headers: target.headers,
    signal: slice ? AbortSignal.any([signal, slice.signal]) : signal,
    versionPath,
    // One bad answer fails the release: stop there instead of spending the budget on more.
    keepGoing: (a) => judgeAnswer(a, target.expectedVersion, versionPath) === undefined,
  });
  if (signal.aborted) {
    throw signal.reason instanceof Error ? signal.reason : new Error('time budget exceeded');
  }
  const stats = (judged: readonly ProbeAnswer[]): ProbeStats => ({
    requests: judged.length,
    planned: rounds * paths.length,
    attempts: judged.reduce((sum, a) => sum + a.attempts, 0),
    ...tally(judged, versionPath),
  });
  if (slice?.signal.aborted && answers.length < rounds * paths.length) {
    // The request the slice cut short got no answer of its own: it is asked again in the next slice.
    const last = answers.at(-1);
    const judged = last && last.status === undefined ? answers.slice(0, -1) : answers;
    const failed = judged.some((a) => judgeAnswer(a, target.expectedVersion, versionPath) !== undefined);
    if (failed) {
      const verdict = decide({
        expectedVersion: target.expectedVersion,
        answers: judged,
        versionPath,
        paths,
        rounds,
      });
      return { verdict, probes: stats(judged) };
    }
    return { passedRounds: firstRound - 1 + Math.floor(judged.length / paths.length), probes: stats(judged) };
  }
  return {
    verdict: decide({ expectedVersion: target.expectedVersion, answers, versionPath, paths, rounds }),
    probes: stats(answers),
  };
}
