/**
 * The one colour switch: colour only on a terminal, and never when NO_COLOR is set to anything but
 * the empty string (https://no-color.org). Everything else asks the palette, never the environment.
 */
export interface Palette {
  enabled: boolean;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function colorEnabled(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  return isTTY && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function palette(enabled: boolean): Palette {
  const plain = (s: string) => s;
  return {
    enabled,
    green: enabled ? sgr(32, 39) : plain,
    yellow: enabled ? sgr(33, 39) : plain,
    red: enabled ? sgr(31, 39) : plain,
    cyan: enabled ? sgr(36, 39) : plain,
    dim: enabled ? sgr(2, 22) : plain,
    bold: enabled ? sgr(1, 22) : plain,
  };
}

/** Length as seen on screen: without colour codes. */
export function visibleLength(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the SGR escape is the point
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * A line of command output with its verdicts coloured: a leading `error:` and CloudFormation's
 * `*_FAILED` in red, a leading `warning:` and rollbacks in yellow, `*_COMPLETE` in green. With
 * colour off (not a terminal, NO_COLOR) the line comes back unchanged.
 */
export function highlight(line: string, p: Palette): string {
  if (!p.enabled) return line;
  return line
    .replace(/^(error:)/, (m) => p.red(m))
    .replace(/^(warning:)/, (m) => p.yellow(m))
    .replace(/\b[A-Z_]*ROLLBACK[A-Z_]*\b|\b[A-Z_]+_FAILED\b|\b[A-Z_]+_COMPLETE\b/g, (m) =>
      m.endsWith('_FAILED') ? p.red(m) : m.includes('ROLLBACK') ? p.yellow(m) : p.green(m),
    );
}
