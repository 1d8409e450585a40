/**
 * Everything the executor touches outside itself, injected so tests run it with mocked AWS clients,
 * a recording log, an instant clock and a fake command runner.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../../config';
import type { AwsClients } from './aws/clients';

export interface Runtime {
  clients: AwsClients;
  region: string;
  /** One line of progress for the user. */
  log(line: string): void;
  /** What a wait is waiting for, as a live status line on a terminal (scripts/cli/progress.ts). */
  status?(text: string | undefined): void;
  sleep(ms: number): Promise<void>;
  now(): Date;
  /** Runs a local command (sls, synth) with inherited output; resolves with its exit code. */
  run(command: readonly string[], env: Record<string, string>): Promise<number>;
  /** Milliseconds between two polls of a change set, a stack or a pipeline. */
  pollMs: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `command` in the repository root with the parent's output; `npx` resolves to the local bin. */
export function runCommand(command: readonly string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Names AWS SDK errors consistently: `name` is the AWS error code. */
export function awsErrorName(err: unknown): string {
  return err instanceof Error ? err.name : String(err);
}
