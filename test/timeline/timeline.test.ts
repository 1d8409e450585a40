import { expect } from 'chai';
import { buildSeconds } from '../../config/build-model';
import {
  BLUE_GREEN,
  ECS_CANARY,
  RELEASE_STRATEGIES,
  type ReleaseStrategy,
  ROLLING,
  rollingRounds,
  trafficShift,
} from '../../scripts/timeline/strategies';
import {
  deploySeconds,
  duration,
  extraTaskSeconds,
  releaseTimeline,
  releaseTimelines,
  secondsToMilestone,
  type Timeline,
} from '../../scripts/timeline/timeline';
import { configWith } from '../support/config';

const reached = (t: Timeline, m: 'first users' | 'all users' | 'done') => secondsToMilestone(t.milestones, m);
const afterWithDefaults = (t: Timeline, m: 'first users' | 'all users' | 'done') =>
  secondsToMilestone(t.awsDefaultMilestones, m);
const phase = (t: Timeline, name: string) => {
  const found = t.phases.find((p) => p.name.includes(name));
  if (!found) throw new Error(`no phase "${name}" in ${t.strategy.id}`);
  return found;
};

describe('release timeline', () => {
  const rolling = releaseTimeline(configWith(), ROLLING);
  const blueGreen = releaseTimeline(configWith(), BLUE_GREEN);

  it('puts the rolling release at 100 % of users within 3 minutes after the build by default', () => {
    // deploy action 15 s + task start 40 s + health checks 10 s × 2.
    expect(reached(rolling, 'all users')).to.equal(75);
    expect(reached(rolling, 'all users')).to.be.at.most(180);
    // + draining 30 s.
    expect(reached(rolling, 'done')).to.equal(105);
  });

  it('starts the blue/green canary within 7 minutes after the build by default, the hook counted at its budget', () => {
    // 15 + 40 + 20 + the hook's 150 s budget.
    expect(reached(blueGreen, 'first users')).to.equal(225);
    expect(reached(blueGreen, 'first users')).to.be.at.most(420);
    // + the 5-minute canary; + blue kept 5 minutes and drained 30 s.
    expect(reached(blueGreen, 'all users')).to.equal(525);
    expect(reached(blueGreen, 'done')).to.equal(855);
    // With a healthy green's hook (~2 s) instead of the whole budget: 148 s sooner.
    expect(blueGreen.milestones.find((m) => m.milestone === 'all users')?.typicalAfterBuild).to.equal(377);
  });

  it('shows the same phases under AWS defaults: 30 s × 5 health checks, 300 s draining, a 60-minute blue wait', () => {
    expect(phase(rolling, 'health checks').awsDefault).to.deep.equal({ seconds: 150, setting: '30 s × 5' });
    expect(phase(rolling, 'drain').awsDefault).to.deep.equal({ seconds: 300, setting: '300 s' });
    expect(phase(blueGreen, 'blue tasks kept').awsDefault.seconds).to.equal(3600);
    expect(afterWithDefaults(rolling, 'all users')).to.equal(15 + 40 + 150);
    expect(afterWithDefaults(rolling, 'done')).to.equal(15 + 40 + 150 + 300);
    expect(afterWithDefaults(blueGreen, 'all users')).to.equal(15 + 40 + 150 + 150 + 300);
  });

  it('names the setting behind each phase, with its value, and where each figure comes from', () => {
    expect(phase(rolling, 'health checks').setting).to.equal(
      'healthCheck.intervalSeconds × healthyThresholdCount = 10 s × 2',
    );
    expect(phase(rolling, 'drain').setting).to.equal('loadBalancer.deregistrationDelaySeconds = 30 s');
    expect(phase(blueGreen, 'hook').setting).to.equal('hook.timeBudgetSeconds = 150 s');
    expect(phase(blueGreen, 'traffic shifts').setting).to.equal(
      'blueGreen.deploymentConfig = CodeDeployDefault.ECSCanary10Percent5Minutes',
    );
    expect(phase(blueGreen, 'blue tasks kept').setting).to.equal(
      'blueGreen.blueTerminationWaitMinutes = 5 min',
    );
    for (const p of [...rolling.phases, ...blueGreen.phases])
      expect(p.basis, p.name).to.have.length.above(10);
  });

  it('takes the build from the one build model, shared by every strategy', () => {
    for (const t of releaseTimelines(configWith())) {
      expect(phase(t, 'build').seconds).to.equal(buildSeconds());
      const m = t.milestones[0];
      expect(m.afterPush - m.afterBuild).to.equal(20 + buildSeconds());
    }
  });

  it('grows the blue/green line by 10 minutes with CodeDeployDefault.ECSCanary10Percent15Minutes', () => {
    const longer = releaseTimeline(
      configWith({ blueGreen: { deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent15Minutes' } }),
      BLUE_GREEN,
    );
    expect(reached(longer, 'first users')).to.equal(reached(blueGreen, 'first users'));
    expect(reached(longer, 'all users')).to.equal((reached(blueGreen, 'all users') ?? 0) + 600);
    expect(reached(longer, 'done')).to.equal((reached(blueGreen, 'done') ?? 0) + 600);
  });

  it('follows every setting that drives a phase', () => {
    const t = (overrides: object, strategy: ReleaseStrategy = ROLLING) =>
      releaseTimeline(configWith(overrides), strategy);
    expect(
      reached(t({ healthCheck: { intervalSeconds: 30, healthyThresholdCount: 3 } }), 'all users'),
    ).to.equal(15 + 40 + 90);
    expect(reached(t({ loadBalancer: { deregistrationDelaySeconds: 120 } }), 'done')).to.equal(75 + 120);
    const hook = { hook: { timeBudgetSeconds: 300 } };
    expect(reached(t(hook, BLUE_GREEN), 'first users')).to.equal(15 + 40 + 20 + 300);
    expect(reached(t({ blueGreen: { blueTerminationWaitMinutes: 30 } }, BLUE_GREEN), 'done')).to.equal(
      225 + 300 + 1800 + 30,
    );
    // Fewer tasks may start at once: more rounds, each with its start, checks and draining.
    const slow = t({ service: { desiredCount: 2, minimumHealthyPercent: 50, maximumPercent: 100 } });
    expect(
      slow.phases.filter((p) => p.name.startsWith('new tasks') && p.name.endsWith('start')),
    ).to.have.length(2);
    expect(reached(slow, 'first users')).to.equal(75);
    expect(reached(slow, 'all users')).to.equal(75 + 30 + 60);
    expect(reached(slow, 'done')).to.equal(15 + 2 * (40 + 20 + 30));
  });

  it('reads linear, all-at-once and custom deployment configurations', () => {
    expect(trafficShift(configWith())).to.deep.equal({
      firstPercent: 10,
      minutesToAll: 5,
      describe: '10 % for 5 min',
    });
    const linear = configWith({
      blueGreen: { deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes' },
    });
    expect(trafficShift(linear).minutesToAll).to.equal(27);
    const allAtOnce = releaseTimeline(
      configWith({ blueGreen: { deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce' } }),
      BLUE_GREEN,
    );
    expect(allAtOnce.phases.some((p) => p.name.startsWith('traffic shifts'))).to.equal(false);
    expect(reached(allAtOnce, 'first users')).to.equal(reached(allAtOnce, 'all users'));
    const custom = configWith({
      blueGreen: {
        deploymentConfig: {
          name: 'Canary20Percent2',
          type: 'TimeBasedCanary',
          percentage: 20,
          intervalMinutes: 2,
        },
      },
    });
    expect(trafficShift(custom)).to.deep.equal({
      firstPercent: 20,
      minutesToAll: 2,
      describe: '20 % for 2 min',
    });
  });

  it('counts the rounds of a rolling update from the service bounds', () => {
    expect(rollingRounds(2, 100, 200)).to.equal(1);
    expect(rollingRounds(3, 100, 150)).to.equal(3);
    expect(rollingRounds(2, 50, 100)).to.equal(2);
    expect(rollingRounds(4, 50, 200)).to.equal(1);
    expect(rollingRounds(1, 100, 100)).to.equal(1); // no room: one at a time, never zero
  });

  it('times the ECS canary from ecsCanary: the hook at POST_TEST_TRAFFIC_SHIFT, the canary bake, the bake time', () => {
    const canary = releaseTimeline(configWith(), ECS_CANARY);
    // 15 + 40 + 20 + the hook's 150 s budget over 5 invocations, with 4 callback delays of 10 s.
    expect(phase(canary, 'POST_TEST_TRAFFIC_SHIFT').setting).to.equal(
      'hook.timeBudgetSeconds + 4 × hook.ecsCallBackDelaySeconds = 150 s + 4 × 10 s',
    );
    expect(reached(canary, 'first users')).to.equal(15 + 40 + 20 + 190);
    // + 10 % for 5 minutes, then the rest.
    expect(reached(canary, 'all users')).to.equal(265 + 300);
    // + the old revision kept 5 minutes, then drained 30 s.
    expect(reached(canary, 'done')).to.equal(565 + 300 + 30);
    // AWS's defaults: 5 % for 10 minutes, ECS calling back after 30 s, 30 s × 5 health checks.
    expect(phase(canary, 'canary:').awsDefault).to.deep.equal({ seconds: 600, setting: '5 % for 10 min' });
    expect(afterWithDefaults(canary, 'first users')).to.equal(15 + 40 + 150 + 150 + 4 * 30);
    expect(afterWithDefaults(canary, 'all users')).to.equal(475 + 600);
    expect(extraTaskSeconds(canary)).to.equal(deploySeconds(canary) - 15);
    expect(canary.milestones.find((m) => m.milestone === 'all users')?.typicalAfterBuild).to.equal(
      15 + 40 + 20 + 2 + 300,
    );
  });

  it('follows the ECS canary settings: bake times, percent, the hook slices', () => {
    const t = (ecsCanary: object, hook: object = {}) =>
      releaseTimeline(configWith({ ecsCanary, hook }), ECS_CANARY);
    const base = releaseTimeline(configWith(), ECS_CANARY);
    const longer = t({ canaryBakeMinutes: 15, bakeTimeMinutes: 10 });
    expect(reached(longer, 'all users')).to.equal((reached(base, 'all users') ?? 0) + 600);
    expect(reached(longer, 'done')).to.equal((reached(base, 'done') ?? 0) + 900);
    expect(phase(longer, 'canary:').name).to.equal('canary: 10 % of production for 15 min, then the rest');
    // No canary bake: everyone moves right after the hook.
    const allAtOnce = t({ canaryBakeMinutes: 0 });
    expect(allAtOnce.phases.some((p) => p.name.startsWith('canary:'))).to.equal(false);
    expect(reached(allAtOnce, 'first users')).to.equal(reached(allAtOnce, 'all users'));
    // Longer slices: fewer callbacks.
    expect(reached(t({}, { ecsInvocationSeconds: 60 }), 'first users')).to.equal(15 + 40 + 20 + 150 + 2 * 10);
  });

  it('has a timeline for every strategy, and only for those app.strategies runs', () => {
    expect(Object.keys(RELEASE_STRATEGIES)).to.deep.equal(['rolling', 'bluegreen', 'canary']);
    expect(releaseTimelines(configWith()).map((t) => t.strategy.id)).to.deep.equal([
      'rolling',
      'bluegreen',
      'canary',
    ]);
    const two = releaseTimelines(configWith({ app: { strategies: ['canary', 'rolling'] } }));
    expect(two.map((t) => t.strategy.id)).to.deep.equal(['rolling', 'canary']);
  });

  it('writes durations as minutes and seconds', () => {
    expect([duration(45), duration(60), duration(75), duration(4555)]).to.deep.equal([
      '45 s',
      '1 min',
      '1 min 15 s',
      '75 min 55 s',
    ]);
  });
});
