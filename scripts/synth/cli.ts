/**
 * `npm run synth`: renders every stack's template and prints one line per file. Two sets, never mixed:
 *
 * - REFERENCE templates, from the DEFAULT config only, into cloudformation/templates/ (committed,
 *   what reviewers read; the reference appspec.yml too). Whatever playground.config.json or PLAYGROUND_*
 *   say, these files come out byte-identical, so committing them can never break the build's tests.
 * - YOUR templates, from the config as config/load.ts resolves it (file, PLAYGROUND_CONFIG_JSON,
 *   PLAYGROUND_STAGE/REGION), into cloudformation/out/<stage>/ (git-ignored). These are what
 *   `npm run deploy` and the manual path deploy.
 *
 * `--out <dir>` or `SYNTH_OUT_DIR`: only your templates, into <dir> (the deploy's dry run uses a
 * temporary one). On an invalid config it prints the problems, exits 1 and writes nothing; it also
 * writes nothing when any template exceeds the 51,200-byte body limit of `aws cloudformation deploy`.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  deployTemplateDir,
  MAX_TEMPLATE_BYTES,
  REFERENCE_TEMPLATE_DIR,
  type RenderedTemplate,
  renderAll,
} from '../../cloudformation/stacks';
import { ARTIFACT_FILES, ConfigError, DEFAULT_CONFIG, REPO_ROOT, resolveConfig, STACKS } from '../../config';
import { renderAppSpec } from '../artifacts/appspec';
import { type CliOutput, type CommandSpec, type ParsedValues, parseOrExit } from '../cli/args';

/** The committed reference folder, absolute. */
export const DEFAULT_OUT_DIR = join(REPO_ROOT, REFERENCE_TEMPLATE_DIR);

export class SynthError extends Error {}

export const SYNTH_COMMAND: CommandSpec = {
  command: 'npm run synth --',
  summary:
    'Renders every stack: the reference templates (default config) into cloudformation/templates/ and\n' +
    'yours (your config) into cloudformation/out/<stage>/; with --out, only yours, into <dir>.',
  options: [
    { name: 'out', value: 'dir', help: 'write only your templates, into <dir> (or set SYNTH_OUT_DIR)' },
  ],
};

/** Where synth prints: console.log / console.error (tests capture them). */
const output: CliOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** The output directory from `--out <dir>` or SYNTH_OUT_DIR, absolute, else undefined. */
export function outDirFrom(
  values: ParsedValues,
  env: Record<string, string | undefined>,
): string | undefined {
  const dir = (typeof values.out === 'string' ? values.out : undefined) ?? (env.SYNTH_OUT_DIR || undefined);
  if (!dir) return undefined;
  return isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
}

/** Problems that stop synth before anything is written. */
export function sizeProblems(rendered: readonly RenderedTemplate[]): string[] {
  return rendered
    .filter((t) => t.bytes > MAX_TEMPLATE_BYTES)
    .map((t) => `${t.stack}: ${t.bytes} bytes exceeds the ${MAX_TEMPLATE_BYTES}-byte template body limit`);
}

/** One planned output: a heading line and the templates to write into `dir`. */
interface TemplateSet {
  heading: string;
  dir: string;
  rendered: RenderedTemplate[];
}

/**
 * `root` is the repository root: where playground.config.json is read and where the two folders
 * are (tests and the CodeBuild replay pass a copy).
 */
export function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  root: string = REPO_ROOT,
): number {
  const values = parseOrExit(SYNTH_COMMAND, argv, output);
  if (typeof values === 'number') return values;
  try {
    const outDir = outDirFrom(values, env);
    const { config, source } = resolveConfig({ env, cwd: root });
    const yours = renderAll(config);
    const where = `config: ${source}; stage ${config.app.stage}, region ${config.app.region}`;
    const sets: TemplateSet[] = [];
    if (outDir) {
      sets.push({
        heading: `templates of your config (${where}) → ${shown(outDir)}`,
        dir: outDir,
        rendered: yours,
      });
    } else {
      const reference = renderAll(DEFAULT_CONFIG);
      sets.push(
        {
          heading: `reference templates (default config; committed, what reviewers read) → ${REFERENCE_TEMPLATE_DIR}/`,
          dir: join(root, REFERENCE_TEMPLATE_DIR),
          rendered: reference,
        },
        {
          heading: `templates of your config (${where}; git-ignored, what npm run deploy and the manual path deploy) → ${deployTemplateDir(config.app.stage)}/`,
          dir: join(root, deployTemplateDir(config.app.stage)),
          rendered: yours,
        },
      );
    }
    const problems = sets.flatMap((s) => sizeProblems(s.rendered));
    if (problems.length) throw new SynthError([...new Set(problems)].join('\n'));

    const width = Math.max(...yours.map((t) => t.stack.length));
    for (const set of sets) {
      mkdirSync(set.dir, { recursive: true });
      console.log(set.heading);
      for (const t of set.rendered) {
        const file = join(set.dir, `${t.stack}.json`);
        writeFileSync(file, t.json);
        console.log(
          `  ${t.stack.padEnd(width)}  ${String(t.resourceCount).padStart(3)} resources  ${String(t.bytes).padStart(6)} bytes  ${shown(file)}`,
        );
      }
      for (const file of staleTemplates(set)) {
        rmSync(file);
        console.log(`  removed ${shown(file)}: the config deploys no such stack any more (app.strategies)`);
      }
    }
    if (!outDir) {
      // The committed appspec.yml is a reference copy too (the build renders the real one per release).
      const appSpec = join(root, ARTIFACT_FILES.appSpec);
      writeFileSync(appSpec, renderAppSpec(DEFAULT_CONFIG));
      console.log(`reference ${ARTIFACT_FILES.appSpec} (default config) → ${shown(appSpec)}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SynthError) {
      console.error(`synth: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/**
 * The templates in the set's folder of stacks the config no longer deploys (a strategy left out of
 * app.strategies): `npm run lint:cfn -- --templates` would check them, and a reader take them for
 * what gets deployed. Only files named after a stack of the kit: nothing else in the folder is touched.
 */
function staleTemplates(set: TemplateSet): string[] {
  const rendered = new Set<string>(set.rendered.map((t) => t.stack));
  return STACKS.filter((stack) => !rendered.has(stack))
    .map((stack) => join(set.dir, `${stack}.json`))
    .filter((file) => existsSync(file));
}

/** A path as the user typed it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
