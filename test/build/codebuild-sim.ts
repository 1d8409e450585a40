/**
 * A small stand-in for CodeBuild's buildspec runner, enough to prove what buildspec.yml does:
 * phases in order, each command in bash with the variables of the commands before it, a failed
 * command ends its phase, post_build still runs after a failed build phase with
 * CODEBUILD_BUILD_SUCCEEDING=0. `aws`, `docker`, `npm`, `pip` and `sleep` are fakes on PATH that
 * record their arguments (no Docker engine or AWS here).
 *
 * The fakes share a small AWS of their own, a `cloud` directory that outlives one build, so several
 * builds of one commit (the pipelines of one push) meet in it: ECR image tags (`images/<tag>`), S3
 * objects with ETags and conditional writes (`s3/<key>`), and CodeBuild build statuses
 * (`builds/<id>`: a build is IN_PROGRESS while it runs, SUCCEEDED or FAILED after). Their behaviour
 * is steered by FAKE_* variables.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Buildspec {
  version: number;
  env?: { shell?: string; variables?: Record<string, string> };
  phases: Record<string, { commands?: string[]; 'runtime-versions'?: Record<string, unknown> }>;
  artifacts: { 'base-directory'?: string; files: string[] };
}

export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;

export interface SimResult {
  /** One line per fake command call: `docker push …`; the sim's temporary directory reads `<tmp>`. */
  calls: string[];
  /** Phases that failed. */
  failed: string[];
  /** What the commands printed (stdout and stderr). */
  log: string;
}

/** The AWS the fakes share: S3 keys are stored with `/` as `__`. */
const AWS_FAKE = `
key="" body="" none_match="" if_match="" tag="" ids="" out=""
args=("$@")
for ((i = 2; i < \${#args[@]}; i++)); do
  case "\${args[i]}" in
    --key) key="\${args[++i]}" ;;
    --body) body="\${args[++i]}" ;;
    --if-none-match) none_match="\${args[++i]}" ;;
    --if-match) if_match="\${args[++i]}" ;;
    --image-ids) tag="\${args[++i]#imageTag=}" ;;
    --ids) ids="\${args[++i]}" ;;
    --*) i=$((i + 1)) ;;
    *) out="\${args[i]}" ;;
  esac
done
obj="$FAKE_CLOUD/s3/\${key//\\//__}"
etag() { echo "\\"$(md5sum < "$1" | cut -c1-32)\\""; }
precondition() { echo "An error occurred (PreconditionFailed) when calling the PutObject operation: At least one of the pre-conditions you specified did not hold" >&2; exit 254; }
case "$1 $2" in
  "ecr get-login-password"|"ecr-public get-login-password") echo token ;;
  "ecr describe-images") [ -f "$FAKE_CLOUD/images/$tag" ] || { echo "An error occurred (ImageNotFoundException)" >&2; exit 254; } ;;
  "s3api put-object")
    if [ "$FAKE_S3_DENIED" = "1" ]; then echo "An error occurred (AccessDenied) when calling the PutObject operation" >&2; exit 254; fi
    if [ -n "$none_match" ] && [ -f "$obj" ]; then precondition; fi
    if [ -n "$if_match" ] && { [ ! -f "$obj" ] || [ "$(etag "$obj")" != "$if_match" ]; }; then precondition; fi
    cp "$body" "$obj" && echo "{\\"ETag\\": $(etag "$obj")}" ;;
  "s3api get-object") [ -f "$obj" ] || exit 254; cp "$obj" "$out" && etag "$obj" ;;
  "codebuild batch-get-builds") cat "$FAKE_CLOUD/builds/$ids" 2>/dev/null || echo None ;;
esac`;

/** Docker: `buildx build --push` and `push` put the tag into the fake ECR. */
const DOCKER_FAKE = `
tag_of() { while [ $# -gt 0 ]; do [ "$1" = "--tag" ] && echo "\${2##*:}"; shift; done; }
case "$1 $2" in
  "login "*) [ "$5" = "public.ecr.aws" ] && [ "$FAKE_PUBLIC_LOGIN_FAILS" = "1" ] && exit 1 ;;
  "buildx create") [ "$FAKE_BUILDX_FAILS" = "1" ] && exit 1 ;;
  "buildx build") [ "$FAKE_DOCKER_FAILS" = "1" ] && exit 1; touch "$FAKE_CLOUD/images/$(tag_of "$@")" ;;
  "build "*) [ "$FAKE_DOCKER_FAILS" = "1" ] && exit 1 ;;
  "push "*) touch "$FAKE_CLOUD/images/\${2##*:}" ;;
esac
exit 0`;

const FAKES: Record<string, string> = {
  aws: AWS_FAKE,
  docker: DOCKER_FAKE,
  npm: '[ "$1" = "test" ] && [ "$FAKE_TESTS_FAIL" = "1" ] && exit 1\nexit 0',
  pip: 'exit 0',
  // A waiting build sleeps: FAKE_ON_SLEEP is what the rest of the world does meanwhile. A build
  // still waiting after 20 naps would wait forever here: the fake ends it.
  sleep: `
n=$(( $(cat "$FAKE_DIR/naps" 2>/dev/null || echo 0) + 1 )); echo $n > "$FAKE_DIR/naps"
[ $n -gt 20 ] && { echo "sleep: still waiting after 20 naps" >&2; kill $PPID; }
eval "$FAKE_ON_SLEEP"`,
};

const clouds: string[] = [];

/** A new, empty fake AWS for the builds of one test (removeClouds() deletes them all). */
export function newCloud(): string {
  const cloud = mkdtempSync(join(tmpdir(), 'codebuild-cloud-'));
  for (const dir of ['images', 's3', 'builds']) mkdirSync(join(cloud, dir));
  clouds.push(cloud);
  return cloud;
}

export function removeClouds(): void {
  for (const cloud of clouds.splice(0)) rmSync(cloud, { recursive: true, force: true });
}

/** Runs one build of `spec` against `cloud` (a fresh one unless given). */
export function simulate(spec: Buildspec, env: Record<string, string>, cloud = newCloud()): SimResult {
  const dir = mkdtempSync(join(tmpdir(), 'codebuild-sim-'));
  const buildId = env.CODEBUILD_BUILD_ID ?? 'ecs-playground-dev:build-1';
  try {
    for (const [name, body] of Object.entries(FAKES)) {
      const path = join(dir, name);
      // `--password-stdin` readers drain stdin first, so a pipe's two ends are recorded in order.
      const drain = 'case "$*" in *--password-stdin*) cat > /dev/null ;; esac';
      const record = `line="$*"; echo "${name} \${line//$FAKE_DIR/<tmp>}" >> "$FAKE_DIR/calls"`;
      writeFileSync(path, `#!/usr/bin/env bash\n${drain}\n${record}\n${body}\n`);
      chmodSync(path, 0o755);
    }
    writeFileSync(join(dir, 'calls'), '');
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(cloud, 'builds', buildId), 'IN_PROGRESS\n');
    const stateFile = join(dir, 'state');
    let state: Record<string, string> = {
      ...spec.env?.variables,
      ...env,
      PATH: `${dir}:/usr/bin:/bin`,
      FAKE_DIR: dir,
      FAKE_CLOUD: cloud,
      TMPDIR: join(dir, 'tmp'),
      CODEBUILD_BUILD_ID: buildId,
      CODEBUILD_BUILD_SUCCEEDING: '1',
    };
    const failed: string[] = [];
    let log = '';
    for (const phase of PHASES) {
      // CodeBuild skips to post_build after a failed phase.
      if (failed.length && phase !== 'post_build') continue;
      if (failed.length) state.CODEBUILD_BUILD_SUCCEEDING = '0';
      for (const command of spec.phases[phase]?.commands ?? []) {
        // allexport: every variable a command sets reaches the next command, as in CodeBuild's one shell.
        const script = `set -a\n${command}\n__rc=$?\nenv -0 > "${stateFile}"\nexit $__rc\n`;
        const result = spawnSync('bash', ['-c', script], { env: state, encoding: 'utf8' });
        log += result.stdout + result.stderr;
        if (result.status !== 0) {
          failed.push(phase);
          break;
        }
        state = parseEnv(readFileSync(stateFile, 'utf8'));
      }
    }
    writeFileSync(join(cloud, 'builds', buildId), failed.length ? 'FAILED\n' : 'SUCCEEDED\n');
    const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean);
    return { calls, failed, log };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The gate object of a commit in `cloud`, or undefined. */
export function gateObject(cloud: string, commit: string): string | undefined {
  try {
    return readFileSync(join(cloud, 's3', `gates__${commit}`), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function parseEnv(dump: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of dump.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}
