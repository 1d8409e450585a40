/**
 * buildspec.yml's gate under races and failures, replayed with the CodeBuild stand-in
 * (codebuild-sim.ts): S3's 409 on a conditional write, a gate key that is gone when read, a delete
 * marker under a takeover, the waiter's deadline, a claim taken over while the tests run, a cache
 * export that fails after the push, and an AWS CLI too old for conditional writes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { gateWaitSeconds, REPO_ROOT } from '../../config';
import { type Buildspec, gateObject, newCloud, removeClouds, simulate } from './codebuild-sim';
import { SAMPLE_ENV } from './sample';

const spec = parse(readFileSync(join(REPO_ROOT, 'buildspec.yml'), 'utf8')) as Buildspec;
const BUCKET = SAMPLE_ENV.GATE_BUCKET;
const PROJECT_ENV = { ...SAMPLE_ENV, GATE_WAIT_SECONDS: String(gateWaitSeconds()) };
const ME = 'ecs-playground-dev:rolling-1';
const OTHER = 'ecs-playground-dev:bluegreen-1';
const env = { ...PROJECT_ENV, CODEBUILD_BUILD_ID: ME };
const GATE = '"$FAKE_CLOUD/s3/gates__3f2c9a1"';
const RENDER = 'npm run render:artifacts -- --out-dir dist/deploy';

const naps = (calls: string[]) => calls.filter((c) => c.startsWith('sleep'));
const testsOrDocker = (calls: string[]) =>
  calls.filter((c) => c === 'npm test' || /^docker (buildx )?(build|push) /.test(c));
/** Shell that makes OTHER hold the gate with `state`, its build in `status`. */
const holds = (state: string, status = 'IN_PROGRESS') =>
  `printf '${state} ${OTHER}\\n' > ${GATE}; echo ${status} > "$FAKE_CLOUD/builds/${OTHER}"`;
/** Shell that deletes the gate, as `aws s3api delete-object` does in the versioned bucket (a delete marker). */
const DELETE_GATE = `rm -f ${GATE}`;

describe('buildspec.yml: the gate under races and failures', () => {
  after(removeClouds);

  it('logs the AWS CLI version before anything else the build does with AWS', () => {
    const { calls, log } = simulate(spec, env);
    expect(calls.find((c) => c.startsWith('aws '))).to.equal('aws --version');
    expect(log).to.match(/^aws-cli\/2\.22\.5 /m);
  });

  it('waits after a 409 on its claim, then follows the verdict of the build whose claim won', () => {
    // The concurrent writer's claim lands while S3 answers this build 409; it pushes at the second nap.
    const pushes = `[ "$(cat "$FAKE_DIR/naps")" = 2 ] && touch "$FAKE_CLOUD/images/3f2c9a1" && echo SUCCEEDED > "$FAKE_CLOUD/builds/${OTHER}"`;
    const cloud = newCloud();
    const reused = simulate(
      spec,
      { ...env, FAKE_CONFLICT_ONCE: '1', FAKE_ON_CONFLICT: holds('running'), FAKE_ON_SLEEP: pushes },
      cloud,
    );
    expect(reused.failed).to.deep.equal([]);
    expect(naps(reused.calls)).to.deep.equal(['sleep 10', 'sleep 10']);
    expect(testsOrDocker(reused.calls)).to.deep.equal([]);
    expect(reused.calls.at(-1)).to.equal(RENDER);
    expect(reused.log).to.include(
      'gate: another build is writing the claim of 3f2c9a1 (409 ConditionalRequestConflict): trying again',
    );
    expect(reused.log).to.include(`gate: build ${OTHER} holds 3f2c9a1 (running): waiting for its verdict`);
    expect(gateObject(cloud, '3f2c9a1')).to.equal(`running ${OTHER}`);

    // The winner's verdict is a failure: this build fails on it, without testing.
    const red = simulate(spec, {
      ...env,
      FAKE_CONFLICT_ONCE: '1',
      FAKE_ON_CONFLICT: holds('failed', 'FAILED'),
    });
    expect(red.failed).to.deep.equal(['build', 'post_build']);
    expect(testsOrDocker(red.calls)).to.deep.equal([]);
    expect(red.log).to.include(`error: the tests of 3f2c9a1 failed in build ${OTHER} (see its log)`);
  });

  it('waits when the claim it lost to is gone by the time it reads it (NoSuchKey), then claims the commit', () => {
    const cloud = newCloud();
    seed(cloud, holds('running'));
    // The holder's claim is deleted between this build's 412 and its read (a reset of the verdict).
    const result = simulate(spec, { ...env, FAKE_BEFORE_GET: DELETE_GATE }, cloud);
    expect(result.failed).to.deep.equal([]);
    expect(result.log).to.include(
      'gate: the claim of 3f2c9a1 is not there (NoSuchKey: deleted since): trying again',
    );
    expect(naps(result.calls)).to.deep.equal(['sleep 10']);
    expect(result.log).to.include('gate: claimed 3f2c9a1: this build runs the tests and the Docker build');
    expect(testsOrDocker(result.calls)).to.have.length(2);
    expect(gateObject(cloud, '3f2c9a1')).to.equal(`tested ${ME}`);
  });

  it('claims afresh when a delete marker answers its takeover with NoSuchKey', () => {
    const cloud = newCloud();
    seed(cloud, holds('tested', 'STOPPED'));
    const result = simulate(spec, { ...env, FAKE_BEFORE_IF_MATCH: DELETE_GATE }, cloud);
    expect(result.failed).to.deep.equal([]);
    const puts = result.calls.filter((c) => c.startsWith('aws s3api put-object'));
    // The claim (412), the claim once more, the takeover (NoSuchKey), the fresh claim, the pass.
    expect(puts.map((c) => (c.includes('--if-none-match') ? 'claim' : 'if-match'))).to.deep.equal([
      'claim',
      'claim',
      'if-match',
      'claim',
      'if-match',
    ]);
    // A fresh claim after a reset runs the tests again: the deleted record said nothing any more.
    expect(testsOrDocker(result.calls)[0]).to.equal('npm test');
    expect(gateObject(cloud, '3f2c9a1')).to.equal(`tested ${ME}`);
  });

  it('gives up waiting after GATE_WAIT_SECONDS with what it waited for, before the build timeout', () => {
    const cloud = newCloud();
    seed(cloud, holds('running'));
    const result = simulate(spec, { ...env, GATE_WAIT_SECONDS: '30' }, cloud);
    expect(result.failed).to.deep.equal(['build', 'post_build']);
    // Three naps of 10 s on the fake clock, then the deadline.
    expect(naps(result.calls)).to.deep.equal(['sleep 10', 'sleep 10', 'sleep 10']);
    expect(testsOrDocker(result.calls)).to.deep.equal([]);
    expect(result.log).to.include(
      `error: gave up on the gate of 3f2c9a1 after 30 s (GATE_WAIT_SECONDS=30: the build timeout less this build's own phases, config/timeouts.ts): build ${OTHER} holds 3f2c9a1 (running): waiting for its verdict. This build tested and built nothing; retry the Build stage once that is over (the image or the verdict then decides).`,
    );
    // Its claim is the holder's: nothing written over it.
    expect(gateObject(cloud, '3f2c9a1')).to.equal(`running ${OTHER}`);
  });

  it('writes its verdict only over its own claim: a claim taken over while its tests ran stays the new holder’s', () => {
    // While the tests run, the verdict is reset and another build claims the commit.
    const takeover = `${DELETE_GATE}; printf 'running ${OTHER}\\n' > ${GATE}`;
    for (const [fails, phases, message] of [
      [
        '0',
        ['build', 'post_build'],
        `error: s3://${BUCKET}/gates/3f2c9a1 is no longer this build's claim (deleted or taken over while the tests ran): nothing is overwritten or pushed`,
      ],
      [
        '1',
        ['build', 'post_build'],
        `warning: s3://${BUCKET}/gates/3f2c9a1 is no longer this build's claim: its failure is not recorded over the build that holds it`,
      ],
    ] as const) {
      const cloud = newCloud();
      const result = simulate(spec, { ...env, FAKE_ON_TEST: takeover, FAKE_TESTS_FAIL: fails }, cloud);
      expect(result.failed, fails).to.deep.equal(phases);
      expect(result.log, fails).to.include(message);
      expect(testsOrDocker(result.calls), fails).to.deep.equal(['npm test']);
      expect(gateObject(cloud, '3f2c9a1'), fails).to.equal(`running ${OTHER}`);
    }
  });

  it('stays green, image pushed, when the cache export fails after the push (ignore-error=true)', () => {
    const cloud = newCloud();
    const result = simulate(spec, { ...env, FAKE_CACHE_EXPORT_FAILS: '1' }, cloud);
    expect(result.failed).to.deep.equal([]);
    expect(result.log).to.include('WARNING: failed to export cache');
    expect(result.calls.at(-1)).to.equal(RENDER);
    expect(spawnSync('test', ['-f', join(cloud, 'images', '3f2c9a1')]).status).to.equal(0);
    // Without the option the same failure turns the build red: the option is what keeps it green.
    const strict = {
      ...spec,
      phases: JSON.parse(JSON.stringify(spec.phases).replaceAll(',ignore-error=true', '')),
    };
    expect(simulate(strict, { ...env, FAKE_CACHE_EXPORT_FAILS: '1' }).failed).to.deep.equal([
      'build',
      'post_build',
    ]);
  });

  it('names the AWS CLI versions conditional writes need when the CLI does not know the option', () => {
    const result = simulate(spec, { ...env, FAKE_OLD_CLI: '1', FAKE_AWS_VERSION: '2.15.0' });
    expect(result.failed).to.deep.equal(['build', 'post_build']);
    expect(result.log).to.include(
      'error: this AWS CLI (aws-cli/2.15.0 Python/3.12.6 Linux/5.10.228 exec-env/CODEBUILD exe/x86_64.amzn.2023) does not know --if-none-match: --if-none-match needs AWS CLI 2.17.34 or later and --if-match 2.22.5 or later; use a newer CodeBuild image',
    );
  });
});

/** Runs `script` against the cloud directory (FAKE_CLOUD) before a build: the state other builds left. */
function seed(cloud: string, script: string): void {
  const result = spawnSync('bash', ['-c', script], { env: { FAKE_CLOUD: cloud, PATH: '/usr/bin:/bin' } });
  if (result.status !== 0) throw new Error(`seed failed: ${result.stderr}`);
}
