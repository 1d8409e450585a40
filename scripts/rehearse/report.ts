/**
 * What a rehearsal reports, per strategy (docs/rehearse.md#the-report documents the shape):
 * `strategy`, `release`, `outcome` (completed | rolled-back), `stoppedBy` (the mechanism and its
 * reason), `requests`, `failedRequests` (connection errors and 5xx), `badVersionResponses` (answers
 * users got from a version they should not have seen), `canaryShare` (the measured percent of the new
 * version during the canary phase, where there is one), `phases` (name, start, end, the AWS time
 * each stands for, and what `npm run plan` predicts for it) and `modelCheck` (a bad release's
 * measured detection and rollback against the failure model's prediction, check.ts).
 */
import type { PlaygroundConfig, StrategyId } from '../../config';
import { isAnswer, type Sample } from '../watch/stats';
import { checkLines, type FailureCheck, failureCheck } from './check';
import type { MeasuredPhase } from './phases';
import type { StrategyRun } from './strategy';
import { type Release, VERSIONS } from './tasks';

export interface StrategyReport {
  strategy: StrategyId;
  release: Release;
  outcome: 'completed' | 'rolled-back';
  stoppedBy: { mechanism: string; reason: string } | null;
  requests: number;
  failedRequests: number;
  /** The first failed requests: when (s since the deployment started) and what went wrong. */
  failures: { at: number; status?: number; error?: string }[];
  badVersionResponses: number;
  canaryShare: { configuredPercent: number; measuredPercent: number; answers: number } | null;
  /** The version that serves 100 % at the end (the last second of answers), if one does. */
  finalVersion: string | null;
  /** The measured phases, each with the share of users' answers the new version gave during it. */
  phases: (MeasuredPhase & { newVersionPercent: number | null })[];
  /** A bad release: measured against predicted detection and rollback (null: a good release). */
  modelCheck: FailureCheck | null;
  notes: string[];
}

export const isFailed = (s: Sample) => s.status === undefined || s.status >= 500;

/** Answers from a version users should not have got: any but the old one from a bad release; any but old and new from a good one. */
export function isBadVersion(s: Sample, release: Release): boolean {
  if (!isAnswer(s)) return false;
  return release === 'good' || release === 'slow-start'
    ? s.version !== VERSIONS.old && s.version !== VERSIONS.new
    : s.version !== VERSIONS.old;
}

export function strategyReport(
  run: StrategyRun,
  release: Release,
  config: PlaygroundConfig,
  speed: number,
): StrategyReport {
  const samples = run.samples;
  const at = (seconds: number) => run.deployedAt + seconds * 1000;
  const canaryPhase = run.phases.find(
    (p) => p.name.startsWith('canary:') || p.name.startsWith('traffic shifts:'),
  );
  let canaryShare: StrategyReport['canaryShare'] = null;
  if (canaryPhase && run.canaryPercent !== undefined && run.canaryPercent < 100) {
    // The canary step: from the shift to the canary percent to the end of its interval.
    const inPhase = samples.filter(
      (s) => isAnswer(s) && s.at >= at(canaryPhase.start) && s.at < at(canaryPhase.end),
    );
    const fresh = inPhase.filter((s) => s.version !== VERSIONS.old).length;
    canaryShare = {
      configuredPercent: run.canaryPercent,
      measuredPercent: inPhase.length ? Math.round((1000 * fresh) / inPhase.length) / 10 : 0,
      answers: inPhase.length,
    };
  }
  const tail = samples.filter((s) => s.at >= run.endedAt - 1000);
  const tailVersions = new Set(tail.map((s) => (isAnswer(s) ? s.version : `failed`)));
  return {
    strategy: run.strategy,
    release,
    outcome: run.result.outcome,
    stoppedBy: run.result.stoppedBy
      ? { mechanism: run.result.stoppedBy.by, reason: run.result.stoppedBy.reason }
      : null,
    requests: samples.length,
    failedRequests: samples.filter(isFailed).length,
    failures: samples
      .filter(isFailed)
      .slice(0, 20)
      .map((s) => ({ at: Math.round(s.at - run.deployedAt) / 1000, status: s.status, error: s.error })),
    badVersionResponses: samples.filter((s) => isBadVersion(s, release)).length,
    canaryShare,
    finalVersion: tailVersions.size === 1 ? ([...tailVersions][0] ?? null) : null,
    phases: run.phases.map((p) => {
      const answers = samples.filter((s) => isAnswer(s) && s.at >= at(p.start) && s.at < at(p.end));
      const fresh = answers.filter((s) => s.version !== VERSIONS.old).length;
      return {
        ...p,
        newVersionPercent: answers.length ? Math.round((1000 * fresh) / answers.length) / 10 : null,
      };
    }),
    modelCheck: failureCheck(config, run, release, speed),
    notes: run.result.notes,
  };
}

/** The printed summary: one block per strategy. */
export function summaryLines(reports: readonly StrategyReport[], speed: number): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(
      '',
      `${r.strategy}: ${r.outcome}${r.stoppedBy ? `, stopped by ${r.stoppedBy.mechanism}: ${r.stoppedBy.reason}` : ''}`,
      `  users: ${r.requests} requests, ${r.failedRequests} failed, ${r.badVersionResponses} from a bad version; serving at the end: ${r.finalVersion ?? 'mixed'}`,
    );
    for (const f of r.failures)
      lines.push(`  failed at +${f.at.toFixed(2)} s: ${f.status ?? ''} ${f.error ?? ''}`.trimEnd());
    if (r.canaryShare) {
      lines.push(
        `  canary: ${r.canaryShare.measuredPercent} % of ${r.canaryShare.answers} answers from the new version (configured ${r.canaryShare.configuredPercent} %)`,
      );
    }
    for (const n of r.notes) lines.push(`  note: ${n}`);
    lines.push(
      `  phases (measured s → the AWS time they stand for at ×${speed}; plan's prediction; version share):`,
    );
    for (const p of r.phases) {
      const took = p.end - p.start;
      const plan = p.plannedSeconds === undefined ? '' : `; plan ${p.plannedSeconds} s`;
      const share = p.newVersionPercent === null ? '' : `; users on the new version ${p.newVersionPercent} %`;
      lines.push(
        `    ${took.toFixed(1).padStart(6)} s → ${String(p.awsSeconds).padStart(5)} s  ${p.name}${plan}${share}`,
      );
    }
    if (r.modelCheck) lines.push(...checkLines(r.modelCheck));
  }
  return lines;
}
