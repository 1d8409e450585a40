/**
 * The gate's command line (scripts/lint-cfn.ts starts it): arguments → config → every check →
 * one line per check and the total time. Exit 0 when nothing was found, 1 on any finding,
 * 2 for bad arguments or config.
 */
import { ConfigError, DEFAULT_CONFIG, loadConfig, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { formatResult } from './report';
import { lintAll } from './runner';
import { DEFAULT_TEMPLATES_DIR } from './templates';

const USAGE = `usage: npm run lint:cfn [-- --templates <dir>]
  --templates <dir>  directory holding <stack>.json, from the repository root (default: ${DEFAULT_TEMPLATES_DIR})

The reference templates (${DEFAULT_TEMPLATES_DIR}) are checked with the default config, whatever your
playground.config.json or PLAYGROUND_* say; any other directory (e.g. cloudformation/out/dev) with your
config, as config/load.ts resolves it.`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): { templatesDir: string; help: boolean } {
  let templatesDir = DEFAULT_TEMPLATES_DIR;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--templates') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) throw new UsageError('--templates needs a directory');
      templatesDir = value;
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { templatesDir, help };
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`lint:cfn: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
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
