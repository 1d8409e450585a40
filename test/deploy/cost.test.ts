import { expect } from 'chai';
import {
  BUILD_PHASES,
  buildMinutes,
  buildSeconds,
  buildTimeTable,
  perDeployCost,
} from '../../scripts/deploy/cost';
import { reuseBuildSeconds } from '../../scripts/timeline/build';
import { configWith } from '../support/config';

describe('build-duration model', () => {
  it('adds up the phases of the buildspec, each with where its figure comes from', () => {
    expect(BUILD_PHASES.map((p) => [p.phase, p.gate ?? false])).to.deep.equal([
      ['provisioning and source download', false],
      ['install: pip install cfn-lint', false],
      ['npm ci', false],
      ['npm test (typecheck, lint, lint:cfn and mocha side by side)', true],
      [
        'docker buildx: BuildKit builder, base image, the cached layers of every stage (the npm ci layer), bundle, code cache',
        true,
      ],
      ['push: the image and the cache of every stage (only new layers)', true],
      ['render:artifacts and artifact upload', false],
    ]);
    for (const p of BUILD_PHASES) expect(p.basis, p.phase).to.match(/^(measured|stated|model):? /);
    expect(buildSeconds()).to.equal(BUILD_PHASES.reduce((s, p) => s + p.seconds, 0));
    expect(buildMinutes()).to.equal(Math.ceil(buildSeconds() / 60));
    expect(buildTimeTable().at(-1)).to.equal(
      `| **One build** | **${buildSeconds()}** | ≈ ${(buildSeconds() / 60).toFixed(1)} min, billed as ${buildMinutes()}; a build that finds the image: ${reuseBuildSeconds()} s |`,
    );
    expect(reuseBuildSeconds()).to.equal(
      BUILD_PHASES.filter((p) => !p.gate).reduce((s, p) => s + p.seconds, 0),
    );
  });

  it('prices one build per pipeline from the model, not from a guess (the waiting builds are billed too)', () => {
    const [codebuild, actions] = perDeployCost(configWith());
    expect(codebuild.arithmetic).to.equal(`2 × ${buildMinutes()} min × $0.005`);
    expect(codebuild.usd).to.be.closeTo(2 * buildMinutes() * 0.005, 1e-9);
    // Source (20 s → 1 min) + build + the deploy phases of each strategy's timeline, rounded up.
    const b = buildMinutes();
    expect(actions.arithmetic).to.equal(`(${1 + b + 2} + ${1 + b + 15}) min × $0.002`);
  });

  it("prices each strategy's extra tasks for as long as its timeline runs them", () => {
    const [, , rolling, blueGreen] = perDeployCost(configWith());
    expect(rolling.item).to.equal(
      'ECS rolling update: 2 extra tasks beside the old ones for ≈ 2 min (release timeline: `npm run plan`)',
    );
    expect(blueGreen.item).to.equal(
      'CodeDeploy blue/green: 2 extra tasks beside the old ones for ≈ 14 min (release timeline: `npm run plan`)',
    );
    const longer = perDeployCost(configWith({ blueGreen: { blueTerminationWaitMinutes: 30 } }))[3];
    expect(longer.item).to.include('for ≈ 39 min');
  });
});
