import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../../config';

/** The config's problems for these overrides, as one list (never reads playground.config.json). */
function problems(overrides: unknown): string[] {
  try {
    loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'config-')), overrides });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

describe('config: strategies and the ECS canary', () => {
  it('runs all three strategies with a 10 % / 5 min canary by default', () => {
    expect(DEFAULT_CONFIG.app.strategies).to.deep.equal(['rolling', 'bluegreen', 'canary']);
    expect(DEFAULT_CONFIG.ecsCanary).to.deep.include({
      canaryPercent: 10,
      canaryBakeMinutes: 5,
      bakeTimeMinutes: 5,
    });
    expect(problems({})).to.deep.equal([]);
  });

  it('accepts any non-empty set of strategies, each once', () => {
    expect(problems({ app: { strategies: ['canary'] } })).to.deep.equal([]);
    expect(problems({ app: { strategies: [] } })).to.deep.equal([
      'app.strategies=[]: must name at least one strategy (allowed: rolling, bluegreen, canary)',
    ]);
    expect(problems({ app: { strategies: ['rolling', 'rolling'] } })).to.deep.equal([
      'app.strategies=["rolling","rolling"]: must name each strategy once',
    ]);
    expect(problems({ app: { strategies: ['linear'] } })).to.deep.equal([
      'app.strategies.0="linear": allowed: rolling, bluegreen, canary',
    ]);
  });

  it("holds the canary to AWS's CanaryConfiguration and bake time ranges", () => {
    expect(problems({ ecsCanary: { canaryPercent: 0.05 } })).to.deep.equal([
      'ecsCanary.canaryPercent=0.05: must be a percentage from 0.1 to 100 in steps of 0.1',
    ]);
    expect(problems({ ecsCanary: { canaryPercent: 12.34 } })).to.deep.equal([
      'ecsCanary.canaryPercent=12.34: must be a percentage from 0.1 to 100 in steps of 0.1',
    ]);
    expect(problems({ ecsCanary: { canaryPercent: 12.3 } })).to.deep.equal([]);
    expect(problems({ ecsCanary: { bakeTimeMinutes: 1441 } })[0]).to.equal(
      'ecsCanary.bakeTimeMinutes=1441: must be a whole number from 0 to 1440',
    );
  });

  it("fails when a canary can take longer than the ECS deploy action's 60 minutes", () => {
    // 30 minutes of canary: 41 min at worst, within the action's 60.
    expect(problems({ ecsCanary: { canaryBakeMinutes: 30 } })).to.deep.equal([]);
    expect(problems({ ecsCanary: { canaryBakeMinutes: 60 } })).to.deep.equal([
      'ecsCanary.canaryBakeMinutes=60, ecsCanary.bakeTimeMinutes=5: a canary deployment takes up to 71 min ' +
        "(an alarm at the end of the bake time, then the rollback), beyond the ECS deploy action's 60-minute " +
        'DeploymentTimeout: shorten the bake times',
    ]);
    // Without the canary, nothing waits for it.
    expect(
      problems({ app: { strategies: ['rolling'] }, ecsCanary: { canaryBakeMinutes: 60 } }),
    ).to.deep.equal([]);
  });

  it('names the timeouts earlier versions had as derived now', () => {
    expect(
      problems({
        rolling: { deploymentTimeoutMinutes: 15 },
        ecsCanary: { deploymentTimeoutMinutes: 30 },
        build: { timeoutMinutes: 20 },
      }),
    ).to.deep.equal([
      'ecsCanary.deploymentTimeoutMinutes: no longer a setting: the timeout is derived from the release model (config/timeouts.ts; `npm run plan` prints it), remove it',
      'build.timeoutMinutes: no longer a setting: the timeout is derived from the release model (config/timeouts.ts; `npm run plan` prints it), remove it',
      'rolling: no longer a setting: the timeout is derived from the release model (config/timeouts.ts; `npm run plan` prints it), remove it (rolling.deploymentTimeoutMinutes was its only field)',
    ]);
  });

  it('fails when one ECS invocation cannot finish one request with all its tries', () => {
    expect(problems({ hook: { ecsInvocationSeconds: 5 } })).to.deep.equal([
      'hook.ecsInvocationSeconds=5: must cover one request with all its tries (7 s with hook.requestTimeoutMs and hook.connectRetries)',
    ]);
  });
});
