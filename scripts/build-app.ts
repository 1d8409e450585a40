/**
 * Bundles the app into one file, `dist/app/server.js`, with esbuild.
 *
 * One file with every dependency inlined is what the container runs: the image needs no
 * node_modules (production dependencies only, and nothing else), and Node starts faster
 * because it reads and compiles one file instead of resolving hundreds of modules.
 */
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { APP_DEFAULTS, type AppDefaults } from '../app/defaults';

export const REPO_ROOT = resolve(__dirname, '..');
export const APP_ENTRY = join(REPO_ROOT, 'app', 'server.ts');
export const APP_BUNDLE = join(REPO_ROOT, 'dist', 'app', 'server.js');
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
  'express body parsers are left out of the bundle (scripts/build-app.ts): remove withoutBodyParsers() to use them';

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

export async function buildApp(outfile: string = APP_BUNDLE): Promise<string> {
  await build({
    entryPoints: [APP_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'cjs',
    plugins: [inlineAppDefaults(APP_DEFAULTS), withoutBodyParsers()],
    // Smaller file, less to parse at startup; names are kept so logged errors stay readable.
    minify: true,
    keepNames: true,
    // No source map: one file to ship, and `--enable-source-maps` would parse a 2 MB map at startup.
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (require.main === module) {
  buildApp().then(
    (outfile) => process.stdout.write(`built ${outfile}\n`),
    (err) => {
      process.stderr.write(`error: app build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
