import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { freePort } from '../../scripts/bench/free-port';
import { main, portInUse, START_COMMAND, type StartDeps, signalEchoFilter } from '../../scripts/bundle/start';
import { usageText } from '../../scripts/cli/args';
import { configWith, hermeticEnv } from '../support/config';
import { get, waitFor200 } from './support/http';

/** main() with stand-ins: what it built and served, and what it printed. */
async function start(
  env: Record<string, string>,
  argv: string[] = [],
  busy = async (_port: number) => false,
) {
  const calls: string[] = [];
  const served: Record<string, string>[] = [];
  const err: string[] = [];
  const out: string[] = [];
  let t = 0;
  const deps: StartDeps = {
    env,
    build: async () => {
      calls.push('build');
      t += 2500;
    },
    serve: (e) => {
      calls.push('serve');
      served.push(e);
    },
    portInUse: busy,
    now: () => t,
    output: { out: (l) => out.push(l), err: (l) => err.push(l) },
  };
  const code = await main(argv, deps);
  return { code, calls, served, err, out };
}

/** Resolves once something can listen on `port` again. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

describe('npm start', () => {
  const config = (port: number) => JSON.stringify({ container: { port } });

  it("serves on the config's container.port with the task's environment; the shell's variables win", async () => {
    const fromConfig = await start({ PLAYGROUND_CONFIG_JSON: config(3000) });
    expect(fromConfig.code).to.equal(0);
    expect(fromConfig.calls).to.deep.equal(['build', 'serve']);
    expect(fromConfig.served).to.deep.equal([
      { PORT: '3000', ALB_IDLE_TIMEOUT_SECONDS: '60', STOP_TIMEOUT_SECONDS: '30' },
    ]);
    expect(fromConfig.err).to.deep.equal([
      'npm start: building dist/app/ (bundle and code cache)…',
      'npm start: built in 3 s; serving on http://localhost:3000 (Ctrl-C stops)',
    ]);
    const fromShell = await start({
      PLAYGROUND_CONFIG_JSON: config(3000),
      PORT: '18080',
      CODE_VERSION: 'abc',
      SIMULATE_UNHEALTHY: 'true',
    });
    expect(fromShell.served[0]).to.include({
      PORT: '18080',
      CODE_VERSION: 'abc',
      SIMULATE_UNHEALTHY: 'true',
    });
  });

  it('fails on a bad environment value first, in one line naming it, before building anything', async () => {
    const r = await start({ PLAYGROUND_CONFIG_JSON: '{}', SIMULATE_UNHEALTHY: 'yes' });
    expect([r.code, r.calls, r.err]).to.deep.equal([
      1,
      [],
      ['error: cannot start the app: SIMULATE_UNHEALTHY="yes": must be true, false, 1 or 0'],
    ]);
    const badConfig = await start({ PLAYGROUND_CONFIG_JSON: '{"container":{"port":"3000"}}' });
    expect([badConfig.code, badConfig.calls, badConfig.err]).to.deep.equal([
      1,
      [],
      [
        'error: cannot start the app: Invalid config: container.port="3000": must be a whole number from 1024 to 65535 (write 3000 without quotes)',
      ],
    ]);
  });

  it('fails on a busy port before building, naming the fix, and never says "serving on"', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, () => resolve((holder.address() as { port: number }).port)),
    );
    try {
      const r = await start({ PLAYGROUND_CONFIG_JSON: '{}', PORT: String(port) }, [], portInUse);
      expect([r.code, r.calls, r.err]).to.deep.equal([
        1,
        [],
        [
          `error: cannot start the app: port ${port} is in use (another npm start, or another program): stop it, or start on a free port: PORT=${port + 1} npm start`,
        ],
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    expect(await portInUse(port)).to.equal(false);
  });

  it('prints its usage with -h and builds nothing', async () => {
    const r = await start({}, ['-h']);
    expect([r.code, r.calls, r.out]).to.deep.equal([0, [], [usageText(START_COMMAND)]]);
  });

  it("tells npm's echo of a signal (within 1 s) from a second Ctrl-C", () => {
    let t = 0;
    const classify = signalEchoFilter(() => t);
    expect(classify('SIGINT')).to.equal('first');
    t = 5;
    expect(classify('SIGINT')).to.equal('echo');
    expect(classify('SIGTERM')).to.equal('first');
    t = 2000;
    expect(classify('SIGINT')).to.equal('again');
  });

  it('drains and frees the port within 10 s when the npm start process gets SIGTERM (npm forwards it to the server)', async function () {
    // npm, ts-node, the build (esbuild and the code cache) and the server, on a busy machine.
    this.timeout(120_000);
    const port = await freePort();
    // The docs' command (CODE_VERSION=abc SIMULATE_UNHEALTHY=true npm start), on the config's port.
    const { PORT: _none, ...env } = hermeticEnv(configWith({ container: { port } }), {
      CODE_VERSION: 'abc',
      SIMULATE_UNHEALTHY: 'true',
    });
    const npm: ChildProcess = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    npm.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      await waitFor200(port, '/version', 90_000);
      expect(JSON.parse((await get(port, '/version')).body).version).to.equal('abc');
      expect((await get(port, '/version', { accept: 'text/plain' })).body).to.match(/Code version: abc$/);
      expect((await get(port, '/')).status).to.equal(500);

      const signalled = Date.now();
      npm.kill('SIGTERM');
      let free = false;
      while (!free && Date.now() - signalled < 10_000) {
        free = await portIsFree(port);
        if (!free) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(free, 'the port is free within 10 s of SIGTERM').to.equal(true);
      expect(await exited).to.equal(0);
      // The server itself received the signal and drained (no orphan left serving).
      expect(stdout).to.match(/"reason":"SIGTERM".*"msg":"draining"/);
      expect(stdout).to.include('"msg":"closed"');
    } finally {
      npm.kill('SIGKILL');
    }
  });
});
