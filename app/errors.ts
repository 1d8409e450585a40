/**
 * The app's answers when no route matches or a handler fails: JSON, never an HTML page, never a
 * stack trace (a stack trace tells an attacker which libraries and paths we run).
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { Logger } from './logger';

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'Not Found', path: req.path });
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    // The full error stays in our logs; the client only learns the status.
    logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    // Too late for a JSON answer: Express's default handler closes the connection.
    if (res.headersSent) return next(err);
    // Client errors that Express or a parser raise (e.g. 400) keep their status; anything else is a 500.
    const status = clientErrorStatus(err) ?? 500;
    res.status(status).json({ error: STATUS_CODES[status] });
  };
}

function clientErrorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status =
    (err as { status?: unknown; statusCode?: unknown }).status ??
    (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Mounts the 404 and error handlers; they must come after every route. */
export function addErrorHandling(app: Express, logger: Logger): void {
  app.use(notFound);
  app.use(errorHandler(logger));
}
