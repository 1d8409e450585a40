/**
 * `npm run synth` (scripts/synth.ts): renders every stack's template from the config (the generators
 * of cloudformation/stacks.ts) into cloudformation/templates/<stack>.json, one line per stack.
 *
 * Output directory: `--out <dir>` or `SYNTH_OUT_DIR` (tests use a temporary one).
 * On an invalid config it prints the problems, exits 1 and writes nothing; it also writes nothing
 * when any template exceeds the 51,200-byte body limit of `aws cloudformation deploy`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { MAX_TEMPLATE_BYTES, type RenderedTemplate, renderAll } from '../../cloudformation/stacks';
import { ConfigError, loadConfig, REPO_ROOT } from '../../config';

export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'cloudformation', 'templates');

export class SynthError extends Error {}

/** The output directory from `--out <dir>` / `--out=<dir>` or SYNTH_OUT_DIR, else the committed folder. */
export function outDirFrom(argv: readonly string[], env: Record<string, string | undefined>): string {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') {
      dir = argv[i + 1];
      if (!dir || dir.startsWith('--')) throw new SynthError('--out needs a directory');
      i++;
    } else if (arg.startsWith('--out=')) {
      dir = arg.slice('--out='.length);
      if (!dir) throw new SynthError('--out needs a directory');
    } else {
      throw new SynthError(`unknown argument ${JSON.stringify(arg)} (usage: synth [--out <dir>])`);
    }
  }
  dir ??= env.SYNTH_OUT_DIR || undefined;
  if (!dir) return DEFAULT_OUT_DIR;
  return isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
}

/** Problems that stop synth before anything is written. */
export function sizeProblems(rendered: readonly RenderedTemplate[]): string[] {
  return rendered
    .filter((t) => t.bytes > MAX_TEMPLATE_BYTES)
    .map((t) => `${t.stack}: ${t.bytes} bytes exceeds the ${MAX_TEMPLATE_BYTES}-byte template body limit`);
}

export function main(argv: readonly string[], env: Record<string, string | undefined>): number {
  try {
    const outDir = outDirFrom(argv, env);
    const config = loadConfig({ env });
    const rendered = renderAll(config);
    const problems = sizeProblems(rendered);
    if (problems.length) throw new SynthError(problems.join('\n'));
    mkdirSync(outDir, { recursive: true });
    const width = Math.max(...rendered.map((t) => t.stack.length));
    for (const t of rendered) {
      const file = join(outDir, `${t.stack}.json`);
      writeFileSync(file, t.json);
      const shown = relative(process.cwd(), file) || file;
      console.log(
        `${t.stack.padEnd(width)}  ${String(t.resourceCount).padStart(3)} resources  ${String(t.bytes).padStart(6)} bytes  ${shown}`,
      );
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
