/**
 * Real servers on 127.0.0.1 for the hook's tests and bench: the "green tasks" (the project's real
 * app when app/server.ts exists), a mini load balancer in front of them, and the failure shapes
 * a probe must survive (a 500, a hang, a closed port).
 */
import http from 'node:http';
import net from 'node:net';
import { createLogger } from '../../../app/logger';
import { startServer } from '../../../app/server';
import { readSettings as readAppSettings } from '../../../app/settings';
import { APP_ENV, TEST_LISTENER_TOKEN_HEADER } from '../../../config';

export interface Running {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface GreenOptions {
  version: string;
  unhealthy?: boolean;
}

/**
 * A green task: the project's real app (app/server.ts `startServer`) on 127.0.0.1, with its
 * environment contract (CODE_VERSION, SIMULATE_UNHEALTHY) and an ephemeral port.
 */
export async function startGreen(options: GreenOptions): Promise<Running> {
  const settings = readAppSettings({
    [APP_ENV.codeVersion]: options.version,
    [APP_ENV.simulateUnhealthy]: options.unhealthy ? 'true' : 'false',
  });
  // Request logs would drown the test output: the app logs to a sink here.
  const logger = createLogger({ destination: { write: () => {} } });
  const running = await startServer({ settings: { ...settings, port: 0 }, logger, host: '127.0.0.1' });
  return {
    port: running.port,
    url: `http://127.0.0.1:${running.port}`,
    close: async () => {
      await running.shutdown('test done');
    },
  };
}

/** A server answering `status` with `body` to every request. */
export async function startFixed(status: number, body: string): Promise<Running> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await listen(server);
  return serverHandle(server);
}

/** Accepts connections and never answers. */
export async function startHang(): Promise<Running & { connections: () => number }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await listen(server);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await listen(server);
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface BalancerStats {
  /** Requests forwarded, per backend index. */
  perBackend: number[];
  /** TCP connections the balancer accepted. */
  connections: number;
  /** Requests without the token header: they reach the group without targets, the ALB answers 503. */
  rejected: number;
  /** Requests the balancer itself answered with a 502/503/504 or left hanging (see `script`). */
  generated: number;
}

/**
 * What the stand-in load balancer does with the n-th request (0-based) that passed the token
 * check: forward it, forward it after a pause (a slow target), answer an ALB-generated error page
 * itself, or never answer (a target that accepted the connection and hangs until the client gives up).
 */
export type BalancerStep = 'forward' | { delayMs: number } | 'hang' | 502 | 503 | 504;

const ALB_ERROR_TITLES: Record<502 | 503 | 504, string> = {
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
};

/** The error page an ALB sends when no target answered, with the `Server: awselb/2.0` it sets. */
export function albErrorPage(res: http.ServerResponse, status: 502 | 503 | 504): void {
  const title = ALB_ERROR_TITLES[status];
  res
    .writeHead(status, { server: 'awselb/2.0', 'content-type': 'text/html' })
    .end(
      `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
    );
}

/**
 * A tiny stand-in for the ALB test listener: round robin per request over `backends` (a port may
 * appear several times to weight it), and — when `token` is set — the ALB's 503 for any request
 * without the TEST_LISTENER_TOKEN_HEADER value, like the header-token listener's default (a forward
 * to a target group without targets). `script` decides per request
 * whether it is forwarded (default) or answered by the balancer itself.
 */
export async function startBalancer(
  backends: readonly number[],
  token?: string,
  script: (request: number) => BalancerStep = () => 'forward',
): Promise<Running & { stats: BalancerStats }> {
  const stats: BalancerStats = {
    perBackend: backends.map(() => 0),
    connections: 0,
    rejected: 0,
    generated: 0,
  };
  let next = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    if (token !== undefined && req.headers[TEST_LISTENER_TOKEN_HEADER.toLowerCase()] !== token) {
      stats.rejected++;
      albErrorPage(res, 503);
      return;
    }
    const step = script(requests++);
    if (typeof step === 'object') {
      const timer = setTimeout(() => forward(req, res), step.delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (step !== 'forward') {
      stats.generated++;
      // 'hang': never answer; the client's request timeout ends it (close() destroys the socket).
      if (step !== 'hang') albErrorPage(res, step);
      return;
    }
    forward(req, res);
  });

  /** Passes one request to the next backend, round robin. */
  function forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const index = next++ % backends.length;
    stats.perBackend[index] = (stats.perBackend[index] ?? 0) + 1;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: backends[index],
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) albErrorPage(res, 502);
      else res.destroy();
    });
    req.pipe(upstream);
  }
  server.on('connection', () => stats.connections++);
  await listen(server);
  const handle = serverHandle(server);
  return { ...handle, stats };
}

function listen(server: net.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function serverHandle(server: http.Server): Running {
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
