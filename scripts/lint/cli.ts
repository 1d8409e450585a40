/**
 * The gate's command line (scripts/lint-cfn.ts starts it): arguments → config → every check →
 * one line per check and the total time. Exit 0 when nothing was found, 1 on any finding,
 * 2 for bad arguments or config.
 */
import { ConfigError, DEFAULT_CONFIG, loadConfig, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { type CommandSpec, parseOrExit } from '../cli/args';
import { formatResult } from './report';
import { lintAll } from './runner';
import { DEFAULT_TEMPLATES_DIR } from './templates';

export const LINT_COMMAND: CommandSpec = {
  command: 'npm run lint:cfn --',
  summary: `Checks the templates with cfn-lint, cdk-nag, the cross-stack checks and our own rules (docs/checks.md).
The reference templates (${DEFAULT_TEMPLATES_DIR}) are checked with the default config, whatever your
playground.config.json or PLAYGROUND_* say; any other directory (e.g. cloudformation/out/dev) with your
config, as config/load.ts resolves it.`,
  options: [
    {
      name: 'templates',
      value: 'dir',
      help: `directory holding <stack>.json, from the repository root (default: ${DEFAULT_TEMPLATES_DIR})`,
    },
  ],
};

export async function main(argv: readonly string[]): Promise<number> {
  const values = parseOrExit(LINT_COMMAND, argv);
  if (typeof values === 'number') return values;
  const args = {
    templatesDir: typeof values.templates === 'string' ? values.templates : DEFAULT_TEMPLATES_DIR,
  };
  let config: PlaygroundConfig;
  try {
    // The gate that `npm test` runs checks the reference templates: their config is the default one,
    // never the environment's (tests are hermetic; CodeBuild sets PLAYGROUND_CONFIG_JSON).
    config =
      args.templatesDir === DEFAULT_TEMPLATES_DIR
        ? DEFAULT_CONFIG
        : loadConfig({ env: process.env, cwd: REPO_ROOT });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`lint:cfn: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const result = await lintAll({ config, templatesDir: args.templatesDir });
  // Wall time since the process started, so the printed total includes Node's and ts-node's start-up.
  const wallMs = Math.round(process.uptime() * 1000);
  for (const line of formatResult(result, wallMs)) console.log(line);
  return result.reports.some((r) => r.findings.length) ? 1 : 0;
}
