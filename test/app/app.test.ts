import { hostname } from 'node:os';
import { expect } from 'chai';
import express from 'express';
import { addErrorHandling } from '../../app/errors';
import { createLogger } from '../../app/logger';
import { type RunningServer, startServer } from '../../app/server';
import { type AppSettings, readSettings } from '../../app/settings';
import { get } from './support/http';

/** A logger whose JSON lines land in an array. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

async function start(env: Record<string, string>) {
  const settings: AppSettings = { ...readSettings(env), port: 0 };
  const { logger, lines } = memoryLogger();
  const running = await startServer({ settings, logger, host: '127.0.0.1' });
  return { running, lines };
}

describe('app routes', () => {
  let running: RunningServer;
  let lines: Record<string, unknown>[];

  before(async () => {
    ({ running, lines } = await start({ CODE_VERSION: 'abc' }));
  });
  after(() => running.shutdown('test done'));

  it('creates 200 "Hello World" on / (the ALB health check)', async () => {
    const answer = await get(running.port, '/');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.equal('Hello World');
    expect(answer.headers['content-type']).to.equal('text/plain; charset=utf-8');
  });

  it('creates the version, host name and pid as JSON on /version by default', async () => {
    const accepts: Record<string, string>[] = [
      {},
      { Accept: '*/*' },
      { Accept: 'application/json' },
      { Accept: 'text/html' },
    ];
    for (const headers of accepts) {
      const answer = await get(running.port, '/version', headers);
      expect(answer.status).to.equal(200);
      expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(answer.headers.vary).to.equal('Accept');
      expect(JSON.parse(answer.body)).to.deep.equal({
        version: 'abc',
        hostname: hostname(),
        pid: process.pid,
      });
    }
  });

  it("creates the original's text line on /version for Accept: text/plain", async () => {
    for (const accept of ['text/plain', 'text/plain, application/json;q=0.5']) {
      const answer = await get(running.port, '/version', { Accept: accept });
      expect(answer.status).to.equal(200);
      expect(answer.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(answer.body).to.equal(`Hello from Host ${hostname()} Process ${process.pid}. Code version: abc`);
    }
  });

  it('creates a 404 JSON answer for an unknown route', async () => {
    const answer = await get(running.port, '/nope?x=1');
    expect(answer.status).to.equal(404);
    expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).to.deep.equal({ error: 'Not Found', path: '/nope' });
  });

  it('creates no x-powered-by header and no ETag', async () => {
    for (const path of ['/', '/version', '/nope']) {
      const answer = await get(running.port, path);
      expect(answer.headers).to.not.have.property('x-powered-by');
      expect(answer.headers).to.not.have.property('etag');
    }
  });

  it('creates one JSON log line per request', async () => {
    const before = lines.length;
    await get(running.port, '/version', { 'X-Amzn-Trace-Id': 'Root=1-abc' });
    // the line is written when the response closes, just after the client has read it
    await new Promise((resolve) => setTimeout(resolve, 20));
    const logged = lines.slice(before);
    expect(logged).to.have.length(1);
    const { time, ms, ...line } = logged[0];
    expect(time).to.be.a('string');
    expect(ms).to.be.a('number');
    expect(line).to.deep.equal({
      level: 30,
      pid: process.pid,
      hostname: hostname(),
      method: 'GET',
      url: '/version',
      status: 200,
      traceId: 'Root=1-abc',
      complete: true,
      msg: 'request',
    });
  });

  it('creates the keep-alive timeout above the ALB idle timeout on the real server', () => {
    expect(running.server.keepAliveTimeout).to.equal(65_000);
    expect(running.server.keepAliveTimeout).to.be.greaterThan(60_000);
    expect(running.server.headersTimeout).to.equal(66_000);
    expect(running.server.headersTimeout).to.be.greaterThan(running.server.keepAliveTimeout);
  });
});

describe('app with unknown version', () => {
  it('creates "unknown" on /version when CODE_VERSION is unset', async () => {
    const { running } = await start({});
    try {
      expect(JSON.parse((await get(running.port, '/version')).body).version).to.equal('unknown');
      expect((await get(running.port, '/version', { Accept: 'text/plain' })).body).to.match(
        /\. Code version: unknown$/,
      );
    } finally {
      await running.shutdown('test done');
    }
  });
});

describe('app with the unhealthy switch on', () => {
  it('creates 500 on / while /version keeps answering 200', async () => {
    const { running, lines } = await start({ SIMULATE_UNHEALTHY: 'true', CODE_VERSION: 'bad' });
    try {
      const health = await get(running.port, '/');
      expect(health.status).to.equal(500);
      expect(JSON.parse(health.body)).to.deep.equal({
        error: 'Simulated unhealthy release (SIMULATE_UNHEALTHY=true)',
      });
      const version = await get(running.port, '/version');
      expect(version.status).to.equal(200);
      expect(JSON.parse(version.body).version).to.equal('bad');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines.filter((l) => l.msg === 'request').map((l) => [l.level, l.status])).to.deep.equal([
        [50, 500],
        [30, 200],
      ]);
    } finally {
      await running.shutdown('test done');
    }
  });
});

describe('app error handling', () => {
  /** The app's own log and error handling around routes that fail, on a real server. */
  async function failingApp() {
    const { logger, lines } = memoryLogger();
    const app = express();
    app.get('/throws', () => {
      throw new Error('secret detail at /srv/app.js:1');
    });
    app.get('/rejects', async () => {
      throw new TypeError('async failure');
    });
    app.get('/bad-request', () => {
      throw Object.assign(new Error('malformed'), { status: 400 });
    });
    addErrorHandling(app, logger);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    return { port, lines, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('creates a 500 JSON answer without stack trace when a route throws', async () => {
    const app = await failingApp();
    try {
      for (const path of ['/throws', '/rejects']) {
        const answer = await get(app.port, path);
        expect(answer.status).to.equal(500);
        expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
        expect(answer.body).to.equal('{"error":"Internal Server Error"}');
      }
      // the details stay in the log
      const failures = app.lines.filter((l) => l.msg === 'request failed');
      expect(failures.map((l) => (l.err as { message: string }).message)).to.deep.equal([
        'secret detail at /srv/app.js:1',
        'async failure',
      ]);
    } finally {
      await app.close();
    }
  });

  it('creates the status of a client error raised with one', async () => {
    const app = await failingApp();
    try {
      const answer = await get(app.port, '/bad-request');
      expect(answer.status).to.equal(400);
      expect(answer.body).to.equal('{"error":"Bad Request"}');
    } finally {
      await app.close();
    }
  });
});
