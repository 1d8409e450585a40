import { expect } from 'chai';
import { main } from '../../scripts/lint/cli';
import type { CheckReport, LintOptions, LintResult } from '../../scripts/lint/runner';

const report = (name: string, findings = 0, ms = 1500): CheckReport => ({
  name,
  scope: '7 templates',
  findings: Array.from({ length: findings }, (_, i) => ({
    check: name,
    template: 'network.json',
    location: `Resources/R${i}`,
    message: 'bad',
  })),
  ms,
});

/** A stand-in gate that reports like the real one: slow tasks start and end, reports come as they are ready. */
async function mockLint(options: LintOptions): Promise<LintResult> {
  const e = options.events!;
  e.start('cfn-lint (6 templates)');
  e.start('sls package (hook)');
  e.end('sls package (hook)');
  const reports = [report('templates'), report('iam-trust-guard', 1, 0)];
  e.report(reports[0]);
  e.report(reports[1]);
  e.end('cfn-lint (6 templates)');
  reports.push(report('cfn-lint', 0, 13_600));
  e.report(reports[2]);
  return { templates: [], reports, ms: 14_000 };
}

async function runLint(isTTY: boolean, env: Record<string, string> = {}) {
  let written = '';
  const code = await main([], {
    lint: mockLint,
    sink: { write: (t) => (written += t), isTTY, env },
    uptimeMs: () => 17_500,
  });
  return { code, written };
}

describe('npm run lint:cfn output', () => {
  it('creates plain lines, one per check as soon as it is done, when not on a terminal (CI logs)', async () => {
    const { code, written } = await runLint(false);
    expect(code).to.equal(1);
    expect(written.split('\n')).to.deep.equal([
      "lint:cfn over cloudformation/templates/ and the hook's template (sls package)",
      'ok   templates               7 templates  0 findings   1.5 s',
      'FAIL iam-trust-guard         7 templates  1 finding    0.0 s',
      '       network.json Resources/R0: bad',
      'ok   cfn-lint                7 templates  0 findings   13.6 s',
      'lint:cfn: FAILED with 1 finding in 17.5 s (checks 14.0 s)',
      '',
    ]);
  });

  it('creates a live status line naming the running checks, and coloured verdicts, on a terminal', async () => {
    const { written } = await runLint(true);
    expect(written).to.include('\r\x1b[K\x1b[36m⠋\x1b[39m cfn-lint (6 templates) · sls package (hook) ');
    expect(written).to.include('\r\x1b[K\x1b[36m⠋\x1b[39m cfn-lint (6 templates) \x1b[2m');
    expect(written).to.include('\x1b[32mok  \x1b[39m templates');
    expect(written).to.include('\x1b[31mFAIL\x1b[39m iam-trust-guard');
    expect(written).to.include('lint:cfn: \x1b[31mFAILED with 1 finding\x1b[39m in 17.5 s');
    // The status line is erased before the total, which ends the output.
    const afterLastDraw = written.slice(written.lastIndexOf('⠋'));
    expect(afterLastDraw.split('\n')[0]).to.include('\r\x1b[K');
    expect(
      written.endsWith('lint:cfn: \x1b[31mFAILED with 1 finding\x1b[39m in 17.5 s (checks 14.0 s)\n'),
    ).to.equal(true);
  });

  it('checks another --templates directory (npm run lint:cfn -- --templates cloudformation/out/dev) with your config', async () => {
    const given: LintOptions[] = [];
    const code = await main(['--templates', 'cloudformation/out/dev'], {
      lint: async (options) => {
        given.push(options);
        return { templates: [], reports: [], ms: 0 };
      },
      sink: { write: () => {}, isTTY: false, env: {} },
      env: { PLAYGROUND_CONFIG_JSON: JSON.stringify({ app: { stage: 'staging' } }) },
      uptimeMs: () => 0,
    });
    expect(code).to.equal(0);
    expect(given.map((o) => [o.templatesDir, o.config.app.stage])).to.deep.equal([
      ['cloudformation/out/dev', 'staging'],
    ]);
  });

  it('creates no colour on a terminal with NO_COLOR', async () => {
    const { written } = await runLint(true, { NO_COLOR: '1' });
    expect(written).not.to.include('\x1b[3');
    expect(written).to.include('FAIL iam-trust-guard');
  });
});
