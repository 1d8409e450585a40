/**
 * Runs a child process to completion, capturing its output; never throws. Every command that runs a
 * tool (cfn-lint, sls, the synth generator, the gate's npm scripts) goes through it.
 */
import { spawn } from 'node:child_process';

export interface Run {
  /** Exit code; -1 when it could not start or was killed. */
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved (what a terminal would have shown). */
  output: string;
  /** The executable does not exist (ENOENT). */
  missing: boolean;
  timedOut: boolean;
}

export interface CaptureOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child after this long; a hung tool must fail the gate, not hang CI. */
  timeoutMs?: number;
}

export function capture(command: string, args: readonly string[], options: CaptureOptions): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
      output += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      output += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: -1,
        stdout,
        stderr: err.message,
        output: `${output}${err.message}\n`,
        missing: err.code === 'ENOENT',
        timedOut,
      });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, output, missing: false, timedOut });
    });
  });
}
