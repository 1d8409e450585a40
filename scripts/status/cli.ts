/**
 * `npm run status [-- --json] [-- --stage <name>]`: what is live, per strategy, in one screen.
 * Read-only. Order: flags (no AWS call for --help or a bad flag) → config → credentials (STS, one
 * clear message when there are none or the region is wrong) → every strategy in parallel → screen.
 *
 * Exit codes: 0 everything was read (whatever its state), 1 something could not be read (the
 * screen says what and which permission), 2 bad flags.
 */
import { loadConfig, namesFor, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { type CommandSpec, parseCommandArgs, UsageError, usageFailure, usageText } from '../cli/args';
import { colorEnabled, palette } from '../cli/color';
import { checkAwsEnvironment, checkCredentials } from '../deploy/aws/credentials';
import { AwsGateway, createStatusClients, type StatusClients } from './aws';
import { collectStatus } from './collect';
import type { DescribeContext } from './context';
import { type ProbeResult, probeVersion } from './probe';
import { renderStatus } from './render';
import { isError, type StatusReport } from './report';

export const STATUS_COMMAND: CommandSpec = {
  command: 'npm run status --',
  summary:
    'Shows, per strategy (rolling, blue/green, ECS canary), the commit each load balancer serves, the\n' +
    'ECS service, the deployment in progress (rolling: rollout and circuit breaker; blue/green: the\n' +
    'CodeDeploy lifecycle, traffic weights, hook verdict; ECS canary: the lifecycle stage, traffic\n' +
    'weights, hook), the pipeline, the alarms and the monthly cost. Read-only; needs the IAM read\n' +
    'permissions listed in docs/status.md.',
  options: [
    { name: 'json', help: 'print the status as JSON (shape: docs/status.md#json)' },
    { name: 'stage', value: 'name', help: 'stage to show (one of app.stages); default app.stage' },
  ],
};

export interface StatusIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour). */
  isTTY: boolean;
  /** The validated config for a stage override; tests pass theirs instead of reading the developer's. */
  config(stage: string | undefined): PlaygroundConfig;
  /** Only called after flags and config are valid. */
  clients(region: string): StatusClients;
  now(): number;
  probe(url: string): Promise<ProbeResult>;
}

export async function statusMain(argv: readonly string[], io: StatusIo): Promise<number> {
  try {
    const args = parseCommandArgs(argv, STATUS_COMMAND.options);
    if (args.help) {
      io.out(usageText(STATUS_COMMAND));
      return 0;
    }
    const config = io.config(typeof args.stage === 'string' ? args.stage : undefined);
    // On stderr: --json stays one document.
    for (const line of checkAwsEnvironment(config, io.env)) io.err(line);
    const { report } = await snapshot(config, io);
    if (args.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of renderStatus(report, palette(colorEnabled(io.isTTY, io.env)))) io.out(line);
    return unreadable(report) ? 1 : 0;
  } catch (err) {
    return failure(STATUS_COMMAND, err, io);
  }
}

/**
 * How status and watch end on an error: usage errors exit 2 with the usage; a config error, an AWS
 * call that failed (ConfigError, AwsCallError) or a bug in the script exit 1 with one line, never a
 * stack trace.
 */
export function failure(command: CommandSpec, err: unknown, io: Pick<StatusIo, 'out' | 'err'>): number {
  if (err instanceof UsageError) return usageFailure(command, err, io);
  io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}

/** The credentials check and one snapshot; also the first step of `npm run watch`. */
export async function snapshot(
  config: PlaygroundConfig,
  io: Pick<StatusIo, 'clients' | 'now' | 'probe'>,
  gateway?: AwsGateway,
  cache = new Map<string, unknown>(),
): Promise<{ report: StatusReport; ctx: DescribeContext }> {
  const aws = gateway ?? new AwsGateway(io.clients(config.app.region), config.app.region, io.now);
  const who = await aws.call('sts:GetCallerIdentity', (c) =>
    checkCredentials({ clients: { sts: c.sts }, region: config.app.region }),
  );
  const ctx: DescribeContext = { aws, config, names: namesFor(config), now: io.now, probe: io.probe, cache };
  return { report: await collectStatus(ctx, who.account), ctx };
}

function unreadable(report: StatusReport): boolean {
  return report.strategies.some((s) =>
    [s.serving, s.service, s.deployment, s.pipeline, s.alarms].some((section) => isError(section)),
  );
}

export function processStatusIo(): StatusIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    config: (stage) =>
      loadConfig({ env: process.env, cwd: REPO_ROOT, overrides: stage ? { app: { stage } } : undefined }),
    clients: (region) => createStatusClients(region),
    now: () => Date.now(),
    probe: (url) => probeVersion(url),
  };
}
