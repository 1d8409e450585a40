/**
 * Command-line parsing for `npm run status` and `npm run watch`, on Node's own `util.parseArgs`, with
 * the convention every command of the kit follows: `-h/--help` prints usage and exits 0; an unknown
 * flag or a bad value prints the problem and the usage, and exits 2.
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

export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export function parseCommandArgs(argv: readonly string[], spec: readonly OptionSpec[]): ParsedValues {
  const options = Object.fromEntries(
    spec.map((o) => [
      o.name,
      {
        type: o.value ? ('string' as const) : ('boolean' as const),
        ...(o.short ? { short: o.short } : {}),
        ...(o.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false })
      .values as ParsedValues;
  } catch (err) {
    // parseArgs names the flag: "Unknown option '--x'", "Option '--for <value>' argument missing".
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    throw new UsageError((err as Error).message.split('. ')[0]);
  }
}

export function usageText(command: string, summary: string, spec: readonly OptionSpec[]): string {
  const rows = spec.map(
    (o) =>
      [`${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` <${o.value}>` : ''}`, o.help] as const,
  );
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: ${command} [flags]`,
    '',
    summary,
    '',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
  ].join('\n');
}
