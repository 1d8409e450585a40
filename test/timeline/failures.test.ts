import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CONFIG, REPO_ROOT, STRATEGY_STACKS, type StrategyId } from '../../config';
import { alarmOn, alarmsOf } from '../../scripts/timeline/alarms';
import { failureLines } from '../../scripts/timeline/failure-render';
import {
  BAD_RELEASES,
  circuitBreakerThreshold,
  failurePath,
  failurePaths,
  ROLLBACK_PHASES,
  STATED_SECONDS,
} from '../../scripts/timeline/failures';
import { RELEASE_STRATEGIES } from '../../scripts/timeline/strategies';
import { configWith } from '../support/config';

/** The alarms of a committed reference template (cloudformation/templates/, the defaults). */
function referenceAlarms(strategy: StrategyId) {
  const file = join(REPO_ROOT, 'cloudformation', 'templates', `${STRATEGY_STACKS[strategy]}.json`);
  return alarmsOf(JSON.parse(readFileSync(file, 'utf8')));
}

const detection = (strategy: StrategyId, release: (typeof BAD_RELEASES)[number], config = DEFAULT_CONFIG) => {
  const path = failurePath(config, strategy, release);
  const phase = path.phases.find((p) => p.reaches?.includes('detected'));
  if (!phase) throw new Error(`${strategy} ${release}: nothing detects it`);
  return { path, phase };
};

describe('failure paths', () => {
  it("pins the circuit breaker's threshold to AWS's formula: ⌈0.5 × desired⌉ within 3-200", () => {
    // deployment-circuit-breaker.html: 1 → 3 (below the minimum), 25 → 13 (rounded up), 400 and 800 → 200.
    expect([1, 2, 10, 500].map(circuitBreakerThreshold)).to.deep.equal([3, 3, 5, 200]);
    expect([25, 400, 800].map(circuitBreakerThreshold)).to.deep.equal([13, 200, 200]);
  });

  it('counts circuit-breaker rounds from the desired count and the rolling bounds', () => {
    // 2 tasks at once (100/200), threshold 3: 2 rounds of a 40 s task start.
    expect(detection('rolling', 'crash').phase.seconds).to.equal(80);
    expect(detection('rolling', 'crash').path.detectedAt).to.equal(95);
    // 10 tasks: threshold 5, all 10 at once: one round.
    const ten = configWith({ service: { desiredCount: 10 } });
    expect(detection('rolling', 'crash', ten).phase.setting).to.include('threshold 5 failed tasks');
    expect(detection('rolling', 'crash', ten).phase.seconds).to.equal(40);
    // 1 task at a time (maximumPercent 150 of 2): 3 rounds.
    const slow = configWith({ service: { maximumPercent: 150 } });
    expect(detection('rolling', 'crash', slow).phase.seconds).to.equal(120);
  });

  for (const strategy of ['rolling', 'bluegreen', 'canary'] as const) {
    it(`takes ${strategy}'s alarm timings from the alarms in the reference template`, () => {
      const alarms = referenceAlarms(strategy);
      const five = alarmOn(alarms, 'HTTPCode_Target_5XX_Count');
      expect(five.windowSeconds).to.equal(60);
      const { phase, path } = detection(strategy, 'alarm');
      expect(phase.seconds).to.equal(five.period * five.evaluationPeriods);
      expect(path.detectedAt! - path.usersSee!.from).to.equal(five.windowSeconds);
      if (strategy !== 'bluegreen') {
        const unhealthy = alarmOn(alarms, 'UnHealthyHostCount');
        // task start 40 s + 10 s × 3 failed checks, then the alarm's window.
        expect(detection(strategy, 'unhealthy').phase.seconds).to.equal(70 + unhealthy.windowSeconds);
      }
    });
  }

  it('follows the config through the templates (--set alarms.evaluationPeriods=3)', () => {
    const config = configWith({ alarms: { evaluationPeriods: 3 } });
    expect(detection('canary', 'alarm', config).phase.seconds).to.equal(180);
  });

  it('detects a wrong version by the hook before users see it, and says nothing catches it in a rolling update', () => {
    for (const s of ['bluegreen', 'canary'] as const) {
      const p = failurePath(DEFAULT_CONFIG, s, 'wrong-version');
      expect(p.detectedBy).to.equal('the hook');
      expect(p.usersSee).to.equal(undefined);
    }
    const rolling = failurePath(DEFAULT_CONFIG, 'rolling', 'wrong-version');
    expect(rolling.detectedBy).to.equal(undefined);
    expect(rolling.usersSee).to.deep.equal({ from: 75 });
  });

  it('stops a crashing or unhealthy green before the hook: failed green tasks or the unhealthy-hosts alarm', () => {
    const crash = failurePath(DEFAULT_CONFIG, 'bluegreen', 'crash');
    expect(crash.detector).to.equal('task failures');
    // 2 green tasks at once, threshold 3: 2 rounds of a 40 s task start, after the 15 s deploy action.
    expect(crash.detectedAt).to.equal(95);
    const unhealthy = failurePath(DEFAULT_CONFIG, 'bluegreen', 'unhealthy');
    expect(unhealthy.detector).to.equal('alarm');
    expect(unhealthy.phases.some((p) => p.name.includes('hook'))).to.equal(false);
    // Every rollback ends with the phase the rehearsal names alike, 5 s stated.
    expect(crash.phases.at(-1)!.name).to.equal(ROLLBACK_PHASES.bluegreen);
    expect(crash.rolledBackAt).to.equal(100);
  });

  it('takes the stated figures as a parameter: a rehearsal passes its own task start and hook', () => {
    const stated = { ...STATED_SECONDS, deployAction: 0, taskStart: 7, hook: 12 };
    const plan = failurePath(DEFAULT_CONFIG, 'canary', 'wrong-version');
    const rehearsal = failurePath(DEFAULT_CONFIG, 'canary', 'wrong-version', stated);
    // 15 s deploy action, 40 s start and 2 s hook stated; 7 s and 12 s measured, no deploy action.
    expect(plan.detectedAt! - rehearsal.detectedAt!).to.equal(15 + (40 - 7) + (2 - 12));
  });

  it('gives each figure under AWS defaults too', () => {
    // unhealthy: AWS's 2 × 30 s checks and 0 s grace instead of 3 × 10 s.
    const p = failurePath(DEFAULT_CONFIG, 'rolling', 'unhealthy');
    expect([p.detectedAt, p.awsDefaults.detectedAt]).to.deep.equal([145, 175]);
  });

  it('prints a failure section per strategy', () => {
    for (const s of Object.values(RELEASE_STRATEGIES)) {
      const lines = failureLines(DEFAULT_CONFIG, s);
      expect(lines[0]).to.equal(
        '  When the release is bad (after the build; with AWS defaults in brackets):',
      );
      expect(lines.filter((l) => l.startsWith('  - '))).to.have.length(BAD_RELEASES.length);
    }
    expect(failurePaths(DEFAULT_CONFIG, 'canary', 'crash')).to.have.length(1);
  });
});
