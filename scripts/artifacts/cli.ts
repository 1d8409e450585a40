/**
 * `npm run render:artifacts -- --out-dir <dir> [--only <file>,…]`: writes the deploy artifacts.
 * The buildspec calls it in post_build; developers call it with `--only appspec.yml` to refresh
 * the committed appspec.yml. Every mistake (flag, environment, config) is one clear message.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_ARTIFACT_FILES, type ArtifactFile, BUILD_ENV, ConfigError, loadConfig } from '../../config';
import { type CommandSpec, type ParsedValues, parseOrExit, UsageError, usageFailure } from '../cli/args';
import { BuildInputError } from './inputs';
import { renderArtifacts } from './render';

export const RENDER_ARTIFACTS_COMMAND: CommandSpec = {
  command: 'npm run render:artifacts --',
  summary: `Writes ${ALL_ARTIFACT_FILES.join(', ')} into <dir>.

Environment: ${BUILD_ENV.sourceVersion}, ${BUILD_ENV.repositoryUri} (image files);
  ${BUILD_ENV.executionRoleArn}, ${BUILD_ENV.taskRoleArn}, ${BUILD_ENV.logGroupName}, ${BUILD_ENV.region} (taskdef.json);
  the config as every command loads it (config/load.ts): ${BUILD_ENV.config} first (CodeBuild sets it),
  else PLAYGROUND_CONFIG or playground.config.json, then PLAYGROUND_STAGE / PLAYGROUND_REGION.`,
  options: [
    { name: 'out-dir', value: 'dir', help: 'directory to write into (created if missing); required' },
    { name: 'only', value: 'files', help: 'comma-separated subset; appspec.yml alone needs no environment' },
  ],
};

export interface CliArgs {
  outDir: string;
  files: ArtifactFile[];
}

/** The arguments after --help was handled; UsageError on a missing or bad one. */
export function cliArgs(values: ParsedValues): CliArgs {
  const outDir = values['out-dir'];
  if (typeof outDir !== 'string') throw new UsageError('--out-dir <dir> is required');
  const only = values.only;
  return { outDir, files: typeof only === 'string' ? parseFiles(only) : [...ALL_ARTIFACT_FILES] };
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
  const values = parseOrExit(RENDER_ARTIFACTS_COMMAND, argv, io);
  if (typeof values === 'number') return values;
  try {
    const args = cliArgs(values);
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
    if (err instanceof UsageError) return usageFailure(RENDER_ARTIFACTS_COMMAND, err, io);
    if (err instanceof BuildInputError || err instanceof ConfigError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
