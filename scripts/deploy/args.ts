/**
 * Command-line flags of `npm run deploy` and `npm run destroy`. Hand-written rather than
 * node:util parseArgs so that every mistake gets one message naming the flag and listing the
 * allowed ones.
 */

export interface Flag {
  name: string;
  /** Takes a value (`--stage dev` or `--stage=dev`). */
  value?: string;
  help: string;
}

export const DEPLOY_FLAGS: readonly Flag[] = [
  { name: 'dry-run', help: 'print every step and AWS API call with its parameters; call no AWS API' },
  { name: 'stage', value: 'name', help: 'stage to deploy (one of app.stages); default app.stage' },
  {
    name: 'print-commands',
    help: 'print the equivalent manual commands (npx sls deploy, aws cloudformation deploy) and exit',
  },
  {
    name: 'yes',
    help: 'confirm deleting and re-creating the service stacks when the plan needs it (a change CloudFormation cannot apply in place)',
  },
  { name: 'help', help: 'show this help' },
];

export const DESTROY_FLAGS: readonly Flag[] = [
  { name: 'dry-run', help: 'print every step and AWS API call with its parameters; call no AWS API' },
  { name: 'stage', value: 'name', help: 'stage to destroy (one of app.stages); default app.stage' },
  { name: 'yes', help: 'do not ask for confirmation (needed without a terminal, e.g. in CI)' },
  { name: 'help', help: 'show this help' },
];

export interface ParsedArgs {
  dryRun: boolean;
  stage?: string;
  printCommands: boolean;
  yes: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: readonly string[], flags: readonly Flag[]): ParsedArgs {
  const known = new Map(flags.map((f) => [f.name, f]));
  const allowed = flags.map((f) => `--${f.name}${f.value ? ` <${f.value}>` : ''}`).join(', ');
  const seen = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = match ? known.get(match[1]) : undefined;
    if (!match || !flag) {
      const what = arg.startsWith('-') ? 'unknown flag' : 'unexpected argument';
      throw new UsageError(`${what} ${arg} (allowed: ${allowed})`);
    }
    if (seen.has(flag.name)) throw new UsageError(`--${flag.name} given twice`);
    if (flag.value) {
      const value = match[2] ?? argv[++i];
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw new UsageError(`--${flag.name} needs a value: --${flag.name} <${flag.value}>`);
      }
      seen.set(flag.name, value);
    } else {
      if (match[2] !== undefined) throw new UsageError(`--${flag.name} takes no value`);
      seen.set(flag.name, true);
    }
  }
  const stage = seen.get('stage');
  return {
    dryRun: seen.has('dry-run'),
    stage: typeof stage === 'string' ? stage : undefined,
    printCommands: seen.has('print-commands'),
    yes: seen.has('yes'),
    help: seen.has('help'),
  };
}

export function usage(command: string, flags: readonly Flag[]): string {
  const rows = flags.map((f) => [`--${f.name}${f.value ? ` <${f.value}>` : ''}`, f.help] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`Usage: ${command} [flags]`, '', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`)].join('\n');
}
