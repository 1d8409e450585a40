import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { expect } from 'chai';
import { createLogger } from '../../app/logger';
import { startServer } from '../../app/server';
import { readSettings } from '../../app/settings';

const quietLogger = () => {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    logger: createLogger({ destination: { write: (l: string) => lines.push(JSON.parse(l)) } }),
  };
};

describe('server shutdown', () => {
  it('creates exit code 0 at once when only idle keep-alive connections are open', async () => {
    const { logger } = quietLogger();
    const running = await startServer({
      settings: { ...readSettings({}), port: 0 },
      logger,
      host: '127.0.0.1',
    });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port: running.port, path: '/', agent }, (res) => {
        res.resume().once('end', resolve);
      })
        .once('error', reject)
        .end();
    });
    // The agent keeps the socket open; keepAliveTimeout (65 s) would hold the server that long.
    const started = Date.now();
    expect(await running.shutdown('test')).to.equal(0);
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(running.server.listening).to.equal(false);
    agent.destroy();
  });

  it('fails with exit code 1 after cutting a request still unfinished at the deadline', async () => {
    const { logger, lines } = quietLogger();
    const settings = { ...readSettings({}), port: 0, shutdownTimeoutMs: 300 };
    const running = await startServer({ settings, logger, host: '127.0.0.1' });
    // A client that started a request and never finishes it.
    const socket = connect(running.port, '127.0.0.1');
    await new Promise<void>((resolve) =>
      socket.write('GET /version HTTP/1.1\r\nHost: x\r\n', () => resolve()),
    );
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = Date.now();
    expect(await running.shutdown('test')).to.equal(1);
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.at.least(290);
    expect(elapsed).to.be.lessThan(2000);
    await closed;
    expect(lines.map((l) => l.msg)).to.deep.equal([
      'listening',
      'draining',
      'drain timed out: closing busy connections',
      'closed',
    ]);
    expect(lines[3]).to.include({ cut: true });
  });

  it('creates one shutdown for repeated signals', async () => {
    const { logger, lines } = quietLogger();
    const running = await startServer({
      settings: { ...readSettings({}), port: 0 },
      logger,
      host: '127.0.0.1',
    });
    const [first, second] = await Promise.all([running.shutdown('SIGTERM'), running.shutdown('SIGINT')]);
    expect([first, second]).to.deep.equal([0, 0]);
    expect(lines.filter((l) => l.msg === 'draining').map((l) => l.reason)).to.deep.equal(['SIGTERM']);
  });
});
