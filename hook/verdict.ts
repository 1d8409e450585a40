/**
 * The decision, pure: probe answers + what was expected → Succeeded or Failed, with every reason.
 * Kept apart from the probing and from the AWS calls so that each rule is tested on plain data.
 */
import type { ProbeAnswer } from './probe';

export type HookStatus = 'Succeeded' | 'Failed';

export interface Verdict {
  status: HookStatus;
  /** Empty when Succeeded; otherwise one line per problem, most specific first. */
  reasons: string[];
}

export interface VerdictInput {
  expectedVersion: string;
  answers: readonly ProbeAnswer[];
  /** The version route; answers on other paths only need a 200. */
  versionPath: string;
  /** Paths every round must have answered, e.g. [`/version`, `/`]. */
  paths: readonly string[];
  rounds: number;
}

/** What is wrong with one answer, or undefined when it is a pass. */
export function judgeAnswer(
  answer: ProbeAnswer,
  expectedVersion: string,
  versionPath: string,
): string | undefined {
  const where = `probe ${answer.round} GET ${answer.path}`;
  if (answer.status === undefined) {
    const tries = answer.attempts === 1 ? '1 try' : `${answer.attempts} tries`;
    return `${where}: no answer after ${tries} (${answer.error ?? 'unknown error'})`;
  }
  if (answer.status !== 200) return `${where}: HTTP ${answer.status}, expected 200`;
  if (answer.path === versionPath && answer.version !== expectedVersion) {
    const seen =
      answer.version === undefined ? 'no readable version' : `version ${JSON.stringify(answer.version)}`;
    return `${where}: ${seen}, expected ${JSON.stringify(expectedVersion)}`;
  }
  return undefined;
}

/** Succeeded only when every expected request was answered 200 and every version matches. */
export function decide(input: VerdictInput): Verdict {
  const reasons: string[] = [];
  for (const answer of input.answers) {
    const problem = judgeAnswer(answer, input.expectedVersion, input.versionPath);
    if (problem) reasons.push(problem);
  }
  const expectedRequests = input.rounds * input.paths.length;
  if (input.answers.length < expectedRequests && reasons.length === 0) {
    reasons.push(`only ${input.answers.length} of ${expectedRequests} probe requests ran`);
  }
  return { status: reasons.length ? 'Failed' : 'Succeeded', reasons };
}

/** A verdict for a hook that could not probe at all (bad settings, discovery error, budget). */
export function failure(reason: string): Verdict {
  return { status: 'Failed', reasons: [reason] };
}

/** Counts for the summary line: `{ "abc": 9, "old": 1 }`, `{ "200": 10 }`, `{ "no answer": 1 }`. */
export function tally(answers: readonly ProbeAnswer[], versionPath: string) {
  const versions: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  for (const a of answers) {
    const status = a.status === undefined ? 'no answer' : String(a.status);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (a.path === versionPath && a.status !== undefined) {
      const v = a.version ?? '(unreadable)';
      versions[v] = (versions[v] ?? 0) + 1;
    }
  }
  return { versions, statuses };
}
