/**
 * The one command-line convention of every command of the kit, on Node's own `util.parseArgs`:
 * `-h/--help` prints the usage and exits 0; an unknown flag, a flag given twice, a missing or a bad
 * value prints the problem and the usage, and exits 2. Each command declares its flags once (a
 * `CommandSpec`); the usage text is generated from that declaration, so help and parser never disagree.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  name: string;
  short?: string;
  /** Takes a value, shown as `<value>` in the usage. */
  value?: string;
  multiple?: boolean;
  help: string;
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

/** The flag values; throws UsageError naming the flag and the fix. */
export function parseCommandArgs(argv: readonly string[], spec: readonly OptionSpec[]): ParsedValues {
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

/** The declared flag a typo most likely meant (at most 2 edits, or one is a prefix of the other). */
function closest(flag: string, spec: readonly OptionSpec[]): OptionSpec | undefined {
  const typed = flag.replace(/^-+/, '');
  if (!typed) return undefined;
  const scored = spec
    .map((o) => ({
      o,
      d: o.name.startsWith(typed) || typed.startsWith(o.name) ? 1 : distance(typed, o.name),
    }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d);
  return scored[0]?.o;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
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
): ParsedValues | 0 | 2 {
  let values: ParsedValues;
  try {
    values = parseCommandArgs(argv, command.options);
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
