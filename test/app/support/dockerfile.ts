/**
 * A small Dockerfile reader for tests: instructions grouped by stage, with line continuations
 * joined and comments dropped. Enough for this project's Dockerfile; not a general parser.
 */
export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  line: number;
}

export interface Stage {
  /** The FROM image reference. */
  image: string;
  /** `AS <name>`, if any. */
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { globals: Instruction[]; stages: Stage[] } {
  const globals: Instruction[] = [];
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    if (/^\s*(#|$)/.test(logical)) continue;
    while (logical.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      logical = `${logical.trimEnd().slice(0, -1)} ${lines[++i].trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(logical);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot read ${JSON.stringify(logical)}`);
    const instruction = { keyword: match[1].toUpperCase(), args: match[2].trim(), line: start + 1 };
    if (instruction.keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${instruction.args}`);
      stages.push({ image: from[1], name: from[2], instructions: [] });
    } else if (stages.length === 0) {
      globals.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globals, stages };
}

/** `--from=build --chown=x a b ./dest` → flags and paths. */
export function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [key, value] = words.shift()!.slice(2).split('=');
    flags[key] = value;
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`COPY ${args}: needs a source and a destination`);
  return { flags, sources: words, dest };
}

/** `KEY=value` (the only ENV form this project uses), with `${ARG}` substituted from `vars`. */
export function envArgs(args: string, vars: Record<string, string>): [string, string] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(args);
  if (!match) throw new Error(`ENV ${args}: expected KEY=value`);
  const value = match[2].replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a, b) => vars[a ?? b] ?? '',
  );
  return [match[1], value];
}
