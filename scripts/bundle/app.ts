/**
 * `npm run build:app` (scripts/build-app.ts): builds what the container runs, in `dist/app/`, with esbuild:
 * - `server.js`: the app with every dependency inlined. The image needs no node_modules
 *   (production dependencies only, and nothing else), and Node starts faster because it reads
 *   and compiles one file instead of resolving hundreds of modules.
 * - `start.js`: the entry point, which runs server.js from its V8 code cache (app/code-cache.ts).
 * - `server.js.code-cache`: that cache, written by `node start.js --write-code-cache` with this
 *   machine's Node. The Dockerfile writes it again with the image's Node.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { APP_DEFAULTS, type AppDefaults } from '../../app/defaults';
import { CODE_CACHE_FILE, SERVER_BUNDLE_FILE, WRITE_CODE_CACHE_FLAG } from '../../app/start';
import { REPO_ROOT } from '../../config';
import { type CommandSpec, parseOrExit } from '../cli/args';

export const APP_OUT_DIR = join(REPO_ROOT, 'dist', 'app');
const SERVER_ENTRY = join(REPO_ROOT, 'app', 'server.ts');
const START_ENTRY = join(REPO_ROOT, 'app', 'start.ts');
export const START_FILE = 'start.js';
const APP_DEFAULTS_MODULE = join(REPO_ROOT, 'app', 'defaults.ts');
/** The container's Node major (see Dockerfile); esbuild may use every syntax it supports. */
export const NODE_TARGET = 'node22';

/** The source that replaces app/defaults.ts in the bundle: the same values, without the config. */
export function appDefaultsModule(defaults: AppDefaults): string {
  return `export const APP_DEFAULTS = ${JSON.stringify(defaults)};\n`;
}

/**
 * Inlines the config defaults (see app/defaults.ts): the bundle gets their values, computed here
 * from DEFAULT_CONFIG, instead of the config module and its zod schema (~450 kB, ~40 ms at startup).
 */
function inlineAppDefaults(defaults: AppDefaults): Plugin {
  return {
    name: 'inline-app-defaults',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]app[\\/]defaults\.ts$/ }, (args) =>
        args.path === APP_DEFAULTS_MODULE
          ? { contents: appDefaultsModule(defaults), loader: 'ts' }
          : undefined,
      );
    },
  };
}

/** What `express.json()` & co. throw in the bundle (see `withoutBodyParsers`). */
export const BODY_PARSERS_LEFT_OUT =
  'express body parsers are left out of the bundle (scripts/bundle/app.ts): remove withoutBodyParsers() to use them';

/**
 * Express loads body-parser (and with it iconv-lite, ~500 kB of charset tables) at startup, for
 * express.json() & co. The app reads no request body, so the bundle gets a stub whose parsers
 * throw a clear error if anyone starts using them: ~10 % less startup CPU.
 */
export function withoutBodyParsers(): Plugin {
  return {
    name: 'without-body-parsers',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^body-parser$/ }, () => ({ path: 'body-parser', namespace: 'stub' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        contents: `const leftOut = () => { throw new Error(${JSON.stringify(BODY_PARSERS_LEFT_OUT)}); };
module.exports = { json: leftOut, raw: leftOut, text: leftOut, urlencoded: leftOut };`,
        loader: 'js',
      }));
    },
  };
}

export interface AppBuild {
  /** `node <start>` starts the server, as the container does. */
  start: string;
  server: string;
  codeCache: string;
}

/** Bundles server.js and start.js into `outDir`, then writes the code cache with this Node. */
export async function buildApp(outDir: string = APP_OUT_DIR): Promise<AppBuild> {
  const files: AppBuild = {
    start: join(outDir, START_FILE),
    server: join(outDir, SERVER_BUNDLE_FILE),
    codeCache: join(outDir, CODE_CACHE_FILE),
  };
  const common = {
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'cjs',
    // Smaller file, less to parse at startup; names are kept so logged errors stay readable.
    minify: true,
    keepNames: true,
    // No source map: one file to ship, and `--enable-source-maps` would parse a 2 MB map at startup.
    legalComments: 'none',
    logLevel: 'warning',
  } as const;
  await build({
    ...common,
    entryPoints: [SERVER_ENTRY],
    outfile: files.server,
    plugins: [inlineAppDefaults(APP_DEFAULTS), withoutBodyParsers()],
  });
  await build({ ...common, entryPoints: [START_ENTRY], outfile: files.start });
  // A plain `node`, as in the container: V8 rejects a cache written under other flags, and
  // NODE_OPTIONS (a debugger, a profiler) would change them.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  execFileSync(process.execPath, [files.start, WRITE_CODE_CACHE_FLAG], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return files;
}

/** `npm run build:app`: builds into dist/app/ and says what it wrote; 1 when the build fails. */
export const BUILD_APP_COMMAND: CommandSpec = {
  command: 'npm run build:app --',
  summary:
    "Bundles the app into dist/app/: server.js (express and pino inlined), start.js (the container's\n" +
    'entry point) and server.js.code-cache (V8 code cache, written by this Node). See docs/app.md.',
  options: [],
};

export async function main(argv: readonly string[]): Promise<number> {
  const values = parseOrExit(BUILD_APP_COMMAND, argv);
  if (typeof values === 'number') return values;
  try {
    const files = await buildApp();
    process.stdout.write(`built ${files.start}, ${files.server} and ${files.codeCache}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`error: app build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
