/**
 * Traffic weight over time (scripts/timeline/weights.ts): the steps come from the release timeline's
 * milestones and each strategy's first share; docs/concepts.md's charts are these, sampled
 * (test/cloudformation/reference.test.ts keeps the committed block equal to the render).
 */
import { expect } from 'chai';
import { BLUE_GREEN, ECS_CANARY, ROLLING } from '../../scripts/timeline/strategies';
import { releaseTimeline } from '../../scripts/timeline/timeline';
import { CHART_STEP_SECONDS, trafficWeights, weightAt, weightChart } from '../../scripts/timeline/weights';
import { configWith } from '../support/config';

const steps = (overrides: unknown, strategy = BLUE_GREEN) => {
  const config = configWith(overrides);
  return trafficWeights(releaseTimeline(config, strategy), config).map((s) => [
    s.afterBuild,
    s.percent,
    s.milestone,
  ]);
};

describe('traffic weight over time', () => {
  it('steps blue/green from 0 to the canary share when the hook passes, then to 100 %', () => {
    // Defaults: 15 s action + 40 s start + 20 s health checks + 150 s hook = 225 s; a 5 min canary;
    // 5 min termination wait and 30 s draining.
    expect(steps({})).to.deep.equal([
      [0, 0, 'build done'],
      [225, 10, 'first users'],
      [525, 100, 'all users'],
      [855, 100, 'done'],
    ]);
    expect(steps({ blueGreen: { deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce' } })).to.deep.equal([
      [0, 0, 'build done'],
      [225, 100, 'all users'],
      [555, 100, 'done'],
    ]);
  });

  it("follows the ECS canary's percent and bake, after the hook's invocations", () => {
    const canary = steps({ ecsCanary: { canaryPercent: 50, canaryBakeMinutes: 2 } }, ECS_CANARY);
    // 75 s to healthy tasks + the hook (150 s of probing and four 10 s callback delays) = 265 s.
    expect(canary.slice(1, 3)).to.deep.equal([
      [265, 50, 'first users'],
      [385, 100, 'all users'],
    ]);
  });

  it('moves rolling in one step per round: all at once with room for every new task, half by half without', () => {
    expect(steps({}, ROLLING)).to.deep.equal([
      [0, 0, 'build done'],
      [75, 100, 'all users'],
      [105, 100, 'done'],
    ]);
    const tworounds = steps({ service: { desiredCount: 4, maximumPercent: 150 } }, ROLLING);
    expect(tworounds.map(([, p, m]) => [p, m])).to.deep.equal([
      [0, 'build done'],
      [50, 'first users'],
      [100, 'all users'],
      [100, 'done'],
    ]);
  });

  it('charts the weight at every 15 s until just after the release is done', () => {
    const config = configWith({});
    const timeline = releaseTimeline(config, BLUE_GREEN);
    const weights = trafficWeights(timeline, config);
    const chart = weightChart(timeline, config);
    const labels = JSON.parse(`[${/x-axis "[^"]+" \[(.*)\]$/.exec(chart[3])![1]}]`) as string[];
    const values = JSON.parse(/line (\[.*\])$/.exec(chart[5])![1]) as number[];
    expect(labels).to.have.length(values.length);
    expect(labels.slice(0, 3)).to.deep.equal(['0:00', '0:15', '0:30']);
    expect(values).to.deep.equal(labels.map((_, i) => weightAt(weights, i * CHART_STEP_SECONDS)));
    expect((values.length - 1) * CHART_STEP_SECONDS).to.be.at.least(weights.at(-1)!.afterBuild);
    expect(chart[0]).to.equal('```mermaid');
    expect(chart[1]).to.equal('xychart-beta');
  });
});
