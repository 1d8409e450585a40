import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { build } from 'esbuild';
import { APP_DEFAULTS } from '../../app/defaults';
import {
  appDefaultsModule,
  BODY_PARSERS_LEFT_OUT,
  buildApp,
  REPO_ROOT,
  withoutBodyParsers,
} from '../../scripts/build-app';

describe('app bundle', function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'app-bundle-'));
    bundle = readFileSync(await buildApp(join(dir, 'server.js')), 'utf8');
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

  it('creates express body parsers that fail with a clear message (they are left out)', async () => {
    expect(bundle).to.not.include('iconv');
    // A bundle of express alone, with the same stub, run by node.
    const entry = join(dir, 'uses-json.js');
    writeFileSync(
      entry,
      "const express = require('express'); try { express.json(); } catch (e) { console.log(e.message); }",
    );
    await build({
      entryPoints: [entry],
      outfile: join(dir, 'uses-json.bundle.js'),
      bundle: true,
      platform: 'node',
      nodePaths: [join(REPO_ROOT, 'node_modules')],
      plugins: [withoutBodyParsers()],
      logLevel: 'error',
    });
    const output = execFileSync(process.execPath, [join(dir, 'uses-json.bundle.js')], { encoding: 'utf8' });
    expect(output).to.equal(`${BODY_PARSERS_LEFT_OUT}\n`);
  });
});
