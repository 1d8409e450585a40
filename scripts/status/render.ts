/**
 * The status screen: one block per strategy, labels in one aligned column, state words coloured
 * only through the palette (plain text off a terminal or with NO_COLOR).
 */
import { type Palette, visibleLength } from '../cli/color';
import { ago, bar, clockTime, duration } from '../cli/format';
import {
  type AlarmView,
  type CodeDeployView,
  type DeploymentView,
  type EcsRolloutView,
  type EcsServiceDeploymentView,
  isError,
  type OrError,
  type Phase,
  type PipelineView,
  type ServiceView,
  type StatusReport,
  type StrategyStatus,
} from './report';

const LABEL = 12;
/** Wrap long lines (lifecycle events, reasons) at this many columns. */
const WIDTH = 110;

export function renderStatus(report: StatusReport, p: Palette): string[] {
  const lines = [
    p.bold(
      `${report.prefix} in ${report.region}${report.account ? ` (account ${report.account})` : ''} at ` +
        `${report.generatedAt.slice(0, 10)} ${clockTime(report.generatedAt)}`,
    ),
  ];
  for (const s of report.strategies) lines.push('', ...renderStrategy(s, report.generatedAt, p));
  for (const note of report.notes) lines.push('', p.yellow(`note: ${note}`));
  const c = report.cost;
  lines.push(
    '',
    row(
      'cost',
      `≈ $${c.monthlyUsd.toFixed(2)} per month, ≈ $${c.perPushUsd.toFixed(3)} per push ` +
        p.dim(`(${c.note}, checked ${c.pricesChecked})`),
    ),
  );
  return lines;
}

export function phaseWord(phase: Phase, p: Palette): string {
  const word = phase.replace(/-/g, ' ');
  if (phase === 'stable') return p.green(`● ${word}`);
  if (phase === 'failed' || phase === 'rolled-back') return p.red(`● ${word}`);
  if (phase === 'not-deployed' || phase === 'unknown') return p.dim(`○ ${word}`);
  return p.yellow(`◐ ${word}`);
}

function renderStrategy(s: StrategyStatus, now: string, p: Palette): string[] {
  const head = `${p.bold(s.title)}  ${phaseWord(s.phase, p)}  ${p.dim(s.stack.name)}`;
  if (s.phase === 'not-deployed') {
    const status = s.stack.status ? ` (stack ${s.stack.status})` : '';
    return [head, row('deploy', `not deployed${status}: ${s.deployHint}`)];
  }
  const lines = [head];
  if (s.serving) lines.push(row('serving', serving(s.serving, p), false));
  if (s.service) lines.push(row('service', service(s.service)));
  if (s.deployment) lines.push(...deployment(s.deployment, now, p));
  if (s.pipeline) lines.push(row('pipeline', pipeline(s.pipeline, p)));
  if (s.alarms) lines.push(row('alarms', alarms(s.alarms, p)));
  return lines;
}

/** `wrapLong: false` for a line ending in a URL, which must stay whole to be copied. */
function row(label: string, text: string, wrapLong = true): string {
  const line = `  ${label.padEnd(LABEL)}${text}`;
  return wrapLong ? wrap(line, ' '.repeat(LABEL + 2)) : line;
}

/** Breaks at ` · ` or spaces so that no line is much wider than WIDTH; continuation lines indent. */
function wrap(line: string, indent: string): string {
  if (visibleLength(line) <= WIDTH) return line;
  const lead = /^ */.exec(line)?.[0] ?? '';
  const out: string[] = [];
  let current = lead;
  for (const w of line.slice(lead.length).split(' ')) {
    if (current.trim() && visibleLength(current) + 1 + visibleLength(w) > WIDTH) {
      out.push(current);
      current = indent + w;
    } else current = current.trim() ? `${current} ${w}` : current + w;
  }
  out.push(current);
  return out.join('\n');
}

function serving(v: NonNullable<StrategyStatus['serving']>, p: Palette): string {
  if (isError(v)) return p.red(v.error);
  if (v.error && v.status === undefined) return `${p.red(`no answer: ${v.error}`)}  ${p.dim(v.url)}`;
  const ok = v.status !== undefined && v.status < 300;
  const what = v.version ? p.bold(v.version) : p.red(v.error ?? 'no version');
  const status = ok ? `${v.status}` : p.red(`HTTP ${v.status}`);
  return `${what}  ${status} in ${Math.round(v.latencyMs ?? 0)} ms  ${p.dim(v.url)}`;
}

function service(v: OrError<ServiceView>): string {
  if (isError(v)) return v.error;
  if (v.status === 'MISSING') return `${v.name}: no such service in the cluster`;
  const parts = [`${v.running}/${v.desired} running, ${v.pending} pending`];
  if (v.taskDefinition) parts.push(v.taskDefinition);
  if (v.imageTag) parts.push(`image ${v.imageTag}`);
  return parts.join(' · ');
}

function deployment(v: OrError<DeploymentView>, now: string, p: Palette): string[] {
  if (isError(v)) return [row('deployment', p.red(v.error))];
  if (v.kind === 'codedeploy') return codeDeploy(v, now, p);
  if (v.kind === 'ecs-rolling') return rollout(v, p);
  return serviceDeployment(v, p);
}

function rollout(v: EcsRolloutView, p: Palette): string[] {
  const state = v.rolloutState ?? 'unknown';
  const lines = [
    row(
      'rollout',
      v.rolledBack
        ? p.red(`rolled back${v.serviceDeployment ? ` (${v.serviceDeployment.status})` : ''}`)
        : state === 'COMPLETED'
          ? p.green(state)
          : state === 'FAILED'
            ? p.red(state)
            : p.yellow(state),
    ),
  ];
  if (v.reason) lines.push(row('reason', v.reason));
  const triggered = v.serviceDeployment?.triggeredAlarms ?? [];
  if (triggered.length) lines.push(row('tripped', p.red(triggered.join(', '))));
  return lines;
}

const EVENT_MARK: Record<string, string> = {
  Succeeded: '✓',
  Failed: '✗',
  InProgress: '▶',
  Pending: '·',
  Skipped: '–',
  Unknown: '?',
};

function codeDeploy(v: CodeDeployView, now: string, p: Palette): string[] {
  const statusWord =
    v.status === 'Succeeded'
      ? p.green(v.status)
      : ['Failed', 'Stopped'].includes(v.status)
        ? p.red(v.status)
        : p.yellow(v.status);
  const when = v.current ? ago(v.createdAt, now) : ago(v.completedAt ?? v.createdAt, now);
  const lines = [
    row(
      'deployment',
      [`${v.id} ${statusWord}`, v.config, when ? `${v.current ? 'started' : 'ended'} ${when}` : undefined]
        .filter(Boolean)
        .join(' · '),
    ),
  ];
  if (v.traffic) {
    const green = v.traffic.green / 100;
    lines.push(
      row(
        'traffic',
        `blue ${fmt(v.traffic.blue)} % ${p.cyan(bar(green, 20))} green ${fmt(v.traffic.green)} %`,
      ),
    );
  }
  if (v.wait) {
    const what = v.wait.kind === 'canary-bake' ? 'canary bake' : 'termination wait (blue kept for rollback)';
    lines.push(
      row('wait', `${what}: ${duration(v.wait.secondsLeft)} left (until ${clockTime(v.wait.endsAt)})`),
    );
  }
  if (v.lifecycle.length) {
    const events = v.lifecycle.map((e) => {
      const text = `${e.name} ${EVENT_MARK[e.status] ?? e.status}`;
      return e.status === 'Failed' ? p.red(text) : e.status === 'InProgress' ? p.yellow(text) : text;
    });
    lines.push(row('lifecycle', events.join(' ')));
  }
  if (v.hook) {
    const h = v.hook;
    const result =
      h.status === 'Succeeded'
        ? p.green(h.status)
        : h.status === 'Failed'
          ? p.red(h.status)
          : p.yellow(`${h.status}: waiting for the hook's verdict`);
    const expected = h.expectedVersion ? ` (expected ${h.expectedVersion})` : '';
    lines.push(row('hook', `${h.event} ${result}${expected}`));
    for (const reason of h.reasons) lines.push(row('', `${p.red('reason')} ${reason}`));
    if (h.status === 'Failed' && h.reasons.length === 0 && h.source) lines.push(row('', p.dim(h.source)));
  }
  const failed = v.lifecycle.find((e) => e.status === 'Failed' && e.message);
  if (failed) lines.push(row('error', `${failed.name}: ${failed.message}`));
  else if (v.errorMessage && !v.current && v.status !== 'Succeeded') lines.push(row('error', v.errorMessage));
  if (v.rollbackMessage) lines.push(row('rollback', v.rollbackMessage));
  return lines;
}

function serviceDeployment(v: EcsServiceDeploymentView, p: Palette): string[] {
  const lines = [row('deployment', [v.status, v.lifecycleStage].filter(Boolean).join(' · '))];
  if (v.traffic) {
    lines.push(
      row(
        'traffic',
        `old ${fmt(v.traffic.old)} % ${p.cyan(bar(v.traffic.new / 100, 20))} new ${fmt(v.traffic.new)} %`,
      ),
    );
  }
  const config = [
    v.canaryPercent !== undefined ? `canary ${v.canaryPercent} %` : undefined,
    v.canaryBakeMinutes !== undefined ? `canary bake ${v.canaryBakeMinutes} min` : undefined,
    v.bakeMinutes !== undefined ? `bake ${v.bakeMinutes} min` : undefined,
  ].filter(Boolean);
  if (config.length) lines.push(row('config', config.join(' · ')));
  for (const h of v.hooks) {
    lines.push(row('hook', `${h.target} ${h.status}`));
    for (const reason of h.reasons ?? []) lines.push(row('', p.red(reason)));
  }
  if (v.statusReason) lines.push(row('reason', v.statusReason));
  if (v.rollbackReason) lines.push(row('rollback', v.rollbackReason));
  return lines;
}

function pipeline(v: OrError<PipelineView>, p: Palette): string {
  if (isError(v)) return p.red(v.error);
  const e = v.execution;
  const head = e
    ? [
        e.status === 'Succeeded'
          ? p.green(e.status)
          : e.status === 'Failed'
            ? p.red(e.status)
            : p.yellow(e.status),
        e.commit ? `${e.commit}${e.message ? ` "${e.message}"` : ''}` : undefined,
        e.ageSeconds !== undefined ? `started ${duration(e.ageSeconds)} ago` : undefined,
      ]
        .filter(Boolean)
        .join(' · ')
    : 'never ran';
  const stages = v.stages.map((s) => `${s.name} ${EVENT_MARK[s.status] ?? s.status}`).join(' ');
  return stages ? `${head} · ${stages}` : head;
}

function alarms(v: OrError<AlarmView[]>, p: Palette): string {
  if (isError(v)) return p.red(v.error);
  if (v.length === 0) return p.dim('none configured');
  const firing = v.filter((a) => a.state !== 'OK');
  const ok = v.length - firing.length;
  const parts = ok ? [p.green(`${ok} OK`)] : [];
  for (const a of firing) parts.push((a.state === 'ALARM' ? p.red : p.yellow)(`${a.name} ${a.state}`));
  return parts.join(', ');
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
