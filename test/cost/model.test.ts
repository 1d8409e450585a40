import { expect } from 'chai';
import {
  BUILD_PHASES,
  buildMinutes,
  buildSeconds,
  buildTimeTable,
  reuseBuildSeconds,
} from '../../config/build-model';
import { alarmCounts } from '../../scripts/cost/alarms';
import { monthlyCost, perDeployCost, total } from '../../scripts/cost/model';
import { strategyCostTable } from '../../scripts/cost/strategy-table';
import { configWith } from '../support/config';

/** Billed minutes of one build, by the model (BUILD_PHASES). */
const B = buildMinutes();

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

  it('prices one build per pipeline of each push from the model, not from a guess (the waiting builds are billed too)', () => {
    const [codebuild, actions] = perDeployCost(configWith());
    expect(codebuild.arithmetic).to.equal(`3 × ${B} min × $0.005`);
    expect(codebuild.usd).to.be.closeTo(3 * B * 0.005, 1e-9);
    // Source (20 s → 1 min) + build + the deploy phases of each strategy's timeline, rounded up.
    expect(actions.arithmetic).to.equal(`(${1 + B + 2} + ${1 + B + 15} + ${1 + B + 15}) min × $0.002`);
    const [one] = perDeployCost(configWith({ app: { strategies: ['rolling'] } }));
    expect(one.arithmetic).to.equal(`1 × ${B} min × $0.005`);
  });
});

/** The cost tables of a config, as item → USD, with the alarms its own templates define. */
function costs(strategies: string[]) {
  const config = configWith({ app: { strategies } });
  const alarmCount = alarmCounts(config).total;
  return { config, alarmCount, month: monthlyCost(config, alarmCount), push: perDeployCost(config) };
}

const extra = (title: string, minutes: number) =>
  `${title}: 2 extra tasks beside the old ones for ≈ ${minutes} min (release timeline: \`npm run plan\`)`;

describe('cost model (scripts/cost/model.ts)', () => {
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
      `CodeBuild: 3 builds (one per pipeline; one runs the gate, the others wait for it) of ≈ ${B} min on BUILD_GENERAL1_SMALL`,
      'CodePipeline V2 action minutes (rolling + blue/green + ECS canary: source, build, deploy)',
      extra('ECS rolling update', 2),
      extra('CodeDeploy blue/green', 14),
      extra('ECS canary (built-in)', 15),
    ]);
  });

  it("prices each strategy's extra tasks for as long as its timeline runs them", () => {
    const longer = perDeployCost(configWith({ blueGreen: { blueTerminationWaitMinutes: 30 } }))[3];
    expect(longer.item).to.equal(extra('CodeDeploy blue/green', 39));
    // The canary's bake times: 10 and 5 minutes more.
    const config = configWith({
      ecsCanary: { canaryBakeMinutes: 15, bakeTimeMinutes: 10 },
    });
    expect(perDeployCost(config).at(-1)?.item).to.equal(extra('ECS canary (built-in)', 30));
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
      `CodeBuild: 1 build (it runs the gate) of ≈ ${B} min on BUILD_GENERAL1_SMALL`,
      'CodePipeline V2 action minutes (ECS canary: source, build, deploy)',
      extra('ECS canary (built-in)', 15),
    ]);
  });
});

describe("README's figures per strategy (scripts/cost/strategy-table.ts)", () => {
  it('gives each strategy its share of a push and a month: the shares add up to the totals', () => {
    const { config, alarmCount, month, push } = costs(['rolling', 'bluegreen', 'canary']);
    const alarms = { rolling: 3, bluegreen: 5, canary: 5 } as const;
    const table = strategyCostTable(config, alarmCount, (s) => alarms[s]);
    expect(table.slice(0, 2)).to.deep.equal([
      '| | Rolling | Blue/green | ECS canary |',
      '| --- | --- | --- | --- |',
    ]);
    const cells = (row: string) =>
      row
        .split(' | ')
        .slice(1)
        .map((c) => Number(c.replace(/[$ |]/g, '')));
    const [pushes, months] = [cells(table[2]), cells(table[3])];
    expect(pushes.reduce((a, b) => a + b, 0)).to.be.closeTo(total(push), 0.002);
    // Logs and ECR are shared: no strategy's share.
    const shared = total(month.filter((l) => /^(Logs|ECR)/.test(l.item)));
    expect(months.reduce((a, b) => a + b, 0) + shared).to.be.closeTo(total(month), 0.02);
    // One strategy: its whole push, and a column of its own.
    const one = costs(['canary']);
    const single = strategyCostTable(one.config, one.alarmCount, () => one.alarmCount);
    expect(single[0]).to.equal('| | ECS canary |');
    expect(cells(single[2])[0]).to.be.closeTo(total(one.push), 0.001);
  });
});
