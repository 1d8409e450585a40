import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MAX_TEMPLATE_BYTES, renderAll } from '../../cloudformation/stacks';
import { loadConfig, REPO_ROOT } from '../../config';
import { main, outDirFrom, SynthError } from '../../scripts/synth/cli';
import { CERT, configWith, type Json } from './helpers';

const TS_NODE = require.resolve('ts-node/dist/bin.js');

/** Runs `scripts/synth.ts` as `npm run synth` does, with a config file and an output dir. */
function synthProcess(config: unknown, outDir: string) {
  const dir = mkdtempSync(join(tmpdir(), 'synth-config-'));
  const file = join(dir, 'playground.config.json');
  writeFileSync(file, JSON.stringify(config));
  const env = { ...process.env, PLAYGROUND_CONFIG: file, PLAYGROUND_STAGE: '', PLAYGROUND_REGION: '' };
  const result = spawnSync(
    process.execPath,
    [TS_NODE, '--transpile-only', 'scripts/synth.ts', '--out', outDir],
    {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
    },
  );
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Every IAM policy statement in a template (inline policies and trust policies). */
function statements(template: Json): Json[] {
  const out: Json[] = [];
  const walk = (node: Json): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node.Statement)) out.push(...node.Statement);
    for (const child of Object.values(node)) walk(child);
  };
  walk(template.Resources);
  return out;
}

describe('synth', () => {
  let out: string;
  beforeEach(() => {
    out = join(mkdtempSync(join(tmpdir(), 'synth-out-')), 'templates');
  });
  afterEach(() => rmSync(join(out, '..'), { recursive: true, force: true }));

  it('keeps the committed templates byte-identical to what npm run synth generates', () => {
    const stale = renderAll(loadConfig())
      .filter((t) => {
        const file = join(REPO_ROOT, 'cloudformation', 'templates', `${t.stack}.json`);
        return !existsSync(file) || readFileSync(file, 'utf8') !== t.json;
      })
      .map((t) => t.stack);
    expect(stale, 'stale templates: run `npm run synth` and commit cloudformation/templates/').to.deep.equal(
      [],
    );
  });

  it('writes one pretty JSON file per stack and prints one line per stack', function () {
    this.timeout(60_000);
    const result = synthProcess({ network: { natGateways: true } }, out);
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
    const expected = renderAll(configWith({ network: { natGateways: true } }));
    expect(readdirSync(out).sort()).to.deep.equal(expected.map((t) => `${t.stack}.json`).sort());
    for (const t of expected) expect(readFileSync(join(out, `${t.stack}.json`), 'utf8')).to.equal(t.json);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).to.have.length(expected.length);
    expected.forEach((t, i) => {
      expect(lines[i]).to.match(
        new RegExp(`^${t.stack} +${t.resourceCount} resources +${t.bytes} bytes  .*${t.stack}\\.json$`),
      );
    });
    expect(readFileSync(join(out, 'network.json'), 'utf8')).to.match(
      /^\{\n {2}"AWSTemplateFormatVersion"[\s\S]*\}\n$/,
    );
  });

  it('fails on a bad cpu/memory pair with a clear message and writes nothing', function () {
    this.timeout(60_000);
    const result = synthProcess({ container: { cpu: 256, memory: 4096 } }, out);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.equal(
      'synth: Invalid config:\n  - container.memory=4096: not valid with container.cpu=256 (allowed: 512, 1024, 2048)\n',
    );
    expect(existsSync(out)).to.equal(false);
  });

  it('fails on desired count 0 and an unknown deployment config with one line each and writes nothing', function () {
    this.timeout(60_000);
    const result = synthProcess(
      {
        service: { desiredCount: 0 },
        blueGreen: { deploymentConfig: 'CodeDeployDefault.ECSCanary50Percent1Minutes' },
      },
      out,
    );
    expect(result.status).to.equal(1);
    expect(result.stderr).to.equal(
      [
        'synth: Invalid config:',
        '  - service.desiredCount=0: must be a whole number from 1 to 100',
        '  - blueGreen.deploymentConfig="CodeDeployDefault.ECSCanary50Percent1Minutes": allowed: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, or a custom {name, type, percentage, intervalMinutes}',
        '',
      ].join('\n'),
    );
    expect(existsSync(out)).to.equal(false);
  });

  it('fails on an unknown argument and writes nothing', () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (text: string) => errors.push(text);
    try {
      expect(main(['--outdir', out], {})).to.equal(1);
    } finally {
      console.error = original;
    }
    expect(errors).to.deep.equal(['synth: unknown argument "--outdir" (usage: synth [--out <dir>])']);
    expect(existsSync(out)).to.equal(false);
  });

  it('takes the output directory from --out, --out= or SYNTH_OUT_DIR', () => {
    expect(outDirFrom(['--out', '/tmp/a'], { SYNTH_OUT_DIR: '/tmp/b' })).to.equal('/tmp/a');
    expect(outDirFrom(['--out=/tmp/c'], {})).to.equal('/tmp/c');
    expect(outDirFrom([], { SYNTH_OUT_DIR: '/tmp/b' })).to.equal('/tmp/b');
    expect(outDirFrom([], {})).to.equal(join(REPO_ROOT, 'cloudformation', 'templates'));
    expect(() => outDirFrom(['--out'], {})).to.throw(SynthError, '--out needs a directory');
  });

  it('keeps every template within the 51,200-byte body limit, with NAT and a certificate too', () => {
    const biggest = renderAll(
      configWith({ network: { natGateways: true }, loadBalancer: { certificateArn: CERT } }),
    );
    for (const t of biggest) expect(t.bytes, t.stack).to.be.at.most(MAX_TEMPLATE_BYTES);
  });

  it('has no IAM statement with Action "*", and allows no service-wide wildcard action', () => {
    for (const t of renderAll(configWith({ network: { natGateways: true } }))) {
      for (const statement of statements(JSON.parse(t.json))) {
        const actions = ([] as unknown[]).concat(statement.Action ?? []);
        expect(statement, t.stack).to.not.have.property('NotAction');
        for (const action of actions) {
          expect(action, `${t.stack}: ${JSON.stringify(statement)}`).to.not.equal('*');
          // A Deny may cover a whole service (e.g. s3:* without TLS); an Allow may not.
          if (statement.Effect === 'Allow') expect(String(action), t.stack).to.not.match(/:\*$/);
        }
      }
    }
  });
});
