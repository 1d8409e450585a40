import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { pipelinesTemplate } from '../../cloudformation/pipelines';
import { ALL_ARTIFACT_FILES, BUILD_ENV, DEFAULT_CONFIG, REPO_ROOT } from '../../config';
import { type Buildspec, PHASES, simulate } from './codebuild-sim';
import { SAMPLE_ENV } from './sample';

const spec = parse(readFileSync(join(REPO_ROOT, 'buildspec.yml'), 'utf8')) as Buildspec;
const REPO = SAMPLE_ENV.REPOSITORY_URI;
const IMAGE = `${REPO}:3f2c9a1`;
const env = { ...SAMPLE_ENV, FAKE_PREVIOUS_TAG: '0aa11bb' };

const GREEN_BUILD = [
  'pip install --quiet cfn-lint==1.51.0',
  'aws ecr get-login-password --region us-west-2',
  'docker login --username AWS --password-stdin 111122223333.dkr.ecr.us-west-2.amazonaws.com',
  'aws ecr-public get-login-password --region us-east-1',
  'docker login --username AWS --password-stdin public.ecr.aws',
  'npm ci --no-audit --no-fund',
  'npm test',
  'aws ecr describe-images --repository-name ecs-playground-dev --image-ids imageTag=3f2c9a1',
  'aws ecr describe-images --repository-name ecs-playground-dev --query sort_by(imageDetails,&imagePushedAt)[-1].imageTags[0] --output text',
  `docker build --build-arg COMMIT_HASH=3f2c9a1 --build-arg BUILDKIT_INLINE_CACHE=1 --cache-from ${REPO}:0aa11bb --tag ${IMAGE} .`,
  `docker push ${IMAGE}`,
  'npm run render:artifacts -- --out-dir dist/deploy',
];

describe('buildspec.yml', () => {
  it('is version 0.2 with Node.js 22, one bash shell and the four phases', () => {
    expect(spec.version).to.equal(0.2);
    expect(spec.env?.shell).to.equal('bash');
    expect(Object.keys(spec.phases)).to.deep.equal([...PHASES]);
    expect(spec.phases.install['runtime-versions']).to.deep.equal({ nodejs: 22, python: 3.12 });
  });

  it('tests, builds with the commit build arg, pushes only the commit tag, then renders the artifacts', () => {
    expect(simulate(spec, env)).to.deep.equal({ calls: GREEN_BUILD, failed: [] });
  });

  it('builds without --cache-from when the repository is still empty', () => {
    const { calls } = simulate(spec, { ...env, FAKE_PREVIOUS_TAG: 'None' });
    expect(calls).to.include(
      `docker build --build-arg COMMIT_HASH=3f2c9a1 --build-arg BUILDKIT_INLINE_CACHE=1 --tag ${IMAGE} .`,
    );
  });

  it('fails when the tests fail, and then neither builds, pushes nor renders', () => {
    const result = simulate(spec, { ...env, FAKE_TESTS_FAIL: '1' });
    expect(result.failed).to.deep.equal(['build', 'post_build']);
    expect(result.calls).to.deep.equal(GREEN_BUILD.slice(0, 7));
  });

  it('reuses the image when the other pipeline already pushed this commit (immutable tags)', () => {
    const result = simulate(spec, { ...env, FAKE_IMAGE_EXISTS: '1' });
    expect(result).to.deep.equal({
      calls: [...GREEN_BUILD.slice(0, 8), 'npm run render:artifacts -- --out-dir dist/deploy'],
      failed: [],
    });
  });

  it('succeeds when it loses the push race to the other pipeline, and fails when the push just fails', () => {
    const raced = simulate(spec, { ...env, FAKE_PUSH_RACE: '1' });
    expect(raced.failed).to.deep.equal([]);
    expect(raced.calls.slice(-3)).to.deep.equal([
      `docker push ${IMAGE}`,
      'aws ecr describe-images --repository-name ecs-playground-dev --image-ids imageTag=3f2c9a1',
      'npm run render:artifacts -- --out-dir dist/deploy',
    ]);
  });

  it('never pushes a moving tag and logs in only to the account registry and to ECR Public', () => {
    const all = Object.values(spec.phases).flatMap((p) => p.commands ?? []);
    const pushes = all.flatMap((c) => c.match(/docker push \S+/g) ?? []);
    expect(pushes).to.deep.equal(['docker push "$REPOSITORY_URI:$COMMIT_HASH"']);
    expect(all.join('\n')).not.to.match(/latest/);
    const logins = all.flatMap((c) => c.match(/docker login [^\\\n]*/g) ?? []);
    expect(logins.map((l) => l.trim())).to.deep.equal([
      'docker login --username AWS --password-stdin "$REGISTRY"',
      'docker login --username AWS --password-stdin public.ecr.aws',
    ]);
    // ECR Public issues its tokens in us-east-1 only.
    expect(all.join('\n')).to.include('aws ecr-public get-login-password --region us-east-1 |');
  });

  it('logs in to ECR Public before the Docker build pulls its base image, and builds anonymously when that fails', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(/^FROM public\.ecr\.aws\//m);
    const { calls } = simulate(spec, env);
    expect(calls.indexOf('docker login --username AWS --password-stdin public.ecr.aws')).to.be.lessThan(
      calls.findIndex((c) => c.startsWith('docker build')),
    );
    const failing = simulate(spec, { ...env, FAKE_PUBLIC_LOGIN_FAILS: '1' });
    expect(failing.failed).to.deep.equal([]);
    expect(failing.calls).to.include(`docker push ${IMAGE}`);
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
    ]);
    const text = Object.values(spec.phases)
      .flatMap((p) => p.commands ?? [])
      .join('\n');
    const used = new Set([...text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const setInSpec = new Set([...text.matchAll(/^\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const fromCodeBuild = [
      'AWS_DEFAULT_REGION',
      'CODEBUILD_RESOLVED_SOURCE_VERSION',
      'CODEBUILD_BUILD_SUCCEEDING',
    ];
    const unknown = [...used].filter(
      (v) => !setInSpec.has(v) && !fromCodeBuild.includes(v) && !projectVars.includes(v),
    );
    expect(unknown).to.deep.equal([]);
  });
});
