/**
 * The Dockerfile, without Docker (no engine here): its instructions are checked against the
 * issue's points, then its build and start sequence is replayed in a temporary directory.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { CODE_CACHE_FILE, WRITE_CODE_CACHE_FLAG } from '../../app/start';
import { APP_ENV, DEFAULT_CONFIG, REPO_ROOT } from '../../config';
import { freePort } from '../../scripts/bench/free-port';
import { copyArgs, envArgs, type Instruction, parseDockerfile, type Stage } from './support/dockerfile';
import { get, waitFor200 } from './support/http';

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const [buildStage, runtimeStage] = dockerfile.stages;
const only = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  it('creates two stages from the ECR Public mirror of the official Node image, same pinned major', () => {
    expect(dockerfile.globals).to.deep.equal([]);
    expect(dockerfile.stages.map((s) => [s.image, s.name])).to.deep.equal([
      ['public.ecr.aws/docker/library/node:22-alpine', 'build'],
      ['public.ecr.aws/docker/library/node:22-alpine', undefined],
    ]);
  });

  it('creates the bundle in the build stage from the lockfile', () => {
    expect(only(buildStage, 'RUN').map((i) => i.args)).to.deep.equal([
      'npm ci --no-audit --no-fund',
      'npm run build:app',
    ]);
    expect(only(buildStage, 'COPY')[0].args).to.equal('package.json package-lock.json ./');
  });

  it('creates a runtime stage with only the bundle: no node_modules, no TypeScript, no install', () => {
    // The one RUN writes the code cache with the runtime image's Node, before USER drops root.
    expect(only(runtimeStage, 'RUN').map((i) => i.args)).to.deep.equal([
      `node start.js ${WRITE_CODE_CACHE_FLAG}`,
    ]);
    const keywords = runtimeStage.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('RUN')).to.be.below(keywords.indexOf('USER'));
    expect(only(runtimeStage, 'COPY').map((i) => i.args)).to.deep.equal([
      '--from=build /src/dist/app/server.js /src/dist/app/start.js ./',
    ]);
    const text = runtimeStage.instructions.map((i) => i.args).join('\n');
    expect(text).to.not.match(/ts-node|node_modules|\.ts\b/);
  });

  it('creates a non-root image with CODE_VERSION from the COMMIT_HASH build arg', () => {
    expect(only(runtimeStage, 'USER').map((i) => i.args)).to.deep.equal(['node']);
    expect(only(runtimeStage, 'ARG').map((i) => i.args)).to.deep.equal(['COMMIT_HASH']);
    expect(only(runtimeStage, 'ENV').map((i) => i.args)).to.deep.equal([
      'NODE_ENV=production',
      `${APP_ENV.simulateUnhealthy}=false`,
      `${APP_ENV.codeVersion}=\${COMMIT_HASH}`,
    ]);
  });

  it('creates the config port as EXPOSE and an exec-form node CMD', () => {
    expect(only(runtimeStage, 'EXPOSE').map((i) => i.args)).to.deep.equal([
      String(DEFAULT_CONFIG.container.port),
    ]);
    const cmd = only(runtimeStage, 'CMD');
    expect(cmd).to.have.length(1);
    // JSON array (exec form): node is PID 1 and gets SIGTERM; a shell-form CMD would not pass it on.
    expect(JSON.parse(cmd[0].args)).to.deep.equal(['node', 'start.js']);
  });

  it('creates a .dockerignore that keeps local secrets and build output out of the context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).to.include.members(['node_modules', 'dist', '.git', '.env', 'playground.config.json']);
  });

  describe('replayed without Docker', function () {
    // `npm run build:app` type-checks through ts-node, as in the image: seconds, not milliseconds.
    this.timeout(180_000);
    let root: string;
    let child: ChildProcess | undefined;

    before(() => {
      root = mkdtempSync(join(tmpdir(), 'dockerfile-'));
    });
    after(() => {
      child?.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    });

    /** Replays one stage; returns its file system root. ARGs come from `buildArgs`. */
    function replay(stage: Stage, stageRoots: Record<string, string>, buildArgs: Record<string, string>) {
      const fsRoot = join(root, stage.name ?? 'runtime');
      let workdir = '/';
      const env: Record<string, string> = {};
      const args: Record<string, string> = {};
      let cmd: string[] = [];
      let user = 'root';
      for (const { keyword, args: text } of stage.instructions) {
        const cwd = join(fsRoot, workdir);
        if (keyword === 'WORKDIR') {
          workdir = text;
          mkdirSync(join(fsRoot, workdir), { recursive: true });
        } else if (keyword === 'COPY') {
          const { flags, sources, dest } = copyArgs(text);
          const from = flags.from ? stageRoots[flags.from] : REPO_ROOT;
          const base = flags.from ? from : REPO_ROOT;
          for (const source of sources) {
            const target = dest.endsWith('/') ? join(cwd, dest, source.split('/').pop()!) : join(cwd, dest);
            mkdirSync(dirname(target), { recursive: true });
            cpSync(join(base, source), target, { recursive: true });
          }
        } else if (keyword === 'RUN') {
          if (text.startsWith('npm ci')) {
            // No network for a full install here: reuse the repository's node_modules, which
            // `npm ci` produced from the same package-lock.json.
            symlinkSync(join(REPO_ROOT, 'node_modules'), join(cwd, 'node_modules'), 'dir');
          } else {
            execFileSync('sh', ['-c', text], { cwd, stdio: 'pipe', env: { ...process.env, ...env } });
          }
        } else if (keyword === 'ARG') {
          args[text] = buildArgs[text] ?? '';
        } else if (keyword === 'ENV') {
          const [key, value] = envArgs(text, args);
          env[key] = value;
        } else if (keyword === 'CMD') {
          cmd = JSON.parse(text);
        } else if (keyword === 'USER') {
          user = text;
        } else if (keyword !== 'EXPOSE') {
          throw new Error(`the replay does not know ${keyword}`);
        }
      }
      return { fsRoot, workdir: join(fsRoot, workdir), env, cmd, user };
    }

    it('creates an image whose CMD serves /version 42 with COMMIT_HASH=42', async () => {
      const build = replay(buildStage, {}, {});
      const runtime = replay(runtimeStage, { build: build.fsRoot }, { COMMIT_HASH: '42' });

      // The runtime file system holds the bundle, its loader and its code cache, nothing else: no
      // node_modules to fall back on.
      expect(readdirSync(runtime.fsRoot, { recursive: true }).sort()).to.deep.equal([
        'app',
        join('app', 'server.js'),
        join('app', CODE_CACHE_FILE),
        join('app', 'start.js'),
      ]);
      expect(existsSync(join(tmpdir(), 'node_modules'))).to.equal(false);
      expect(runtime.env).to.deep.equal({
        NODE_ENV: 'production',
        SIMULATE_UNHEALTHY: 'false',
        CODE_VERSION: '42',
      });
      expect(runtime.user).to.equal('node');

      const port = await freePort();
      const [command, ...commandArgs] = runtime.cmd;
      expect(command).to.equal('node');
      // Only what the image and the task definition set: no inherited CODE_VERSION or NODE_PATH.
      child = spawn(process.execPath, commandArgs, {
        cwd: runtime.workdir,
        env: { PATH: process.env.PATH ?? '', ...runtime.env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      await waitFor200(port, '/version');
      const answer = await get(port, '/version');
      expect(JSON.parse(answer.body).version).to.equal('42');
      expect((await get(port, '/')).status).to.equal(200);

      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      child = undefined;
      // The cache the RUN step wrote is valid for the CMD: V8 accepted it. (Logs are batched, so
      // the first line is read once the server has exited.)
      expect(JSON.parse(stdout.split('\n')[0])).to.include({ msg: 'listening', codeCache: 'used' });
    });
  });
});
