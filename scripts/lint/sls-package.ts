/**
 * The hook's CloudFormation template, as Serverless Framework generates it: `sls package` into a
 * temporary directory (offline, no credentials), then `cloudformation-template-update-stack.json`,
 * the template `sls deploy` applies, is checked like the generated ones.
 *
 * `npm test` packages the hook ONCE for the whole gate (scripts/gate/): it names the directory in
 * SHARED_HOOK_PACKAGE_ENV, and lint:cfn and the hook's package tests read that package (waiting
 * until it is there) instead of running `sls package` again, when they want the default config's.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_CONFIG, envWithConfig, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { capture, type Run } from '../cli/process';
import { readTemplate, TEMPLATES_CHECK } from './templates';
import { type Finding, finding, type LintTemplate } from './types';

/** The template `sls deploy` updates the stack with (the create-stack one only holds the bucket). */
export const SLS_TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
const SERVERLESS_CONFIG = 'serverless.ts';

export interface SlsPackage {
  template?: LintTemplate;
  findings: Finding[];
  /** Deletes the temporary directory; call when every check has read the template. */
  cleanup(): void;
}

/** The environment of `sls package`: offline, quiet, and loading exactly `config` (serverless.ts reads it). */
export function slsPackageEnv(config: PlaygroundConfig): Record<string, string> {
  return {
    ...envWithConfig(process.env, config),
    // Offline and quiet: no telemetry, no update notifications, no instance-metadata lookups.
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Serverless loads serverless.ts through ts-node; `npm run typecheck` already type-checks it,
    // so skipping the check here saves ~2 s of CPU per run (same template, verified).
    TS_NODE_TRANSPILE_ONLY: 'true',
  };
}

/** The directory of the gate's one `sls package` of the default config (see the module comment). */
export const SHARED_HOOK_PACKAGE_ENV = 'HOOK_PACKAGE_DIR';
/** In that directory: what `sls package` printed, and its exit code once it is done. */
export const SHARED_PACKAGE_LOG = 'sls-package.log';
const SHARED_PACKAGE_DONE = 'sls-package.exit';

/** `sls package` into `dir`, offline; 3 minutes covers a cold esbuild on a slow CI machine. */
export function slsPackage(dir: string, root: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return capture(join(root, 'node_modules', '.bin', 'sls'), ['package', '--package', dir], {
    cwd: root,
    env,
    timeoutMs: 180_000,
  });
}

/**
 * The gate's side: package the default config once into `dir`, with no AWS credentials at all (the
 * hook's package tests assert that packaging needs none), then mark it done for the readers.
 */
export async function packageShared(dir: string, root: string = REPO_ROOT): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(slsPackageEnv(DEFAULT_CONFIG)).filter(
      ([k]) => !k.startsWith('AWS_') || k === 'AWS_EC2_METADATA_DISABLED',
    ),
  );
  const run = await slsPackage(dir, root, env);
  writeFileSync(join(dir, SHARED_PACKAGE_LOG), run.stdout + run.stderr);
  writeFileSync(join(dir, SHARED_PACKAGE_DONE), JSON.stringify(run));
  return run;
}

/**
 * The readers' side: the gate's package when SHARED_HOOK_PACKAGE_ENV names one, once it is done
 * (polling, at most `timeoutMs`); undefined when no gate shares one.
 */
export async function sharedPackage(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 180_000,
): Promise<{ dir: string; run: Run } | undefined> {
  const dir = env[SHARED_HOOK_PACKAGE_ENV];
  if (!dir) return undefined;
  const done = join(dir, SHARED_PACKAGE_DONE);
  for (const start = Date.now(); !existsSync(done); ) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`${SHARED_HOOK_PACKAGE_ENV}=${dir}: no ${SHARED_PACKAGE_DONE} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { dir, run: JSON.parse(readFileSync(done, 'utf8')) as Run };
}

export async function packageHook(
  root: string = REPO_ROOT,
  config: PlaygroundConfig = DEFAULT_CONFIG,
): Promise<SlsPackage> {
  const label = `${SERVERLESS_CONFIG} (sls package)`;
  if (!existsSync(join(root, SERVERLESS_CONFIG))) {
    return {
      findings: [finding(TEMPLATES_CHECK, label, '', `${SERVERLESS_CONFIG} not found in ${root}`)],
      cleanup: () => {},
    };
  }
  // The gate's package is of the default config in the repository: use it for exactly that.
  const shared =
    root === REPO_ROOT && isDeepStrictEqual(config, DEFAULT_CONFIG) ? await sharedPackage() : undefined;
  const dir = shared?.dir ?? mkdtempSync(join(tmpdir(), 'lint-cfn-sls-'));
  const cleanup = shared ? () => {} : () => rmSync(dir, { recursive: true, force: true });
  const run = shared?.run ?? (await slsPackage(dir, root, slsPackageEnv(config)));
  if (run.code !== 0) {
    const how = run.missing
      ? 'serverless is not installed (run `npm ci`)'
      : run.timedOut
        ? 'timed out'
        : `exit ${run.code}`;
    const detail = `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-8).join(' | ');
    return {
      findings: [finding(TEMPLATES_CHECK, label, '', `sls package failed (${how}): ${detail}`)],
      cleanup,
    };
  }
  const read = readTemplate('hook', join(dir, SLS_TEMPLATE_FILE), root);
  if ('finding' in read) return { findings: [read.finding], cleanup };
  // Findings name the template by where it comes from, not by the temporary path.
  return {
    template: { ...read.template, label: `${SLS_TEMPLATE_FILE} (sls package)` },
    findings: [],
    cleanup,
  };
}
