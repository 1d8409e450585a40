import { expect } from 'chai';
import { CHECK_TOLERANCE, failureCheck } from '../../scripts/rehearse/check';
import type { StrategyRun } from '../../scripts/rehearse/strategy';
import { failurePath, ROLLBACK_PHASES, STATED_SECONDS } from '../../scripts/timeline/failures';
import { configWith } from '../support/config';

const SPEED = 50;
const config = configWith();

/** A rolling crash rehearsed: tasks that take 200 ms to crash, stopped at `detectedS` real seconds. */
function mockRun(detectedS: number, by: 'circuit breaker' | 'alarm' = 'circuit breaker'): StrategyRun {
  return {
    strategy: 'rolling',
    result: { outcome: 'rolled-back', stoppedBy: { by, reason: 'test' }, notes: [] },
    samples: [],
    phases: [
      { name: 'new tasks start', start: 0, end: 0.2, awsSeconds: 10 },
      {
        name: ROLLBACK_PHASES.rolling,
        start: detectedS,
        end: detectedS + 0.05,
        awsSeconds: 3,
      },
    ],
    deployedAt: 0,
    startedAt: 0,
    endedAt: 10_000,
    events: [],
    newTaskLaunchesMs: [200, 200, 200, 200],
  };
}

describe('the rehearsal checks the failure model (scripts/rehearse/check.ts)', () => {
  it("predicts with the rehearsal's measured task start and no deploy action, all else as plan", () => {
    const check = failureCheck(config, mockRun(0.4), 'crash', SPEED)!;
    // 200 ms real at ×50: a 10 s task start; 2 rounds of 2 tasks to the threshold of 3.
    // The rollback phase measured 3 AWS s: in place of the stated 5 s re-route.
    expect(check.stated).to.deep.equal({ ...STATED_SECONDS, deployAction: 0, taskStart: 10, reroute: 3 });
    const plan = failurePath(config, 'rolling', 'crash');
    const detected = plan.detectedAt! - STATED_SECONDS.deployAction - 2 * (STATED_SECONDS.taskStart - 10);
    expect(check.figures.map((f) => [f.figure, f.predicted])).to.deep.equal([
      ['detected', detected],
      ['rolled back', detected + 3],
    ]);
  });

  it('agrees when the measured detection is within the tolerance, with the same detector', () => {
    const check = failureCheck(config, mockRun(0.4), 'crash', SPEED)!;
    expect(check.figures[0]).to.include({ figure: 'detected', measured: 20, predicted: 20, within: true });
    // 2 s real × 50 + one 10 s interval + 15 % of 20 s.
    expect(check.figures[0].tolerance.late).to.equal(
      (CHECK_TOLERANCE.schedulingMs / 1000) * SPEED + 10 + CHECK_TOLERANCE.relative * 20,
    );
    expect(check.agrees).to.equal(true);
  });

  it('fails when the measured detection is later than the tolerance allows', () => {
    const check = failureCheck(config, mockRun(4), 'crash', SPEED)!;
    expect(check.figures[0]).to.include({ measured: 200, predicted: 20, within: false });
    expect(check.agrees).to.equal(false);
  });

  it('fails when another mechanism stopped the release than the model predicts', () => {
    const check = failureCheck(config, mockRun(0.4, 'alarm'), 'crash', SPEED)!;
    expect(check.detector).to.deep.equal({ measured: 'alarm', predicted: 'circuit breaker', same: false });
    expect(check.agrees).to.equal(false);
  });

  it('has nothing to check for a good release', () => {
    expect(failureCheck(config, mockRun(0.4), 'good', SPEED)).to.equal(null);
  });
});
