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

/**
 * The AWS the fakes share: S3 keys are stored with `/` as `__`. The bucket is versioned, as the
 * artifact bucket is: a deleted key's current version is a delete marker, which reads as NoSuchKey
 * (the role has s3:ListBucket), answers NoSuchKey to --if-match and lets --if-none-match write.
 * One-shot hooks steer races: FAKE_BEFORE_GET and FAKE_BEFORE_IF_MATCH run (once per build) what
 * another party does just before this build's read or takeover; FAKE_CONFLICT_ONCE answers the first
 * conditional write with S3's 409 after running FAKE_ON_CONFLICT (what the concurrent writer did);
 * FAKE_OLD_CLI is an AWS CLI without the conditional-write options.
 */
const AWS_FAKE = `
key="" body="" none_match="" if_match="" tag="" ids="" out="" query=""
args=("$@")
for ((i = 2; i < \${#args[@]}; i++)); do
  case "\${args[i]}" in
    --key) key="\${args[++i]}" ;;
    --body) body="\${args[++i]}" ;;
    --if-none-match) none_match="\${args[++i]}" ;;
    --if-match) if_match="\${args[++i]}" ;;
    --image-ids) tag="\${args[++i]#imageTag=}" ;;
    --ids) ids="\${args[++i]}" ;;
    --query) query="\${args[++i]}" ;;
    --*) i=$((i + 1)) ;;
    *) out="\${args[i]}" ;;
  esac
done
obj="$FAKE_CLOUD/s3/\${key//\\//__}"
etag() { echo "\\"$(md5sum < "$1" | cut -c1-32)\\""; }
once() { [ -f "$FAKE_DIR/once-$1" ] && return 1; touch "$FAKE_DIR/once-$1"; }
fail() { echo "An error occurred ($1) when calling the $2 operation: $3" >&2; exit 254; }
case "$1 $2" in
  "--version ") echo "aws-cli/\${FAKE_AWS_VERSION:-2.22.5} Python/3.12.6 Linux/5.10.228 exec-env/CODEBUILD exe/x86_64.amzn.2023" ;;
  "ecr get-login-password"|"ecr-public get-login-password") echo token ;;
  "ecr describe-images") [ -f "$FAKE_CLOUD/images/$tag" ] || fail ImageNotFoundException DescribeImages "no image" ;;
  "s3api put-object")
    if [ "$FAKE_OLD_CLI" = "1" ] && [ -n "$none_match$if_match" ]; then
      echo "aws: error: argument: Unknown options: \${none_match:+--if-none-match}\${if_match:+--if-match}" >&2; exit 252
    fi
    if [ "$FAKE_S3_DENIED" = "1" ]; then fail AccessDenied PutObject "Access Denied"; fi
    if [ -n "$none_match$if_match" ] && [ "$FAKE_CONFLICT_ONCE" = "1" ] && once conflict; then
      eval "$FAKE_ON_CONFLICT"
      fail ConditionalRequestConflict PutObject "A conflicting conditional operation is currently in progress against this resource. Please try again."
    fi
    if [ -n "$if_match" ] && once before-if-match; then eval "$FAKE_BEFORE_IF_MATCH"; fi
    if [ -n "$none_match" ] && [ -f "$obj" ]; then fail PreconditionFailed PutObject "At least one of the pre-conditions you specified did not hold"; fi
    if [ -n "$if_match" ] && [ ! -f "$obj" ]; then fail NoSuchKey PutObject "The specified key does not exist."; fi
    if [ -n "$if_match" ] && [ "$(etag "$obj")" != "$if_match" ]; then fail PreconditionFailed PutObject "At least one of the pre-conditions you specified did not hold"; fi
    cp "$body" "$obj" && if [ "$query" = ETag ]; then etag "$obj"; else echo "{\\"ETag\\": $(etag "$obj")}"; fi ;;
  "s3api get-object")
    if once before-get; then eval "$FAKE_BEFORE_GET"; fi
    [ -f "$obj" ] || fail NoSuchKey GetObject "The specified key does not exist."
    cp "$obj" "$out" && etag "$obj" ;;
  "codebuild batch-get-builds") cat "$FAKE_CLOUD/builds/$ids" 2>/dev/null || echo None ;;
esac`;

/** Docker: `buildx build --push` and `push` put the tag into the fake ECR. */
const DOCKER_FAKE = `
tag_of() { while [ $# -gt 0 ]; do [ "$1" = "--tag" ] && echo "\${2##*:}"; shift; done; }
case "$1 $2" in
  "login "*) [ "$5" = "public.ecr.aws" ] && [ "$FAKE_PUBLIC_LOGIN_FAILS" = "1" ] && exit 1 ;;
  "buildx create") [ "$FAKE_BUILDX_FAILS" = "1" ] && exit 1 ;;
  "buildx build")
    [ "$FAKE_DOCKER_FAILS" = "1" ] && exit 1
    touch "$FAKE_CLOUD/images/$(tag_of "$@")"
    # The image is pushed; then BuildKit exports the cache, which FAKE_CACHE_EXPORT_FAILS breaks.
    if [ "$FAKE_CACHE_EXPORT_FAILS" = "1" ]; then
      case "$*" in
        *ignore-error=true*) echo "WARNING: failed to export cache: 400 Bad Request (ignored)" ;;
        *) echo "ERROR: failed to export cache: 400 Bad Request" >&2; exit 1 ;;
      esac
    fi ;;
  "build "*) [ "$FAKE_DOCKER_FAILS" = "1" ] && exit 1 ;;
  "push "*) touch "$FAKE_CLOUD/images/\${2##*:}" ;;
esac
exit 0`;

const FAKES: Record<string, string> = {
  aws: AWS_FAKE,
  docker: DOCKER_FAKE,
  // FAKE_ON_TEST: what another build does while this one's tests run.
  npm: '[ "$1" = "test" ] && eval "$FAKE_ON_TEST"\n[ "$1" = "test" ] && [ "$FAKE_TESTS_FAIL" = "1" ] && exit 1\nexit 0',
  pip: 'exit 0',
  // A waiting build sleeps: FAKE_ON_SLEEP is what the rest of the world does meanwhile, and the
  // fake clock (`date +%s`, from 1000) moves on by the nap. A build still waiting after 20 naps
  // would wait forever here: the fake ends it.
  sleep: `
n=$(( $(cat "$FAKE_DIR/naps" 2>/dev/null || echo 0) + 1 )); echo $n > "$FAKE_DIR/naps"
echo $(( $(cat "$FAKE_DIR/now" 2>/dev/null || echo 1000) + $1 )) > "$FAKE_DIR/now"
[ $n -gt 20 ] && { echo "sleep: still waiting after 20 naps" >&2; kill $PPID; }
eval "$FAKE_ON_SLEEP"`,
  // The fake clock for `date +%s` (no test waits for, or depends on, the real time); any other use is the real date.
  date: `[ "$1" = +%s ] && { cat "$FAKE_DIR/now" 2>/dev/null || echo 1000; exit 0; }
exec /usr/bin/date "$@"`,
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
      // The clock is read, not called: `date` is left out of the recorded calls.
      const record =
        name === 'date' ? '' : `line="$*"; echo "${name} \${line//$FAKE_DIR/<tmp>}" >> "$FAKE_DIR/calls"`;
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
