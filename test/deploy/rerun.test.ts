/**
 * Re-running `npm run deploy` against live stacks (the facts a real run reads), with the real
 * generated templates: what is skipped, which image the services get, which stacks stop the run,
 * and the changes CloudFormation cannot apply in place.
 */
import { expect } from 'chai';
import { type PlaygroundConfig, STACKS, type StackId } from '../../config';
import { reuseBuildSeconds } from '../../config/build-model';
import { renderedTemplates } from '../../scripts/deploy/docs';
import { type DeployStep, deployPlan, type Facts, PlanError, planWarnings } from '../../scripts/deploy/plan';
import { CERT } from '../cloudformation/helpers';
import { configWith } from '../support/config';
import { REPO_URI } from './fixtures';

const OWNER = { github: { owner: 'octocat' } };
const RUNNING = `${REPO_URI}:aaaaaaa`;
const FIRST = `${REPO_URI}:0000000`;

/** Every stack deployed from `config`'s templates and settled, the services with image `named`. */
function liveFrom(config: PlaygroundConfig, named = FIRST): NonNullable<Facts['stacks']> {
  const { templates } = renderedTemplates(config);
  return Object.fromEntries(
    STACKS.map((s) => [
      s,
      {
        status: 'UPDATE_COMPLETE',
        parameters: s.startsWith('service-') ? { ImageUri: named } : {},
        template: templates[s]!.template,
      },
    ]),
  );
}

function plan(config: PlaygroundConfig, facts: Facts): DeployStep[] {
  return deployPlan(config, renderedTemplates(config).templates, facts, { dryRun: false });
}

const step = (steps: DeployStep[], stack: StackId) => {
  const found = steps.find((s) => s.kind === 'deploy-stack' && s.stack === stack);
  if (found?.kind !== 'deploy-stack') throw new Error(`no ${stack} step`);
  return found;
};

const deletes = (steps: DeployStep[]) => steps.flatMap((s) => (s.kind === 'delete-stack' ? [s.stack] : []));

describe('re-running the deploy', () => {
  const config = configWith(OWNER);

  it('skips every unchanged stack, and says the rolling and canary ones differ only by their image', () => {
    // The pipelines released aaaaaaa after the first deploy created the stacks with 0000000.
    const steps = plan(config, {
      stacks: liveFrom(config),
      running: { 'service-rolling': RUNNING, 'service-canary': RUNNING },
    });
    for (const stack of ['network', 'registry', 'cluster', 'pipelines'] as const) {
      expect(step(steps, stack).skip, stack).to.equal('unchanged: same template and parameters');
    }
    for (const stack of ['service-rolling', 'service-canary'] as const) {
      expect(step(steps, stack).skip, stack).to.equal(
        `only the image differs: the stack names ${FIRST}, the service runs ${RUNNING} (released by the pipeline since); ` +
          'nothing else would change, so the stack is left as it is and the service keeps running its image',
      );
    }
    expect(step(steps, 'service-bluegreen').skip).to.equal(
      'unchanged: same template, and ImageUri is kept (CodeDeploy owns the task set)',
    );
    expect(deletes(steps)).to.deep.equal([]);
  });

  it('treats two spellings of one image (tag and digest) as the same image', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const byDigest = `${REPO_URI}@${digest}`;
    const steps = plan(config, {
      stacks: liveFrom(config, byDigest),
      running: { 'service-rolling': RUNNING },
      digests: { [RUNNING]: digest },
    });
    expect(step(steps, 'service-rolling').skip).to.equal('unchanged: same template and parameters');
  });

  it('deploys a changed rolling stack with the image its service runs when the step starts', () => {
    const steps = plan(configWith({ ...OWNER, service: { desiredCount: 3 } }), {
      stacks: liveFrom(config),
      running: { 'service-rolling': RUNNING },
      latestImage: `${REPO_URI}:bad0bad`,
    });
    const rolling = step(steps, 'service-rolling');
    expect(rolling.skip).to.equal(undefined);
    expect(rolling.parameters[0].value.kind).to.equal('running');
    expect(step(steps, 'service-canary').parameters[0].value.kind).to.equal('running');
    expect(step(steps, 'service-bluegreen').parameters[0].value.kind).to.equal('previous');
  });

  it('stops before any change on stacks that need a person, naming each fix', () => {
    const stacks = liveFrom(config);
    stacks.network = { ...stacks.network!, status: 'UPDATE_ROLLBACK_FAILED' };
    stacks.pipelines = { ...stacks.pipelines!, status: 'UPDATE_FAILED' };
    expect(() => plan(config, { stacks })).to.throw(
      PlanError,
      'nothing was changed: ecs-playground-dev-network is UPDATE_ROLLBACK_FAILED: fix the resource named in its events ' +
        '(aws cloudformation describe-stack-events --region us-west-2 --stack-name ecs-playground-dev-network --max-items 20), ' +
        'then run `aws cloudformation continue-update-rollback --region us-west-2 --stack-name ecs-playground-dev-network` and re-run; ' +
        'ecs-playground-dev-pipelines is UPDATE_FAILED: an update failed with rollback disabled: roll it back with ' +
        '`aws cloudformation rollback-stack --region us-west-2 --stack-name ecs-playground-dev-pipelines`, then re-run',
    );
  });

  it('re-creates a blue/green stack whose creation failed (ROLLBACK_FAILED) with a real image, never UsePreviousValue', () => {
    const stacks = liveFrom(config);
    stacks['service-bluegreen'] = { status: 'ROLLBACK_FAILED', parameters: { ImageUri: FIRST } };
    const steps = plan(config, { stacks, running: { 'service-rolling': RUNNING } });
    const blueGreen = step(steps, 'service-bluegreen');
    expect(blueGreen.parameters[0].value).to.deep.equal({
      kind: 'literal',
      uri: RUNNING,
      why: 'the image the rolling service runs now',
    });
    expect(blueGreen.notes).to.deep.equal([
      'ROLLBACK_FAILED after a failed creation: deleted, then created again (nothing to keep)',
    ]);
  });

  it('does not touch the blue/green stack while CodeDeploy deploys to it, unless it is unchanged', () => {
    const changed = configWith({ ...OWNER, alarms: { target5xxThreshold: 9 } });
    expect(() => plan(changed, { stacks: liveFrom(config), blueGreenDeployments: ['d-ABC123'] })).to.throw(
      PlanError,
      'nothing was changed: CodeDeploy is deploying to ecs-playground-dev-bluegreen (d-ABC123) and owns its listeners until it ends: ' +
        'wait for it (`aws deploy get-deployment --region us-west-2 --deployment-id d-ABC123`), then re-run',
    );
    expect(plan(config, { stacks: liveFrom(config), blueGreenDeployments: ['d-ABC123'] })).to.have.length(12);
  });
});

describe('changes CloudFormation cannot apply in place', () => {
  const before = configWith(OWNER);

  it('toggling network.natGateways: deletes every service stack first, then re-creates them with their images', () => {
    const after = configWith({ ...OWNER, network: { natGateways: true } });
    const steps = plan(after, {
      stacks: liveFrom(before),
      running: { 'service-rolling': RUNNING, 'service-bluegreen': `${REPO_URI}:bbbbbbb` },
    });
    expect(steps.slice(0, 4).map((s) => s.kind)).to.deep.equal([
      'synth',
      'delete-stack',
      'delete-stack',
      'delete-stack',
    ]);
    expect(deletes(steps)).to.deep.equal(['service-canary', 'service-bluegreen', 'service-rolling']);
    const first = steps[1];
    expect(first.kind === 'delete-stack' && first.reasons).to.deep.equal([
      'ecs-playground-dev-network: its export ecs-playground-dev-network:TaskSubnetIds would change, and CloudFormation cannot change an export that service-rolling, service-bluegreen, service-canary import',
      'ecs-playground-dev-network: its export ecs-playground-dev-network:TaskAssignPublicIp would change, and CloudFormation cannot change an export that service-rolling, service-bluegreen, service-canary import',
    ]);
    // The network stack is then updated in place, and each service comes back with the image it ran.
    expect(step(steps, 'network').skip).to.equal(undefined);
    expect(step(steps, 'service-rolling').parameters[0].value).to.deep.equal({
      kind: 'literal',
      uri: RUNNING,
      why: 'the image this service runs now',
    });
    expect(step(steps, 'service-bluegreen').parameters[0].value).to.deep.include({
      uri: `${REPO_URI}:bbbbbbb`,
    });
    expect(step(steps, 'service-rolling').notes).to.deep.equal(['deleted above, so it is created again']);
  });

  it('changing container.port: the named target groups would be replaced, so the service stacks are re-created', () => {
    const after = configWith({ ...OWNER, container: { port: 3000 } });
    const steps = plan(after, { stacks: liveFrom(before), running: { 'service-rolling': RUNNING } });
    expect(deletes(steps)).to.deep.equal(['service-canary', 'service-bluegreen', 'service-rolling']);
    const reasons = steps.flatMap((s) => (s.kind === 'delete-stack' ? s.reasons : []));
    expect(reasons).to.include(
      'ecs-playground-dev-service-bluegreen: BlueTargetGroup (AWS::ElasticLoadBalancingV2::TargetGroup named "ecs-playground-dev-blue") would be replaced (Port changes from 8080 to 3000), and CloudFormation cannot replace a resource with a custom name',
    );
    expect(reasons).to.include(
      'ecs-playground-dev-service-rolling: RollingTargetGroup (AWS::ElasticLoadBalancingV2::TargetGroup named "ecs-playground-dev-rolling") would be replaced (Port changes from 8080 to 3000), and CloudFormation cannot replace a resource with a custom name',
    );
    expect(reasons).to.include(
      'ecs-playground-dev-service-canary: CanaryTargetGroupB (AWS::ElasticLoadBalancingV2::TargetGroup named "ecs-playground-dev-cnry-b") would be replaced (Port changes from 8080 to 3000), and CloudFormation cannot replace a resource with a custom name',
    );
  });

  it('changing the VPC CIDR: the VPC is replaced, its VpcId export changes, the importers are re-created', () => {
    const after = configWith({
      ...OWNER,
      network: {
        vpcCidr: '10.1.0.0/16',
        publicSubnetCidrs: ['10.1.0.0/24', '10.1.1.0/24'],
        privateSubnetCidrs: ['10.1.10.0/24', '10.1.11.0/24'],
      },
    });
    const steps = plan(after, { stacks: liveFrom(before) });
    expect(deletes(steps)).to.deep.equal(['service-canary', 'service-bluegreen', 'service-rolling']);
  });

  it('stops, with what to do, when a stack that holds data would have to be re-created', () => {
    const stacks = liveFrom(before);
    const registry = structuredClone(stacks.registry!.template!);
    const repository = Object.values(registry.Resources!)[0];
    repository.Properties = { ...repository.Properties, RepositoryName: 'old-name' };
    stacks.registry = { ...stacks.registry!, template: registry };
    expect(() => plan(before, { stacks })).to.throw(
      PlanError,
      /^nothing was changed: CloudFormation cannot apply this config to the live stacks in place: ecs-playground-dev-registry: Repository .* would be replaced \(RepositoryName changes from "old-name" to "ecs-playground-dev"\).*That needs ecs-playground-dev-registry, ecs-playground-dev-cluster, ecs-playground-dev-pipelines deleted first, with what they hold: revert the config change, or run `npm run destroy -- --stage dev` and then `npm run deploy`$/,
    );
  });

  it('adding a certificate to live blue/green and canary stacks: their production routes change, so they are re-created', () => {
    const after = configWith({ ...OWNER, loadBalancer: { certificateArn: CERT } });
    const steps = plan(after, { stacks: liveFrom(before) });
    expect(deletes(steps)).to.deep.equal(['service-canary', 'service-bluegreen']);
    const reasons = steps.flatMap((s) => (s.kind === 'delete-stack' ? s.reasons : []));
    expect(reasons).to.deep.equal([
      // ECS re-weights the production rule, which would move to the new HTTPS listener (a new rule).
      'ecs-playground-dev-service-canary: its production listeners or rule would change, and after a deployment ECS has weighted the rule to the live target group, which the template does not know: an in-place update could send users to the empty one',
      'ecs-playground-dev-service-bluegreen: its production listeners would change, and after a deployment CodeDeploy has pointed them at the live target group, which the template does not know: an in-place update could send users to the empty one',
    ]);
    // The rolling service's listeners are its own: updated in place.
    expect(step(steps, 'service-rolling').notes).to.deep.equal([]);
  });

  it('leaves alone the service stack of a strategy app.strategies no longer names, and stops when it imports what a change replaces', () => {
    const noCanary = { ...OWNER, app: { strategies: ['rolling', 'bluegreen'] } };
    // The canary stack an earlier deploy left: not deployed, not re-created, its status not judged.
    const stacks = liveFrom(before);
    stacks['service-canary'] = { ...stacks['service-canary']!, status: 'UPDATE_ROLLBACK_FAILED' };
    const steps = plan(configWith(noCanary), { stacks });
    expect(steps.filter((s) => 'stack' in s && s.stack === 'service-canary')).to.deep.equal([]);
    expect(() =>
      plan(configWith({ ...noCanary, network: { natGateways: true } }), { stacks: liveFrom(before) }),
    ).to.throw(
      PlanError,
      /^nothing was changed: ecs-playground-dev-service-canary, left by a strategy app\.strategies no longer names, imports what this config changes \(ecs-playground-dev-network: its export ecs-playground-dev-network:TaskSubnetIds would change.*\): delete it first \(`aws cloudformation delete-stack --region us-west-2 --stack-name ecs-playground-dev-service-canary`\), or put its strategy back in app\.strategies so that the deploy re-creates it, then re-run$/,
    );
  });

  for (const [from, to] of [
    ['header-token', 'open'],
    ['open', 'header-token'],
  ] as const) {
    it(`switching loadBalancer.testListenerAccess ${from} → ${to} on a live blue/green stack: in place, said in the plan`, () => {
      const live = configWith({ ...OWNER, loadBalancer: { testListenerAccess: from } });
      const next = configWith({ ...OWNER, loadBalancer: { testListenerAccess: to } });
      const steps = plan(next, { stacks: liveFrom(live) });
      expect(deletes(steps)).to.deep.equal([]);
      const blueGreen = step(steps, 'service-bluegreen');
      expect(blueGreen.skip).to.equal(undefined);
      expect(blueGreen.notes).to.deep.equal([
        `switches loadBalancer.testListenerAccess from '${from}' to '${to}' in place (the test listener's routes change; ` +
          'CodeDeploy points the test route at the new task set at every deployment, whichever target group it starts on)',
      ]);
    });
  }
});

describe('CodeBuild quota preflight', () => {
  const config = configWith(OWNER);
  const quota = (value: number) =>
    ({
      kind: 'found',
      name: 'Concurrently running builds for Linux/Small environment',
      code: 'L-9D07B6EF',
      value,
    }) as const;

  it('stops before creating anything when the account may run no build at all', () => {
    expect(() => plan(config, { buildQuota: quota(0) })).to.throw(
      PlanError,
      'nothing was changed: this account may run 0 CodeBuild builds at once ("Concurrently running builds for Linux/Small environment"), so no pipeline could build. ' +
        "Ask for 3 (one build per pipeline, so every pipeline deploys when the gate's build ends; 1 is enough to deploy, one build after the other) with `aws service-quotas request-service-quota-increase --region us-west-2 --service-code codebuild --quota-code L-9D07B6EF --desired-value 3` " +
        '(or in the Service Quotas console: AWS CodeBuild), wait until it is granted, then re-run',
    );
  });

  it('warns that builds queue with a quota below the pipelines, and by how much, and says nothing with one build per pipeline', () => {
    // The short path of a build that finds the image: BUILD_PHASES without the gate's phases.
    const short = reuseBuildSeconds();
    expect(planWarnings(config, { buildQuota: quota(1) })).to.deep.equal([
      'CodeBuild runs 1 build at once here ("Concurrently running builds for Linux/Small environment"): of the 3 pipelines\' builds of each push, the others queue; ' +
        `one runs the gate, the queued ones then find its image and take the short path, so the last pipeline deploys ≈ ${2 * short} s later. ` +
        'For every pipeline at once: aws service-quotas request-service-quota-increase --region us-west-2 --service-code codebuild --quota-code L-9D07B6EF --desired-value 3',
    ]);
    expect(planWarnings(config, { buildQuota: quota(3) })).to.deep.equal([]);
    expect(planWarnings(config, { buildQuota: quota(2) })[0]).to.include(`deploys ≈ ${short} s later`);
    expect(plan(config, { buildQuota: quota(1) })).to.have.length(12);
    // A pipeline per strategy in app.strategies.
    const two = configWith({ ...OWNER, app: { strategies: ['rolling', 'canary'] } });
    expect(planWarnings(two, { buildQuota: quota(2) })).to.deep.equal([]);
  });
});
