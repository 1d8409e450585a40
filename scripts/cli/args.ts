/**
 * The one command-line convention of every command of the kit, on Node's own `util.parseArgs`:
 * `-h/--help` prints the usage and exits 0; an unknown flag, a flag given twice, a missing or a bad
 * value prints the problem and the usage, and exits 2. Each command declares its flags once (a
 * `CommandSpec`); the usage text is generated from that declaration, so help and parser never disagree.
 */
import { parseArgs } from 'node:util';
import { closestName } from '../../config/suggest';

export interface OptionSpec {
  name: string;
  short?: string;
  /** Takes a value, shown as `<value>` in the usage. */
  value?: string;
  multiple?: boolean;
  help: string;
  /**
   * When npm took the flag for itself (`npm run deploy --dry-run`, without `--`: see npmTakenFlags),
   * `'honour'` acts as if it had been given. Only for flags that make a command do less or only change
   * what it prints (`--dry-run`, `--json`); every other flag npm took is refused with its spelling.
   */
  fromNpm?: 'honour';
}

export interface CommandSpec {
  /** What the user types, e.g. `npm run deploy --`. */
  command: string;
  /** One paragraph under the usage line. */
  summary: string;
  /** The flags; `-h/--help` is added to every command. */
  options: readonly OptionSpec[];
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', help: 'show this help' };

/** Bad command-line input: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** Where a command prints: stdout lines and stderr lines. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export const consoleOutput: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** The options with `--help` last (once, even when a command lists it itself). */
export function withHelp(spec: readonly OptionSpec[]): OptionSpec[] {
  return [...spec.filter((o) => o.name !== HELP_OPTION.name), HELP_OPTION];
}

/**
 * npm's own flags that a user may mean for a command: npm takes them even when the command does not
 * declare them (`npm run destroy --force` destroys without the "force" the user meant).
 */
export const NPM_FLAGS = ['dry-run', 'force', 'yes'] as const;

/** A flag npm took for itself: in npm's environment, not in the command's arguments. */
export interface NpmTakenFlag {
  name: string;
  /** What npm put in `npm_config_<name>`: `true` for a bare flag. */
  value: string;
  option?: OptionSpec;
}

/**
 * The trap of `npm run <script> --flag` without `--`: npm reads the flag as its own config, drops it
 * from the script's arguments and puts it in the script's environment as `npm_config_<name>` ("A `--`
 * argument tells the cli parser to stop reading flags"; npm exports every non-default config to the
 * scripts it runs as `npm_config_*`: https://docs.npmjs.com/cli/v11/using-npm/config, and
 * @npmcli/config's set-envs.js). A flag of `spec` (or one of NPM_FLAGS) found there and not among
 * `argv` is one the user typed and the command never saw. npm also exports what an .npmrc sets; the
 * refusal names that case too.
 */
export function npmTakenFlags(
  spec: readonly OptionSpec[],
  argv: readonly string[],
  env: Record<string, string | undefined>,
): NpmTakenFlag[] {
  const names = [...new Set([...spec.map((o) => o.name), ...NPM_FLAGS])];
  return names.flatMap((name) => {
    const key = `npm_config_${name.replace(/-/g, '_')}`;
    // npm sets the lowercase name in the scripts it runs; a user may export either case.
    const value = env[key] ?? env[key.toUpperCase()];
    // npm writes '' for a config set to false (`--no-dry-run`).
    if (value === undefined || value === '' || value === 'false') return [];
    if (argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))) return [];
    return [{ name, value, option: spec.find((o) => o.name === name) }];
  });
}

/** Where a parser finds npm's environment and how the command is typed (`npm run deploy --`). */
export interface NpmContext {
  env: Record<string, string | undefined>;
  command: string;
}

/** The UsageError for a flag npm took that the command does not honour: what to type instead. */
function npmRefusal(taken: NpmTakenFlag, command: string, argv: readonly string[]): UsageError {
  const { name, value, option } = taken;
  // `npm run deploy --stage prod`: npm keeps `--stage` (as true) and hands the command a bare `prod`.
  const stray = value === 'true' && argv.length === 1 && !argv[0].startsWith('-') ? argv[0] : undefined;
  const from = `npm took --${name} for itself (npm_config_${name.replace(/-/g, '_')}=${value}), so this command never saw it`;
  if (!option) {
    return new UsageError(
      `${from}, and it has no --${name} flag (${command} --help lists them); nothing was changed. ` +
        `If an .npmrc or your environment sets ${name}, unset it for this command`,
    );
  }
  const shown = option.value ? ` ${value === 'true' ? (stray ?? `<${option.value}>`) : value}` : '';
  return new UsageError(
    `${from}; nothing was changed. Put the command's flags after --: ${command} --${name}${shown}` +
      ` (if an .npmrc or your environment sets ${name}, unset it for this command)`,
  );
}

/** One line per flag npm took that the command honoured as if typed after `--`. */
export function npmHonouredNotes(
  spec: readonly OptionSpec[],
  argv: readonly string[],
  npm: NpmContext,
): string[] {
  return npmTakenFlags(spec, argv, npm.env)
    .filter((t) => t.option?.fromNpm === 'honour')
    .map(
      (t) =>
        `note: npm took --${t.name} for itself (npm_config_${t.name.replace(/-/g, '_')}=${t.value}); ` +
        `this command honours it, as if you had typed ${npm.command} --${t.name}`,
    );
}

/**
 * The flag values; throws UsageError naming the flag and the fix. With `npm`, a flag npm took for
 * itself (npmTakenFlags) is honoured when the option says so, and refused otherwise.
 */
export function parseCommandArgs(
  argv: readonly string[],
  spec: readonly OptionSpec[],
  npm?: NpmContext,
): ParsedValues {
  const taken = npm ? npmTakenFlags(spec, argv, npm.env) : [];
  const refused = taken.find((t) => t.option?.fromNpm !== 'honour');
  // Before parsing: `npm run deploy --stage prod` leaves a bare `prod`, which would be reported as a
  // stray argument instead of what happened to --stage.
  if (npm && refused) throw npmRefusal(refused, npm.command, argv);
  const values = parseFlags(argv, spec);
  for (const t of taken) values[t.name] = true;
  return values;
}

function parseFlags(argv: readonly string[], spec: readonly OptionSpec[]): ParsedValues {
  const all = withHelp(spec);
  const options = Object.fromEntries(
    all.map((o) => [
      o.name,
      {
        type: o.value ? ('string' as const) : ('boolean' as const),
        ...(o.short ? { short: o.short } : {}),
        ...(o.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    throw new UsageError(explain(code, (err as Error).message, all));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const option = all.find((o) => o.name === token.name);
    if (seen.has(token.name) && !option?.multiple) throw new UsageError(`--${token.name} given twice`);
    seen.add(token.name);
    if (option?.value && token.value === '') throw new UsageError(needsValue(option));
  }
  return parsed.values as ParsedValues;
}

/** util.parseArgs's message, said as what to type instead. */
function explain(code: string, message: string, spec: readonly OptionSpec[]): string {
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = quoted.split(' ')[0];
  const option = spec.find((o) => `--${o.name}` === flag || (o.short && `-${o.short}` === flag));
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = closest(flag, spec);
    return `unknown flag ${flag}${near ? `: did you mean --${near.name}?` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument ${JSON.stringify(quoted)}: this command takes only the flags below`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return option.value ? needsValue(option) : `--${option.name} takes no value`;
  }
  return message.split('\n')[0];
}

function needsValue(option: OptionSpec): string {
  return `--${option.name} needs a value: --${option.name} <${option.value}>`;
}

/** The declared flag a typo most likely meant. */
function closest(flag: string, spec: readonly OptionSpec[]): OptionSpec | undefined {
  const name = closestName(
    flag.replace(/^-+/, ''),
    spec.map((o) => o.name),
  );
  return spec.find((o) => o.name === name);
}

export function usageText(command: CommandSpec): string {
  const rows = withHelp(command.options).map(
    (o) =>
      [`${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` <${o.value}>` : ''}`, o.help] as const,
  );
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: ${command.command} [flags]`,
    '',
    command.summary,
    '',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
  ].join('\n');
}

/** Prints a usage problem with the usage; the exit code of bad usage. */
export function usageFailure(command: CommandSpec, err: UsageError, output: CliOutput = consoleOutput): 2 {
  output.err(`error: ${err.message}\n\n${usageText(command)}`);
  return 2;
}

/**
 * Parses `argv` for `command`: the flag values, or the exit code when the command stops here
 * (0 after printing --help, 2 after printing a usage problem).
 */
export function parseOrExit(
  command: CommandSpec,
  argv: readonly string[],
  output: CliOutput = consoleOutput,
  env?: Record<string, string | undefined>,
): ParsedValues | 0 | 2 {
  let values: ParsedValues;
  try {
    values = parseCommandArgs(argv, command.options, env && { env, command: command.command });
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(command, err, output);
    throw err;
  }
  if (values.help) {
    output.out(usageText(command));
    return 0;
  }
  return values;
}

/** A flag that must be a whole number in [min, max]; UsageError otherwise. */
export function wholeNumberFlag(values: ParsedValues, name: string, [min, max]: readonly [number, number]) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} ${String(raw)}: must be a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}
