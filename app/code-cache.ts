/**
 * Loading the bundled server with a V8 code cache, so a new task compiles almost nothing at start.
 *
 * Without it, Node parses and compiles the 400 kB bundle at every start, then compiles each
 * function the first time it runs: measured here, about half of the app's extra startup time over a
 * bare node:http server. V8 can serialize what it compiled into a "code cache" and reuse it when
 * the same source is compiled again by the same V8 with the same flags. The image build writes
 * one (start.ts `--write-code-cache`) after serving a few requests, so it also holds the functions
 * of the request path, and every task of that image starts from it.
 *
 * Node 22.1+ has a built-in cache (`module.enableCompileCache`), but Node 20 (this project's
 * development Node) has none, and Node decides when it takes the cache. node:vm's `cachedData`
 * works on every Node version and lets the warm-up choose the moment, in the few lines below.
 *
 * A missing, stale or rejected cache is never an error: the bundle is compiled from source as
 * usual, only slower, and the status says which case it was (the app logs it at startup).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * `used`: V8 accepted the cache. `absent`: no cache file. `stale`: the cache was written for
 * another bundle. `rejected`: V8 refused it (another Node version or other V8 flags).
 * `off`: the caller asked for a fresh compile (when writing a new cache).
 */
export type CodeCacheStatus = 'used' | 'absent' | 'stale' | 'rejected' | 'off';

export interface LoadedBundle<Exports> {
  exports: Exports;
  codeCache: CodeCacheStatus;
  /** Writes V8's code for every function compiled so far, keyed to this bundle's source. */
  writeCodeCache(): number;
}

/**
 * V8 checks a cache against the source's length only, so a cache for another bundle of the same
 * length would be accepted: the file starts with the SHA-256 of the source it belongs to.
 */
const HASH_BYTES = 32;

function sourceHash(source: string): Buffer {
  return createHash('sha256').update(source).digest();
}

/** The cache for `source`, or why there is none. */
function readCodeCache(cacheFile: string, hash: Buffer): Buffer | 'absent' | 'stale' {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return 'absent';
  }
  if (file.length <= HASH_BYTES || !file.subarray(0, HASH_BYTES).equals(hash)) return 'stale';
  return file.subarray(HASH_BYTES);
}

/**
 * Runs a CommonJS bundle (one file that requires only Node built-ins) as `require` would, compiled
 * with the code cache in `cacheFile` when there is a valid one.
 */
export function loadBundle<Exports>(
  bundleFile: string,
  cacheFile: string,
  options: { useCache?: boolean } = {},
): LoadedBundle<Exports> {
  const source = readFileSync(bundleFile, 'utf8');
  const hash = sourceHash(source);
  const cached = options.useCache === false ? 'off' : readCodeCache(cacheFile, hash);
  const script = new Script(Module.wrap(source), {
    filename: bundleFile,
    cachedData: typeof cached === 'string' ? undefined : cached,
  });
  let codeCache: CodeCacheStatus;
  if (typeof cached === 'string') codeCache = cached;
  else codeCache = script.cachedDataRejected ? 'rejected' : 'used';

  // The same module object, require and wrapper arguments Node's own loader would give the file.
  const bundleModule = new Module(bundleFile, module);
  bundleModule.filename = bundleFile;
  const bundleRequire = Module.createRequire(bundleFile);
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(
    bundleModule.exports,
    bundleModule.exports,
    bundleRequire,
    bundleModule,
    bundleFile,
    dirname(bundleFile),
  );
  bundleModule.loaded = true;

  return {
    exports: bundleModule.exports as Exports,
    codeCache,
    writeCodeCache() {
      const data = script.createCachedData();
      writeFileSync(cacheFile, Buffer.concat([hash, data]));
      return HASH_BYTES + data.length;
    },
  };
}
