/**
 * The deploy and destroy commands' real process (scripts/deploy.ts, scripts/destroy.ts): console and
 * progress, environment, terminal prompt, AWS clients, and the template generator as a child process.
 */
import { REPO_ROOT } from '../../config';
import { highlight } from '../cli/color';
import { capture } from '../cli/process';
import { createProgress, stdoutSink } from '../cli/progress';
import { createClients } from './aws/clients';
import { type Io, POLL_SECONDS } from './cli';
import { PlanError } from './plan';
import { runCommand, sleep } from './runtime';

/**
 * The real process: console, environment, terminal prompt, AWS clients. Output goes through one
 * progress renderer (scripts/cli/progress.ts): plain lines in CI and pipes; on a terminal, colour
 * and a live status line while a wait runs.
 */
export function processIo(): Io {
  const progress = createProgress(stdoutSink());
  const line = (text: string) => progress.line(highlight(text, progress.palette));
  return {
    out: line,
    err: (text) => {
      progress.status(undefined);
      process.stderr.write(`${highlight(text, progress.palette)}\n`);
    },
    env: process.env,
    interactive: process.stdin.isTTY === true,
    ask: async (question) => {
      progress.stop();
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    synth: synthTemplates,
    root: REPO_ROOT,
    runtime: (region) => ({
      clients: createClients(region),
      region,
      log: line,
      status: (text) => progress.status(text),
      sleep,
      now: () => new Date(),
      run: (command, env) => {
        // A child (sls) draws its own progress: no status line of ours under it.
        progress.stop();
        return runCommand(command, env);
      },
      pollMs: POLL_SECONDS * 1000,
    }),
  };
}

/**
 * Runs `npm run synth`'s generator in a child process with the run's stage and region, so the
 * templates always match the config being deployed (names embed the stage). Its output (one line
 * per file, temporary paths in a dry run) is kept and shown only when it fails: the plan says where
 * the templates are. Transpile-only: `npm test` type-checks it.
 */
export async function synthTemplates(env: Record<string, string>, dir: string): Promise<void> {
  const tsNode = require.resolve('ts-node/dist/bin.js');
  const r = await capture(process.execPath, [tsNode, '--transpile-only', 'scripts/synth.ts'], {
    cwd: REPO_ROOT,
    // SYNTH_OUT_DIR: synth's output directory (cloudformation/templates/ when unset).
    env: { ...process.env, ...env, SYNTH_OUT_DIR: dir },
  });
  if (r.code !== 0) {
    throw new PlanError(
      `generating the templates failed (scripts/synth.ts exited ${r.code}):\n${r.output.trimEnd()}`,
    );
  }
}
