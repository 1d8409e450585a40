/**
 * The hook's CloudFormation template, as Serverless Framework generates it: `sls package` into a
 * temporary directory (offline, no credentials), then `cloudformation-template-update-stack.json`,
 * the template `sls deploy` applies, is checked like the generated ones.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, envWithConfig, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { capture } from './process';
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
  const dir = mkdtempSync(join(tmpdir(), 'lint-cfn-sls-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const run = await capture(join(root, 'node_modules', '.bin', 'sls'), ['package', '--package', dir], {
    cwd: root,
    env: slsPackageEnv(config),
    // It takes ~7 s here; 3 minutes covers a cold esbuild on a slow CI machine.
    timeoutMs: 180_000,
  });
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
