/**
 * The gate's command line (scripts/lint-cfn.ts starts it): arguments → config → every check →
 * one line per check as soon as it is done, then the total time. On a terminal a live status line
 * says which checks still run (sls package, cfn-lint, cdk-nag) and for how long, and verdicts are
 * coloured; in CI logs and pipes the same lines come plain. Exit 0 when nothing was found, 1 on any
 * finding, 2 for bad arguments or config.
 */
import { ConfigError, DEFAULT_CONFIG, loadConfig, type PlaygroundConfig, REPO_ROOT } from '../../config';
import { type CommandSpec, parseOrExit } from '../cli/args';
import { createProgress, type ProgressSink, stdoutSink } from '../cli/progress';
import { reportLines, totalLine } from './report';
import { CHECK_NAMES, lintAll } from './runner';
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

/** What main runs against: the real gate and stdout, or a test's stand-ins. */
export interface LintCliDeps {
  lint: typeof lintAll;
  sink: ProgressSink;
  env: Record<string, string | undefined>;
  /** Milliseconds since the command started. */
  uptimeMs(): number;
}

export async function main(argv: readonly string[], deps: Partial<LintCliDeps> = {}): Promise<number> {
  const {
    lint = lintAll,
    sink = stdoutSink(),
    env = process.env,
    uptimeMs = () => Math.round(process.uptime() * 1000),
  } = deps;
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
      args.templatesDir === DEFAULT_TEMPLATES_DIR ? DEFAULT_CONFIG : loadConfig({ env, cwd: REPO_ROOT });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`lint:cfn: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const progress = createProgress(sink);
  const p = progress.palette;
  const width = Math.max(...CHECK_NAMES.map((name) => name.length));
  const running = new Set<string>();
  const show = () => progress.status(running.size ? [...running].join(' · ') : undefined);
  progress.line(`lint:cfn over ${args.templatesDir}/ and the hook's template (sls package)`);
  const result = await lint({
    config,
    templatesDir: args.templatesDir,
    events: {
      start: (task) => {
        running.add(task);
        show();
      },
      end: (task) => {
        running.delete(task);
        show();
      },
      report: (report) => {
        for (const line of reportLines(report, width, p)) progress.line(line);
      },
    },
  });
  progress.stop();
  // Wall time since the process started, so the printed total includes Node's and ts-node's start-up.
  progress.line(totalLine(result, uptimeMs(), p));
  return result.reports.some((r) => r.findings.length) ? 1 : 0;
}
