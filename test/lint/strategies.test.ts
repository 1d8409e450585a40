import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCdkNag } from '../../scripts/lint/cdk-nag';
import { PURE_CHECKS } from '../../scripts/lint/checks';
import { runCheck } from '../../scripts/lint/runner';
import { cdkNagSuppressions } from '../../scripts/lint/suppressions';
import { renderedTemplates } from '../../scripts/lint/templates';
import { configWith } from '../cloudformation/helpers';

describe('lint: the gate with a strategy left out (app.strategies)', function () {
  // A cdk-nag run per config (aws-cdk-lib loads once): a busy machine needs time.
  this.timeout(120_000);
  const configs = {
    'rolling only': configWith({ app: { strategies: ['rolling'] } }),
    'canary only': configWith({ app: { strategies: ['canary'] } }),
  };

  for (const [name, config] of Object.entries(configs)) {
    it(`passes every pure check and cdk-nag, with no stale suppression (${name})`, async () => {
      // cdk-nag imports each template from its file: this config's own, in a directory of their own.
      const dir = mkdtempSync(join(tmpdir(), 'lint-strategies-'));
      try {
        const templates = renderedTemplates(config).map((t) => {
          const file = join(dir, `${t.id}.json`);
          writeFileSync(file, t.body);
          return { ...t, file };
        });
        for (const check of PURE_CHECKS) {
          expect((await runCheck(check, { templates, config })).findings, check.name).to.deep.equal([]);
        }
        // The hook's stack is packaged by sls from the developer's config: only the generated stacks here.
        const suppressions = cdkNagSuppressions(config).filter((s) => s.stack !== 'hook');
        expect(await runCdkNag(templates, suppressions)).to.deep.equal([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
