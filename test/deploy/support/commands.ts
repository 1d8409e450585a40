/**
 * Reads the shell commands out of a Markdown document (```sh blocks) and checks each one against
 * what exists: npm scripts and their flags, files, Serverless commands, and AWS CLI operations and
 * options (the last through botocore's service models, see aws_cli_check.py).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../config';
import { DEPLOY_COMMAND, DESTROY_COMMAND, parseDeployArgs } from '../../../scripts/deploy/args';

/** Every non-comment line of every ```sh block, with its line number. */
export function shellLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inSh = false;
  markdown.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text.startsWith('```')) {
      inSh = !inSh && text === '```sh';
      return;
    }
    if (inSh && text && !text.startsWith('#')) out.push({ line: i + 1, text });
  });
  return out;
}

/** Shell words: quotes and $(…) stay whole; `|`, `;`, `&&` become their own words; `# …` ends the line. */
export function words(text: string): string[] {
  const out: string[] = [];
  let word = '';
  let depth = 0;
  let quote: string | undefined;
  const flush = () => {
    if (word) out.push(word);
    word = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      word += c;
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (c === '$' && text[i + 1] === '(') {
      depth++;
      word += '$(';
      i++;
    } else if (depth && c === ')') {
      depth--;
      word += c;
    } else if (depth) {
      word += c;
    } else if (/\s/.test(c)) {
      flush();
    } else if (c === '#' && !word) {
      break;
    } else if (c === '|' || c === ';') {
      flush();
      out.push(c);
    } else if (c === '&' && text[i + 1] === '&') {
      flush();
      out.push('&&');
      i++;
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

const unquote = (w: string) => w.replace(/^(["'])(.*)\1$/, '$2');

/** Programs whose use needs no check beyond their name (plain shell plumbing, curl, pip). */
const PLAIN = new Set(['echo', 'grep', 'sort', 'uniq', 'seq', 'curl', 'pip', 'do', 'done']);

/** AWS CLI commands that are CLI customisations, not API operations: their options, from the CLI docs. */
const AWS_CUSTOM: Record<string, readonly string[]> = {
  'cloudformation deploy': [
    'template-file',
    'stack-name',
    'capabilities',
    'parameter-overrides',
    'no-fail-on-empty-changeset',
    'region',
  ],
  configure: [],
  // AWS CLI v2 only (the prerequisites ask for v2).
  'logs tail': ['since', 'follow', 'format', 'region'],
};

export interface CommandCheck {
  problems: string[];
  /** `aws` commands for the botocore check (argv without `aws`). */
  awsCalls: string[][];
}

export function checkCommands(doc: string, markdown: string): CommandCheck {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const problems: string[] = [];
  const awsCalls: string[][] = [];

  const checkSegment = (where: string, segment: string[]): void => {
    if (!segment.length) return;
    let [program, ...args] = segment;
    // VAR=value or VAR=$(command): check the command inside.
    // Each VAR=value before the program (CODE_VERSION=abc PORT=8080 npm start).
    for (let assign = /^[A-Z_][A-Z0-9_]*=(.*)$/.exec(program); assign; ) {
      const sub = /^\$\((.*)\)$/.exec(assign[1]);
      if (sub) checkLine(where, sub[1]);
      if (!args.length) return;
      [program, ...args] = args;
      assign = /^[A-Z_][A-Z0-9_]*=(.*)$/.exec(program);
    }
    if (program === 'for') {
      // for VAR in $(…); — the list is a command too
      const list = args.slice(2).join(' ');
      const sub = /^\$\((.*)\)$/.exec(list);
      if (sub) checkLine(where, sub[1]);
      return;
    }
    if (program === 'do') {
      checkSegment(where, args);
      return;
    }
    for (const a of args) {
      const sub = /^"?\$\((.*)\)"?$/.exec(a.replace(/^--[a-z-]+=/, '').replace(/^[A-Z_]+=/, ''));
      if (sub) checkLine(where, sub[1]);
    }
    switch (program) {
      case 'npm': {
        const [verb, script, dashdash, ...flags] = args;
        if (verb === 'ci' || verb === 'test' || verb === 'start') {
          if (verb !== 'ci' && !pkg.scripts[verb]) problems.push(`${where}: npm ${verb}: no such script`);
        } else if (verb === 'run' && script) {
          if (!pkg.scripts[script]) problems.push(`${where}: npm run ${script}: no such script`);
          if (dashdash !== undefined && dashdash !== '--') problems.push(`${where}: flags must follow --`);
          const spec =
            script === 'deploy' ? DEPLOY_COMMAND : script === 'destroy' ? DESTROY_COMMAND : undefined;
          if (spec) {
            try {
              parseDeployArgs(flags, spec, {});
            } catch (err) {
              problems.push(`${where}: npm run ${script} -- ${flags.join(' ')}: ${(err as Error).message}`);
            }
          }
        } else {
          problems.push(`${where}: npm ${args.join(' ')}: not a known npm command`);
        }
        return;
      }
      case 'npx': {
        const [tool, sub] = args;
        if (tool === 'sls') {
          if (!existsSync(join(REPO_ROOT, 'serverless.ts'))) problems.push(`${where}: serverless.ts missing`);
          const local = sub === 'invoke' && args[2] === 'local';
          if (!local && !['deploy', 'remove', 'package', 'info'].includes(sub))
            problems.push(`${where}: sls ${sub}?`);
        } else if (tool === 'ts-node') {
          if (!existsSync(join(REPO_ROOT, sub))) problems.push(`${where}: ${sub} does not exist`);
        } else {
          problems.push(`${where}: npx ${tool}: not a project tool`);
        }
        return;
      }
      case 'aws': {
        const argv = args.map(unquote);
        const custom = AWS_CUSTOM[argv.slice(0, 2).join(' ')] ?? AWS_CUSTOM[argv[0]];
        if (custom) {
          for (const flag of argv.filter((a) => a.startsWith('--'))) {
            if (!custom.includes(flag.slice(2)))
              problems.push(`${where}: aws ${argv[0]} ${argv[1]}: no ${flag}`);
          }
        } else {
          awsCalls.push(argv);
        }
        return;
      }
      case 'docker':
        if (!['build', 'run'].includes(args[0])) problems.push(`${where}: docker ${args[0]}?`);
        if (!existsSync(join(REPO_ROOT, 'Dockerfile'))) problems.push(`${where}: there is no Dockerfile`);
        return;
      case 'git':
        if (args[0] !== 'rev-parse') problems.push(`${where}: git ${args[0]}?`);
        return;
      default:
        if (!PLAIN.has(program)) problems.push(`${where}: ${program}: unchecked command`);
    }
  };

  const checkLine = (where: string, text: string): void => {
    let segment: string[] = [];
    for (const w of [...words(text), ';']) {
      if (w === '|' || w === ';' || w === '&&') {
        checkSegment(where, segment);
        segment = [];
      } else {
        segment.push(w);
      }
    }
  };

  for (const { line, text } of shellLines(markdown)) checkLine(`${doc}:${line}`, text);
  return { problems, awsCalls };
}

/**
 * Problems botocore finds in the `aws` commands, or undefined when no Python with botocore is on
 * PATH (it comes with cfn-lint, which `npm test` requires anyway).
 */
export function checkAwsCalls(calls: string[][]): string[] | undefined {
  const probe = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const result = spawnSync('python3', [join(__dirname, 'aws_cli_check.py')], {
    input: JSON.stringify(calls),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`aws_cli_check.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}
