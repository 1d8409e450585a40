/**
 * A small stand-in for CodeBuild's buildspec runner, enough to prove what buildspec.yml does:
 * phases in order, each command in bash with the variables of the commands before it, a failed
 * command ends its phase, post_build still runs after a failed build phase with
 * CODEBUILD_BUILD_SUCCEEDING=0. `aws`, `docker`, `npm` and `pip` are fakes on PATH that record
 * their arguments (no Docker engine or AWS here); their behaviour is steered by FAKE_* variables.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** One line per fake command call: `docker push …`. */
  calls: string[];
  /** Phases that failed. */
  failed: string[];
}

const FAKES: Record<string, string> = {
  // `aws ecr describe-images --image-ids …` succeeds when FAKE_IMAGE_EXISTS=1 (or after a push when
  // FAKE_PUSH_RACE=1: the other pipeline pushed the tag meanwhile); with --query it prints the
  // newest tag. get-login-password prints a token.
  aws: `
if [ "$2" = "get-login-password" ]; then echo token; exit 0; fi
if [ "$2" = "describe-images" ]; then
  case "$*" in
    *--image-ids*) [ "$FAKE_IMAGE_EXISTS" = "1" ] || [ -f "$FAKE_DIR/pushed-by-other" ]; exit $? ;;
    *--query*) echo "\${FAKE_PREVIOUS_TAG:-None}"; exit 0 ;;
  esac
fi
exit 0`,
  // `docker login … public.ecr.aws` fails when FAKE_PUBLIC_LOGIN_FAILS=1 (no token from ECR Public).
  docker: `
if [ "$1" = "push" ] && [ "$FAKE_PUSH_RACE" = "1" ]; then touch "$FAKE_DIR/pushed-by-other"; exit 1; fi
if [ "$1" = "login" ] && [ "$5" = "public.ecr.aws" ] && [ "$FAKE_PUBLIC_LOGIN_FAILS" = "1" ]; then exit 1; fi
exit 0`,
  npm: `
if [ "$1" = "test" ] && [ "$FAKE_TESTS_FAIL" = "1" ]; then exit 1; fi
exit 0`,
  pip: 'exit 0',
};

export function simulate(spec: Buildspec, env: Record<string, string>): SimResult {
  const dir = mkdtempSync(join(tmpdir(), 'codebuild-sim-'));
  try {
    for (const [name, body] of Object.entries(FAKES)) {
      const path = join(dir, name);
      // `--password-stdin` readers drain stdin first, so a pipe's two ends are recorded in order.
      const drain = 'case "$*" in *--password-stdin*) cat > /dev/null ;; esac';
      writeFileSync(path, `#!/usr/bin/env bash\n${drain}\necho "${name} $*" >> "$FAKE_DIR/calls"\n${body}\n`);
      chmodSync(path, 0o755);
    }
    writeFileSync(join(dir, 'calls'), '');
    const stateFile = join(dir, 'state');
    let state: Record<string, string> = {
      ...spec.env?.variables,
      ...env,
      PATH: `${dir}:/usr/bin:/bin`,
      FAKE_DIR: dir,
      CODEBUILD_BUILD_SUCCEEDING: '1',
    };
    const failed: string[] = [];
    for (const phase of PHASES) {
      // CodeBuild skips to post_build after a failed phase.
      if (failed.length && phase !== 'post_build') continue;
      if (failed.length) state.CODEBUILD_BUILD_SUCCEEDING = '0';
      for (const command of spec.phases[phase]?.commands ?? []) {
        // allexport: every variable a command sets reaches the next command, as in CodeBuild's one shell.
        const script = `set -a\n${command}\n__rc=$?\nenv -0 > "${stateFile}"\nexit $__rc\n`;
        const result = spawnSync('bash', ['-c', script], { env: state, encoding: 'utf8' });
        if (result.status !== 0) {
          failed.push(phase);
          break;
        }
        state = parseEnv(readFileSync(stateFile, 'utf8'));
      }
    }
    const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean);
    return { calls, failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
