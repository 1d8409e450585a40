/** Command-line flags of `npm run deploy` and `npm run destroy`, on the kit's one parser (scripts/cli/args.ts). */
import { type CommandSpec, npmHonouredNotes, type OptionSpec, parseCommandArgs } from '../cli/args';

/** npm taking `--dry-run` for itself (`npm run deploy --dry-run`) still makes a dry run: never a real one. */
const DRY_RUN: OptionSpec = {
  name: 'dry-run',
  help: 'print every step and AWS API call with its parameters, and the cost; call no AWS API',
  fromNpm: 'honour',
};

export const DEPLOY_COMMAND: CommandSpec = {
  command: 'npm run deploy --',
  summary:
    'Deploys every stack and the hook in dependency order (docs/deploy.md); re-running changes only\n' +
    'what changed. Checks the config, the credentials and the account before the first change.',
  options: [
    DRY_RUN,
    { name: 'stage', value: 'name', help: 'stage to deploy (one of app.stages); default app.stage' },
    {
      name: 'print-commands',
      help: 'print the equivalent manual commands (npx sls deploy, aws cloudformation deploy) and exit',
    },
    {
      name: 'yes',
      help: 'confirm creating stacks (what they cost a month) and deleting and re-creating service stacks when the plan needs it; needed without a terminal',
    },
  ],
};

export const DESTROY_COMMAND: CommandSpec = {
  command: 'npm run destroy --',
  summary:
    'Deletes everything npm run deploy created, in reverse order, emptying the ECR repository and the\n' +
    'artifact bucket first; asks you to type the stage name unless --yes is given.',
  options: [
    DRY_RUN,
    { name: 'stage', value: 'name', help: 'stage to destroy (one of app.stages); default app.stage' },
    { name: 'yes', help: 'do not ask for confirmation (needed without a terminal, e.g. in CI)' },
  ],
};

export interface ParsedArgs {
  dryRun: boolean;
  stage?: string;
  printCommands: boolean;
  yes: boolean;
  help: boolean;
  /** What the command honoured of the flags npm took for itself, one line each (scripts/cli/args.ts). */
  npmNotes: string[];
}

/**
 * The flags of `command`; throws the parser's UsageError on a bad one, and on a flag npm took for
 * itself (`npm run destroy --yes` without `--`) other than --dry-run, which is honoured.
 */
export function parseDeployArgs(
  argv: readonly string[],
  command: CommandSpec,
  env: Record<string, string | undefined>,
): ParsedArgs {
  const npm = { env, command: command.command };
  const values = parseCommandArgs(argv, command.options, npm);
  return {
    npmNotes: npmHonouredNotes(command.options, argv, npm),
    dryRun: values['dry-run'] === true,
    stage: typeof values.stage === 'string' ? values.stage : undefined,
    printCommands: values['print-commands'] === true,
    yes: values.yes === true,
    help: values.help === true,
  };
}
