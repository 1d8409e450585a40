import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MAX_TEMPLATE_BYTES, renderAll } from '../../cloudformation/stacks';
import { DEFAULT_CONFIG, REPO_ROOT } from '../../config';
import { renderAppSpec } from '../../scripts/artifacts/appspec';
import { parseCommandArgs, usageText } from '../../scripts/cli/args';
import { main, outDirFrom, SYNTH_COMMAND } from '../../scripts/synth/cli';
import { hermeticEnv } from '../support/config';
import { CERT, configWith, type Json } from './helpers';

const TS_NODE = require.resolve('ts-node/dist/bin.js');

/**
 * Runs `scripts/synth.ts` as `npm run synth` does, loading `config`, with extra arguments: one smoke
 * test of the real process (a ts-node start costs ~1.5 s of CPU); every other path runs in-process.
 */
function synthProcess(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [TS_NODE, '--transpile-only', 'scripts/synth.ts', ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
  });
}

/** Runs synth's main() in-process against a repository root of its own; returns its exit code and output. */
function synthIn(root: string, env: Record<string, string>, argv: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (text: string) => out.push(text);
  console.error = (text: string) => err.push(text);
  try {
    return { code: main(argv, env, root), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
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
  let root: string;
  beforeEach(() => {
    out = join(mkdtempSync(join(tmpdir(), 'synth-out-')), 'templates');
    root = mkdtempSync(join(tmpdir(), 'synth-root-'));
  });
  afterEach(() => {
    rmSync(join(out, '..'), { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('writes the reference set from the defaults and yours into cloudformation/out/<stage>/, saying which is which', () => {
    const yours = configWith({
      app: { stage: 'staging' },
      github: { owner: 'octocat' },
      service: { desiredCount: 3 },
      container: { port: 3000 },
    });
    writeFileSync(join(root, 'playground.config.json'), JSON.stringify({ github: { owner: 'ignored' } }));
    const r = synthIn(root, { PLAYGROUND_CONFIG_JSON: JSON.stringify(yours) });

    expect(r.err).to.deep.equal([]);
    expect(r.code).to.equal(0);
    for (const t of renderAll(DEFAULT_CONFIG)) {
      expect(readFileSync(join(root, 'cloudformation/templates', `${t.stack}.json`), 'utf8')).to.equal(
        t.json,
      );
    }
    for (const t of renderAll(yours)) {
      expect(readFileSync(join(root, 'cloudformation/out/staging', `${t.stack}.json`), 'utf8')).to.equal(
        t.json,
      );
    }
    expect(readFileSync(join(root, 'appspec.yml'), 'utf8')).to.equal(renderAppSpec(DEFAULT_CONFIG));
    expect(r.out.filter((l) => !l.startsWith('  '))).to.deep.equal([
      'reference templates (default config; committed, what reviewers read) → cloudformation/templates/',
      'templates of your config (config: PLAYGROUND_CONFIG_JSON; stage staging, region us-west-2; git-ignored, what npm run deploy and the manual path deploy) → cloudformation/out/staging/',
      `reference appspec.yml (default config) → ${join(root, 'appspec.yml')}`,
    ]);
    expect(r.out.filter((l) => l.startsWith('  '))).to.have.length(2 * renderAll(DEFAULT_CONFIG).length);
  });

  it("deletes the template of a strategy app.strategies leaves out, and only the kit's own files", () => {
    const all = JSON.stringify(configWith({}));
    expect(synthIn(root, { PLAYGROUND_CONFIG_JSON: all }).code).to.equal(0);
    const dir = join(root, 'cloudformation/out/dev');
    writeFileSync(join(dir, 'notes.json'), '{}');
    const two = JSON.stringify(configWith({ app: { strategies: ['rolling', 'bluegreen'] } }));
    const r = synthIn(root, { PLAYGROUND_CONFIG_JSON: two });

    expect([r.code, r.err]).to.deep.equal([0, []]);
    expect(readdirSync(dir).sort()).to.deep.equal(
      [
        ...renderAll(configWith({ app: { strategies: ['rolling', 'bluegreen'] } })).map(
          (t) => `${t.stack}.json`,
        ),
        'notes.json',
      ].sort(),
    );
    expect(r.out).to.include(
      `  removed ${join(dir, 'service-canary.json')}: the config deploys no such stack any more (app.strategies)`,
    );
    // The reference set keeps every stack: it is rendered from the defaults.
    expect(existsSync(join(root, 'cloudformation/templates/service-canary.json'))).to.equal(true);
  });

  it('writes only your templates, one pretty JSON file per stack and one line each, with --out', function () {
    this.timeout(60_000);
    const config = configWith({ network: { natGateways: true } });
    const result = synthProcess(['--out', out], hermeticEnv(config));
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
    const expected = renderAll(config);
    expect(readdirSync(out).sort()).to.deep.equal(expected.map((t) => `${t.stack}.json`).sort());
    for (const t of expected) expect(readFileSync(join(out, `${t.stack}.json`), 'utf8')).to.equal(t.json);
    const [heading, ...lines] = result.stdout.trimEnd().split('\n');
    expect(heading).to.equal(
      `templates of your config (config: PLAYGROUND_CONFIG_JSON + PLAYGROUND_STAGE + PLAYGROUND_REGION; stage dev, region us-west-2) → ${out}`,
    );
    expect(lines).to.have.length(expected.length);
    expected.forEach((t, i) => {
      expect(lines[i]).to.match(
        new RegExp(`^  ${t.stack} +${t.resourceCount} resources +${t.bytes} bytes  .*${t.stack}\\.json$`),
      );
    });
    expect(readFileSync(join(out, 'network.json'), 'utf8')).to.match(
      /^\{\n {2}"AWSTemplateFormatVersion"[\s\S]*\}\n$/,
    );
  });

  it('fails on an unknown region with ONE line naming app.region, and writes nothing', () => {
    // As `PLAYGROUND_REGION=us-west-9 npm run synth`: checked at load, against the SDK's regions.
    const env = hermeticEnv(DEFAULT_CONFIG, { PLAYGROUND_REGION: 'us-west-9' });
    const r = synthIn(root, env, ['--out', out]);
    expect(r.code).to.equal(1);
    expect(r.out).to.deep.equal([]);
    expect(r.err).to.deep.equal([
      'synth: Invalid config: app.region="us-west-9": not a region the AWS SDK knows (its partition metadata lists no such region): use a region code such as us-west-2 or eu-central-1 (set by PLAYGROUND_REGION)',
    ]);
    expect(existsSync(out)).to.equal(false);
  });

  it('fails on a bad cpu/memory pair with one line and writes nothing', () => {
    const r = synthIn(root, {
      PLAYGROUND_CONFIG_JSON: JSON.stringify({ container: { cpu: 256, memory: 4096 } }),
    });
    expect(r.code).to.equal(1);
    expect(r.out).to.deep.equal([]);
    expect(r.err).to.deep.equal([
      'synth: Invalid config: container.memory=4096: not valid with container.cpu=256 (allowed: 512, 1024, 2048)',
    ]);
    expect(readdirSync(root)).to.deep.equal([]);
  });

  it('fails on desired count 0 and an unknown deployment config with one line each and writes nothing', () => {
    writeFileSync(
      join(root, 'playground.config.json'),
      JSON.stringify({
        service: { desiredCount: 0 },
        blueGreen: { deploymentConfig: 'CodeDeployDefault.ECSCanary50Percent1Minutes' },
      }),
    );
    const r = synthIn(root, {});
    expect(r.code).to.equal(1);
    expect(r.err).to.deep.equal([
      [
        'synth: Invalid config:',
        '  - service.desiredCount=0: must be a whole number from 1 to 100',
        '  - blueGreen.deploymentConfig="CodeDeployDefault.ECSCanary50Percent1Minutes": allowed: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, or a custom {name, type, percentage, intervalMinutes}',
      ].join('\n'),
    ]);
    expect(readdirSync(root)).to.deep.equal(['playground.config.json']);
  });

  it('fails on an unknown flag with the usage, exit 2, and writes nothing', () => {
    const r = synthIn(root, {}, ['--outdir', out]);
    expect(r.code).to.equal(2);
    expect(r.err).to.deep.equal([
      `error: unknown flag --outdir: did you mean --out?\n\n${usageText(SYNTH_COMMAND)}`,
    ]);
    expect(existsSync(out)).to.equal(false);
    expect(readdirSync(root)).to.deep.equal([]);
    const help = synthIn(root, {}, ['-h']);
    expect([help.code, help.out]).to.deep.equal([0, [usageText(SYNTH_COMMAND)]]);
    expect(synthIn(root, {}, ['--out']).err[0]).to.match(/^error: --out needs a value: --out <dir>\n/);
  });

  it('takes the output directory from --out, --out= or SYNTH_OUT_DIR, else writes both sets', () => {
    const dir = (argv: string[], env: Record<string, string>) =>
      outDirFrom(parseCommandArgs(argv, SYNTH_COMMAND.options), env);
    expect(dir(['--out', '/tmp/a'], { SYNTH_OUT_DIR: '/tmp/b' })).to.equal('/tmp/a');
    expect(dir(['--out=/tmp/c'], {})).to.equal('/tmp/c');
    expect(dir([], { SYNTH_OUT_DIR: '/tmp/b' })).to.equal('/tmp/b');
    expect(dir([], {})).to.equal(undefined);
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
