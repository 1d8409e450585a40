/**
 * `npm run deploy` and `npm run destroy`: flags → config → checks → plan → dry-run print or execution.
 * Every failure before execution is one clear message and a non-zero exit, with nothing changed in AWS:
 * flags and config are checked first, then the credentials (STS), and only then does anything run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployTemplateDir } from '../../cloudformation/stacks';
import {
  ConfigError,
  envWithConfig,
  namesFor,
  PLACEHOLDER_GITHUB_OWNER,
  type PlaygroundConfig,
  type ResolvedConfig,
  resolveConfig,
  stacksFor,
} from '../../config';
import { type CommandSpec, UsageError, usageFailure, usageText } from '../cli/args';
import { DEPLOY_COMMAND, DESTROY_COMMAND, type ParsedArgs, parseDeployArgs } from './args';
import { CredentialsError, checkCredentials } from './aws/credentials';
import { regionWarning } from './aws/environment';
import { gatherFacts } from './aws/facts';
import { type CostSummary, confirmDeploy, costLine, costSummary, NeedsConfirmation } from './consent';
import { formatDeployPlan, formatDestroyPlan, stepDecisions } from './describe';
import { executeDeploy, executeDestroy, stepTitle } from './execute';
import { manualCommands } from './manual';
import {
  deployPlan,
  destroyPlan,
  PlanError,
  placeholderOwnerMessage,
  planWarnings,
  type Templates,
} from './plan';
import type { Runtime } from './runtime';
import { loadTemplates, templateBody } from './templates';

/** Seconds between polls: CloudFormation and CodePipeline move in tens of seconds; 5 s keeps output live. */
export const POLL_SECONDS = 5;

export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Whether a person can answer a prompt (stdin is a terminal). */
  interactive: boolean;
  ask(question: string): Promise<string>;
  /** Generates the templates for the config the environment describes into `dir`. */
  synth(env: Record<string, string>, dir: string): Promise<void>;
  /** The runtime of a real run; only called after every local check passed. */
  runtime(region: string): Runtime;
  /**
   * The repository root: where playground.config.json is read and where the templates of your config
   * are written, cloudformation/out/<stage>/ (tests use a fixture directory).
   */
  root: string;
}

export async function deployMain(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, DEPLOY_COMMAND, async () => {
    const args = parseDeployArgs(argv, DEPLOY_COMMAND, io.env);
    if (args.help) {
      io.out(usageText(DEPLOY_COMMAND));
      return 0;
    }
    const { config, source } = configFor(args, io);
    const notices = [...args.npmNotes, ...warningsOf(regionWarning(config, io.env))];
    const placeholder = config.github.owner === PLACEHOLDER_GITHUB_OWNER;
    const localOnly = args.dryRun || args.printCommands;
    if (placeholder && !localOnly) throw new PlanError(placeholderOwnerMessage());
    const commandEnv = commandEnvFor(config);

    let rt: Runtime | undefined;
    if (!localOnly) {
      for (const line of notices) io.out(line);
      rt = io.runtime(config.app.region);
      const who = await checkCredentials(rt, io.env);
      io.out(
        `Deploying ${namesFor(config).prefix} to account ${who.account}, region ${config.app.region} as ${who.arn}`,
      );
    }

    // A real run and --print-commands write the templates of this config where the manual path
    // expects them, cloudformation/out/<stage>/ (git-ignored; never the committed reference folder);
    // a dry run changes no file at all, so its templates go to a temporary directory.
    const stageDir = deployTemplateDir(config.app.stage);
    const templateDir = args.dryRun
      ? mkdtempSync(join(tmpdir(), 'playground-templates-'))
      : join(io.root, stageDir);
    let templates: Templates;
    try {
      await io.synth(commandEnv, templateDir);
      templates = loadTemplates(templateDir, config.app.stage, stacksFor(config));
    } finally {
      // The plan keeps only paths and parameter names; a dry run's copies are not needed after this.
      if (args.dryRun) rmSync(templateDir, { recursive: true, force: true });
    }
    if (rt) io.out(`Config: ${source}; templates: ${stageDir}/ (git-ignored)`);
    const facts = rt ? await gatherFacts(rt, config) : {};
    // Everything that would stop the run (stack states, quota, changes CloudFormation cannot apply
    // in place) is found here, before the first change.
    const steps = deployPlan(config, templates, facts, { dryRun: localOnly });
    const cost: CostSummary = costSummary(config, templates);

    if (args.printCommands) {
      const envPrefix = args.stage ? `PLAYGROUND_STAGE=${config.app.stage} ` : '';
      for (const line of manualCommands(config, steps, envPrefix)) io.out(line);
      return 0;
    }
    if (!rt) {
      const warnings = placeholder
        ? [`${placeholderOwnerMessage()} — a real deploy refuses the placeholder`]
        : [];
      const plan = formatDeployPlan(config, steps, {
        warnings,
        source,
        pollSeconds: POLL_SECONDS,
        notices: [...notices, costLine(config, cost)],
      });
      for (const line of plan) io.out(line);
      return 0;
    }
    io.out(costLine(config, cost));
    for (const warning of planWarnings(config, facts)) io.out(`warning: ${warning}`);
    io.out('Plan:');
    steps.forEach((step, i) => {
      io.out(`  ${i + 1}. ${stepTitle(step)}`);
      for (const decision of stepDecisions(step)) io.out(`       ${decision}`);
    });
    if (!(await confirmDeploy(config, { steps, facts, cost }, args.yes, io))) return 1;
    const outcome = await executeDeploy(rt, steps, {
      config,
      commandEnv,
      readTemplate: (path) => templateBody(path, templateDir),
    });
    if (outcome === 'waiting-for-connection') {
      io.out('\nStopped: re-run `npm run deploy` after approving the connection.');
    }
    return 0;
  });
}

export async function destroyMain(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, DESTROY_COMMAND, async () => {
    const args = parseDeployArgs(argv, DESTROY_COMMAND, io.env);
    if (args.help) {
      io.out(usageText(DESTROY_COMMAND));
      return 0;
    }
    const { config } = configFor(args, io);
    const notices = [...args.npmNotes, ...warningsOf(regionWarning(config, io.env))];
    const steps = destroyPlan(config);
    if (args.dryRun) {
      for (const line of formatDestroyPlan(config, steps, POLL_SECONDS, notices)) io.out(line);
      return 0;
    }
    for (const line of notices) io.out(line);
    if (!args.yes && !io.interactive) {
      throw new NeedsConfirmation(
        'refusing to destroy without confirmation: no terminal to ask in; pass --yes to confirm (nothing was deleted)',
      );
    }
    const rt = io.runtime(config.app.region);
    const who = await checkCredentials(rt, io.env);
    const prefix = namesFor(config).prefix;
    if (!args.yes) {
      io.out(
        `This deletes every stack of ${prefix} in account ${who.account}, region ${config.app.region}, ` +
          'with its images and pipeline artifacts.',
      );
      const answer = (await io.ask(`Type the stage name (${config.app.stage}) to confirm: `)).trim();
      if (answer !== config.app.stage) {
        io.err(`error: you typed "${answer}", not "${config.app.stage}": nothing was deleted`);
        return 1;
      }
    }
    await executeDestroy(rt, steps, { config, commandEnv: commandEnvFor(config) });
    io.out(`\nDestroyed ${prefix}.`);
    return 0;
  });
}

/** The one loader (config/load.ts) with `--stage` applied last. */
function configFor(args: ParsedArgs, io: Io): ResolvedConfig {
  return resolveConfig({
    env: io.env,
    cwd: io.root,
    overrides: args.stage ? { app: { stage: args.stage } } : undefined,
  });
}

/**
 * Child commands (synth, sls) get the resolved config itself as PLAYGROUND_CONFIG_JSON (first in the
 * loader's order) with its stage and region: they cannot resolve a different one.
 */
function commandEnvFor(config: PlaygroundConfig): Record<string, string> {
  return envWithConfig({}, config);
}

const warningsOf = (warning: string | undefined) => (warning ? [`warning: ${warning}`] : []);

async function guarded(io: Io, command: CommandSpec, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(command, err, io);
    if (err instanceof NeedsConfirmation) {
      io.err(`error: ${err.message}`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof PlanError || err instanceof CredentialsError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    // DEPLOY_DEBUG=1: the stack trace too, for reporting a bug in the scripts themselves.
    if (io.env.DEPLOY_DEBUG) io.err(String((err as Error).stack));
    return 1;
  }
}
