import { expect } from 'chai';
import { DEFAULT_CONFIG, namesFor, STACKS } from '../../config';
import { firstImageWaitMinutes } from '../../config/timeouts';
import { type DeployStep, deployPlan, destroyPlan, type Facts, PlanError } from '../../scripts/deploy/plan';
import { configWith } from '../support/config';
import { fixtureTemplates, REAL_CONFIG, REPO_URI } from './fixtures';

/** Every stack in `status`, with no template to compare (skips and in-place checks need one). */
function allStacks(status: string): NonNullable<Facts['stacks']> {
  return Object.fromEntries(STACKS.map((s) => [s, { status, parameters: {} }]));
}

const stacksOf = (steps: DeployStep[]) => steps.flatMap((s) => (s.kind === 'deploy-stack' ? [s.stack] : []));
const stackStep = (steps: DeployStep[], stack: string) => {
  const step = steps.find((s) => s.kind === 'deploy-stack' && s.stack === stack);
  if (step?.kind !== 'deploy-stack') throw new Error(`no ${stack} step`);
  return step;
};

describe('deploy plan', () => {
  const templates = fixtureTemplates();

  it('orders a fresh account: base stacks, hook, connection, first image, then the services', () => {
    const steps = deployPlan(REAL_CONFIG, templates, {}, { dryRun: false });
    expect(steps.map((s) => (s.kind === 'deploy-stack' ? s.stack : s.kind))).to.deep.equal([
      'synth',
      'network',
      'registry',
      'cluster',
      'pipelines',
      'deploy-hook',
      'wait-connection',
      'wait-first-image',
      'service-rolling',
      'service-bluegreen',
      'service-canary',
      'print-summary',
    ]);
    expect(stacksOf(steps)).to.deep.equal([...STACKS]);
  });

  it('leaves out the stacks of the strategies app.strategies does not name, and keeps the hook stack (the outcome check)', () => {
    const only = (strategies: string[]) => configWith({ app: { strategies }, github: { owner: 'octocat' } });
    const rollingOnly = deployPlan(only(['rolling']), templates, {}, { dryRun: false });
    expect(rollingOnly.map((s) => (s.kind === 'deploy-stack' ? s.stack : s.kind))).to.deep.equal([
      'synth',
      'network',
      'registry',
      'cluster',
      'pipelines',
      'deploy-hook',
      'wait-connection',
      'wait-first-image',
      'service-rolling',
      'print-summary',
    ]);
    const canaryOnly = deployPlan(only(['canary']), templates, {}, { dryRun: false });
    expect(stacksOf(canaryOnly)).to.deep.equal([
      'network',
      'registry',
      'cluster',
      'pipelines',
      'service-canary',
    ]);
    expect(canaryOnly.map((s) => s.kind)).to.include('deploy-hook');
    // The first image comes from the one pipeline there is.
    expect(canaryOnly.find((s) => s.kind === 'wait-first-image')).to.deep.include({
      pipeline: 'ecs-playground-dev-canary',
      // Named in the fix if CodeBuild refuses the build: one build per pipeline, and there is one.
      buildQuota: { name: 'Concurrently running builds for Linux/Small environment', desired: 1 },
    });
  });

  it('gives the canary stack the image its service runs when the step starts, like rolling', () => {
    const own = { kind: 'literal', uri: `${REPO_URI}:ccccccc`, why: 'the image this service runs now' };
    const facts: Facts = {
      stacks: allStacks('UPDATE_COMPLETE'),
      running: { 'service-canary': `${REPO_URI}:ccccccc` },
      latestImage: `${REPO_URI}:newest1`,
    };
    const steps = deployPlan(REAL_CONFIG, templates, facts, { dryRun: false });
    expect(stackStep(steps, 'service-canary').parameters).to.deep.equal([
      { key: 'ImageUri', value: { kind: 'running', fallback: own } },
    ]);
    // Created (not there yet): the image it runs is unknown, the canary's is the one another service runs.
    const { 'service-rolling': _absent, ...stacks } = allStacks('UPDATE_COMPLETE');
    const created = deployPlan(REAL_CONFIG, templates, { ...facts, stacks }, { dryRun: false });
    expect(stackStep(created, 'service-rolling').parameters[0].value).to.deep.equal({
      ...own,
      why: 'the image the canary service runs now',
    });
  });

  it('names every stack, template and the hook from the config', () => {
    const steps = deployPlan(REAL_CONFIG, templates, {}, { dryRun: false });
    const names = namesFor(REAL_CONFIG);
    for (const stack of STACKS) {
      const step = stackStep(steps, stack);
      expect(step.stackName).to.equal(names.stackName(stack));
      expect(step.templatePath).to.equal(`cloudformation/out/dev/${stack}.json`);
    }
    const hook = steps.find((s) => s.kind === 'deploy-hook');
    expect(hook).to.deep.include({
      stackName: 'ecs-playground-hook-dev',
      functionName: 'CodeDeployHook_ecs-playground-dev',
      command: ['npx', 'sls', 'deploy'],
    });
    const wait = steps.find((s) => s.kind === 'wait-first-image');
    expect(wait).to.deep.include({
      repository: 'ecs-playground-dev',
      pipeline: 'ecs-playground-dev-rolling',
      timeoutMinutes: firstImageWaitMinutes(),
    });
  });

  it('gives the rolling stack the image its service runs when the step starts, and keeps the blue/green one', () => {
    const steps = deployPlan(
      REAL_CONFIG,
      templates,
      {
        stacks: allStacks('UPDATE_COMPLETE'),
        running: { 'service-rolling': `${REPO_URI}:aaaaaaa` },
        latestImage: `${REPO_URI}:bbbbbbb`,
      },
      { dryRun: false },
    );
    const own = { kind: 'literal', uri: `${REPO_URI}:aaaaaaa`, why: 'the image this service runs now' };
    expect(stackStep(steps, 'service-rolling').parameters).to.deep.equal([
      { key: 'ImageUri', value: { kind: 'running', fallback: own } },
    ]);
    expect(stackStep(steps, 'service-bluegreen').parameters).to.deep.equal([
      {
        key: 'ImageUri',
        value: {
          kind: 'previous',
          fallback: { ...own, why: 'the image the rolling service runs now' },
        },
      },
    ]);
    expect(steps.some((s) => s.kind === 'wait-first-image')).to.equal(false);
  });

  it('creates a missing service with the image the other one runs, not the newest in ECR', () => {
    // After the unhealthy-release demo the newest image in ECR is the bad one.
    const { 'service-bluegreen': _absent, ...stacks } = allStacks('UPDATE_COMPLETE');
    const steps = deployPlan(
      REAL_CONFIG,
      templates,
      { stacks, running: { 'service-rolling': `${REPO_URI}:aaaaaaa` }, latestImage: `${REPO_URI}:bad0bad` },
      { dryRun: false },
    );
    expect(stackStep(steps, 'service-bluegreen').parameters[0].value).to.deep.equal({
      kind: 'literal',
      uri: `${REPO_URI}:aaaaaaa`,
      why: 'the image the rolling service runs now',
    });
  });

  it('creates with the newest commit-tagged image in ECR only when no service runs one', () => {
    const steps = deployPlan(
      REAL_CONFIG,
      templates,
      { latestImage: `${REPO_URI}:bbbbbbb` },
      { dryRun: false },
    );
    expect(stackStep(steps, 'service-rolling').parameters[0].value).to.deep.equal({
      kind: 'literal',
      uri: `${REPO_URI}:bbbbbbb`,
      why: 'the newest commit-tagged image in ECR (no service runs one)',
    });
  });

  it('waits for the first image when ECR has none', () => {
    const steps = deployPlan(REAL_CONFIG, templates, {}, { dryRun: false });
    expect(stackStep(steps, 'service-rolling').parameters[0].value).to.deep.equal({ kind: 'first-image' });
    expect(stackStep(steps, 'service-bluegreen').parameters[0].value).to.deep.equal({ kind: 'first-image' });
  });

  it('takes the connection from the config when one is given', () => {
    const arn = 'arn:aws:codeconnections:us-west-2:123456789012:connection/abc';
    const config = { ...REAL_CONFIG, github: { ...REAL_CONFIG.github, connectionArn: arn } };
    const wait = deployPlan(config, templates, {}, { dryRun: false }).find(
      (s) => s.kind === 'wait-connection',
    );
    expect(wait).to.deep.include({ connectionArn: arn });
  });

  it('fails when the GitHub owner is the placeholder, unless it is a dry run', () => {
    expect(() => deployPlan(DEFAULT_CONFIG, templates, {}, { dryRun: false })).to.throw(
      PlanError,
      'github.owner is still the placeholder "your-github-user": set github.owner in playground.config.json to the GitHub user or organisation that owns your fork, e.g. {"github": {"owner": "octocat"}}',
    );
    expect(deployPlan(DEFAULT_CONFIG, templates, {}, { dryRun: true })).to.have.length(12);
  });

  it('fails when a template declares a parameter the deploy does not supply', () => {
    const bad = { ...templates, network: { ...templates.network!, parameters: ['VpcCidr'] } };
    expect(() => deployPlan(REAL_CONFIG, bad, {}, { dryRun: true })).to.throw(
      PlanError,
      'cloudformation/out/dev/network.json: declares parameter VpcCidr, which the deploy does not supply',
    );
  });

  it('fails when a service template lacks ImageUri', () => {
    const bad = { ...templates, 'service-rolling': { ...templates['service-rolling']!, parameters: [] } };
    expect(() => deployPlan(REAL_CONFIG, bad, {}, { dryRun: true })).to.throw(
      PlanError,
      'cloudformation/out/dev/service-rolling.json: lacks parameter ImageUri, which the deploy supplies',
    );
  });
});

describe('destroy plan', () => {
  it('deletes the stacks of strategies app.strategies leaves out too, saying why (an earlier deploy may have left them)', () => {
    const steps = destroyPlan(configWith({ app: { strategies: ['rolling'] } }));
    const canary = steps.find((s) => s.kind === 'delete-stack' && s.stack === 'service-canary');
    expect(canary?.description).to.equal(
      'delete the service-canary stack (its strategy is not in app.strategies: deleted if an earlier deploy left it)',
    );
    const rolling = steps.find((s) => s.kind === 'delete-stack' && s.stack === 'service-rolling');
    expect(rolling?.description).to.equal('delete the service-rolling stack');
  });

  it('deletes in reverse order, emptying the bucket and the repository before their stacks', () => {
    const steps = destroyPlan(DEFAULT_CONFIG);
    expect(steps.map((s) => (s.kind === 'delete-stack' ? s.stackName : s.kind))).to.deep.equal([
      'ecs-playground-dev-service-canary',
      'ecs-playground-dev-service-bluegreen',
      'ecs-playground-dev-service-rolling',
      'remove-hook',
      'empty-bucket',
      'ecs-playground-dev-pipelines',
      'ecs-playground-dev-cluster',
      'empty-repository',
      'ecs-playground-dev-registry',
      'ecs-playground-dev-network',
    ]);
    expect(steps.find((s) => s.kind === 'remove-hook')).to.deep.include({
      stackName: 'ecs-playground-hook-dev',
      command: ['npx', 'sls', 'remove'],
    });
    expect(steps.find((s) => s.kind === 'empty-repository')).to.deep.include({
      repository: 'ecs-playground-dev',
    });
  });
});
