/**
 * `npm run render:artifacts -- --out-dir <dir> [--only <file>,…]`: writes the deploy artifacts.
 * The buildspec calls it in post_build; developers call it with `--only appspec.yml` to refresh
 * the committed appspec.yml. Every mistake (flag, environment, config) is one clear message.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ALL_ARTIFACT_FILES,
  type ArtifactFile,
  BUILD_ENV,
  ConfigError,
  loadConfig,
  type PlaygroundConfig,
} from '../../config';
import { BuildInputError } from './inputs';
import { renderArtifacts } from './render';

export const USAGE = `Usage: npm run render:artifacts -- --out-dir <dir> [--only <file>[,<file>…]]

Writes ${ALL_ARTIFACT_FILES.join(', ')} into <dir>.
  --out-dir <dir>   directory to write into (created if missing)
  --only <files>    comma-separated subset; appspec.yml alone needs no environment
  --help            show this help

Environment: ${BUILD_ENV.sourceVersion}, ${BUILD_ENV.repositoryUri} (image files);
  ${BUILD_ENV.executionRoleArn}, ${BUILD_ENV.taskRoleArn}, ${BUILD_ENV.logGroupName}, ${BUILD_ENV.region} (taskdef.json);
  ${BUILD_ENV.config} (optional): the config as JSON, else the usual config files and defaults.`;

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

/** The config the stacks were synthesized with: PLAYGROUND_CONFIG_JSON when set, else loadConfig(). */
export function buildConfig(env: Record<string, string | undefined>): PlaygroundConfig {
  const raw = env[BUILD_ENV.config];
  if (raw === undefined || raw === '') return loadConfig({ env });
  let overrides: unknown;
  try {
    overrides = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError([`${BUILD_ENV.config}: not valid JSON (${(err as Error).message})`]);
  }
  return loadConfig({ env, overrides });
}

export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
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
    const config = buildConfig(io.env);
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
