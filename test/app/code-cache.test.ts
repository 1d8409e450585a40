import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { build } from 'esbuild';
import type { CodeCacheStatus } from '../../app/code-cache';
import { REPO_ROOT } from '../../config';

interface Loaded {
  codeCache: CodeCacheStatus;
  answer: string;
  filename: string;
  dirname: string;
  isMain: boolean;
  sep: string;
  /** Bytes written, when the load was asked to write the cache. */
  wrote?: number;
}

/** A small CommonJS bundle like server.js: requires a built-in, exports functions. */
const source = (word: string) => `"use strict";
const path = require('node:path');
function answer() { return ${JSON.stringify(word)}; }
module.exports = { answer, filename: __filename, dirname: __dirname, isMain: require.main === module, sep: path.sep };
`;

/**
 * Each load runs in a new Node process, as in a new task: within one process V8 finds a source it
 * compiled before in its own in-memory cache and never looks at the cache data it is given.
 */
describe('loading a bundle with a V8 code cache (app/code-cache.ts)', function () {
  this.timeout(20_000);
  let moduleFile: string;
  let dir: string;
  let bundleFile: string;
  let cacheFile: string;

  before(async () => {
    moduleFile = join(mkdtempSync(join(tmpdir(), 'code-cache-module-')), 'code-cache.js');
    await build({
      entryPoints: [join(REPO_ROOT, 'app', 'code-cache.ts')],
      outfile: moduleFile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    bundleFile = join(dir, 'bundle.js');
    cacheFile = join(dir, 'bundle.js.code-cache');
    writeFileSync(bundleFile, source('first'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function load(options: { useCache?: boolean; write?: boolean } = {}, file = bundleFile): Loaded {
    const script = `
      const { loadBundle } = require(${JSON.stringify(moduleFile)});
      const loaded = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)}, ${JSON.stringify(options)});
      const wrote = ${options.write === true} ? loaded.writeCodeCache() : undefined;
      const { answer, ...rest } = loaded.exports;
      process.stdout.write(JSON.stringify({ codeCache: loaded.codeCache, answer: answer(), ...rest, wrote }));`;
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: 'pipe' }));
  }

  it('runs the file as require would: exports, __filename, __dirname, require of built-ins', () => {
    expect(load()).to.deep.equal({
      codeCache: 'absent',
      answer: 'first',
      filename: bundleFile,
      dirname: dir,
      isMain: false,
      sep: '/',
    });
  });

  it('creates a cache that the next load uses', () => {
    const { wrote } = load({ write: true });
    expect(readFileSync(cacheFile).length).to.equal(wrote);
    expect(load()).to.include({ codeCache: 'used', answer: 'first' });
  });

  it('ignores a cache written for another bundle, even one of the same length (V8 would accept it)', () => {
    load({ write: true });
    writeFileSync(bundleFile, source('other'));
    expect(load()).to.include({ codeCache: 'stale', answer: 'other' });
  });

  it('compiles from source when V8 rejects the cache data', () => {
    load({ write: true });
    const cache = readFileSync(cacheFile);
    // Keep the source hash (first 32 bytes), damage V8's part.
    for (let i = 32; i < cache.length; i++) cache[i] ^= 0xff;
    writeFileSync(cacheFile, cache);
    expect(load()).to.include({ codeCache: 'rejected', answer: 'first' });
  });

  it('treats a truncated cache file as stale', () => {
    writeFileSync(cacheFile, Buffer.alloc(10));
    expect(load()).to.include({ codeCache: 'stale', answer: 'first' });
  });

  it('skips the cache when asked, and writes a fresh one for the current source', () => {
    writeFileSync(cacheFile, Buffer.alloc(100));
    expect(load({ useCache: false, write: true })).to.include({ codeCache: 'off', answer: 'first' });
    expect(load()).to.include({ codeCache: 'used', answer: 'first' });
  });

  it('throws the file system error when the bundle itself is missing', () => {
    expect(() => load({}, join(dir, 'missing.js'))).to.throw(/ENOENT[^\n]*missing\.js/);
  });
});
