/**
 * `npm start` (scripts/start.ts): the app on this machine as a task of your config runs it. Order:
 * flags → config (playground.config.json, PLAYGROUND_*: the one loader) → the task's environment
 * (`appEnvironment(config)`, what the task definition renders: PORT from container.port, the
 * keep-alive and drain timings; your shell's PORT, CODE_VERSION, SIMULATE_UNHEALTHY, … win), read
 * with the app's own reader, so a bad value stops here with its one-line message, before anything
 * is built → `npm run build:app`'s build into dist/app/ → the server, in THIS process, from
 * dist/app/'s bundle and code cache (app/start.ts's serveBundle, as `node start.js` runs it).
 *
 * One process: package.json runs this file with `exec`, so npm's child is the server itself and the
 * SIGTERM or SIGINT npm forwards (a process manager, `kill`, Ctrl-C) drains it; no shell is left
 * holding the port.
 */
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { stop as stopEsbuild } from 'esbuild';
import { readSettings, SettingsError } from '../../app/settings';
import { serveBundle } from '../../app/start';
import { appEnvironment, ConfigError, loadConfig, REPO_ROOT } from '../../config';
import { APP_ENV } from '../../config/contracts/app';
import { type CliOutput, type CommandSpec, consoleOutput, parseOrExit } from '../cli/args';
import { duration } from '../cli/format';
import { APP_OUT_DIR, buildApp } from './app';

export const START_COMMAND: CommandSpec = {
  command: 'npm start --',
  summary:
    'Builds dist/app/ and serves the app on container.port of your config (playground.config.json,\n' +
    'PLAYGROUND_*), with the environment its task definition sets; PORT, CODE_VERSION and\n' +
    'SIMULATE_UNHEALTHY in your shell win. Ctrl-C or SIGTERM drains it and exits (docs/app.md).',
  options: [],
};

export interface StartDeps {
  env: Record<string, string | undefined>;
  /** Builds dist/app/. */
  build(): Promise<void>;
  /** Starts the server of dist/app/ with `env` (the app's variables) in this process. */
  serve(env: Record<string, string>): void;
  /** Whether something already listens on `port` (of any interface, as the server listens). */
  portInUse(port: number): Promise<boolean>;
  now(): number;
  output: CliOutput;
}

/** The app's variables as the task would have them, the shell's winning. */
export function startEnvironment(
  taskEnv: Record<string, string>,
  shell: Record<string, string | undefined>,
): Record<string, string> {
  const env = { ...taskEnv };
  for (const name of Object.values(APP_ENV)) {
    const value = shell[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Exit code 0 once the server is starting (it exits itself on SIGTERM/SIGINT), 1 before that on bad input. */
export async function main(argv: readonly string[], deps: StartDeps = processDeps()): Promise<number> {
  const values = parseOrExit(START_COMMAND, argv, deps.output);
  if (typeof values === 'number') return values;
  let env: Record<string, string>;
  let port: number;
  try {
    const config = loadConfig({ env: deps.env, cwd: REPO_ROOT });
    env = startEnvironment(appEnvironment(config), deps.env);
    // The app's own reader: a bad PORT or SIMULATE_UNHEALTHY fails now, in the app's words.
    port = readSettings(env).port;
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof SettingsError)) throw err;
    deps.output.err(`error: cannot start the app: ${err.message}`);
    return 1;
  }
  // Before building and before saying "serving on": a busy port would only show as EADDRINUSE later.
  if (await deps.portInUse(port)) {
    deps.output.err(
      `error: cannot start the app: port ${port} is in use (another npm start, or another program): ` +
        `stop it, or start on a free port: PORT=${port === 65535 ? 3000 : port + 1} npm start`,
    );
    return 1;
  }
  const started = deps.now();
  deps.output.err(`npm start: building dist/app/ (bundle and code cache)…`);
  await deps.build();
  deps.output.err(
    `npm start: built in ${duration((deps.now() - started) / 1000)}; serving on http://localhost:${port} (Ctrl-C stops)`,
  );
  deps.serve(env);
  return 0;
}

/** Whether `port` is taken: listening on it (all interfaces, as the server does) fails with EADDRINUSE. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(true) : reject(err),
    );
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

/** The same signal twice within this window is one event delivered twice. */
export const ECHO_WINDOW_MS = 1000;

/**
 * npm forwards the SIGINT of a terminal's Ctrl-C (and a SIGTERM sent to the whole process group) to
 * the server, which has already received it: one press arrives twice. The server drains on the
 * first and, by design, dies at once on a second; this tells an echo (ignore) from a real second
 * press or signal (exit at once).
 */
export function signalEchoFilter(now: () => number): (signal: string) => 'first' | 'echo' | 'again' {
  const first = new Map<string, number>();
  return (signal) => {
    const at = first.get(signal);
    if (at === undefined) {
      first.set(signal, now());
      return 'first';
    }
    return now() - at < ECHO_WINDOW_MS ? 'echo' : 'again';
  };
}

function processDeps(): StartDeps {
  return {
    env: process.env,
    build: async () => {
      await buildApp(APP_OUT_DIR);
      // esbuild's service process is not needed any more: the server runs alone.
      await stopEsbuild();
    },
    serve: (env) => {
      Object.assign(process.env, env);
      const classify = signalEchoFilter(Date.now);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        // The server's own once-listener drains on the first; this one keeps an echo from killing it.
        process.on(signal, () => {
          if (classify(signal) === 'again') process.exit(128 + constants.signals[signal]);
        });
      }
      serveBundle(APP_OUT_DIR);
    },
    portInUse,
    now: Date.now,
    output: consoleOutput,
  };
}
