/**
 * The release timelines as text (`npm run plan`), Markdown tables (docs/deploy.md) and a Mermaid
 * gantt chart (README.md), all from the same model (timeline.ts).
 */
import { MILESTONE_TEXT, type Milestone, type TimelinePhase } from './phases';
import { duration, type MilestoneTime, secondsToMilestone, type Timeline } from './timeline';

const MILESTONES: readonly Milestone[] = ['first users', 'all users', 'done'];

const MILESTONE_HEADINGS: Record<Milestone, string> = {
  'first users': 'first users',
  'all users': '100 % of users',
  done: 'done',
};

function at(times: readonly MilestoneTime[], m: Milestone): string {
  const s = secondsToMilestone(times, m);
  return s === undefined ? '—' : duration(s);
}

/** `, healthy 1 min 17 s` when a healthy release reaches `m` sooner than the hook's whole budget. */
function healthy(times: readonly MilestoneTime[], m: Milestone): string {
  const t = times.find((x) => x.milestone === m);
  return t && t.typicalAfterBuild < t.afterBuild ? `, healthy ${duration(t.typicalAfterBuild)}` : '';
}

/**
 * Each strategy's milestones after the build: ours (the hook at its whole budget), with AWS's
 * defaults in brackets, and what a healthy release takes when that is sooner.
 */
function summaryCells(timelines: readonly Timeline[]): string[][] {
  return [
    ['after the build', ...MILESTONES.map((m) => `${MILESTONE_HEADINGS[m]} (AWS defaults)`)],
    ...timelines.map((t) => [
      t.strategy.title,
      ...MILESTONES.map(
        (m) => `${at(t.milestones, m)} (${at(t.awsDefaultMilestones, m)})${healthy(t.milestones, m)}`,
      ),
    ]),
  ];
}

/** What `healthy` in the summary means, for the line under the table. */
export const HEALTHY_NOTE =
  'The hook is counted at its whole time budget (`hook.timeBudgetSeconds`), the longest a correct release can take to be judged; "healthy" is the same milestone when the hook judges a healthy release in its usual ~2 s.';

/** The summary as a Markdown table (README.md, docs/deploy.md). */
export function summaryTable(timelines: readonly Timeline[]): string[] {
  const [head, ...rows] = summaryCells(timelines);
  return [
    `| ${['Strategy', ...head.slice(1)].join(' | ')} |`,
    `| --- | ${head
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** The summary as aligned text (`npm run plan`). */
export function summaryText(timelines: readonly Timeline[]): string[] {
  const cells = summaryCells(timelines);
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('   ')}`.trimEnd());
}

/** Every phase of one strategy with its setting and AWS's default (docs/deploy.md). */
export function phaseTable(timeline: Timeline): string[] {
  const rows: string[] = [];
  let elapsed = 0;
  for (const p of timeline.phases) {
    elapsed += p.seconds;
    const reached = p.milestone ? ` **→ ${MILESTONE_TEXT[p.milestone]}**` : '';
    rows.push(
      `| ${p.name}${reached} | ${duration(p.seconds)} | ${duration(elapsed)} | ${code(p.setting)} | ${awsDefault(p)} |`,
    );
  }
  return [
    '| Phase | Takes | After the push | Setting | AWS default |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows,
  ];
}

/** `2 min 30 s (30 s × 5)`; just the duration when no AWS setting drives the phase. */
function awsDefault(p: TimelinePhase): string {
  const { seconds, setting } = p.awsDefault;
  return setting === '—' || setting.startsWith('— ')
    ? duration(seconds)
    : `${duration(seconds)} (${setting})`;
}

function code(setting: string): string {
  if (setting === '—') return setting;
  const eq = setting.indexOf(' = ');
  return eq < 0 ? setting : `\`${setting.slice(0, eq)}\` = ${setting.slice(eq + 3)}`;
}

/** A Mermaid gantt chart of the phases, seconds after the push, one section per strategy. */
export function ganttChart(timelines: readonly Timeline[], title: string): string[] {
  const lines = ['```mermaid', 'gantt', `  title ${title}`, '  dateFormat X', '  axisFormat %M:%S'];
  timelines.forEach((t, i) => {
    lines.push(`  section ${t.strategy.title}`);
    let start = 0;
    t.phases.forEach((p, j) => {
      const end = start + p.seconds;
      lines.push(`  ${label(p.name)} :${t.strategy.id}${j}, ${start}, ${end}`);
      if (p.milestone)
        lines.push(`  ${label(MILESTONE_HEADINGS[p.milestone])} :milestone, m${i}${j}, ${end}, ${end}`);
      start = end;
    });
  });
  lines.push('```');
  return lines;
}

/** Mermaid task names end at `:` and must not hold `#` or `;`. */
function label(name: string): string {
  return name.replace(/[:;#]/g, ' -').replace(/%/g, ' percent').replace(/\s+/g, ' ');
}

/** The text `npm run plan` prints for each strategy: its phases, each milestone after the phase that reaches it. */
export function planLines(timeline: Timeline): string[] {
  const rows = timeline.phases.map((p) => [
    p.name,
    duration(p.seconds),
    p.awsDefault.seconds === p.seconds ? p.setting : `${p.setting}; with AWS defaults ${awsDefault(p)}`,
  ]);
  const header = ['phase', 'takes', 'driven by'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  const out = [`${timeline.strategy.title} (${timeline.strategy.id})`, line(header)];
  timeline.phases.forEach((_, i) => {
    out.push(line(rows[i]));
    const reached = timeline.milestones.filter((t) => t.phase === i);
    // One line when the first users are all users (one rolling round, an all-at-once shift).
    const shown = reached.some((t) => t.milestone === 'all users')
      ? reached.filter((t) => t.milestone !== 'first users')
      : reached;
    for (const m of shown) {
      const aws = timeline.awsDefaultMilestones.find((t) => t.milestone === m.milestone);
      out.push(
        `    → ${MILESTONE_TEXT[m.milestone]}: ${duration(m.afterBuild)} after the build (${duration(m.afterPush)} after the push)${aws ? `; with AWS defaults ${duration(aws.afterBuild)}` : ''}`,
      );
      if (m.typicalAfterBuild < m.afterBuild) {
        out.push(
          `      (${duration(m.typicalAfterBuild)} when the hook judges a healthy release in its usual time, not at its whole budget)`,
        );
      }
    }
  });
  return out;
}
