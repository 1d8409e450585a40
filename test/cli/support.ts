/**
 * Every command of package.json that runs a scripts/<command>.ts, as an in-process call of its main
 * with the output captured: what `npm run <script> -- <argv>` does, without npm and ts-node's start
 * (seconds each). Only --help, bad flags and other paths that call no AWS and write no repository
 * file are run through it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../scripts/artifacts/cli';
import { main as bench } from '../../scripts/bench/cli';
import { main as buildApp } from '../../scripts/bundle/app';
import { main as start } from '../../scripts/bundle/start';
import { deployMain, destroyMain, type Io } from '../../scripts/deploy/cli';
import { main as renderDocs } from '../../scripts/deploy/docs';
import { main as gate } from '../../scripts/gate/run';
import { main as lint } from '../../scripts/lint/cli';
import { main as plan } from '../../scripts/plan/cli';
import { rehearseMain } from '../../scripts/rehearse/cli';
import { statusMain } from '../../scripts/status/cli';
import { main as synth } from '../../scripts/synth/cli';
import { watchMain } from '../../scripts/watch/cli';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fn` with process.stdout/stderr (and so console.*) captured. */
export async function captured(fn: () => number | Promise<number>): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await fn();
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const noAws = () => {
  throw new Error('this path of the command must not create an AWS client');
};

/** The deploy/destroy io of a run that must stop before AWS and synth. */
function deployIo(env: Record<string, string | undefined>): Io {
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env,
    interactive: false,
    ask: async () => '',
    synth: async () => noAws(),
    runtime: noAws,
    root: mkdtempSync(join(tmpdir(), 'cli-root-')),
  };
}

const statusIo = (env: Record<string, string | undefined>) => ({
  out: (l: string) => process.stdout.write(`${l}\n`),
  err: (l: string) => process.stderr.write(`${l}\n`),
  env,
  isTTY: false,
  config: noAws,
  clients: noAws,
  now: () => 0,
  probe: noAws,
});

type Main = (argv: string[], env: Record<string, string | undefined>) => number | Promise<number>;

/** npm script → its main. */
export const COMMANDS: Record<string, Main> = {
  start: (argv, env) =>
    start(argv, { env, build: noAws, serve: noAws, portInUse: noAws, now: () => 0, output: stdio() }),
  'build:app': (argv) => buildApp(argv),
  synth: (argv, env) => synth(argv, env, mkdtempSync(join(tmpdir(), 'cli-synth-'))),
  'render:artifacts': (argv, env) =>
    runCli(argv, {
      env,
      cwd: mkdtempSync(join(tmpdir(), 'cli-artifacts-')),
      configDir: mkdtempSync(join(tmpdir(), 'cli-config-')),
      out: (l) => process.stdout.write(`${l}\n`),
      err: (l) => process.stderr.write(`${l}\n`),
    }),
  'render:docs': (argv) => renderDocs(argv, mkdtempSync(join(tmpdir(), 'cli-docs-'))),
  deploy: (argv, env) => deployMain(argv, deployIo(env)),
  destroy: (argv, env) => destroyMain(argv, deployIo(env)),
  status: (argv, env) => statusMain(argv, statusIo(env)),
  watch: (argv, env) =>
    watchMain(argv, {
      ...statusIo(env),
      sleep: async () => {},
      writeFile: noAws,
      interrupted: () => true,
    }),
  rehearse: (argv, env) =>
    rehearseMain(argv, {
      ...stdio(),
      env,
      cwd: tmpdir(),
      haproxy: () => undefined,
      now: () => 0,
      buildApp: noAws,
    }),
  bench: (argv) => bench(argv, { app: noAws, hook: noAws, lb: noAws }, stdio()),
  'lint:cfn': (argv) => lint(argv, { lint: noAws }),
  plan: (argv, env) => plan(argv, { ...stdio(), env, cwd: mkdtempSync(join(tmpdir(), 'cli-plan-')) }),
  test: (argv) => gate(argv, { out: noAws, run: noAws, packageHook: noAws, now: () => 0, every: noAws }),
};

function stdio() {
  return {
    out: (l: string) => process.stdout.write(`${l}\n`),
    err: (l: string) => process.stderr.write(`${l}\n`),
  };
}

/** `npm run <script> -- <argv>` (or `npm start -- <argv>`) in-process, with `env` as its environment. */
export function runScript(
  script: string,
  argv: string[],
  env: Record<string, string | undefined> = { PLAYGROUND_CONFIG_JSON: '{}' },
): Promise<Captured> {
  const main = COMMANDS[script];
  if (!main) throw new Error(`no in-process main for npm script ${script}`);
  return captured(() => main(argv, env));
}
