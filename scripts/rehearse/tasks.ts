/**
 * Tasks: each is a process of the bundled app (`dist/app/start.js`, scripts/bundle/app.ts) on its
 * own loopback port, with the environment its task definition gives it (appEnvironment) and the
 * release's CODE_VERSION. Stopped as ECS stops a task: SIGTERM, then SIGKILL once the container's
 * stop timeout has passed (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html,
 * `stopTimeout` in https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html).
 *
 * The releases: `good`; `unhealthy` (SIMULATE_UNHEALTHY: `GET /` answers 500, `/version` works);
 * `wrong-version` (the tasks serve another commit than the task definition names); `crash` (a
 * setting the app refuses at start: it exits before it listens); `slow-start` (the process listens
 * only after a delay, like an app that warms a cache first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { PlaygroundConfig } from '../../config';
import { APP_ENV, appEnvironment } from '../../config/contracts/app';
import { uniquePort } from './ports';

export const RELEASES = ['good', 'unhealthy', 'wrong-version', 'crash', 'slow-start'] as const;
export type Release = (typeof RELEASES)[number];

/** The versions of a rehearsal: what runs before, what the deployment names, what a wrong build serves. */
export const VERSIONS = { old: 'v1', new: 'v2', wrong: 'v2-wrong-commit' } as const;

export interface Task {
  id: string;
  version: string;
  port: number;
  startedAt: number;
  process: ChildProcess;
  /** Set once the process has exited: its exit code or signal. */
  exit?: string;
  stopping?: boolean;
}

/**
 * How long a task may take to listen before ECS would see it RUNNING: Node starts the bundle in well
 * under a second, but not on a busy machine at the rehearsal's compressed time, where a health check
 * comes every few dozen milliseconds. A task is registered once it listens (or exits, or this passes),
 * so that the process's own start, which the rehearsal cannot compress, is not mistaken for a failing
 * target; a slow start that listens later than this is registered before it listens, as on AWS.
 */
export const STARTUP_ALLOWANCE_MS = 2000;

export interface TaskRunner {
  start(id: string, release: Release | 'old'): Promise<Task>;
  stop(task: Task, stopTimeoutMs: number): Promise<void>;
  /** Kills what still runs (the end of the rehearsal). */
  killAll(): void;
}

export function taskRunner(
  config: PlaygroundConfig,
  startFile: string,
  workDir: string,
  slowStartMs: number,
  now: () => number,
): TaskRunner {
  // slow-start: a preload that blocks the event loop before the app's own code runs.
  const preload = join(workDir, 'slow-start.js');
  writeFileSync(
    preload,
    `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.REHEARSAL_START_DELAY_MS));\n`,
  );
  const running = new Set<Task>();
  return {
    async start(id, release) {
      const port = await uniquePort();
      const version =
        release === 'old' ? VERSIONS.old : release === 'wrong-version' ? VERSIONS.wrong : VERSIONS.new;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        ...appEnvironment(config),
        [APP_ENV.port]: String(port),
        [APP_ENV.codeVersion]: version,
      };
      if (release === 'unhealthy') env[APP_ENV.simulateUnhealthy] = 'true';
      // The app refuses an idle timeout of 0 and exits at start (app/settings.ts).
      if (release === 'crash') env[APP_ENV.albIdleTimeoutSeconds] = '0';
      const args = release === 'slow-start' ? ['--require', preload, startFile] : [startFile];
      if (release === 'slow-start') env.REHEARSAL_START_DELAY_MS = String(slowStartMs);
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const task: Task = { id, version, port, startedAt: now(), process: child };
      child.stderr?.resume();
      running.add(task);
      child.once('exit', (code, signal) => {
        task.exit = signal ?? `exit ${code}`;
        running.delete(task);
      });
      await listening(task, now() + STARTUP_ALLOWANCE_MS, now);
      task.startedAt = now();
      return task;
    },
    async stop(task, stopTimeoutMs) {
      if (task.exit) return;
      task.stopping = true;
      const exited = new Promise<void>((resolve) => task.process.once('exit', () => resolve()));
      task.process.kill('SIGTERM');
      const timer = setTimeout(() => task.process.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
    killAll() {
      for (const task of running) task.process.kill('SIGKILL');
    },
  };
}

/** Resolves once the task accepts a connection on its port, has exited, or `until` has passed. */
async function listening(task: Task, until: number, now: () => number): Promise<void> {
  while (!task.exit && now() < until) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(task.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
