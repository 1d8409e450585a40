/**
 * `npm run deploy` and `npm run destroy`: flags → config → checks → plan → dry-run print or execution.
 * Every failure before execution is one clear message and a non-zero exit, with nothing changed in AWS:
 * flags and config are checked first, then the credentials (STS), and only then does anything run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  loadConfig,
  namesFor,
  PLACEHOLDER_GITHUB_OWNER,
  type PlaygroundConfig,
  REPO_ROOT,
  runs,
  stacksFor,
} from '../../config';
import { DEPLOY_FLAGS, DESTROY_FLAGS, type ParsedArgs, parseArgs, UsageError, usage } from './args';
import { createClients } from './aws/clients';
import { CredentialsError, checkCredentials } from './aws/credentials';
import { latestCommitImage, runningImage } from './aws/images';
import { describeStack } from './aws/stacks';
import { formatDeployPlan, formatDestroyPlan } from './describe';
import { executeDeploy, executeDestroy } from './execute';
import { manualCommands } from './manual';
import {
  deployPlan,
  destroyPlan,
  type Facts,
  PlanError,
  placeholderOwnerMessage,
  type Templates,
} from './plan';
import { type Runtime, runCommand, sleep } from './runtime';
import { DEFAULT_TEMPLATE_DIR, loadTemplates, templateBody } from './templates';

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
  /** Where a real run's templates go: cloudformation/templates/ (tests use a fixture). */
  templateDir: string;
}

export async function deployMain(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const args = parseArgs(argv, DEPLOY_FLAGS);
    if (args.help) {
      io.out(usage('npm run deploy --', DEPLOY_FLAGS));
      return 0;
    }
    const config = configFor(args, io);
    const placeholder = config.github.owner === PLACEHOLDER_GITHUB_OWNER;
    const localOnly = args.dryRun || args.printCommands;
    if (placeholder && !localOnly) throw new PlanError(placeholderOwnerMessage());
    const commandEnv = commandEnvFor(config);

    let rt: Runtime | undefined;
    if (!localOnly) {
      rt = io.runtime(config.app.region);
      const who = await checkCredentials(rt);
      io.out(
        `Deploying ${namesFor(config).prefix} to account ${who.account}, region ${config.app.region} as ${who.arn}`,
      );
    }

    // A real run writes the templates it deploys where the manual path expects them; a dry run
    // changes no file in the repository, so its templates go to a temporary directory.
    const templateDir = localOnly ? mkdtempSync(join(tmpdir(), 'playground-templates-')) : io.templateDir;
    let templates: Templates;
    try {
      await io.synth(commandEnv, templateDir);
      templates = loadTemplates(templateDir, stacksFor(config));
    } finally {
      // The plan keeps only paths and parameter names; a dry run's copies are not needed after this.
      if (localOnly) rmSync(templateDir, { recursive: true, force: true });
    }
    const facts = rt ? await gatherFacts(rt, config) : {};
    const steps = deployPlan(config, templates, facts, { dryRun: localOnly });

    if (args.printCommands) {
      const envPrefix = args.stage ? `PLAYGROUND_STAGE=${config.app.stage} ` : '';
      for (const line of manualCommands(config, steps, envPrefix)) io.out(line);
      return 0;
    }
    if (!rt) {
      const warnings = placeholder
        ? [`${placeholderOwnerMessage()} — a real deploy refuses the placeholder`]
        : [];
      for (const line of formatDeployPlan(config, steps, warnings, POLL_SECONDS)) io.out(line);
      return 0;
    }
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
  return guarded(io, async () => {
    const args = parseArgs(argv, DESTROY_FLAGS);
    if (args.help) {
      io.out(usage('npm run destroy --', DESTROY_FLAGS));
      return 0;
    }
    const config = configFor(args, io);
    const steps = destroyPlan(config);
    if (args.dryRun) {
      for (const line of formatDestroyPlan(config, steps, POLL_SECONDS)) io.out(line);
      return 0;
    }
    if (!args.yes && !io.interactive) {
      throw new UsageError(
        'refusing to destroy without confirmation: no terminal to ask in; pass --yes to confirm (nothing was deleted)',
      );
    }
    const rt = io.runtime(config.app.region);
    const who = await checkCredentials(rt);
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

/** Facts a real deploy reads before planning (see plan.ts for how each is used), for the strategies it runs. */
export async function gatherFacts(rt: Runtime, config: PlaygroundConfig): Promise<Facts> {
  const names = namesFor(config);
  const running = (service: string) => runningImage(rt, names.cluster, service, config.container.name);
  const [rollingRunningImage, canaryRunningImage, blueGreen, latestImage] = await Promise.all([
    runs(config, 'rolling') ? running(names.rolling.service) : undefined,
    runs(config, 'canary') ? running(names.ecsCanary.service) : undefined,
    runs(config, 'bluegreen') ? describeStack(rt, names.stackName('service-bluegreen')) : undefined,
    latestCommitImage(rt, names.ecrRepository),
  ]);
  const status = blueGreen?.StackStatus;
  const blueGreenStackExists =
    status !== undefined && !['REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'DELETE_COMPLETE'].includes(status);
  return { rollingRunningImage, canaryRunningImage, blueGreenStackExists, latestImage };
}

function configFor(args: ParsedArgs, io: Io): PlaygroundConfig {
  return loadConfig({ env: io.env, overrides: args.stage ? { app: { stage: args.stage } } : undefined });
}

/** Child commands (synth, sls) load the same config: same file, same stage and region. */
function commandEnvFor(config: PlaygroundConfig): Record<string, string> {
  return { PLAYGROUND_STAGE: config.app.stage, PLAYGROUND_REGION: config.app.region };
}

async function guarded(io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
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

/** The real process: console, environment, terminal prompt, AWS clients. */
export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    interactive: process.stdin.isTTY === true,
    ask: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    synth: synthTemplates,
    templateDir: DEFAULT_TEMPLATE_DIR,
    runtime: (region) => ({
      clients: createClients(region),
      region,
      log: (line) => process.stdout.write(`${line}\n`),
      sleep,
      now: () => new Date(),
      run: runCommand,
      pollMs: POLL_SECONDS * 1000,
    }),
  };
}

/**
 * Runs `npm run synth`'s generator in a child process with the run's stage and region, so the
 * templates always match the config being deployed (names embed the stage). Its output goes to
 * stderr so that stdout carries only the plan. Transpile-only: `npm test` type-checks it.
 */
export function synthTemplates(env: Record<string, string>, dir: string): Promise<void> {
  const tsNode = require.resolve('ts-node/dist/bin.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsNode, '--transpile-only', 'scripts/synth.ts'], {
      cwd: REPO_ROOT,
      // SYNTH_OUT_DIR: synth's output directory (cloudformation/templates/ when unset).
      env: { ...process.env, ...env, SYNTH_OUT_DIR: dir },
      stdio: ['ignore', 2, 2],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new PlanError(`generating the templates failed (scripts/synth.ts exited ${code})`)),
    );
  });
}
