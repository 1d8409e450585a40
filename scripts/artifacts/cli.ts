/**
 * `npm run render:artifacts -- --out-dir <dir> [--only <file>,…]`: writes the deploy artifacts.
 * The buildspec calls it in post_build; developers call it with `--only appspec.yml` to refresh
 * the committed appspec.yml. Every mistake (flag, environment, config) is one clear message.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_ARTIFACT_FILES, type ArtifactFile, BUILD_ENV, ConfigError, loadConfig } from '../../config';
import { BuildInputError } from './inputs';
import { renderArtifacts } from './render';

export const USAGE = `Usage: npm run render:artifacts -- --out-dir <dir> [--only <file>[,<file>…]]

Writes ${ALL_ARTIFACT_FILES.join(', ')} into <dir>.
  --out-dir <dir>   directory to write into (created if missing)
  --only <files>    comma-separated subset; appspec.yml alone needs no environment
  --help            show this help

Environment: ${BUILD_ENV.sourceVersion}, ${BUILD_ENV.repositoryUri} (image files);
  ${BUILD_ENV.executionRoleArn}, ${BUILD_ENV.taskRoleArn}, ${BUILD_ENV.logGroupName}, ${BUILD_ENV.region} (taskdef.json);
  the config as every command loads it (config/load.ts): ${BUILD_ENV.config} first (CodeBuild sets it),
  else PLAYGROUND_CONFIG or playground.config.json, then PLAYGROUND_STAGE / PLAYGROUND_REGION.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliArgs {
  outDir: string;
  files: ArtifactFile[];
  help: boolean;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let outDir: string | undefined;
  let only: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const name = match?.[1];
    if (name === 'help' && match?.[2] === undefined) {
      help = true;
      continue;
    }
    if (name !== 'out-dir' && name !== 'only') {
      const what = argv[i].startsWith('-') ? 'unknown flag' : 'unexpected argument';
      throw new UsageError(`${what} ${argv[i]} (allowed: --out-dir <dir>, --only <files>, --help)`);
    }
    const value = match?.[2] ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new UsageError(`--${name} needs a value`);
    }
    if ((name === 'out-dir' ? outDir : only) !== undefined) throw new UsageError(`--${name} given twice`);
    if (name === 'out-dir') outDir = value;
    else only = value;
  }
  if (help) return { outDir: outDir ?? '', files: [], help };
  if (outDir === undefined) throw new UsageError('--out-dir <dir> is required');
  return { outDir, files: only === undefined ? [...ALL_ARTIFACT_FILES] : parseFiles(only), help };
}

function parseFiles(list: string): ArtifactFile[] {
  const files = list.split(',').map((f) => f.trim());
  const unknown = files.filter((f) => !(ALL_ARTIFACT_FILES as readonly string[]).includes(f));
  if (unknown.length) {
    throw new UsageError(
      `--only: unknown file ${unknown.join(', ')} (allowed: ${ALL_ARTIFACT_FILES.join(', ')})`,
    );
  }
  return [...new Set(files)] as ArtifactFile[];
}

export interface CliIo {
  env: Record<string, string | undefined>;
  /** Where --out-dir is resolved from. */
  cwd: string;
  /** Where the config loader looks for playground.config.json (the repository root). */
  configDir: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs the CLI; returns the exit code (0 written, 1 bad input, 2 bad usage). */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    // The one loader (config/load.ts): in CodeBuild, PLAYGROUND_CONFIG_JSON holds the config the
    // stacks were synthesized from; locally, the same file and environment `npm run synth` reads.
    const config = loadConfig({ env: io.env, cwd: io.configDir });
    const rendered = renderArtifacts(config, io.env, args.files);
    const dir = resolve(io.cwd, args.outDir);
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of rendered) {
      const path = join(dir, file);
      writeFileSync(path, content);
      io.out(`wrote ${path} (${Buffer.byteLength(content)} bytes)`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof BuildInputError || err instanceof ConfigError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
