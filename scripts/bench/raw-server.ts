/**
 * The bench's baseline: a bare node:http server giving the same `/version` answer as the app
 * (same body, same headers, same keep-alive timeout), with no framework and no logging.
 * Bundled by the bench like the app, so both start the same way.
 */
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const body = JSON.stringify({
  version: process.env.CODE_VERSION?.trim() || 'unknown',
  hostname: hostname(),
  pid: process.pid,
});
const length = String(Buffer.byteLength(body));

const server = createServer((req, res) => {
  if (req.url === '/version') {
    res.writeHead(200, {
      Vary: 'Accept',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': length,
    });
    res.end(body);
  } else {
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end('{"error":"Not Found"}');
  }
});
// The same value the app derives from the default ALB idle timeout: identical connection reuse.
server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_TIMEOUT_MS);
server.listen(Number(process.env.PORT));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
