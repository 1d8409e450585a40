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
import { APP_ENV } from '../../config/contracts/app';
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

/**
 * Express requires body-parser (and with it iconv-lite's charset tables, ~500 kB) at startup and
 * reads its four parsers, but the app's routes read no request body. In the bundle, express gets
 * stand-ins that load the real body-parser the first time a parser is created, e.g. when a route
 * adds `express.json()` (docs/app.md#add-a-route): it works as usual, and an app without one never
 * runs body-parser's code at startup (~10 % less startup CPU). The code is still in the bundle.
 */
export function lazyBodyParsers(): Plugin {
  return {
    name: 'lazy-body-parsers',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^body-parser$/ }, (args) =>
        // The stand-in's own require gets the real package.
        args.namespace === 'lazy-body-parser'
          ? undefined
          : { path: 'body-parser', namespace: 'lazy-body-parser', pluginData: args.resolveDir },
      );
      pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-body-parser' }, (args) => ({
        // esbuild turns the require below into a module initialised on its first call.
        contents: `let real;
const load = () => (real ??= require('body-parser'));
module.exports = {
  json: (options) => load().json(options),
  raw: (options) => load().raw(options),
  text: (options) => load().text(options),
  urlencoded: (options) => load().urlencoded(options),
};`,
        loader: 'js',
        // Resolve the real package from where express asked for it.
        resolveDir: args.pluginData as string,
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

/**
 * Bundles server.js and start.js into `outDir`, then writes the code cache with this Node. `env`:
 * the environment of the code cache's warm-up run, without NODE_OPTIONS and without the app's own
 * variables (PORT, SIMULATE_UNHEALTHY, …): the cache holds the same code whatever the shell sets,
 * and a bad value there is the server's to report when it starts, not the build's.
 */
export async function buildApp(
  outDir: string = APP_OUT_DIR,
  env: Record<string, string | undefined> = process.env,
): Promise<AppBuild> {
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
    plugins: [inlineAppDefaults(APP_DEFAULTS), lazyBodyParsers()],
  });
  await build({ ...common, entryPoints: [START_ENTRY], outfile: files.start });
  // A plain `node`, as in the container: V8 rejects a cache written under other flags, and
  // NODE_OPTIONS (a debugger, a profiler) would change them.
  const appVariables = new Set<string>(['NODE_OPTIONS', ...Object.values(APP_ENV)]);
  const warmUpEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !appVariables.has(name)));
  try {
    execFileSync(process.execPath, [files.start, WRITE_CODE_CACHE_FLAG], {
      env: warmUpEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`writing the code cache failed: ${stderr || (err as Error).message}`);
  }
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
