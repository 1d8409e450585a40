/**
 * The access log: one line per request, written when the response is done (or aborted), so a
 * line always carries the final status and duration.
 *
 * server.ts calls it for every request before handing it to Express, rather than mounting it as
 * Express middleware: one router layer less per request is ~10 % less CPU on `/version`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger';

/** Longest header value copied into a log line: a client must not be able to bloat the logs. */
const MAX_TRACE_ID_LENGTH = 128;

export function logWhenDone(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  // Read now: routers may rewrite req.url while they route.
  const url = req.url;
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const traceId = req.headers['x-amzn-trace-id'];
    const line = {
      method: req.method,
      url,
      status: res.statusCode,
      ms: Math.round(ms * 1000) / 1000,
      // The ALB's trace id ties this line to the ALB access log entry of the same request.
      traceId: typeof traceId === 'string' ? traceId.slice(0, MAX_TRACE_ID_LENGTH) : undefined,
      // false when the connection closed before the whole response was written
      complete: res.writableFinished,
    };
    if (res.statusCode >= 500 || !line.complete) logger.error(line, 'request');
    else logger.info(line, 'request');
  });
}
