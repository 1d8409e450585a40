import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { pipelinesTemplate } from '../../cloudformation/pipelines';
import {
  ALL_ARTIFACT_FILES,
  BUILD_CACHE_TAG,
  BUILD_ENV,
  DEFAULT_CONFIG,
  GATE_KEY_PREFIX,
  GATE_STATES,
  gateWaitSeconds,
  REPO_ROOT,
} from '../../config';
import { type Buildspec, gateObject, newCloud, PHASES, removeClouds, simulate } from './codebuild-sim';
import { SAMPLE_ENV } from './sample';

const spec = parse(readFileSync(join(REPO_ROOT, 'buildspec.yml'), 'utf8')) as Buildspec;
const REPO = SAMPLE_ENV.REPOSITORY_URI;
const IMAGE = `${REPO}:3f2c9a1`;
const BUCKET = SAMPLE_ENV.GATE_BUCKET;
// The CodeBuild project's variables the sample lacks: the waiter's deadline, as the template sets it.
const PROJECT_ENV = { ...SAMPLE_ENV, GATE_WAIT_SECONDS: String(gateWaitSeconds()) };
const env = { ...PROJECT_ENV, CODEBUILD_BUILD_ID: 'ecs-playground-dev:rolling-1' };
const other = { ...PROJECT_ENV, CODEBUILD_BUILD_ID: 'ecs-playground-dev:bluegreen-1' };

const SETUP = [
  'pip install --quiet cfn-lint==1.51.0',
  'aws --version',
  'aws ecr get-login-password --region us-west-2',
  'docker login --username AWS --password-stdin 111122223333.dkr.ecr.us-west-2.amazonaws.com',
  'aws ecr-public get-login-password --region us-east-1',
  'docker login --username AWS --password-stdin public.ecr.aws',
  'npm ci --no-audit --no-fund',
];
const IMAGE_EXISTS =
  'aws ecr describe-images --repository-name ecs-playground-dev --image-ids imageTag=3f2c9a1';
const CLAIM = `aws s3api put-object --bucket ${BUCKET} --key gates/3f2c9a1 --if-none-match * --body <tmp>/tmp/gate --query ETag --output text`;
/** This build's record of its verdict: conditional on its own claim (the ETag of `running <this build>`). */
const recordOver = (claim: string) =>
  `aws s3api put-object --bucket ${BUCKET} --key gates/3f2c9a1 --if-match ${md5(`${claim}\n`)} --body <tmp>/tmp/gate --query ETag --output text`;
const RECORD = recordOver('running ecs-playground-dev:rolling-1');
const READ_GATE = `aws s3api get-object --bucket ${BUCKET} --key gates/3f2c9a1 <tmp>/tmp/gate-seen --query ETag --output text`;
const BUILDKIT_IMAGE = 'mirror.gcr.io/moby/buildkit:buildx-stable-1';
const BUILDER = `docker buildx create --name gate --driver docker-container --driver-opt image=${BUILDKIT_IMAGE} --use --bootstrap`;
const CACHE = `${REPO}:${BUILD_CACHE_TAG}`;
const DOCKER_BUILD = `docker buildx build --build-arg COMMIT_HASH=3f2c9a1 --cache-from type=registry,ref=${CACHE} --cache-to type=registry,ref=${CACHE},mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true --provenance=false --tag ${IMAGE} --push .`;
const RENDER = 'npm run render:artifacts -- --out-dir dist/deploy';
const GREEN_BUILD = [...SETUP, IMAGE_EXISTS, CLAIM, 'npm test', RECORD, BUILDER, DOCKER_BUILD, RENDER];

const commands = Object.values(spec.phases).flatMap((p) => p.commands ?? []);
const isTestOrDocker = (c: string) => c === 'npm test' || /^docker (buildx )?(build|push) /.test(c);

describe('buildspec.yml', () => {
  after(removeClouds);

  it('is version 0.2 with Node.js 22, one bash shell and the four phases', () => {
    expect(spec.version).to.equal(0.2);
    expect(spec.env?.shell).to.equal('bash');
    expect(Object.keys(spec.phases)).to.deep.equal([...PHASES]);
    expect(spec.phases.install['runtime-versions']).to.deep.equal({ nodejs: 22, python: 3.12 });
  });

  it('claims the commit, tests, records the pass, builds and pushes the commit tag once, then renders', () => {
    const cloud = newCloud();
    expect(simulate(spec, env, cloud)).to.deep.include({ calls: GREEN_BUILD, failed: [] });
    expect(gateObject(cloud, '3f2c9a1')).to.equal('tested ecs-playground-dev:rolling-1');
  });

  it('runs no tests and no Docker build in a second build of the same commit (another pipeline)', () => {
    const cloud = newCloud();
    simulate(spec, env, cloud);
    const second = simulate(spec, other, cloud);
    expect(second.failed).to.deep.equal([]);
    expect(second.calls).to.deep.equal([...SETUP, IMAGE_EXISTS, RENDER]);
    expect(second.log).to.include('gate: image 3f2c9a1 exists, its gate passed: no tests, no Docker build');
  });

  it('names a registry cache of every stage (mode=max) as the Docker build’s source and destination', () => {
    const { calls } = simulate(spec, env);
    const build = calls.find((c) => c.startsWith('docker buildx build')) ?? '';
    expect(build).to.include(`--cache-from type=registry,ref=${CACHE} `);
    expect(build).to.include(`--cache-to type=registry,ref=${CACHE},mode=max,`);
    // mode=max caches the layers of every stage: the Dockerfile's first stage installs the dependencies.
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(/^FROM \S+ AS build\n(?:.*\n)*?RUN npm ci /m);
  });

  it('pushes nothing when the tests fail, records the failure, and fails every later build of the commit', () => {
    const cloud = newCloud();
    const red = simulate(spec, { ...env, FAKE_TESTS_FAIL: '1' }, cloud);
    expect(red.failed).to.deep.equal(['build', 'post_build']);
    expect(red.calls).to.deep.equal([...SETUP, IMAGE_EXISTS, CLAIM, 'npm test', RECORD]);
    expect(gateObject(cloud, '3f2c9a1')).to.equal('failed ecs-playground-dev:rolling-1');
    const later = simulate(spec, other, cloud);
    expect(later.failed).to.deep.equal(['build', 'post_build']);
    expect(later.calls.filter(isTestOrDocker)).to.deep.equal([]);
    expect(later.log).to.include(
      `error: the tests of 3f2c9a1 failed in build ecs-playground-dev:rolling-1 (see its log): this commit is never deployed. Push a fix; for a flaky test, 'aws s3api delete-object --bucket ${BUCKET} --key gates/3f2c9a1' and retry the failed stage.`,
    );
  });

  it('waits while another build holds the gate, then reuses its image', () => {
    // The other pipeline's build claimed the commit and runs its tests; at the waiter's second nap it pushes.
    const holder = `"$FAKE_CLOUD/builds/${other.CODEBUILD_BUILD_ID}"`;
    const cloud = seed(
      newCloud(),
      `printf 'running ${other.CODEBUILD_BUILD_ID}\\n' > "$FAKE_CLOUD/s3/gates__3f2c9a1"; echo IN_PROGRESS > ${holder}`,
    );
    const pushes = `[ "$(cat "$FAKE_DIR/naps")" = 2 ] && touch "$FAKE_CLOUD/images/3f2c9a1" && echo SUCCEEDED > ${holder}`;
    const waiter = simulate(spec, { ...env, FAKE_ON_SLEEP: pushes }, cloud);
    expect(waiter.failed).to.deep.equal([]);
    expect(waiter.calls.filter((c) => c.startsWith('sleep'))).to.deep.equal(['sleep 10', 'sleep 10']);
    expect(waiter.calls.filter(isTestOrDocker)).to.deep.equal([]);
    expect(waiter.calls.at(-1)).to.equal(RENDER);
    expect(waiter.log).to.include(
      `gate: build ${other.CODEBUILD_BUILD_ID} holds 3f2c9a1 (running): waiting for its verdict`,
    );
  });

  it('takes the gate over from a build that ended without an image, skipping the tests it had passed', () => {
    for (const [state, expected] of [
      ['running', ['npm test', DOCKER_BUILD]],
      ['tested', [DOCKER_BUILD]],
    ] as const) {
      const cloud = seed(
        newCloud(),
        `printf '${state} ecs-playground-dev:stopped-1\\n' > "$FAKE_CLOUD/s3/gates__3f2c9a1"; echo STOPPED > "$FAKE_CLOUD/builds/ecs-playground-dev:stopped-1"`,
      );
      const taker = simulate(spec, env, cloud);
      expect(taker.failed, state).to.deep.equal([]);
      expect(taker.calls.filter(isTestOrDocker), state).to.deep.equal(expected);
      expect(taker.calls, state).to.include(READ_GATE);
      expect(taker.log).to.include(
        `gate: build ecs-playground-dev:stopped-1 ended STOPPED without an image (${state})`,
      );
      expect(gateObject(cloud, '3f2c9a1')).to.equal('tested ecs-playground-dev:rolling-1');
    }
  });

  it('fails with the permission to fix when the gate cannot be written', () => {
    const result = simulate(spec, { ...env, FAKE_S3_DENIED: '1' });
    expect(result.failed).to.deep.equal(['build', 'post_build']);
    expect(result.calls.filter(isTestOrDocker)).to.deep.equal([]);
    expect(result.log).to.match(
      /error: cannot write s3:\/\/\S+\/gates\/3f2c9a1 \(An error occurred \(AccessDenied\).*\): the build role needs s3:PutObject/,
    );
  });

  it('falls back to a plain docker build and push when the BuildKit builder cannot start', () => {
    const { calls, failed, log } = simulate(spec, { ...env, FAKE_BUILDX_FAILS: '1' });
    expect(failed).to.deep.equal([]);
    expect(calls.filter(isTestOrDocker)).to.deep.equal([
      'npm test',
      `docker build --build-arg COMMIT_HASH=3f2c9a1 --tag ${IMAGE} .`,
      `docker push ${IMAGE}`,
    ]);
    expect(log).to.include(
      `warning: no BuildKit builder (${BUILDKIT_IMAGE} could not start): building with the docker driver`,
    );
  });

  it('fails without rendering when the Docker build fails after the tests passed, leaving the gate `tested`', () => {
    const cloud = newCloud();
    const result = simulate(spec, { ...env, FAKE_DOCKER_FAILS: '1' }, cloud);
    expect(result.failed).to.deep.equal(['build', 'post_build']);
    expect(result.calls).not.to.include(RENDER);
    expect(gateObject(cloud, '3f2c9a1')).to.equal('tested ecs-playground-dev:rolling-1');
  });

  it('never pushes a moving tag but the build cache, and logs in only to the account registry and to ECR Public', () => {
    const pushes = commands.flatMap((c) => c.match(/docker push \S+|--tag \S+|ref=\S+/g) ?? []);
    expect([...new Set(pushes)]).to.deep.equal([
      `ref="$REPOSITORY_URI:${BUILD_CACHE_TAG}"`,
      `ref="$REPOSITORY_URI:${BUILD_CACHE_TAG}",mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true`,
      '--tag "$REPOSITORY_URI:$COMMIT_HASH"',
      'docker push "$REPOSITORY_URI:$COMMIT_HASH"',
    ]);
    expect(commands.join('\n')).not.to.match(/latest/);
    const logins = commands.flatMap((c) => c.match(/docker login [^\\\n]*/g) ?? []);
    expect(logins.map((l) => l.trim())).to.deep.equal([
      'docker login --username AWS --password-stdin "$REGISTRY"',
      'docker login --username AWS --password-stdin public.ecr.aws',
    ]);
    // ECR Public issues its tokens in us-east-1 only.
    expect(commands.join('\n')).to.include('aws ecr-public get-login-password --region us-east-1 |');
  });

  it('logs in to ECR Public before the Docker build pulls its base image, and builds anonymously when that fails', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(/^FROM public\.ecr\.aws\//m);
    const { calls } = simulate(spec, env);
    expect(calls.indexOf('docker login --username AWS --password-stdin public.ecr.aws')).to.be.lessThan(
      calls.findIndex((c) => c.startsWith('docker buildx build')),
    );
    const failing = simulate(spec, { ...env, FAKE_PUBLIC_LOGIN_FAILS: '1' });
    expect(failing.failed).to.deep.equal([]);
    expect(failing.calls).to.include(DOCKER_BUILD);
  });

  it('keeps the gate key, its states and the cache tag where the config contract says', () => {
    const text = commands.join('\n');
    expect(text).to.include(`GATE_KEY="${GATE_KEY_PREFIX}$COMMIT_HASH"`);
    for (const state of GATE_STATES)
      expect(text).to.match(new RegExp(`"${state} \\$CODEBUILD_BUILD_ID"|\\[ "\\$STATE" = ${state} \\]`));
  });

  it('ships exactly the rendered files, from the directory the renderer writes to', () => {
    expect(spec.artifacts).to.deep.equal({ 'base-directory': 'dist/deploy', files: [...ALL_ARTIFACT_FILES] });
  });

  it('reads only variables that CodeBuild or the pipelines template set', () => {
    const project = pipelinesTemplate(DEFAULT_CONFIG).Resources!.BuildProject;
    const projectVars = (project.Properties!.Environment.EnvironmentVariables as { Name: string }[]).map(
      (v) => v.Name,
    );
    expect(projectVars).to.deep.equal([
      BUILD_ENV.repositoryUri,
      BUILD_ENV.executionRoleArn,
      BUILD_ENV.taskRoleArn,
      BUILD_ENV.logGroupName,
      BUILD_ENV.config,
      BUILD_ENV.gateBucket,
      BUILD_ENV.gateWaitSeconds,
    ]);
    const text = commands.join('\n');
    const used = new Set([...text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const setInSpec = new Set([
      ...[...text.matchAll(/^\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]),
      ...[...text.matchAll(/(?:[;{]|\bthen|\bif)\s+([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]),
      ...[...text.matchAll(/read -r ([A-Z_ ]+) </g)].flatMap((m) => m[1].split(' ')),
      ...Object.keys(spec.env?.variables ?? {}),
    ]);
    const fromCodeBuild = [
      'AWS_DEFAULT_REGION',
      'CODEBUILD_RESOLVED_SOURCE_VERSION',
      'CODEBUILD_BUILD_ID',
      'CODEBUILD_BUILD_SUCCEEDING',
    ];
    const unknown = [...used].filter(
      (v) => !setInSpec.has(v) && !fromCodeBuild.includes(v) && !projectVars.includes(v),
    );
    expect(unknown).to.deep.equal([]);
  });
});

/** S3's ETag of a small object: its MD5, quoted. */
function md5(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Runs `script` against the cloud directory (FAKE_CLOUD) before a build: the state other builds left. */
function seed(cloud: string, script: string): string {
  const result = spawnSync('bash', ['-c', script], { env: { FAKE_CLOUD: cloud, PATH: '/usr/bin:/bin' } });
  if (result.status !== 0) throw new Error(`seed failed: ${result.stderr}`);
  return cloud;
}
