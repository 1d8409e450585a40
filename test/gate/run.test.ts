import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { GATE_JOBS, type GateIo, gate } from '../../scripts/gate/run';
import { SHARED_HOOK_PACKAGE_ENV } from '../../scripts/lint/sls-package';

/** A gate whose jobs answer from `outputs` (exit 0 unless `codes` says), on a logical clock. */
function fakeIo(codes: Record<string, number> = {}, hookCode = 0) {
  const out: string[] = [];
  const statuses: (string | undefined)[] = [];
  const runs: { script: string; env: NodeJS.ProcessEnv; at: number }[] = [];
  let clock = 0;
  const io: GateIo = {
    out: (line) => out.push(...line.split('\n')),
    run: async (script, env) => {
      runs.push({ script, env, at: clock });
      await new Promise((resolve) => setImmediate(resolve));
      clock += 1000;
      return {
        code: codes[script] ?? 0,
        output: `${script} says hi\n${script === 'test:unit' ? '\n3 passed, 0 failed\n' : ''}`,
      };
    },
    packageHook: async () => {
      return { code: hookCode, output: hookCode ? 'Error: serverless exploded' : '' };
    },
    now: () => clock,
    every: () => () => {},
    status: (text) => statuses.push(text),
  };
  return { io, out, runs, statuses };
}

describe('npm test (the gate)', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'gate-test-'));

  it('starts every job at once, hands them the one hook package, and ends with the tests’ closing line', async () => {
    const { io, out, runs } = fakeIo();
    const packageDir = dir();
    expect(await gate(GATE_JOBS, io, packageDir)).to.equal(0);
    expect(runs.map((r) => r.script)).to.deep.equal(['typecheck', 'lint', 'lint:cfn', 'test:unit']);
    // Side by side: every job started before any ended (the clock moves only when a job ends).
    expect(runs.map((r) => r.at)).to.deep.equal([0, 0, 0, 0]);
    for (const r of runs) expect(r.env).to.deep.equal({ [SHARED_HOOK_PACKAGE_ENV]: packageDir });
    expect(out[0]).to.equal(
      'gate: typecheck, lint, lint:cfn, tests side by side; the hook packaged once (HOOK_PACKAGE_DIR)',
    );
    expect(out).to.include('── lint:cfn (npm run lint:cfn) ──');
    expect(out.at(-2)).to.match(/^gate: passed in \d+\.\d s/);
    expect(out.at(-1)).to.equal('3 passed, 0 failed');
  });

  it('keeps a status line of the jobs still running, and clears it at the end', async () => {
    const { io, statuses } = fakeIo();
    await gate(GATE_JOBS, io, dir());
    expect(statuses.slice(0, 4)).to.deep.equal([
      'gate: typecheck',
      'gate: typecheck, lint',
      'gate: typecheck, lint, lint:cfn',
      'gate: typecheck, lint, lint:cfn, tests',
    ]);
    expect(statuses.at(-2)).to.equal(undefined);
    expect(statuses.at(-1)).to.equal(undefined);
  });

  it('fails when any job fails, naming it, and still prints every job’s output', async () => {
    const { io, out } = fakeIo({ lint: 1 });
    expect(await gate(GATE_JOBS, io, dir())).to.equal(1);
    expect(out.filter((l) => l.startsWith('gate: lint '))).to.deep.equal([
      'gate: lint FAILED (exit 1) in 2.0 s',
    ]);
    expect(out.at(-2)).to.match(/^gate: FAILED: lint in /);
    for (const job of GATE_JOBS) expect(out).to.include(`${job.script} says hi`);
  });

  it('fails, with what Serverless printed, when the hook cannot be packaged', async () => {
    const { io, out } = fakeIo({}, 1);
    expect(await gate(GATE_JOBS, io, dir())).to.equal(1);
    expect(out).to.include('Error: serverless exploded');
    expect(out.at(-2)).to.match(/^gate: FAILED: hook package in /);
  });
});
