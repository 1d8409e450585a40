/**
 * A user's first push, replayed: the developer's clone with their own playground.config.json (owner
 * set, 3 tasks, port 3000), the commands README tells them to run, a `git add -A` commit, and then
 * what CodeBuild does with that commit: check it out (without the git-ignored files), run the tests
 * with the environment the pipelines stack gives the CodeBuild project, and render the deploy artifacts.
 *
 * Why only part of `npm test` runs inside the replayed build (the whole suite would double its time):
 * a user's config can break the build's tests in two ways only.
 *  1. Files the user's commands write into the commit. The replay proves there are none (`git status
 *     --porcelain` stays empty), and runs inside the build checkout the tests that compare committed
 *     files with generated output (test/cloudformation/reference.test.ts and the appspec.yml test),
 *     plus the loader's own tests.
 *  2. Tests that read the environment's config. Every run of the suite already runs under a
 *     non-default config in every form the loader reads (the tripwire in test/support/setup.ts), and
 *     the loader has no default environment or directory to fall back on; the replayed build adds the
 *     user's playground.config.json to the checkout and PLAYGROUND_CONFIG, PLAYGROUND_STAGE and
 *     PLAYGROUND_REGION to the environment on top of the CodeBuild project's PLAYGROUND_CONFIG_JSON.
 * npm ci is not replayed: the lockfile is the same, so node_modules is linked, not reinstalled.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { PIPELINES_IDS } from '../../cloudformation/pipelines';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import { ROLLING } from '../../cloudformation/service-rolling';
import { BUILD_ENV, REPO_ROOT, resolveConfig } from '../../config';
import { runCli } from '../../scripts/artifacts/cli';
import { deployMain, type Io } from '../../scripts/deploy/cli';
import { main as synthMain } from '../../scripts/synth/cli';
import { SAMPLE_ENV } from './sample';

/** The user's overrides file: what README's Configuration section asks for, and more. */
const USER_CONFIG = {
  github: { owner: 'octocat' },
  service: { desiredCount: 3 },
  container: { port: 3000 },
};

/** The tests that compare committed files with generated output, and the loader's (see the header). */
const CONFIG_SENSITIVE_TESTS = [
  'test/cloudformation/reference.test.ts',
  'test/build/appspec.test.ts',
  'test/config/load.test.ts',
];

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'replay',
      GIT_AUTHOR_EMAIL: 'replay@example.com',
      GIT_COMMITTER_NAME: 'replay',
      GIT_COMMITTER_EMAIL: 'replay@example.com',
    },
  });

/** Build output and caches a clone does not have (all git-ignored): not worth copying. */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  'dist',
  '.serverless',
  '.esbuild',
  'cdk.out',
  'coverage',
]);

/**
 * A clone of this checkout: its files (not `git ls-files`: CodeBuild's CODE_ZIP source has no .git,
 * and this test runs there too) in a fresh repository whose own .gitignore decides what is
 * committed, node_modules linked.
 */
function cloneWorkingTree(): string {
  const dev = mkdtempSync(join(tmpdir(), 'replay-dev-'));
  cpSync(REPO_ROOT, dev, { recursive: true, filter: (src) => !NOT_COPIED.has(basename(src)) });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dev, 'node_modules'));
  git(dev, 'init', '-q');
  // .gitignore's `node_modules/` matches the directory a real clone has, not this symlink to it.
  writeFileSync(join(dev, '.git/info/exclude'), 'node_modules\n');
  git(dev, 'add', '-A');
  git(dev, 'commit', '-q', '-m', 'fork');
  return dev;
}

/** Runs a command's main function the way its npm script does, against the repository at `root`. */
function quietly<T>(body: () => T): T {
  const [log, error] = [console.log, console.error];
  console.log = () => {};
  console.error = () => {};
  try {
    return body();
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function deploy(root: string, argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    interactive: false,
    ask: async () => '',
    // `npm run deploy` runs synth in a child process; here its main(), against the same root.
    synth: async (env, dir) => {
      const code = quietly(() => synthMain(['--out', dir], env, root));
      if (code !== 0) throw new Error(`synth exited ${code}`);
    },
    runtime: () => {
      throw new Error('a local-only run must not build an AWS runtime');
    },
    root,
  };
  return { code: await deployMain(argv, io), out, err };
}

describe("CodeBuild replay: a user's first push with their own config", function () {
  // Copies the tree and starts one mocha process: seconds on a busy 2-CPU machine.
  this.timeout(180_000);
  let dev: string;
  let build: string;

  before(async () => {
    dev = cloneWorkingTree();
    writeFileSync(join(dev, 'playground.config.json'), JSON.stringify(USER_CONFIG, null, 2));
    // README's commands: the plan, the manual commands, the templates.
    expect((await deploy(dev, ['--dry-run'])).code).to.equal(0);
    expect((await deploy(dev, ['--print-commands'])).code).to.equal(0);
    expect(quietly(() => synthMain([], {}, dev))).to.equal(0);
    // `git commit -a` after `git add -A`: whatever the commands wrote and git does not ignore.
    git(dev, 'add', '-A');
    git(dev, 'commit', '-q', '--allow-empty', '-m', 'my first push');
    // CodeBuild's source: the commit's files only (CODE_ZIP), no git-ignored file.
    build = mkdtempSync(join(tmpdir(), 'replay-build-'));
    execFileSync('sh', ['-c', `git archive HEAD | tar -x -C "${build}"`], { cwd: dev });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(build, 'node_modules'));
  });
  after(() => {
    for (const dir of [dev, build]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The CodeBuild project's environment, as the user's pipelines template defines it. */
  function codeBuildEnv(): Record<string, string> {
    const pipelines = JSON.parse(readFileSync(join(dev, 'cloudformation/out/dev/pipelines.json'), 'utf8'));
    const variables: { Name: string; Value: unknown }[] =
      pipelines.Resources[PIPELINES_IDS.buildProject].Properties.Environment.EnvironmentVariables;
    const configJson = variables.find((v) => v.Name === BUILD_ENV.config)?.Value;
    expect(configJson, 'the CodeBuild project sets PLAYGROUND_CONFIG_JSON').to.be.a('string');
    return {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...SAMPLE_ENV,
      CODEBUILD_RESOLVED_SOURCE_VERSION: git(dev, 'rev-parse', 'HEAD').trim(),
      [BUILD_ENV.config]: configJson as string,
    };
  }

  it('writes your templates to cloudformation/out/<stage>/ and leaves git status --porcelain empty', () => {
    const rolling = JSON.parse(
      readFileSync(join(dev, 'cloudformation/out/dev/service-rolling.json'), 'utf8'),
    );
    expect(rolling.Resources[ROLLING.Service].Properties.DesiredCount).to.equal(3);
    const bluegreen = JSON.parse(
      readFileSync(join(dev, 'cloudformation/out/dev/service-bluegreen.json'), 'utf8'),
    );
    expect(bluegreen.Resources[BLUEGREEN.BlueTargetGroup].Properties.Port).to.equal(3000);
    expect(git(dev, 'status', '--porcelain')).to.equal('');
    expect(git(dev, 'show', '--stat', '--format=', 'HEAD')).to.equal('');
  });

  it("passes the build's config-sensitive tests in the checkout, under the CodeBuild project's environment", () => {
    // A developer's file and variables on top of CodeBuild's own: the tests must not read any of them.
    writeFileSync(join(build, 'playground.config.json'), JSON.stringify(USER_CONFIG));
    const env = {
      ...codeBuildEnv(),
      PLAYGROUND_CONFIG: 'playground.config.json',
      PLAYGROUND_STAGE: 'prod',
      PLAYGROUND_REGION: 'eu-central-1',
    };
    const mocha = join(build, 'node_modules/mocha/bin/mocha.js');
    const result = spawnSync(process.execPath, [mocha, ...CONFIG_SENSITIVE_TESTS], {
      cwd: build,
      env,
      encoding: 'utf8',
    });
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/\n\d+ passed, 0 failed\n$/);
    rmSync(join(build, 'playground.config.json'));
  });

  it("renders the user's values in the build's deploy artifacts (npm run render:artifacts)", () => {
    const env = codeBuildEnv();
    const errors: string[] = [];
    const code = runCli(['--out-dir', 'dist/deploy'], {
      env,
      cwd: build,
      configDir: build,
      out: () => {},
      err: (l) => errors.push(l),
    });
    expect(errors).to.deep.equal([]);
    expect(code).to.equal(0);
    // The config the build renders with is the user's, exactly as `npm run synth` resolved it locally.
    const local = resolveConfig({ env: {}, cwd: dev }).config;
    expect(JSON.parse(env[BUILD_ENV.config])).to.deep.equal(local);
    const taskdef = JSON.parse(readFileSync(join(build, 'dist/deploy/taskdef.json'), 'utf8'));
    const [container] = taskdef.containerDefinitions;
    expect(container.portMappings).to.deep.equal([{ containerPort: 3000, protocol: 'tcp' }]);
    expect(container.environment).to.deep.include({ name: 'PORT', value: '3000' });
    const appspec = parseYaml(readFileSync(join(build, 'dist/deploy/appspec.yml'), 'utf8'));
    expect(appspec.Resources[0].TargetService.Properties.LoadBalancerInfo).to.deep.equal({
      ContainerName: 'web',
      ContainerPort: 3000,
    });
  });
});
