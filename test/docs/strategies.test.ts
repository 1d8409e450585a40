/**
 * Where the kit describes itself, every strategy it runs is there (the ECS canary came third, and
 * the docs lagged it), and the examples a reader copies work: README's config example passes a real
 * deploy's owner check, and every shell variable a doc's commands use is defined before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CONFIG, deepMerge, PLACEHOLDER_GITHUB_OWNER, REPO_ROOT, validateConfig } from '../../config';
import { STATUS_COMMAND } from '../../scripts/status/cli';
import { planLines } from '../../scripts/timeline/render';
import { ECS_CANARY, RELEASE_STRATEGIES } from '../../scripts/timeline/strategies';
import { releaseTimeline } from '../../scripts/timeline/timeline';
import { DOCS } from './extract';

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('the docs keep up with every strategy', () => {
  it('names the three strategies in package.json and npm run status -- --help', () => {
    const description = JSON.parse(read('package.json')).description as string;
    for (const words of [['rolling'], ['blue/green', 'CodeDeploy'], ['canary']]) {
      for (const w of words) expect(description, w).to.include(w);
      expect(STATUS_COMMAND.summary.replace(/\n/g, ' '), words[0]).to.include(words[0]);
    }
    expect(STATUS_COMMAND.summary.replace(/\n/g, ' ')).to.include('ECS canary');
  });

  it('speaks of no green in npm run plan for the ECS canary, which has none', () => {
    const lines = planLines(releaseTimeline(DEFAULT_CONFIG, ECS_CANARY));
    expect(lines.join('\n')).not.to.match(/\bgreen\b/);
    expect(lines).to.include(
      '      (1 min 17 s when the hook judges a healthy release in its usual time, not at its whole budget)',
    );
  });

  it("shows every strategy in README's npm run watch example", () => {
    const example = read('README.md').split('$ npm run watch\n')[1].split('```')[0];
    for (const id of Object.keys(RELEASE_STRATEGIES)) {
      expect(example, id).to.match(new RegExp(`^Watching .*\\b${id} \\(http`, 'm'));
      expect(example, id).to.match(new RegExp(`^\\+\\d+:\\d\\d ${id} +settled on `, 'm'));
    }
  });

  it('curls the canary load balancer wherever a doc watches the canaries', () => {
    for (const [doc, heading] of [
      ['docs/pipelines.md', '## Watching a canary'],
      ['docs/deploy.md', '## Check it works'],
    ]) {
      const section = read(doc).split(heading)[1].split('\n## ')[0];
      expect(section, doc).to.match(/^CANARY_URL=\$\(aws cloudformation describe-stacks .*-service-canary /m);
      expect(section, doc).to.include('curl -s "$CANARY_URL"');
    }
  });

  it('defines every $URL variable a doc command uses, earlier in the same doc', () => {
    for (const doc of DOCS) {
      const lines = read(doc).split('\n');
      lines.forEach((line, i) => {
        for (const [, name] of line.matchAll(/"\$\{?([A-Z_]+_URL)\b/g)) {
          const defined = lines.slice(0, i).some((l) => l.trimStart().startsWith(`${name}=`));
          expect(defined, `${doc}:${i + 1} uses $${name} before defining it`).to.equal(true);
        }
      });
    }
  });

  it("keeps README's config example valid and free of the placeholder owner a deploy refuses", () => {
    const example = read('README.md').split('## Configuration')[1].split('```json\n')[1].split('\n```')[0];
    const overrides = JSON.parse(example) as { github: { owner: string } };
    expect(overrides.github.owner).not.to.equal(PLACEHOLDER_GITHUB_OWNER);
    expect(validateConfig(deepMerge(DEFAULT_CONFIG, overrides)).github.owner).to.equal(
      overrides.github.owner,
    );
  });
});
