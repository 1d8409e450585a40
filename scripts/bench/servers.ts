/**
 * Starting and stopping the benched servers as child processes, and what is measured on them:
 * startup time to the first 200, and peak resident memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

export interface StartedServer {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawn to the first 200 answer on the probed path. */
  startupMs: number;
  /** CPU milliseconds the server used until then (Linux), which machine load hardly changes. */
  startupCpuMs: number | undefined;
  /** Bytes the server wrote on stdout (its logs), drained so a full pipe never slows it down. */
  stdoutBytes(): number;
  /** The first line the server wrote on stdout (the app's `listening` log line), once it is in. */
  firstLine(): string | undefined;
  /** Resolves with the exit code once the process has exited and its output is all read. */
  closed: Promise<number | null>;
}

/** Longest first line kept: the app's `listening` line is ~250 bytes. */
const FIRST_LINE_MAX_BYTES = 4096;

/** Give up on a server that does not answer 200 within this time: it is broken, not slow. */
const STARTUP_TIMEOUT_MS = 10_000;

export async function startServer(
  script: string,
  port: number,
  path: string,
  env: Record<string, string>,
): Promise<StartedServer> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let bytes = 0;
  let head = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (head.length < FIRST_LINE_MAX_BYTES) head += chunk.toString('utf8', 0, FIRST_LINE_MAX_BYTES);
  });
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? code}) before answering: ${stderr.trim()}`;
  });

  for (;;) {
    if (exited) throw new Error(`${script} ${exited}`);
    if ((await statusOf(port, path)) === 200) break;
    if (Number(process.hrtime.bigint() - started) / 1e6 > STARTUP_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(
        `${script} did not answer 200 on ${path} within ${STARTUP_TIMEOUT_MS} ms: ${stderr.trim()}`,
      );
    }
    // Retry almost at once: the poll interval is part of the measured startup time.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const startupCpuMs = child.pid ? cpuMs(child.pid) : undefined;
  const firstLine = () => (head.includes('\n') ? head.slice(0, head.indexOf('\n')) : undefined);
  return { child, port, startupMs, startupCpuMs, stdoutBytes: () => bytes, firstLine, closed };
}

/** Status of one GET on a fresh connection, or 0 when nothing listens yet. */
function statusOf(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', () => resolve(0));
    req.end();
  });
}

/**
 * Peak resident set size in bytes (VmHWM, Linux's high-water mark of the process's RSS), or
 * undefined where /proc does not exist (macOS).
 */
export function peakRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU time (user + system) the process has used, in milliseconds, or undefined without /proc.
 * Unlike wall-clock times, it hardly changes when other processes compete for the CPU, so it
 * compares the two servers fairly on a busy machine (at 10 ms resolution).
 */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/**
 * SIGTERM, then the exit code once all output is read (SIGKILL after 10 s, which the caller
 * reports as a failure).
 */
export async function stopServer(server: StartedServer): Promise<number | null> {
  const { child } = server;
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const code = await server.closed;
  clearTimeout(timer);
  return code;
}

/** The `codeCache` field of the app's `listening` line (app/code-cache.ts), if there is one. */
export function codeCacheStatus(server: StartedServer): string {
  try {
    const status = JSON.parse(server.firstLine() ?? '').codeCache;
    return typeof status === 'string' ? status : 'not logged';
  } catch {
    return 'not logged';
  }
}
