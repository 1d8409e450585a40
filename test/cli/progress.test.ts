import { expect } from 'chai';
import { highlight, palette } from '../../scripts/cli/color';
import { createProgress, isLive, SPINNER_FRAMES } from '../../scripts/cli/progress';
import { WaitReport } from '../../scripts/cli/wait';

/** A progress renderer writing into a string, on a clock the test moves. */
function mockProgress(isTTY: boolean, env: Record<string, string> = {}) {
  let written = '';
  let t = 0;
  const progress = createProgress(
    {
      write: (text) => {
        written += text;
      },
      isTTY,
      env,
    },
    { now: () => t, tickMs: 60_000 },
  );
  return {
    progress,
    written: () => written,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('progress on a terminal and in CI logs', () => {
  it('creates plain lines and no status line when stdout is not a terminal (CI, a pipe)', () => {
    const p = mockProgress(false);
    p.progress.status('cfn-lint (6 templates)');
    p.progress.line('ok   cfn-lint');
    p.progress.stop();
    expect(p.written()).to.equal('ok   cfn-lint\n');
    expect(p.progress.live).to.equal(false);
    expect(p.progress.palette.enabled).to.equal(false);
  });

  it('creates a live status line with a spinner and the elapsed time, redrawn under each permanent line', () => {
    const p = mockProgress(true);
    p.progress.status('sls package (hook)');
    p.advance(12_000);
    p.progress.line('ok   templates');
    p.progress.status(undefined);
    const spinner = `\x1b[36m${SPINNER_FRAMES[0]}\x1b[39m`;
    expect(p.written()).to.equal(
      [
        `\r\x1b[K${spinner} sls package (hook) \x1b[2m0 s\x1b[22m`,
        // The status line is erased, the line printed, the status drawn again below it.
        '\r\x1b[Kok   templates\n',
        `\r\x1b[K${spinner} sls package (hook) \x1b[2m12 s\x1b[22m`,
        '\r\x1b[K',
      ].join(''),
    );
    p.progress.stop();
  });

  it('counts the elapsed time from the first status, across status changes', () => {
    const p = mockProgress(true, { NO_COLOR: '1' });
    p.progress.status('a');
    p.advance(65_000);
    p.progress.status('b');
    p.progress.stop();
    expect(p.written()).to.include('\r\x1b[K⠋ b 1 min 5 s');
    // NO_COLOR: the spinner stays, the colour goes.
    expect(p.written()).not.to.include('\x1b[36m');
  });

  it('draws no status line with TERM=dumb or CI set, even on a terminal', () => {
    expect(isLive({ isTTY: true, env: {} })).to.equal(true);
    expect(isLive({ isTTY: true, env: { TERM: 'dumb' } })).to.equal(false);
    expect(isLive({ isTTY: true, env: { CI: 'true' } })).to.equal(false);
    expect(isLive({ isTTY: true, env: { CI: 'false' } })).to.equal(true);
    expect(isLive({ isTTY: false, env: {} })).to.equal(false);
  });

  it('colours errors, warnings and CloudFormation verdicts on a terminal only', () => {
    const line =
      '[network] 12:00:01 CREATE_FAILED AWS::EC2::VPC Vpc; UPDATE_ROLLBACK_COMPLETE; CREATE_COMPLETE';
    expect(highlight(line, palette(false))).to.equal(line);
    expect(highlight(line, palette(true))).to.equal(
      '[network] 12:00:01 \x1b[31mCREATE_FAILED\x1b[39m AWS::EC2::VPC Vpc; \x1b[33mUPDATE_ROLLBACK_COMPLETE\x1b[39m; \x1b[32mCREATE_COMPLETE\x1b[39m',
    );
    expect(highlight('warning: x', palette(true))).to.equal('\x1b[33mwarning:\x1b[39m x');
    expect(highlight('error: x', palette(true))).to.equal('\x1b[31merror:\x1b[39m x');
  });
});

describe('wait reports', () => {
  it('creates a line per state change and one a minute while the state holds, with the status line each poll', () => {
    const lines: string[] = [];
    const statuses: (string | undefined)[] = [];
    let t = 0;
    const report = new WaitReport(
      { log: (l) => lines.push(l), status: (s) => statuses.push(s) },
      '[image] first build',
      () => t,
    );
    for (const [at, state] of [
      [5, 'pipeline starting'],
      [10, 'pipeline InProgress'],
      [15, 'pipeline InProgress'],
      [69, 'pipeline InProgress'],
      [70, 'pipeline InProgress'],
      [75, 'pipeline InProgress'],
      [130, 'pipeline InProgress'],
    ] as const) {
      t = at * 1000;
      report.update(state, '(build 2/4)');
    }
    report.done();
    expect(lines).to.deep.equal([
      '[image] first build: pipeline starting',
      '[image] first build: pipeline InProgress (after 10 s)',
      '[image] first build: still pipeline InProgress after 1 min 10 s',
      '[image] first build: still pipeline InProgress after 2 min 10 s',
    ]);
    expect(statuses).to.have.length(8);
    expect(statuses[0]).to.equal('[image] first build: pipeline starting (build 2/4)');
    expect(statuses.at(-1)).to.equal(undefined);
  });

  it('keeps the first state quiet when the caller announced the wait itself', () => {
    const lines: string[] = [];
    let t = 0;
    const report = new WaitReport({ log: (l) => lines.push(l) }, '[network] stack', () => t, {
      announce: false,
    });
    report.update('CREATE_IN_PROGRESS');
    t = 30_000;
    report.update('ROLLBACK_IN_PROGRESS');
    expect(lines).to.deep.equal(['[network] stack: ROLLBACK_IN_PROGRESS (after 30 s)']);
  });
});
