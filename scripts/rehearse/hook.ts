/**
 * The real hook: the Lambda package `sls package` builds (the gate's shared one when `npm test`
 * runs, else packaged here), its handler taken out of the zip and invoked as Lambda would, in a
 * child process of its own with the event and a context whose remaining time counts down from the
 * function's timeout. Its AWS SDK clients reach the rehearsal's stand-in through AWS_ENDPOINT_URL
 * (the SDK's documented endpoint setting, https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html),
 * with dummy credentials; whatever SDK the package uses (the runtime's or its own bundled one) reads it.
 * The hook's probes go to the real test listener (HAProxy) that DescribeListeners names.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOOK_FUNCTION_KEY, hookEnvironment, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { lambdaTimeoutSeconds } from '../../config/hook-budget';
import { sharedPackage, slsPackage, slsPackageEnv } from '../lint/sls-package';
import { readZip } from './zip';

/** The handler module the runner requires, and the runner itself (plain Node, no ts-node). */
const RUNNER = `const fs = require('node:fs');
const { handler } = require(process.argv[2]);
const { event, timeoutMs } = JSON.parse(fs.readFileSync(0, 'utf8'));
const deadline = Date.now() + timeoutMs;
Promise.resolve(handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() }))
  .then((result) => fs.writeSync(3, JSON.stringify({ result })), (err) => fs.writeSync(3, JSON.stringify({ error: String(err && err.message || err) })));
`;

export interface HookInvocation {
  result?: Record<string, unknown>;
  error?: string;
  /** The hook's JSON log lines (its verdict summary among them). */
  logs: Record<string, unknown>[];
}

/** The hook's verdict summary line (the one log line with `reasons`) and its reasons, joined. */
export function verdictOf(invocation: HookInvocation): {
  reasons: string;
  summary?: Record<string, unknown>;
} {
  const summary = invocation.logs.find((l) => Array.isArray(l.reasons));
  const reasons = ((summary?.reasons as string[] | undefined) ?? []).join('; ') || invocation.error || '';
  return { reasons, summary };
}

export type InvokeHook = (event: Record<string, unknown>) => Promise<HookInvocation>;

let packaging: Promise<unknown> = Promise.resolve();
/** sls package builds in the repository's own folders: rehearsals side by side in one process package one at a time. */
function oneAtATime<T>(step: () => Promise<T>): Promise<T> {
  const next = packaging.then(step, step);
  packaging = next.catch(() => undefined);
  return next;
}

/** The handler file of the packaged zip, extracted into `workDir`. */
export async function packagedHandler(config: PlaygroundConfig, workDir: string, say: (l: string) => void) {
  const shared = await sharedPackage();
  let dir = shared?.dir;
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'rehearse-hook-'));
    say('packaging the hook (sls package, offline)…');
    const to = dir;
    const run = await oneAtATime(() => slsPackage(to, REPO_ROOT, slsPackageEnv(config)));
    if (run.code !== 0)
      throw new Error(
        `sls package failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ')}`,
      );
  }
  const out = join(workDir, 'hook-package');
  try {
    // One zip per function (serverless.ts package.individually): the hook's is named by its key.
    const zip = `${HOOK_FUNCTION_KEY}.zip`;
    if (!existsSync(join(dir, zip))) throw new Error(`no ${zip} in the hook package ${dir}`);
    for (const entry of readZip(join(dir, zip))) {
      if (entry.name.endsWith('/')) continue;
      mkdirSync(join(out, entry.name, '..'), { recursive: true });
      writeFileSync(join(out, entry.name), entry.content);
    }
  } finally {
    // A package made here is not needed once its handler is out; the gate's shared one stays.
    if (!shared) rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(join(workDir, 'invoke-hook.js'), RUNNER);
  return { handlerFile: join(out, 'hook', 'handler.js'), runner: join(workDir, 'invoke-hook.js') };
}

export function hookInvoker(
  config: PlaygroundConfig,
  files: { handlerFile: string; runner: string },
  endpointUrl: string,
): InvokeHook {
  const timeoutMs = lambdaTimeoutSeconds(config) * 1000;
  const env = {
    PATH: process.env.PATH ?? '',
    ...hookEnvironment(config),
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_REGION: config.app.region,
    AWS_ACCESS_KEY_ID: 'rehearsal',
    AWS_SECRET_ACCESS_KEY: 'rehearsal',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The package leaves the AWS SDK to the Lambda runtime: the repository's stands in for it.
    NODE_PATH: join(REPO_ROOT, 'node_modules'),
  };
  return (event) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [files.runner, files.handlerFile], {
        env,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let answer = '';
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        answer += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
      child.on('close', () => {
        clearTimeout(timer);
        const logs = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        try {
          resolve({ ...(JSON.parse(answer) as { result?: Record<string, unknown>; error?: string }), logs });
        } catch {
          resolve({
            error: `the hook ended without an answer: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
            logs,
          });
        }
      });
      child.stdin?.end(JSON.stringify({ event, timeoutMs }));
    });
}
