/**
 * Every committed file a generator writes is the DEFAULT config's rendering, byte for byte: the
 * reference templates, the reference appspec.yml and the generated blocks of README.md and
 * docs/deploy.md. Checked against DEFAULT_CONFIG only, never the environment's config: CodeBuild runs
 * this with the user's PLAYGROUND_CONFIG_JSON and no playground.config.json, a developer with theirs.
 * These are the tests a user's own files could break; the CodeBuild replay
 * (test/build/replay.test.ts) runs this file inside the user's build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REFERENCE_TEMPLATE_DIR, renderAll } from '../../cloudformation/stacks';
import { DEFAULT_CONFIG, REPO_ROOT } from '../../config';
import { renderAppSpec } from '../../scripts/artifacts/appspec';
import {
  blockNames,
  DOC_BLOCKS,
  GENERATED_DOCS,
  generatedBlocks,
  refreshBlocks,
} from '../../scripts/deploy/docs';

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('committed reference outputs (default config)', () => {
  it('keeps cloudformation/templates/ byte-identical to what npm run synth renders from the defaults', () => {
    const stale = renderAll(DEFAULT_CONFIG)
      .filter((t) => {
        const file = join(REPO_ROOT, REFERENCE_TEMPLATE_DIR, `${t.stack}.json`);
        return !existsSync(file) || readFileSync(file, 'utf8') !== t.json;
      })
      .map((t) => t.stack);
    expect(stale, 'stale templates: run `npm run synth` and commit cloudformation/templates/').to.deep.equal(
      [],
    );
  });

  it('keeps appspec.yml exactly as the renderer writes it for the defaults', () => {
    expect(read('appspec.yml'), 'stale appspec.yml: run `npm run synth`').to.equal(
      renderAppSpec(DEFAULT_CONFIG),
    );
  });

  const blocks = generatedBlocks(DEFAULT_CONFIG);
  for (const doc of GENERATED_DOCS) {
    it(`${doc}: keeps every generated block equal to the plan and the cost model`, () => {
      const text = read(doc);
      expect(blockNames(text)).to.deep.equal(DOC_BLOCKS[doc]);
      // On failure: `npm run render:docs` rewrites the blocks.
      expect(refreshBlocks(text, blocks)).to.equal(text);
    });
  }
});
