import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CONFIG, REPO_ROOT } from '../../config';
import { RENDER_ARTIFACTS_COMMAND, runCli } from '../../scripts/artifacts/cli';
import { usageText } from '../../scripts/cli/args';
import { SAMPLE_ENV, SAMPLE_IMAGE } from './sample';

/** The build's environment; the config comes with it, so a developer's local overrides file cannot leak in. */
const ENV = { ...SAMPLE_ENV, PLAYGROUND_CONFIG_JSON: JSON.stringify(DEFAULT_CONFIG) };

describe('render-artifacts CLI', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const run = (argv: string[], env: Record<string, string | undefined> = ENV) =>
    runCli(argv, { env, cwd: dir, configDir: dir, out: (l) => out.push(l), err: (l) => err.push(l) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'render-artifacts-'));
    out = [];
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the four files into --out-dir and prints each path', () => {
    expect(run(['--out-dir', 'dist/deploy', '--only', 'appspec.yml,imageDetail.json'])).to.equal(0);
    expect(out).to.deep.equal([
      `wrote ${join(dir, 'dist/deploy/appspec.yml')} (479 bytes)`,
      `wrote ${join(dir, 'dist/deploy/imageDetail.json')} (92 bytes)`,
    ]);
    expect(run(['--out-dir=all'])).to.equal(0);
    expect(readdirSync(join(dir, 'all')).sort()).to.deep.equal([
      'appspec.yml',
      'imageDetail.json',
      'imagedefinitions.json',
      'taskdef.json',
    ]);
    expect(err).to.deep.equal([]);
  });

  it('renders with the config in PLAYGROUND_CONFIG_JSON when the build sets it', () => {
    const config = { ...DEFAULT_CONFIG, container: { ...DEFAULT_CONFIG.container, name: 'api' } };
    const env = { ...ENV, PLAYGROUND_CONFIG_JSON: JSON.stringify(config) };
    expect(run(['--out-dir', '.', '--only', 'imagedefinitions.json'], env)).to.equal(0);
    expect(JSON.parse(readFileSync(join(dir, 'imagedefinitions.json'), 'utf8'))).to.deep.equal([
      { name: 'api', imageUri: SAMPLE_IMAGE },
    ]);
  });

  it('fails when PLAYGROUND_CONFIG_JSON is not JSON or not a valid config', () => {
    expect(run(['--out-dir', '.'], { ...SAMPLE_ENV, PLAYGROUND_CONFIG_JSON: '{oops' })).to.equal(1);
    expect(err[0]).to.match(/^error: Invalid config: PLAYGROUND_CONFIG_JSON: not valid JSON \(/);
    err = [];
    const bad = JSON.stringify({ container: { port: 80 } });
    expect(run(['--out-dir', '.'], { ...SAMPLE_ENV, PLAYGROUND_CONFIG_JSON: bad })).to.equal(1);
    expect(err).to.deep.equal([
      'error: Invalid config: container.port=80: must be a whole number from 1024 to 65535',
    ]);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('fails when an environment variable is missing, writing nothing', () => {
    const { TASK_ROLE_ARN: _omitted, ...env } = ENV;
    expect(run(['--out-dir', '.'], env)).to.equal(1);
    expect(err).to.deep.equal([
      'error: Cannot render the deploy artifacts:\n  - TASK_ROLE_ARN is not set (expected an IAM role ARN)',
    ]);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('fails with usage when --out-dir is missing, a flag is unknown or --only names an unknown file', () => {
    expect(run([])).to.equal(2);
    expect(run(['--out', 'x'])).to.equal(2);
    expect(run(['--out-dir', 'x', '--only', 'appspec.yaml'])).to.equal(2);
    expect(run(['--out-dir'])).to.equal(2);
    expect(run(['--out-dir', 'a', '--out-dir', 'b'])).to.equal(2);
    expect(err.map((e) => e.split('\n')[0])).to.deep.equal([
      'error: --out-dir <dir> is required',
      'error: unknown flag --out: did you mean --out-dir?',
      'error: --only: unknown file appspec.yaml (allowed: imagedefinitions.json, imageDetail.json, taskdef.json, appspec.yml)',
      'error: --out-dir needs a value: --out-dir <dir>',
      'error: --out-dir given twice',
    ]);
    expect(err[0]).to.contain(usageText(RENDER_ARTIFACTS_COMMAND));
  });

  it('runs as `npm run render:artifacts` through ts-node', function () {
    this.timeout(60000);
    const result = spawnSync(
      process.execPath,
      [
        require.resolve('ts-node/dist/bin'),
        '--transpile-only',
        'scripts/render-artifacts.ts',
        '--out-dir',
        dir,
      ],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...ENV }, encoding: 'utf8' },
    );
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
    expect(result.stdout.trim().split('\n')).to.have.length(4);
    expect(readFileSync(join(dir, 'imageDetail.json'), 'utf8')).to.equal(
      `{\n  "ImageURI": "${SAMPLE_IMAGE}"\n}\n`,
    );
  });
});
