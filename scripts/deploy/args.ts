/** Command-line flags of `npm run deploy` and `npm run destroy`, on the kit's one parser (scripts/cli/args.ts). */
import { type CommandSpec, parseCommandArgs } from '../cli/args';

const DRY_RUN = {
  name: 'dry-run',
  help: 'print every step and AWS API call with its parameters; call no AWS API',
} as const;

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
      help: 'confirm deleting and re-creating the service stacks when the plan needs it (a change CloudFormation cannot apply in place)',
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
}

/** The flags of `command`; throws the parser's UsageError on a bad one. */
export function parseDeployArgs(argv: readonly string[], command: CommandSpec): ParsedArgs {
  const values = parseCommandArgs(argv, command.options);
  return {
    dryRun: values['dry-run'] === true,
    stage: typeof values.stage === 'string' ? values.stage : undefined,
    printCommands: values['print-commands'] === true,
    yes: values.yes === true,
    help: values.help === true,
  };
}
