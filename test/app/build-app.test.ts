import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { build } from 'esbuild';
import { APP_DEFAULTS } from '../../app/defaults';
import { CODE_CACHE_FILE, WRITE_CODE_CACHE_FLAG } from '../../app/start';
import { REPO_ROOT } from '../../config';
import { freePort } from '../../scripts/bench/free-port';
import { type AppBuild, appDefaultsModule, buildApp, lazyBodyParsers } from '../../scripts/bundle/app';
import { get, post, waitFor200 } from './support/http';

/** Runs `node [flags] start.js` until its first log line, then stops it; returns that line and /version. */
async function firstStart(files: AppBuild, nodeFlags: string[] = []) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, files.start], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), CODE_VERSION: 'cache-test' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    await waitFor200(port, '/version');
    const version = JSON.parse((await get(port, '/version')).body).version;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    return { listening: JSON.parse(stdout.split('\n')[0]), version };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('app bundle', function () {
  this.timeout(60_000);
  let dir: string;
  let files: AppBuild;
  let bundle: string;
  let built: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'app-bundle-'));
    // The shell's app variables do not reach the code cache's warm-up run: a bad one is the
    // server's to report when it starts (npm start does), never a build failure.
    files = await buildApp(dir, { ...process.env, SIMULATE_UNHEALTHY: 'yes', PORT: 'x' });
    built = readdirSync(dir).sort();
    bundle = readFileSync(files.server, 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates one CommonJS file with express and pino inlined', () => {
    expect(bundle).to.not.match(/require\("(express|pino|sonic-boom)"\)/);
    // the only requires left are Node built-ins
    const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    for (const name of required) expect(name).to.match(/^(node:)?[a-z_]+(\/[a-z_]+)?$/);
  });

  it('creates the config defaults as literal values, without the config module or zod', () => {
    expect(appDefaultsModule(APP_DEFAULTS)).to.equal(
      'export const APP_DEFAULTS = {"port":8080,"albIdleTimeoutSeconds":60,"stopTimeoutSeconds":30};\n',
    );
    expect(bundle).to.include('{port:8080,albIdleTimeoutSeconds:60,stopTimeoutSeconds:30}');
    expect(bundle).to.not.include('zod');
    expect(bundle).to.not.include('playground.config.json');
  });

  it('creates working body parsers for a route that adds one (express.json(), express.urlencoded())', async () => {
    // An app like app/app.ts plus the POST routes of docs/app.md#add-a-route, bundled the same way.
    const entry = join(dir, 'with-body.js');
    writeFileSync(
      entry,
      `const express = require('express');
       const app = express();
       app.post('/echo', express.json(), (req, res) => res.json({ got: req.body }));
       app.post('/form', express.urlencoded(), (req, res) => res.json({ got: req.body }));
       const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));
       process.once('SIGTERM', () => server.close());`,
    );
    await build({
      entryPoints: [entry],
      outfile: join(dir, 'with-body.bundle.js'),
      bundle: true,
      platform: 'node',
      nodePaths: [join(REPO_ROOT, 'node_modules')],
      plugins: [lazyBodyParsers()],
      logLevel: 'error',
    });
    const child = spawn(process.execPath, [join(dir, 'with-body.bundle.js')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = Number(
        await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d)))),
      );
      const json = await post(port, '/echo', 'application/json', '{"name":"widget","count":2}');
      expect(json).to.deep.equal({ status: 200, body: '{"got":{"name":"widget","count":2}}' });
      const form = await post(port, '/form', 'application/x-www-form-urlencoded', 'name=widget');
      expect(form).to.deep.equal({ status: 200, body: '{"got":{"name":"widget"}}' });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('creates a server that runs no body-parser code at startup (its zlib stays unloaded)', () => {
    // body-parser is the one dependency that requires zlib; the real express loads it at once.
    const script = `const s = require(${JSON.stringify(files.server)});
      const loaded = () => process.moduleLoadList.includes('NativeModule zlib');
      s.startServer({ host: '127.0.0.1', port: 0 }).then(async (r) => {
        console.log(JSON.stringify({ zlib: loaded() }));
        await r.shutdown('test');
        process.exit(0);
      });`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const line = output.split('\n').find((l) => l.startsWith('{"zlib"'));
    expect(JSON.parse(line ?? '{}')).to.deep.equal({ zlib: false });
  });

  it('creates start.js, server.js and the code cache, and nothing else', () => {
    expect(built).to.deep.equal(['server.js', CODE_CACHE_FILE, 'start.js']);
    // start.js is the loader only: the server is not bundled into it a second time.
    expect(readFileSync(files.start, 'utf8').length).to.be.below(10_000);
    expect(bundle.length).to.be.above(100_000);
  });

  it('creates a code cache that `node start.js` uses, and serves the app from it', async () => {
    const { listening, version } = await firstStart(files);
    expect(listening).to.include({ msg: 'listening', codeCache: 'used', version: 'cache-test' });
    expect(version).to.equal('cache-test');
  });

  it('starts from source, and says so, when V8 rejects the cache (other V8 flags)', async () => {
    const { listening, version } = await firstStart(files, ['--max-old-space-size=300']);
    expect(listening).to.include({ codeCache: 'rejected' });
    expect(version).to.equal('cache-test');
  });

  it('rejects unknown arguments with a message naming the valid ones, and exits 2', () => {
    const run = () => execFileSync(process.execPath, [files.start, '--wrte-code-cache'], { stdio: 'pipe' });
    expect(run)
      .to.throw()
      .that.satisfies((err: { status: number; stderr: Buffer }) => {
        expect(err.status).to.equal(2);
        expect(err.stderr.toString()).to.equal(
          `error: unknown arguments ["--wrte-code-cache"]: run \`node start.js\` to start the server, or \`node start.js ${WRITE_CODE_CACHE_FLAG}\` to write its code cache\n`,
        );
        return true;
      });
  });

  it('fails with one clear line, exit 1, when server.js is missing next to start.js', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'app-start-'));
    try {
      writeFileSync(join(lonely, 'start.js'), readFileSync(files.start));
      const run = () => execFileSync(process.execPath, [join(lonely, 'start.js')], { stdio: 'pipe' });
      expect(run)
        .to.throw()
        .that.satisfies((err: { status: number; stderr: Buffer }) => {
          expect(err.status).to.equal(1);
          expect(err.stderr.toString()).to.match(
            /^error: cannot load the server: ENOENT[^\n]*server\.js'\n$/,
          );
          return true;
        });
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
