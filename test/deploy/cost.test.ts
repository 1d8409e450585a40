import { expect } from 'chai';
import {
  BUILD_PHASES,
  buildMinutes,
  buildSeconds,
  buildTimeTable,
  perDeployCost,
} from '../../scripts/deploy/cost';
import { configWith } from '../support/config';

describe('build-duration model', () => {
  it('adds up the phases of the buildspec, each with where its figure comes from', () => {
    expect(BUILD_PHASES.map((p) => p.phase)).to.deep.equal([
      'provisioning and source download',
      'install: pip install cfn-lint',
      'npm ci',
      'npm test (typecheck, lint, lint:cfn, mocha)',
      'docker build: base image pull, npm ci again inside the image, bundle, code cache, layers',
      'docker push of the new layers (~50 MB the first time)',
      'render:artifacts and artifact upload',
    ]);
    for (const p of BUILD_PHASES) expect(p.basis, p.phase).to.match(/^(measured|stated|model):? /);
    expect(buildSeconds()).to.equal(BUILD_PHASES.reduce((s, p) => s + p.seconds, 0));
    expect(buildMinutes()).to.equal(Math.ceil(buildSeconds() / 60));
    expect(buildTimeTable().at(-1)).to.equal(
      `| **One build** | **${buildSeconds()}** | ≈ ${(buildSeconds() / 60).toFixed(1)} min, billed as ${buildMinutes()} |`,
    );
  });

  it('prices two builds per push from the model, not from a guess', () => {
    const [codebuild] = perDeployCost(configWith());
    expect(codebuild.arithmetic).to.equal(`2 × ${buildMinutes()} min × $0.005`);
    expect(codebuild.usd).to.be.closeTo(2 * buildMinutes() * 0.005, 1e-9);
  });
});
