/**
 * The generated parts of README.md and docs/deploy.md: the manual deploy commands (from the deploy
 * plan), the release timeline (scripts/timeline/) and the cost tables (from the config), rendered for
 * the default config. Each sits between
 * `<!-- BEGIN generated:<name> -->` and `<!-- END generated:<name> -->`; test/deploy/docs.test.ts
 * fails when a document's block differs from what this renders.
 *
 *   npm run render:docs    # scripts/render-docs.ts: rewrites the blocks in README.md and docs/deploy.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAll } from '../../cloudformation/stacks';
import { DEFAULT_CONFIG, type PlaygroundConfig, REPO_ROOT, STRATEGY_STACKS } from '../../config';
import { buildTimeTable } from '../../config/build-model';
import { type CommandSpec, parseOrExit } from '../cli/args';
import { alarmsIn } from '../cost/alarms';
import {
  costTable,
  dollars,
  freeTierPushes,
  monthlyCost,
  PRICES_CHECKED,
  perDeployCost,
  total,
} from '../cost/model';
import { strategyCostTable } from '../cost/strategy-table';
import { failureTable } from '../timeline/failure-render';
import { ganttChart, HEALTHY_NOTE, phaseTable, summaryTable } from '../timeline/render';
import { releaseTimelines } from '../timeline/timeline';
import { weightChart, weightTable } from '../timeline/weights';
import { manualCommands } from './manual';
import { deployPlan, type Templates } from './plan';
import { statusTable } from './stack-status';
import { describeTemplate, templatePath } from './templates';

export const GENERATED_DOCS = ['README.md', 'docs/deploy.md', 'docs/concepts.md'] as const;

/** The generated blocks each document holds, in order. */
export const DOC_BLOCKS: Record<(typeof GENERATED_DOCS)[number], string[]> = {
  'README.md': [
    'cost-summary',
    'manual-deploy',
    'release-timeline',
    'failure-paths',
    'strategy-cost',
    'cost-month',
    'cost-deploy',
  ],
  'docs/deploy.md': [
    'manual-deploy',
    'stack-statuses',
    'release-phases',
    'cost-month',
    'cost-deploy',
    'build-time',
  ],
  'docs/concepts.md': ['traffic-weights'],
};

/** The templates as `npm run synth` renders them for `config`, without touching the disk. */
export function renderedTemplates(config: PlaygroundConfig): { templates: Templates; alarmCount: number } {
  const templates: Templates = {};
  let alarmCount = 0;
  // renderAll renders every stack the config deploys (stacksFor).
  for (const { stack, json } of renderAll(config)) {
    templates[stack] = describeTemplate(templatePath(stack, config.app.stage), JSON.parse(json));
    alarmCount += alarmsIn(templates[stack]?.template);
  }
  return { templates, alarmCount };
}

export function generatedBlocks(config: PlaygroundConfig = DEFAULT_CONFIG): Record<string, string[]> {
  const { templates, alarmCount } = renderedTemplates(config);
  const plan = deployPlan(config, templates, {}, { dryRun: true });
  const timelines = releaseTimelines(config);
  const month = total(monthlyCost(config, alarmCount));
  return {
    'cost-summary': [
      `With the defaults, what \`npm run deploy\` creates costs ≈ ${dollars(month)} a month while it runs, ` +
        `and each push ≈ ${dollars(total(perDeployCost(config)), 3)} (${config.app.region} list prices checked ${PRICES_CHECKED}; ` +
        `[Cost](#cost) has each line). The deploy prints the figure for your config and asks before it creates ` +
        'anything; fewer strategies in `app.strategies` cost less (the table per strategy under ' +
        '[How releases deploy and roll back](#how-releases-deploy-and-roll-back)); `npm run destroy` stops it all.',
    ],
    'traffic-weights': timelines
      .flatMap((t) => [
        `**${t.strategy.title}** (\`${t.strategy.id}\`):`,
        '',
        ...weightChart(t, config),
        '',
        ...weightTable(t, config),
        '',
      ])
      .slice(0, -1),
    'manual-deploy': ['```sh', ...manualCommands(config, plan), '```'],
    'strategy-cost': strategyCostTable(config, alarmCount, (s) =>
      alarmsIn(templates[STRATEGY_STACKS[s]]?.template),
    ),
    'cost-month': [
      `Prices: on-demand list prices of ${config.app.region}, checked ${PRICES_CHECKED}; they change, so check the AWS Pricing Calculator.`,
      '',
      ...costTable(monthlyCost(config, alarmCount), 'Per month (730 h)'),
    ],
    'cost-deploy': [
      ...costTable(perDeployCost(config), 'Per deploy (one push, every pipeline)', 3),
      '',
      `The free tiers (100 CodeBuild minutes and 100 CodePipeline V2 action minutes a month) cover ${freeTierPushes(config)} pushes a month.`,
    ],
    'build-time': buildTimeTable(),
    'release-timeline': [
      ...ganttChart(
        timelines,
        `A push to ${config.github.branch} with the default config (time after the push, in minutes and seconds)`,
      ),
      '',
      ...summaryTable(timelines),
      '',
      HEALTHY_NOTE,
    ],
    'failure-paths': failureTable(
      config,
      timelines.map((t) => t.strategy),
    ),
    'release-phases': [
      ...summaryTable(timelines),
      '',
      HEALTHY_NOTE,
      ...timelines.flatMap((t) => [
        '',
        `**${t.strategy.title}** (\`${t.strategy.id}\`):`,
        '',
        ...phaseTable(t),
      ]),
    ],
    'stack-statuses': statusTable(config.app.region),
  };
}

const BLOCK = /<!-- BEGIN generated:([a-z-]+) -->\n[\s\S]*?<!-- END generated:\1 -->/g;

/** The document with every generated block replaced; unknown block names are an error. */
export function refreshBlocks(text: string, blocks: Record<string, string[]>): string {
  return text.replace(BLOCK, (_match, name: string) => {
    const lines = blocks[name];
    if (!lines) throw new Error(`unknown generated block "${name}"`);
    return [`<!-- BEGIN generated:${name} -->`, ...lines, `<!-- END generated:${name} -->`].join('\n');
  });
}

/** Names of the generated blocks a document contains, in order. */
export function blockNames(text: string): string[] {
  return [...text.matchAll(BLOCK)].map((m) => m[1]);
}

export const RENDER_DOCS_COMMAND: CommandSpec = {
  command: 'npm run render:docs --',
  summary: `Rewrites the generated blocks (manual deploy commands, release timeline, traffic weights, cost) of\n${GENERATED_DOCS.join(', ')} from the default config; test/cloudformation/reference.test.ts fails while one is stale.`,
  options: [],
};

/** `npm run render:docs`: rewrites the generated blocks of GENERATED_DOCS under `root`, one line per document. */
export function main(argv: readonly string[], root: string = REPO_ROOT): number {
  const values = parseOrExit(RENDER_DOCS_COMMAND, argv);
  if (typeof values === 'number') return values;
  const blocks = generatedBlocks();
  for (const doc of GENERATED_DOCS) {
    const file = join(root, doc);
    const before = readFileSync(file, 'utf8');
    const after = refreshBlocks(before, blocks);
    if (after !== before) writeFileSync(file, after);
    console.log(`${doc}: ${after === before ? 'up to date' : 'updated'} (${blockNames(after).join(', ')})`);
  }
  return 0;
}
