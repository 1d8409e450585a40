/**
 * `npm test`: the whole gate — type check, lint, the CloudFormation checks and every test — with
 * the four running side by side, and the hook packaged once for all of them (`sls package` is the
 * slowest single step; lint:cfn and the hook's package tests read the shared package, see
 * scripts/lint/sls-package.ts). Each job is an npm script of package.json, so each still runs on its
 * own (`npm run typecheck`, `npm run test:unit`, …).
 *
 * Output stays line-based: a line when a job starts and ends (and every 15 s, which ones still
 * run), each job's own output when it ends, the tests' output last so that the closing
 * `N passed, N failed` line CI counts is the last line. Exit 1 when any job failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../config';
import { type CommandSpec, parseOrExit } from '../cli/args';
import { capture } from '../cli/process';
import { createProgress, stdoutSink } from '../cli/progress';
import { packageShared, SHARED_HOOK_PACKAGE_ENV } from '../lint/sls-package';

export interface GateJob {
  name: string;
  /** The npm script it runs. */
  script: string;
}

/** In start order; the tests last, as their output closes the run. */
export const GATE_JOBS: readonly GateJob[] = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'lint:cfn', script: 'lint:cfn' },
  { name: 'tests', script: 'test:unit' },
];

export interface JobResult {
  name: string;
  code: number;
  output: string;
  ms: number;
}

export interface GateIo {
  out: (line: string) => void;
  /** Runs one npm script with extra environment; resolves with its exit code and output. */
  run: (script: string, env: NodeJS.ProcessEnv) => Promise<{ code: number; output: string }>;
  /** Packages the hook into `dir`; resolves with the exit code and what it printed. */
  packageHook: (dir: string) => Promise<{ code: number; output: string }>;
  now: () => number;
  /** Every `ms`, calls `tick` until the returned stop function is called. */
  every: (ms: number, tick: () => void) => () => void;
  /** What runs now, for a terminal's live status line (scripts/cli/progress.ts); undefined when done. */
  status?: (text: string | undefined) => void;
}

export async function gate(
  jobs: readonly GateJob[] = GATE_JOBS,
  io: GateIo = processIo(),
  dir = mkdtempSync(join(tmpdir(), 'gate-hook-')),
): Promise<number> {
  const start = io.now();
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const running = new Set<string>();
  const showRunning = () => io.status?.(running.size ? `gate: ${[...running].join(', ')}` : undefined);
  io.out(
    `gate: ${jobs.map((j) => j.name).join(', ')} side by side; the hook packaged once (${SHARED_HOOK_PACKAGE_ENV})`,
  );
  const stop = io.every(15_000, () =>
    io.out(`gate: ${seconds(io.now() - start)}, still running: ${[...running].join(', ')}`),
  );
  try {
    const packaging = io.packageHook(dir).then((r) => {
      io.out(
        `gate: hook package ${r.code === 0 ? 'ready' : `FAILED (exit ${r.code})`} after ${seconds(io.now() - start)}`,
      );
      return r;
    });
    const env = { [SHARED_HOOK_PACKAGE_ENV]: dir };
    const results = await Promise.all(
      jobs.map(async (job): Promise<JobResult> => {
        running.add(job.name);
        showRunning();
        const jobStart = io.now();
        const r = await io.run(job.script, env);
        running.delete(job.name);
        showRunning();
        const ms = io.now() - jobStart;
        io.out(`gate: ${job.name} ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${seconds(ms)}`);
        return { name: job.name, code: r.code, output: r.output, ms };
      }),
    );
    const hook = await packaging;
    const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
    if (hook.code !== 0) failed.unshift('hook package');
    for (const r of results) {
      io.out(`\n── ${r.name} (npm run ${jobs.find((j) => j.name === r.name)?.script}) ──`);
      for (const line of r.output.replace(/\n+$/, '').split('\n')) io.out(line);
    }
    if (hook.code !== 0) io.out(`\n── hook package (sls package) ──\n${hook.output}`);
    io.out(
      `gate: ${failed.length ? `FAILED: ${failed.join(', ')}` : 'passed'} in ${seconds(io.now() - start)} (typecheck, lint, lint:cfn and tests side by side)`,
    );
    // The tests' closing line is the last line CI reads.
    const tests = results.at(-1);
    if (tests) io.out(tests.output.trimEnd().split('\n').at(-1) ?? '');
    return failed.length ? 1 : 0;
  } finally {
    stop();
    io.status?.(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `npm run -s <script>` from the repository root, output captured (stdout and stderr in order). */
async function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const r = await capture('npm', ['run', '-s', script], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  return { code: r.code < 0 ? 1 : r.code, output: r.output };
}

/**
 * The real console: on a terminal, a live status line of what still runs (scripts/cli/progress.ts);
 * in CI and pipes, a plain line every 15 s instead.
 */
function processIo(): GateIo {
  const progress = createProgress(stdoutSink());
  return {
    out: (line) => progress.line(line),
    run: runScript,
    packageHook: async (dir) => {
      const r = await packageShared(dir);
      return { code: r.code, output: r.stdout + r.stderr };
    },
    now: () => Date.now(),
    every: (ms, tick) => {
      if (progress.live) return () => {};
      const timer = setInterval(tick, ms);
      return () => clearInterval(timer);
    },
    status: (text) => progress.status(text),
  };
}

export const GATE_COMMAND: CommandSpec = {
  command: 'npm test --',
  summary:
    `The whole gate: ${GATE_JOBS.map((j) => `npm run ${j.script}`).join(', ')}, side by side, the hook\n` +
    'packaged once. Some tests only: npx mocha <files> (from any folder; npm run test:unit -- <files>\n' +
    'would run them on top of the whole suite); the inner loop: npm run test:quick.',
  options: [],
};

/** `npm test [-- -h]`. */
export async function main(argv: readonly string[], io?: GateIo): Promise<number> {
  const values = parseOrExit(GATE_COMMAND, argv);
  if (typeof values === 'number') return values;
  return gate(GATE_JOBS, io);
}
