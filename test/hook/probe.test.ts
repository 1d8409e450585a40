import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { generatedByLoadBalancer, parseVersion, probe } from '../../hook/probe';
import {
  closedPort,
  type Running,
  startBalancer,
  startFixed,
  startGreen,
  startHang,
} from '../../scripts/bench/hook/servers';

describe('hook probe (real servers on 127.0.0.1)', () => {
  const servers: Running[] = [];
  const serve = async <T extends Running>(p: Promise<T>) => {
    const s = await p;
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('opens a new connection per request so rounds spread over every task', async () => {
    const a = await serve(startGreen({ version: 'v1' }));
    const b = await serve(startGreen({ version: 'v1' }));
    const lb = await serve(startBalancer([a.port, b.port], 'secret'));
    const answers = await probe({
      baseUrl: lb.url,
      paths: ['/version', '/'],
      rounds: 5,
      requestTimeoutMs: 1000,
      connectRetries: 0,
      headers: { [TEST_LISTENER_TOKEN_HEADER]: 'secret' },
    });
    expect(answers.map((x) => [x.round, x.path, x.status, x.version, x.attempts])).to.deep.equal([
      [1, '/version', 200, 'v1', 1],
      [1, '/', 200, undefined, 1],
      [2, '/version', 200, 'v1', 1],
      [2, '/', 200, undefined, 1],
      [3, '/version', 200, 'v1', 1],
      [3, '/', 200, undefined, 1],
      [4, '/version', 200, 'v1', 1],
      [4, '/', 200, undefined, 1],
      [5, '/version', 200, 'v1', 1],
      [5, '/', 200, undefined, 1],
    ]);
    expect(lb.stats).to.deep.equal({ perBackend: [5, 5], connections: 10, rejected: 0, generated: 0 });
  });

  it('sends the token header, Accept JSON and Connection: close', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.end('{"version":"x"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      await probe({
        baseUrl: `http://127.0.0.1:${port}`,
        paths: ['/version'],
        rounds: 1,
        requestTimeoutMs: 1000,
        connectRetries: 0,
        headers: { [TEST_LISTENER_TOKEN_HEADER]: 'tok' },
      });
      expect(seen).to.have.length(1);
      expect(seen[0]).to.include({
        'x-playground-probe-token': 'tok',
        accept: 'application/json',
        connection: 'close',
      });
    } finally {
      server.close();
    }
  });

  it("gets the load balancer's 503 from the test listener without the token (its default forwards to a group without targets)", async () => {
    const app = await serve(startGreen({ version: 'v1' }));
    const lb = await serve(startBalancer([app.port], 'secret'));
    const [answer] = await probe({
      baseUrl: lb.url,
      paths: ['/version'],
      rounds: 1,
      requestTimeoutMs: 1000,
      connectRetries: 0,
    });
    expect(answer).to.include({ status: 503, version: undefined, fromLoadBalancer: true });
    expect(lb.stats.perBackend).to.deep.equal([0]);
  });

  it('retries a refused connection connectRetries times, then gives up', async () => {
    const port = await closedPort();
    const [answer] = await probe({
      baseUrl: `http://127.0.0.1:${port}`,
      paths: ['/version'],
      rounds: 1,
      requestTimeoutMs: 1000,
      connectRetries: 2,
    });
    expect(answer?.status).to.equal(undefined);
    expect(answer?.attempts).to.equal(3);
    expect(answer?.error).to.equal(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('times out a request that gets no answer, per try', async () => {
    const hang = await serve(startHang());
    const started = Date.now();
    const [answer] = await probe({
      baseUrl: hang.url,
      paths: ['/version'],
      rounds: 1,
      requestTimeoutMs: 200,
      connectRetries: 1,
    });
    expect(answer).to.deep.include({ attempts: 2, error: 'no answer within 200 ms' });
    expect(hang.connections()).to.equal(2);
    expect(Date.now() - started).to.be.within(400, 1500);
  });

  it('does not retry an HTTP error answer', async () => {
    const broken = await serve(startFixed(503, 'busy'));
    const answers = await probe({
      baseUrl: broken.url,
      paths: ['/version'],
      rounds: 2,
      requestTimeoutMs: 500,
      connectRetries: 3,
    });
    expect(answers.map((a) => [a.status, a.attempts, a.version])).to.deep.equal([
      [503, 1, undefined],
      [503, 1, undefined],
    ]);
  });

  it('retries a 503 the load balancer generated, like a connection error, and takes the next answer', async () => {
    const app = await serve(startGreen({ version: 'v1' }));
    const lb = await serve(startBalancer([app.port], undefined, (n) => (n === 0 ? 503 : 'forward')));
    const answers = await probe({
      baseUrl: lb.url,
      paths: ['/version'],
      rounds: 2,
      requestTimeoutMs: 1000,
      connectRetries: 2,
    });
    expect(answers.map((a) => [a.round, a.status, a.version, a.attempts, a.fromLoadBalancer])).to.deep.equal([
      [1, 200, 'v1', 2, undefined],
      [2, 200, 'v1', 1, undefined],
    ]);
    expect(lb.stats).to.include({ generated: 1, connections: 3 });
  });

  it('marks the answer when every try got a load balancer error', async () => {
    const app = await serve(startGreen({ version: 'v1' }));
    const lb = await serve(startBalancer([app.port], undefined, () => 502));
    const [answer] = await probe({
      baseUrl: lb.url,
      paths: ['/version'],
      rounds: 1,
      requestTimeoutMs: 1000,
      connectRetries: 2,
    });
    expect(answer).to.deep.include({ status: 502, fromLoadBalancer: true, attempts: 3, version: undefined });
    expect(lb.stats.generated).to.equal(3);
  });

  it('stops as soon as keepGoing says the verdict is decided', async () => {
    const broken = await serve(startFixed(500, '{}'));
    const answers = await probe({
      baseUrl: broken.url,
      paths: ['/version'],
      rounds: 10,
      requestTimeoutMs: 500,
      connectRetries: 0,
      keepGoing: (a) => a.status === 200,
    });
    expect(answers).to.have.length(1);
  });

  it('stops when the budget signal aborts', async () => {
    const hang = await serve(startHang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const answers = await probe({
      baseUrl: hang.url,
      paths: ['/version'],
      rounds: 10,
      requestTimeoutMs: 30000,
      connectRetries: 5,
      signal: controller.signal,
    });
    expect(Date.now() - started).to.be.below(1000);
    expect(answers).to.have.length(1);
    expect(answers[0]).to.deep.include({ attempts: 1, error: 'aborted: time budget exceeded' });
  });
});

describe('hook version parsing', () => {
  it('reads the JSON version and the text line', () => {
    expect(parseVersion('{"version":"4f2a9c1","hostname":"ip-10-0-0-1","pid":1}')).to.equal('4f2a9c1');
    expect(parseVersion('Hello from Host ip-10-0-0-1 Process 1. Code version: 4f2a9c1')).to.equal('4f2a9c1');
  });

  it('returns undefined for anything else', () => {
    expect(parseVersion('{"version":42}')).to.equal(undefined);
    expect(parseVersion('<html>Not Found</html>')).to.equal(undefined);
    expect(parseVersion('')).to.equal(undefined);
  });
});

describe('hook load balancer error detection', () => {
  const page = (title: string) =>
    `<html>\r\n<head><title>${title}</title></head>\r\n<body></body>\r\n</html>`;

  it('recognises the ALB by its Server header or by its own error page', () => {
    expect(generatedByLoadBalancer({ status: 503, headers: { server: 'awselb/2.0' }, body: '' })).to.equal(
      true,
    );
    expect(generatedByLoadBalancer({ status: 502, headers: {}, body: page('502 Bad Gateway') })).to.equal(
      true,
    );
    expect(
      generatedByLoadBalancer({ status: 504, headers: {}, body: page('504 Gateway Time-out') }),
    ).to.equal(true);
  });

  it("keeps the app's own 5xx and every other status final", () => {
    // The app's 503: JSON, no Server header.
    expect(
      generatedByLoadBalancer({
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: '{"error":"Service Unavailable"}',
      }),
    ).to.equal(false);
    // An ALB answer that is not a "no target answered" status.
    expect(generatedByLoadBalancer({ status: 500, headers: { server: 'awselb/2.0' }, body: '' })).to.equal(
      false,
    );
    expect(generatedByLoadBalancer({ status: 404, headers: { server: 'awselb/2.0' }, body: '' })).to.equal(
      false,
    );
    // A page whose title does not match the status is not the ALB's.
    expect(generatedByLoadBalancer({ status: 503, headers: {}, body: page('502 Bad Gateway') })).to.equal(
      false,
    );
  });
});
