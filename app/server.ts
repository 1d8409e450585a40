/**
 * Listens, and drains on SIGTERM/SIGINT. esbuild bundles this file into `dist/app/server.js`, which
 * the container's entry point (start.ts) runs from its V8 code cache and starts with `main`;
 * `node dist/app/server.js` starts it too (compiled from source). Tests call `startServer` to get
 * the real `http.Server`.
 *
 * Shutdown, in order: stop accepting connections; close idle keep-alive connections at once and
 * each busy one as soon as its response is written (`Connection: close`); after
 * `shutdownTimeoutMs`, cut whatever is left and exit 1; otherwise flush the logs and exit 0.
 * In ECS the ALB has already deregistered the task when SIGTERM arrives, so no new requests come.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { CodeCacheStatus } from './code-cache';
import { closeLogger, createLogger, type Logger } from './logger';
import { expressHttpClasses } from './prototypes';
import { logWhenDone } from './request-log';
import { type AppSettings, readSettings, SettingsError } from './settings';

/** While draining, connections that became idle are closed this often. */
const DRAIN_POLL_MS = 50;

export interface StartOptions {
  settings?: AppSettings;
  logger?: Logger;
  /** Interface to listen on; all interfaces by default (the container's ENI), 127.0.0.1 in tests. */
  host?: string;
  /** Port to listen on instead of settings.port; 0 picks a free one (the code cache warm-up). */
  port?: number;
  /** How the bundle was compiled (see code-cache.ts), logged at startup: a slow start says why. */
  codeCache?: CodeCacheStatus;
}

export interface RunningServer {
  server: Server;
  settings: AppSettings;
  logger: Logger;
  /** The port actually bound (differs from settings.port when that is 0). */
  port: number;
  /** Drains and closes; resolves to the exit code: 0 if every request finished, 1 if some were cut. */
  shutdown(reason: string): Promise<number>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const settings = options.settings ?? readSettings();
  const logger = options.logger ?? createLogger({ base: { version: settings.codeVersion } });
  const app = createApp(settings, logger);

  let draining = false;
  const server = createServer({ ...expressHttpClasses(app) }, (req, res) => {
    // A request that arrives while draining is answered, then its connection is closed.
    if (draining) res.setHeader('Connection', 'close');
    logWhenDone(logger, req, res);
    app(req, res);
  });
  // Longer than the ALB idle timeout, so the ALB (not us) closes idle connections: see settings.ts.
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.headersTimeout = settings.headersTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? settings.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info(
    {
      port,
      simulateUnhealthy: settings.simulateUnhealthy,
      keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
      codeCache: options.codeCache,
    },
    'listening',
  );

  let closing: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    closing ??= new Promise<number>((resolve) => {
      draining = true;
      logger.info({ reason, timeoutMs: settings.shutdownTimeoutMs }, 'draining');
      let cut = false;
      const poll = setInterval(() => server.closeIdleConnections(), DRAIN_POLL_MS);
      const deadline = setTimeout(() => {
        cut = true;
        logger.error({ timeoutMs: settings.shutdownTimeoutMs }, 'drain timed out: closing busy connections');
        server.closeAllConnections();
      }, settings.shutdownTimeoutMs);
      // Stops accepting now; the callback runs once every connection is closed.
      server.close(() => {
        clearInterval(poll);
        clearTimeout(deadline);
        logger.info({ cut }, 'closed');
        resolve(cut ? 1 : 0);
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { server, settings, logger, port, shutdown };
}

/** The bundle's API for start.ts, which loads it from the code cache. */
export { closeLogger };

/** Starts the server, and exits cleanly on the signals ECS and Ctrl-C send. */
export async function main(options: Pick<StartOptions, 'codeCache'> = {}): Promise<void> {
  let running: RunningServer;
  try {
    running = await startServer(options);
  } catch (err) {
    // Startup errors (bad environment, port in use) go to stderr in plain words, then exit 1.
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      err instanceof SettingsError
        ? err.message
        : code === 'EADDRINUSE'
          ? `${String(err)}: another process listens on that port; stop it, or set PORT to a free port`
          : String(err);
    process.stderr.write(`error: cannot start the server: ${message}\n`);
    process.exit(1);
  }
  const { logger, shutdown } = running;

  const onSignal = async (signal: NodeJS.Signals) => {
    const code = await shutdown(signal);
    await closeLogger(logger);
    process.exit(code);
  };
  // `once`: a second Ctrl-C falls back to Node's default and kills the process at once.
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    logger.flush();
    process.exit(1);
  });
}

if (require.main === module) {
  void main();
}
