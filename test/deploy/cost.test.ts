import { expect } from 'chai';
import { canaryMinutes, monthlyCost, perDeployCost, total } from '../../scripts/deploy/cost';
import { renderedTemplates } from '../../scripts/deploy/docs';
import { configWith } from '../cloudformation/helpers';

/** The cost tables of a config, as item → USD, with the alarms its own templates define. */
function costs(strategies: string[]) {
  const config = configWith({ app: { strategies } });
  const { alarmCount } = renderedTemplates(config);
  return { config, alarmCount, month: monthlyCost(config, alarmCount), push: perDeployCost(config) };
}

describe('cost model (scripts/deploy/cost.ts)', () => {
  it('counts three services, three ALBs and three builds per push by default, with a line for the ECS canary', () => {
    const { month, push, alarmCount } = costs(['rolling', 'bluegreen', 'canary']);
    expect(alarmCount).to.equal(3 + 5 + 5);
    expect(month[0]?.item).to.equal(
      'Fargate: 6 tasks (2 per service: rolling, blue/green, ECS canary) of 0.25 vCPU / 0.5 GB, X86_64',
    );
    expect(month[1]).to.deep.include({
      item: '3 Application Load Balancers',
      arithmetic: '3 × 730 h × $0.0225',
    });
    expect(push.map((l) => l.item)).to.deep.equal([
      'CodeBuild: 3 builds (one per pipeline) of ≈ 6 min on BUILD_GENERAL1_SMALL',
      'CodePipeline V2 action minutes (rolling + blue/green + ECS canary)',
      'Rolling: 2 extra tasks (maximumPercent 200) for ≈ 4 min',
      'Blue/green: 2 green tasks beside blue for ≈ 13 min (start 3 + traffic shifts 5 + termination wait 5)',
      'ECS canary: 2 new tasks beside the old ones for ≈ 13 min (start 3 + canary bake 5 + bake time 5)',
    ]);
    expect(push[1]?.arithmetic).to.equal('(11 + 20 + 20) min × $0.002');
  });

  it("follows the canary's bake times", () => {
    const config = configWith({
      ecsCanary: { canaryBakeMinutes: 15, bakeTimeMinutes: 10, deploymentTimeoutMinutes: 40 },
    });
    expect(canaryMinutes(config)).to.equal(3 + 15 + 10);
    expect(perDeployCost(config).at(-1)?.item).to.equal(
      'ECS canary: 2 new tasks beside the old ones for ≈ 28 min (start 3 + canary bake 15 + bake time 10)',
    );
  });

  it('drops the lines and the share of a strategy app.strategies leaves out', () => {
    const all = costs(['rolling', 'bluegreen', 'canary']);
    const two = costs(['rolling', 'bluegreen']);
    expect(two.month[0]?.item).to.equal(
      'Fargate: 4 tasks (2 per service: rolling, blue/green) of 0.25 vCPU / 0.5 GB, X86_64',
    );
    expect(two.month[1]?.item).to.equal('2 Application Load Balancers');
    expect(two.push.map((l) => l.item).join('\n')).not.to.contain('canary');
    expect(total(two.month)).to.be.below(total(all.month));
    const one = costs(['canary']);
    expect(one.month[1]?.item).to.equal('1 Application Load Balancer');
    expect(one.push.map((l) => l.item)).to.deep.equal([
      'CodeBuild: 1 build (one per pipeline) of ≈ 6 min on BUILD_GENERAL1_SMALL',
      'CodePipeline V2 action minutes (ECS canary)',
      'ECS canary: 2 new tasks beside the old ones for ≈ 13 min (start 3 + canary bake 5 + bake time 5)',
    ]);
  });
});
