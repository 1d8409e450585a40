/**
 * The container's entry point, `node start.js`: runs the bundled server (server.js, in the same
 * directory) from its V8 code cache, so a new task answers its first health check sooner.
 *
 * `node start.js --write-code-cache` is the image build's step that writes that cache: it starts
 * the server on a free loopback port, sends it the requests a new task answers first (health
 * check, /version in both formats, a 404), drains it, and saves what V8 compiled along the way.
 * It must run with the Node binary and flags of the running container (the Dockerfile runs it in
 * the runtime stage); otherwise V8 rejects the cache and the server compiles from source.
 *
 * esbuild bundles this file on its own (scripts/bundle/app.ts): it imports only types from server.ts.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { VERSION_PATH } from '../config/contracts/app';
import { type LoadedBundle, loadBundle } from './code-cache';
import type * as Server from './server';

/** The server bundle, and its code cache, next to this file. */
export const SERVER_BUNDLE_FILE = 'server.js';
export const CODE_CACHE_FILE = 'server.js.code-cache';
export const WRITE_CODE_CACHE_FLAG = '--write-code-cache';

/** What a new task is asked first: the ALB health check, the hook's /version, an unknown path. */
export const WARM_UP_REQUESTS: readonly { path: string; accept: string }[] = [
  { path: '/', accept: '*/*' },
  { path: VERSION_PATH, accept: 'application/json' },
  { path: VERSION_PATH, accept: 'text/plain' },
  { path: '/no-such-path', accept: '*/*' },
];

function send(port: number, path: string, accept: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { accept }, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

async function writeCodeCache(dir: string): Promise<void> {
  // A fresh compile: a cache loaded now would hold only what the old one held.
  const bundle = loadBundle<typeof Server>(join(dir, SERVER_BUNDLE_FILE), join(dir, CODE_CACHE_FILE), {
    useCache: false,
  });
  const running = await bundle.exports.startServer({ host: '127.0.0.1', port: 0, codeCache: 'off' });
  for (const { path, accept } of WARM_UP_REQUESTS) await send(running.port, path, accept);
  await running.shutdown('code cache warm-up done');
  await bundle.exports.closeLogger(running.logger);
  const bytes = bundle.writeCodeCache();
  process.stderr.write(`wrote ${join(dir, CODE_CACHE_FILE)} (${bytes} bytes)\n`);
}

/** One line on stderr, exit 1: what the entry point could not do, and why. */
function exitWith(what: string, err: unknown): never {
  process.stderr.write(`error: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

/**
 * Runs the server bundle of `dir` from its code cache, in this process: what `node start.js` does,
 * and what `npm start` does after building (scripts/bundle/start.ts).
 */
export function serveBundle(dir: string): void {
  let bundle: LoadedBundle<typeof Server>;
  try {
    bundle = loadBundle<typeof Server>(join(dir, SERVER_BUNDLE_FILE), join(dir, CODE_CACHE_FILE));
  } catch (err) {
    exitWith('cannot load the server', err);
  }
  void bundle.exports.main({ codeCache: bundle.codeCache });
}

function run(argv: readonly string[]): void {
  const dir = __dirname;
  if (argv.length === 0) {
    serveBundle(dir);
  } else if (argv.length === 1 && argv[0] === WRITE_CODE_CACHE_FLAG) {
    writeCodeCache(dir).catch((err: unknown) => exitWith('cannot write the code cache', err));
  } else {
    process.stderr.write(
      `error: unknown arguments ${JSON.stringify(argv)}: run \`node start.js\` to start the server, or \`node start.js ${WRITE_CODE_CACHE_FLAG}\` to write its code cache\n`,
    );
    process.exit(2);
  }
}

if (require.main === module) run(process.argv.slice(2));
