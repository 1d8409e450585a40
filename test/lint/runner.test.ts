import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { STACKS } from '../../config';
import { parseCommandArgs } from '../../scripts/cli/args';
import { PURE_CHECKS } from '../../scripts/lint/checks';
import { LINT_COMMAND } from '../../scripts/lint/cli';
import { reportLines, totalLine } from '../../scripts/lint/report';
import { CHECK_NAMES, lintAll, NO_TEMPLATES, runCheck, uniqueFindings } from '../../scripts/lint/runner';
import { packageHook } from '../../scripts/lint/sls-package';
import { config } from './support';

describe('lint: runner', () => {
  it('fails every check when there are no templates at all (never passes vacuously)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lint-empty-'));
    try {
      const events: string[] = [];
      const result = await lintAll({
        config,
        templatesDir: empty,
        sls: false,
        events: {
          start: (task) => events.push(`start ${task}`),
          end: (task) => events.push(`end ${task}`),
          report: (r) => events.push(`report ${r.name}`),
        },
      });
      expect(result.templates).to.deep.equal([]);
      const byCheck = Object.fromEntries(
        result.reports.map((r) => [r.name, r.findings.map((f) => f.message)]),
      );
      expect(byCheck.templates).to.deep.equal([
        ...STACKS.map(() => 'not found (run `npm run synth`)'),
        NO_TEMPLATES,
      ]);
      expect(byCheck['cfn-lint']).to.deep.equal(['no templates to lint']);
      expect(byCheck['cdk-nag']).to.deep.equal(['no templates to check']);
      for (const check of PURE_CHECKS) expect(byCheck[check.name], check.name).to.deep.equal([NO_TEMPLATES]);
      // Each report as soon as it is ready (the CLI prints it then), every check exactly once.
      expect(events).to.deep.equal([
        'report templates',
        ...PURE_CHECKS.map((c) => `report ${c.name}`),
        'start cdk-nag',
        'end cdk-nag',
        'report cdk-nag',
        'report cfn-lint',
      ]);
      expect(result.reports.map((r) => r.name).sort()).to.deep.equal([...CHECK_NAMES].sort());
      const lines = result.reports.flatMap((r) => reportLines(r, 20));
      // A missing file per stack + "no templates" from templates, cfn-lint, cdk-nag and each pure check.
      const count = STACKS.length + 3 + PURE_CHECKS.length;
      expect(totalLine(result)).to.match(
        new RegExp(`^lint:cfn: FAILED with ${count} findings in \\d+\\.\\d s$`),
      );
      expect(totalLine(result, 12_345)).to.match(
        new RegExp(`^lint:cfn: FAILED with ${count} findings in 12\\.3 s \\(checks \\d+\\.\\d s\\)$`),
      );
      expect(lines).to.include('       -: no templates to lint');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('counts the same finding from both cfn-lint runs once (cfn-lint not installed)', () => {
    const hint = { check: 'cfn-lint', template: '-', location: '', message: 'not installed' };
    const other = { ...hint, template: 'a.json' };
    expect(uniqueFindings([hint, other, { ...hint }])).to.deep.equal([hint, other]);
  });

  it('fails when there is no serverless.ts to package', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lint-no-sls-'));
    try {
      const hook = await packageHook(empty);
      expect(hook.template).to.equal(undefined);
      expect(hook.findings).to.deep.equal([
        {
          check: 'templates',
          template: 'serverless.ts (sls package)',
          location: '',
          message: `serverless.ts not found in ${empty}`,
        },
      ]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('fails a single check given no templates', async () => {
    const report = await runCheck(PURE_CHECKS[0], { templates: [], config });
    expect(report.findings).to.deep.equal([
      { check: PURE_CHECKS[0].name, template: '-', location: '', message: NO_TEMPLATES },
    ]);
  });

  it('fails on an unknown command-line argument', () => {
    const parse = (argv: string[]) => parseCommandArgs(argv, LINT_COMMAND.options);
    expect(() => parse(['--template'])).to.throw('unknown flag --template: did you mean --templates?');
    expect(() => parse(['--templates'])).to.throw('--templates needs a value: --templates <dir>');
    expect(parse(['--templates', 'x'])).to.deep.equal({ templates: 'x' });
  });
});
