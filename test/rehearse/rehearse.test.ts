/**
 * `npm run rehearse` end to end, when haproxy is installed: each strategy × good, unhealthy,
 * wrong-version and crash at high speed, the four releases side by side. The config is not the
 * default one in every way the rehearsal must follow (desiredCount 3, canary 25 %, a header-token
 * test listener, other health-check thresholds and deregistration delay), so the outcomes also prove
 * the rehearsal reads the config through the templates. Outcomes are asserted; durations only as the
 * failure model's check (scripts/rehearse/check.ts) compares them, within its stated tolerance.
 */
import { expect } from 'chai';
import { REHEARSE_COMMAND } from '../../scripts/rehearse/cli';
import { HAPROXY_INSTALL } from '../../scripts/rehearse/haproxy';
import type { StrategyReport } from '../../scripts/rehearse/report';
import { configWith } from '../support/config';
import { needHaproxy, type Rehearsed, rehearseWith } from './support';

const CONFIG = configWith({
  service: { desiredCount: 3 },
  ecsCanary: { canaryPercent: 25, canaryBakeMinutes: 10, bakeTimeMinutes: 2 },
  blueGreen: {
    deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    blueTerminationWaitMinutes: 2,
  },
  loadBalancer: { testListenerAccess: 'header-token', deregistrationDelaySeconds: 20 },
  healthCheck: { healthyThresholdCount: 3, unhealthyThresholdCount: 2 },
});
/** Fast enough for the gate; the waits' floors keep health checks answerable on a busy machine. */
const FAST = ['--speed', '200', '--rate', '60'];
/**
 * Bad releases stop before any bake time, so a slower clock costs a few seconds, side by side with
 * the good one: at ×10 no alarm period or interval hits its floor and the check's scheduling
 * allowance (CHECK_TOLERANCE, 2 s real) stands for 20 AWS seconds, not 400.
 */
const BAD = ['--speed', '10', '--rate', '60'];
const BAD_RELEASES = ['crash', 'unhealthy', 'wrong-version'] as const;

describe('npm run rehearse (HAProxy, real tasks, the packaged hook)', function () {
  // Three rehearsals side by side, plus the hook package when no gate shares one.
  this.timeout(240_000);
  const runs = new Map<string, Rehearsed>();
  const report = (release: string, strategy: string): StrategyReport => {
    const r = runs.get(release)!.reports.find((x) => x.strategy === strategy);
    if (!r)
      throw new Error(
        `no ${strategy} report for the ${release} release: ${runs.get(release)!.err.join('\n')}`,
      );
    return r;
  };

  before(async function () {
    needHaproxy(this);
    const releases = ['good', ...BAD_RELEASES];
    const done = await Promise.all(
      releases.map((release) =>
        rehearseWith(CONFIG, [...(release === 'good' ? FAST : BAD), '--release', release]),
      ),
    );
    releases.forEach((release, i) => {
      runs.set(release, done[i]);
    });
  });

  it('exits 0 for every release and reports the three strategies', () => {
    for (const [release, r] of runs) {
      expect(r.code, `${release}: ${r.err.join('\n')}`).to.equal(0);
      expect(r.reports.map((x) => x.strategy)).to.deep.equal(['rolling', 'bluegreen', 'canary']);
    }
  });

  it('completes a good release on every strategy: the new version serves 100 %, no user request failed', () => {
    for (const strategy of ['rolling', 'bluegreen', 'canary']) {
      const r = report('good', strategy);
      expect(r, `${strategy}: ${JSON.stringify(r.failures)}`).to.include({
        outcome: 'completed',
        stoppedBy: null,
        failedRequests: 0,
        badVersionResponses: 0,
        finalVersion: 'v2',
      });
      expect(r.requests, strategy).to.be.greaterThan(50);
    }
  });

  it('runs desiredCount tasks per revision (3 here) and shifts the configured canary percent (25 % here)', () => {
    const good = runs.get('good')!.out.join('\n');
    expect(good).to.contain('started 3 new task(s), 3 of 3');
    const canary = report('good', 'canary').canaryShare!;
    expect(canary.configuredPercent).to.equal(25);
    // A few hundred answers, split evenly by HAProxy's draw: within 5 points, far from the default 10 %.
    expect(canary.measuredPercent).to.be.within(20, 30);
    expect(report('good', 'bluegreen').canaryShare!.configuredPercent).to.equal(10);
  });

  it('probes through the header-token test listener rule when testListenerAccess is header-token', () => {
    const good = runs.get('good')!.out.join('\n');
    expect(good).to.match(
      /bluegreen +BeforeAllowTraffic: hook reported Succeeded \(probed through the token rule\)/,
    );
    expect(good).to.match(/canary +POST_TEST_TRAFFIC_SHIFT: hook answered SUCCEEDED/);
  });

  it('rolls an unhealthy release back on every strategy before users see it, and names what stopped it', () => {
    for (const strategy of ['rolling', 'bluegreen', 'canary']) {
      const r = report('unhealthy', strategy);
      expect(r, `${strategy}: ${JSON.stringify(r.failures)}`).to.include({
        outcome: 'rolled-back',
        failedRequests: 0,
        badVersionResponses: 0,
        finalVersion: 'v1',
      });
      expect(['alarm', 'circuit breaker', 'task failures', 'hook']).to.include(r.stoppedBy!.mechanism);
      expect(r.stoppedBy!.reason, strategy).to.match(/unhealthy-hosts|health checks/);
    }
  });

  it('rolls a crashing release back on every strategy before users see it: the circuit breaker, or failed green tasks', () => {
    for (const strategy of ['rolling', 'bluegreen', 'canary']) {
      const r = report('crash', strategy);
      expect(r, `${strategy}: ${JSON.stringify(r.failures)}`).to.include({
        outcome: 'rolled-back',
        failedRequests: 0,
        badVersionResponses: 0,
        finalVersion: 'v1',
      });
      expect(r.stoppedBy!.mechanism).to.equal(strategy === 'bluegreen' ? 'task failures' : 'circuit breaker');
      expect(r.stoppedBy!.reason, strategy).to.contain('essential container exited');
    }
  });

  for (const release of BAD_RELEASES) {
    it(`agrees with npm run plan's failure model for a ${release} release: detector, detection and rollback within the tolerance`, () => {
      for (const strategy of ['rolling', 'bluegreen', 'canary']) {
        const check = report(release, strategy).modelCheck!;
        const figures = check.figures.map((f) => f.figure);
        expect(figures, strategy).to.deep.equal(
          release === 'wrong-version' && strategy === 'rolling'
            ? ['users first get it']
            : ['detected', 'rolled back'],
        );
        expect(check.agrees, `${strategy} ${release}: ${JSON.stringify(check)}`).to.equal(true);
      }
    });
  }

  it('catches a wrong version with the hook on blue/green and the ECS canary; rolling completes it, as AWS would', () => {
    for (const strategy of ['bluegreen', 'canary']) {
      const r = report('wrong-version', strategy);
      expect(r, `${strategy}: ${JSON.stringify(r.failures)}`).to.include({
        outcome: 'rolled-back',
        failedRequests: 0,
        badVersionResponses: 0,
        finalVersion: 'v1',
      });
      expect(r.stoppedBy!.mechanism).to.equal('hook');
      expect(r.stoppedBy!.reason).to.contain('expected "v2"');
    }
    const rolling = report('wrong-version', 'rolling');
    expect(rolling).to.include({ outcome: 'completed', failedRequests: 0, finalVersion: 'v2-wrong-commit' });
    expect(rolling.badVersionResponses).to.be.greaterThan(0);
    expect(rolling.notes.join(' ')).to.contain('no hook');
  });

  it("names each phase as npm run plan does, with the AWS time it stands for and plan's prediction", () => {
    const phases = report('good', 'bluegreen').phases.map((p) => p.name);
    expect(phases).to.include.members([
      'green tasks start',
      'green tasks pass the ALB health checks',
      'BeforeAllowTraffic: hook probes the new tasks through the test listener',
      'traffic shifts: 10 % for 5 min',
      'blue tasks kept for an instant rollback',
      'blue tasks drain',
    ]);
    const shift = report('good', 'bluegreen').phases.find((p) => p.name.startsWith('traffic shifts'))!;
    expect(shift.plannedSeconds).to.equal(300);
    // At ×200 the 5 minutes are 1.5 s of real time: standing for about 300 AWS seconds.
    expect(shift.awsSeconds).to.be.within(280, 600);
    // The version share over time, phase by phase: all users on the new version once it is all shifted.
    const kept = report('good', 'bluegreen').phases.find(
      (p) => p.name === 'blue tasks kept for an instant rollback',
    )!;
    expect(kept.newVersionPercent).to.equal(100);
    expect(report('good', 'bluegreen').phases[0].newVersionPercent).to.equal(0);
  });

  it('writes report.json in the documented shape and a chart with the failed band and the phase marks', () => {
    const r = runs.get('unhealthy')!;
    expect(r.json).to.include.keys('version', 'speed', 'rate', 'config', 'strategies');
    expect(r.reports[0]).to.have.all.keys(
      'strategy',
      'release',
      'outcome',
      'stoppedBy',
      'requests',
      'failedRequests',
      'failures',
      'badVersionResponses',
      'canaryShare',
      'finalVersion',
      'phases',
      'modelCheck',
      'notes',
    );
    expect(r.reports[0].modelCheck).to.have.all.keys('stated', 'detector', 'figures', 'agrees');
    expect(r.reports[0].modelCheck!.figures[0]).to.have.all.keys(
      'figure',
      'measured',
      'predicted',
      'tolerance',
      'within',
    );
    expect(r.svg).to.contain('<svg').and.contain('failed').and.contain('class="phase"');
  });
});

describe('npm run rehearse: usage and a machine without haproxy', () => {
  it('prints its usage with --help and exits 0', async () => {
    const r = await rehearseWith(configWith(), ['--help']);
    expect(r.code).to.equal(0);
    expect(r.out.join('\n')).to.contain(REHEARSE_COMMAND.command);
  });

  it('without haproxy on PATH prints one line saying how to install it, exit 2', async () => {
    const r = await rehearseWith(configWith(), [], { haproxy: undefined });
    expect(r.code).to.equal(2);
    expect(r.err).to.deep.equal([HAPROXY_INSTALL]);
  });

  it('refuses a bad --release with the allowed values, exit 2', async () => {
    const r = await rehearseWith(configWith(), ['--release', 'broken']);
    expect(r.code).to.equal(2);
    expect(r.err.join('\n')).to.contain(
      '--release broken: allowed: good, unhealthy, wrong-version, crash, slow-start',
    );
  });
});
