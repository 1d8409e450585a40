/**
 * Graceful shutdown of the real, bundled server (the container's `node start.js`), under load.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../scripts/bench/free-port';
import { buildApp } from '../../scripts/bundle/app';
import { waitFor200 } from './support/http';

type Outcome =
  | { id: string; kind: 'ok'; status: number; body: string; at: number }
  | { id: string; kind: 'refused' | 'reset'; code: string }
  | { id: string; kind: 'partial'; detail: string };

/** One GET on a keep-alive agent; classifies how it ended. */
function fetchOnce(agent: Agent, port: number, id: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/version', agent, headers: { 'X-Amzn-Trace-Id': id } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.once('end', () =>
          resolve(
            res.complete
              ? { id, kind: 'ok', status: res.statusCode ?? 0, body, at: Date.now() }
              : { id, kind: 'partial', detail: `incomplete body ${JSON.stringify(body)}` },
          ),
        );
        res.once('error', (err) => resolve({ id, kind: 'partial', detail: err.message }));
      },
    );
    // An error before any response byte: the server never answered this request.
    req.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ id, kind: err.code === 'ECONNREFUSED' ? 'refused' : 'reset', code: err.code ?? err.message }),
    );
    req.end();
  });
}

/**
 * A client in the middle of sending its request when SIGTERM arrives: the request line and half
 * the headers now, the rest later. The server has accepted the connection and started the request.
 */
async function slowClient(port: number, id: string): Promise<{ finish(): void; answer: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  // Resolves once the partial request is in the kernel's socket buffer on its way to the server.
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.write(`GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amzn-Trace-Id: ${id}\r\n`, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let data = '';
  const answer = new Promise<string>((resolve) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.once('end', () => resolve(data));
    socket.once('error', (err) => resolve(`${id}: ${err.message} after ${JSON.stringify(data)}`));
  });
  return { finish: () => socket.write('Accept: application/json\r\n\r\n'), answer };
}

describe('graceful shutdown of the bundled server', function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'app-shutdown-'));
    bundle = (await buildApp(dir)).start;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a complete 2xx for every accepted request and exits 0 in < 10 s on SIGTERM mid-load', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [bundle], {
      env: { ...process.env, PORT: String(port), CODE_VERSION: 'drain-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.once('exit', (code) => resolve({ code, at: Date.now() })),
    );
    await waitFor200(port, '/version');

    // 32 keep-alive connections, each sending request after request until the server refuses.
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const outcomes: Outcome[] = [];
    let sequence = 0;
    const worker = async (w: number) => {
      for (;;) {
        const outcome = await fetchOnce(agent, port, `load-${w}-${sequence++}`);
        outcomes.push(outcome);
        if (outcome.kind !== 'ok') return;
      }
    };
    const slow = await Promise.all(Array.from({ length: 4 }, (_, i) => slowClient(port, `slow-${i}`)));
    const workers = Array.from({ length: 32 }, (_, w) => worker(w));

    // Let the load run, then stop the server in the middle of it.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const sigtermAt = Date.now();
    child.kill('SIGTERM');
    // The slow clients complete their requests only after SIGTERM.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const client of slow) client.finish();

    const [{ code, at }, slowAnswers] = await Promise.all([exited, Promise.all(slow.map((c) => c.answer))]);
    await Promise.all(workers);
    agent.destroy();

    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    expect(at - sigtermAt).to.be.lessThan(10_000);

    // The load really was mid-flight: plenty answered before SIGTERM.
    const ok = outcomes.filter((o) => o.kind === 'ok');
    expect(ok.filter((o) => o.at < sigtermAt).length).to.be.greaterThan(100);
    // Every answer the clients got is a complete 200 with the right body.
    for (const o of ok) {
      expect(o.status).to.equal(200);
      expect(JSON.parse(o.body).version).to.equal('drain-test');
    }
    // No response was cut off; the failures are connections the server never read a request from.
    expect(outcomes.filter((o) => o.kind === 'partial')).to.deep.equal([]);

    // The requests in flight at SIGTERM were answered, with `Connection: close`.
    for (const answer of slowAnswers) {
      expect(answer).to.match(/^HTTP\/1\.1 200 OK\r\n/);
      expect(answer.toLowerCase()).to.include('\r\nconnection: close\r\n');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).version).to.equal('drain-test');
    }

    // What the server logged as accepted is exactly what the clients received in full.
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const served = lines.filter((l) => l.msg === 'request');
    expect(served.filter((l) => l.status !== 200 || l.complete !== true)).to.deep.equal([]);
    // (plus the one untraced startup probe of waitFor200)
    expect(served.filter((l) => l.traceId === undefined)).to.have.length(1);
    expect(
      served
        .map((l) => l.traceId)
        .filter((id) => id !== undefined)
        .sort(),
    ).to.deep.equal([...ok.map((o) => o.id), ...slow.map((_, i) => `slow-${i}`)].sort());
    expect(served.every((l) => l.version === 'drain-test')).to.equal(true);
    const draining = lines.find((l) => l.msg === 'draining');
    expect(draining).to.include({ reason: 'SIGTERM', level: 30 });
    expect(lines[lines.length - 1]).to.include({ msg: 'closed', cut: false });
  });

  it('fails at startup with one line naming a bad variable, exit code 1', async () => {
    const child = spawn(process.execPath, [bundle], { env: { ...process.env, PORT: 'abc' }, stdio: 'pipe' });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.equal(
      'error: cannot start the server: PORT="abc": must be a whole number from 1024 to 65535\n',
    );
  });
});
