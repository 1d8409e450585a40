/**
 * `npm run plan`: how long a push takes to reach users, per strategy, phase by phase, for the
 * effective config (playground.config.json, PLAYGROUND_* and `--set`), beside the same phases under
 * AWS's default settings; then what it costs a month and per push. Reads no AWS account.
 */
import { ConfigError, type PlaygroundConfig, REPO_ROOT, resolveConfig } from '../../config';
import { type CommandSpec, parseOrExit, UsageError, usageFailure } from '../cli/args';
import { settingsOverrides } from '../cli/settings';
import { alarmCounts } from '../cost/alarms';
import { dollars, monthlyCost, perDeployCost, total } from '../cost/model';
import { failureLines } from '../timeline/failure-render';
import { failurePaths } from '../timeline/failures';
import { planLines, summaryText } from '../timeline/render';
import { duration, releaseTimelines, type Timeline } from '../timeline/timeline';
import { timeoutLines } from '../timeline/timeouts-render';

export const PLAN_COMMAND: CommandSpec = {
  command: 'npm run plan --',
  summary:
    'How long a push takes to reach users in each strategy of app.strategies, phase by phase, with the\n' +
    'setting behind each phase and AWS’s default beside it; how a bad release (crash, unhealthy,\n' +
    'wrong-version, an alarm after the shift) is detected and rolled back; and what it costs.\n' +
    'Reads no AWS account.',
  options: [
    {
      name: 'set',
      value: 'path=value',
      multiple: true,
      help: 'try a setting without editing a file, e.g. --set blueGreen.deploymentConfig=CodeDeployDefault.ECSCanary10Percent15Minutes (JSON values too)',
    },
    { name: 'json', help: 'print the timelines, failure paths and costs as JSON' },
  ],
};

export interface PlanIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  /** Where playground.config.json is looked for. */
  cwd: string;
}

export function main(argv: readonly string[], io: PlanIo = processIo()): number {
  const values = parseOrExit(PLAN_COMMAND, argv, io);
  if (typeof values === 'number') return values;
  try {
    const overrides = settingsOverrides((values.set as string[] | undefined) ?? []);
    const { config, source } = resolveConfig({ env: io.env, cwd: io.cwd, overrides });
    const timelines = releaseTimelines(config);
    const month = total(monthlyCost(config, alarmCounts(config).total));
    const push = total(perDeployCost(config));
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            config: source,
            timelines: timelines.map(asJson),
            failurePaths: Object.fromEntries(
              timelines.map((t) => [t.strategy.id, failurePaths(config, t.strategy.id)]),
            ),
            costUsd: { month, push },
          },
          null,
          2,
        ),
      );
      return 0;
    }
    for (const line of planText(config, source, timelines, month, push)) io.out(line);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(PLAN_COMMAND, err, io);
    if (err instanceof ConfigError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

export function planText(
  config: PlaygroundConfig,
  source: string,
  timelines: readonly Timeline[],
  month: number,
  push: number,
): string[] {
  return [
    `Release timeline of ${config.app.name}-${config.app.stage} (config: ${source}): a push to ${config.github.branch}, phase by phase`,
    ...timelines.flatMap((t) => ['', ...planLines(t), ...failureLines(config, t.strategy)]),
    '',
    ...summaryText(timelines),
    '',
    ...timeoutLines(config),
    '',
    `Cost: ${dollars(month)} a month running; ${dollars(push, 3)} per push through every pipeline (docs/deploy.md#cost).`,
  ];
}

function asJson(t: Timeline) {
  return {
    strategy: t.strategy.id,
    title: t.strategy.title,
    phases: t.phases.map((p) => ({
      name: p.name,
      seconds: p.seconds,
      setting: p.setting,
      awsDefault: p.awsDefault,
      basis: p.basis,
      ...(p.milestone ? { milestone: p.milestone } : {}),
    })),
    milestones: t.milestones,
    awsDefaultMilestones: t.awsDefaultMilestones,
    afterBuild: Object.fromEntries(t.milestones.map((m) => [m.milestone, duration(m.afterBuild)])),
  };
}

function processIo(): PlanIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: REPO_ROOT,
  };
}
