/**
 * ECS's way of running a lifecycle hook, as the rehearsal emulates it: IN_PROGRESS is invoked again
 * after its callBackDelay (compressed by the speed) with the hookDetails it returned; SUCCEEDED goes
 * on; FAILED stops the deployment with the hook's reasons. A recording clock: no real waiting.
 */
import { expect } from 'chai';
import type { Clock } from '../../scripts/rehearse/clock';
import { runEcsHook } from '../../scripts/rehearse/control/ecs-hook';
import type { HookInvocation } from '../../scripts/rehearse/hook';

function recording(answers: HookInvocation[], speed = 10) {
  const events: Record<string, unknown>[] = [];
  const slept: number[] = [];
  const lines: string[] = [];
  const clock: Clock = {
    speed,
    now: () => 0,
    sleepMs: async (ms) => {
      slept.push(ms);
    },
  };
  const deps = {
    clock,
    event: (line: string) => lines.push(line),
    invokeHook: async (event: Record<string, unknown>) => {
      events.push(event);
      return answers.shift()!;
    },
  };
  return { deps, events, slept, lines };
}

const payload = (n: number) => ({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', executionId: `e-${n}` });

describe('rehearsal: ECS lifecycle hook protocol (hookStatus, callBackDelay, hookDetails)', () => {
  it('invokes again after callBackDelay ÷ speed with the hookDetails it returned, until SUCCEEDED', async () => {
    const r = recording([
      {
        result: {
          hookStatus: 'IN_PROGRESS',
          callBackDelay: 10,
          hookDetails: { probeProgress: { passedRounds: 4 } },
        },
        logs: [],
      },
      {
        result: { hookStatus: 'IN_PROGRESS', hookDetails: { probeProgress: { passedRounds: 8 } } },
        logs: [],
      },
      { result: { hookStatus: 'SUCCEEDED' }, logs: [] },
    ]);
    expect(await runEcsHook('POST_TEST_TRAFFIC_SHIFT', payload, r.deps)).to.equal(undefined);
    expect(r.events.map((e) => e.executionId)).to.deep.equal(['e-1', 'e-2', 'e-3']);
    expect(r.events[0]).not.to.have.property('hookDetails');
    expect(r.events[1].hookDetails).to.deep.equal({ probeProgress: { passedRounds: 4 } });
    expect(r.events[2].hookDetails).to.deep.equal({ probeProgress: { passedRounds: 8 } });
    // 10 s as asked, then ECS's default of 30 s when the answer sets none; both at ×10.
    expect(r.slept).to.deep.equal([1000, 3000]);
  });

  it('stops the deployment on FAILED, with the reasons of the hook’s verdict line', async () => {
    const r = recording([
      {
        result: { hookStatus: 'FAILED' },
        logs: [{ msg: 'ECS lifecycle hook verdict', reasons: ['probe 1: version "x", expected "y"'] }],
      },
    ]);
    expect(await runEcsHook('POST_TEST_TRAFFIC_SHIFT', payload, r.deps)).to.deep.equal({
      by: 'hook',
      reason: 'POST_TEST_TRAFFIC_SHIFT hook answered FAILED: probe 1: version "x", expected "y"',
    });
  });

  it('stops the deployment when the hook gives no valid answer at all', async () => {
    const r = recording([{ error: 'the hook ended without an answer', logs: [] }]);
    expect(await runEcsHook('POST_TEST_TRAFFIC_SHIFT', payload, r.deps)).to.deep.equal({
      by: 'hook',
      reason: 'POST_TEST_TRAFFIC_SHIFT hook answered nothing: the hook ended without an answer',
    });
  });
});
