/**
 * HAProxy as the rehearsal's load balancer: found on PATH, started as a child process on loopback
 * with the generated configuration, and driven through its runtime API on a unix socket — the way
 * ECS and CodeDeploy drive an ALB through the ELBv2 API (RegisterTargets → `add server`,
 * DeregisterTargets → `set server state drain`, then `del server`; ModifyListener/ModifyRule weights →
 * `set map`). The commands are those of HAProxy's Management Guide, section 9.3
 * (https://docs.haproxy.org/2.6/management.html#9.3).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const HAPROXY_INSTALL =
  'haproxy not found on PATH: install HAProxy 2.6 or newer (Debian/Ubuntu: sudo apt-get install haproxy; macOS: brew install haproxy), then run it again';

/** `haproxy -v`'s version, or undefined when haproxy is not on PATH. */
export function haproxyVersion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const r = spawnSync('haproxy', ['-v'], { env, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /version (\d+\.\d+(?:\.\d+)?)/i.exec(r.stdout)?.[1];
}

/** Whether `version` is 2.6 or newer (dynamic servers with health checks, `http-request return`). */
export function supported(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 6);
}

/** One row of `show stat` (the fields the rehearsal reads). */
export interface StatRow {
  proxy: string;
  server: string;
  /** UP, DOWN, MAINT, DRAIN, `UP 1/3`, `DOWN 1/2`, … */
  status: string;
  /** Current sessions. */
  scur: number;
  /** Connections to the server, idle (kept alive for reuse) or in use. */
  connections: number;
  hrsp5xx: number;
  chkfail: number;
  checkStatus: string;
}

/** How long one `show stat` answers for everyone who asks (health polls, alarms, drains). */
const STATS_FRESH_MS = 15;

export class Haproxy {
  private constructor(
    private readonly child: ChildProcess,
    readonly socket: string,
    private readonly output: string[],
  ) {}

  /** Starts haproxy with `config`; resolves once its runtime API answers. */
  static async start(dir: string, config: string, socket: string): Promise<Haproxy> {
    const file = join(dir, 'haproxy.cfg');
    writeFileSync(file, config);
    const output: string[] = [];
    const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    const proxy = new Haproxy(child, socket, output);
    for (let i = 0; ; i++) {
      if (child.exitCode !== null)
        throw new Error(`haproxy exited (${child.exitCode}): ${output.join('').trim()}`);
      try {
        await proxy.command('show info');
        return proxy;
      } catch (err) {
        if (i > 100) {
          child.kill('SIGKILL');
          throw new Error(`haproxy's runtime API did not answer on ${socket}: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** The commands in flight, one after another: the runtime API socket's backlog is small. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The last `show stat`, shared by every caller within STATS_FRESH_MS. */
  private lastStats: { at: number; rows: Promise<StatRow[]> } | undefined;

  /** One runtime API command, after those before it; its answer. Throws on an answer that reports a failure. */
  command(line: string): Promise<string> {
    const run = this.queue.then(
      () => this.send(line),
      () => this.send(line),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private send(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const conn = connect(this.socket);
      let answer = '';
      conn.on('data', (d) => {
        answer += d.toString();
      });
      conn.on('error', reject);
      conn.on('end', () => {
        // Commands that change something answer nothing, or one line saying what went wrong.
        const first = answer.trim().split('\n')[0] ?? '';
        if (
          !line.startsWith('show') &&
          /unknown|no such|require|not found|fail|error|can't|cannot|invalid/i.test(first)
        ) {
          reject(new Error(`haproxy: ${line}: ${answer.trim()}`));
        } else resolve(answer);
      });
      conn.end(`${line}\n`);
    });
  }

  /**
   * RegisterTargets: a new target starts unhealthy ("initial") and takes requests only after the
   * healthy threshold of passing checks. Added servers start in maintenance; health checks on, the
   * health forced down, then ready: HAProxy counts `rise` passing checks before it sends requests.
   */
  async register(backend: string, server: string, port: number, checkOptions: string): Promise<void> {
    // Weight 0 until its health is forced down: a ready server is up, and must take no request before.
    await this.command(`add server ${backend}/${server} 127.0.0.1:${port} ${checkOptions} weight 0`);
    await this.command(`enable health ${backend}/${server}`);
    await this.command(`set server ${backend}/${server} state ready`);
    await this.command(`set server ${backend}/${server} health down`);
    await this.command(`set server ${backend}/${server} weight 1`);
  }

  /** A target of the steady state before the release: in service at once. */
  async registerInService(
    backend: string,
    server: string,
    port: number,
    checkOptions: string,
  ): Promise<void> {
    await this.command(`add server ${backend}/${server} 127.0.0.1:${port} ${checkOptions}`);
    await this.command(`enable health ${backend}/${server}`);
    await this.command(`set server ${backend}/${server} state ready`);
  }

  /** DeregisterTargets, first half: no new requests, in-flight ones finish. */
  drain(backend: string, server: string): Promise<string> {
    return this.command(`set server ${backend}/${server} state drain`);
  }

  /** DeregisterTargets, second half: the target is gone. */
  async remove(backend: string, server: string): Promise<void> {
    await this.command(`set server ${backend}/${server} state maint`);
    await this.command(`shutdown sessions server ${backend}/${server}`);
    await this.command(`del server ${backend}/${server}`);
  }

  setMap(file: string, key: string, value: number): Promise<string> {
    return this.command(`set map ${file} ${key} ${value}`);
  }

  /** `show stat`; `fresh`: read after every command queued so far, never a shared earlier answer. */
  stats(fresh = false): Promise<StatRow[]> {
    const now = Date.now();
    if (fresh || !this.lastStats || now - this.lastStats.at > STATS_FRESH_MS) {
      this.lastStats = { at: now, rows: this.readStats() };
    }
    return this.lastStats.rows;
  }

  private async readStats(): Promise<StatRow[]> {
    const text = await this.command('show stat');
    const [header, ...rows] = text.trim().split('\n');
    const names = header.replace(/^# /, '').split(',');
    const at = (name: string) => names.indexOf(name);
    return rows
      .filter((r) => r && !r.startsWith('#'))
      .map((r) => {
        const f = r.split(',');
        return {
          proxy: f[at('pxname')],
          server: f[at('svname')],
          status: f[at('status')],
          scur: Number(f[at('scur')] || 0),
          connections: Number(f[at('idle_conn_cur')] || 0) + Number(f[at('used_conn_cur')] || 0),
          hrsp5xx: Number(f[at('hrsp_5xx')] || 0),
          chkfail: Number(f[at('chkfail')] || 0),
          checkStatus: f[at('check_status')] ?? '',
        };
      });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** Kills haproxy at once (the rehearsal is being killed). */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** What haproxy printed (its warnings), for a failure message. */
  log(): string {
    return this.output.join('');
  }
}
