/**
 * `npm run bench [-- <flags>]` (scripts/bench.ts): the app bench, then the hook bench, with the
 * settings of one command line (args.ts). Exit 0 when every bench ran and met its goal, 1 when one
 * failed or missed it, 2 on bad flags.
 */
import { type CliOutput, consoleOutput, parseOrExit, UsageError, usageFailure } from '../cli/args';
import { runAppBench } from './app';
import { BENCH_COMMAND, type BenchOptions, benchOptions } from './args';
import { runHookBench } from './hook/bench';
import { runHookBundleBench } from './hook/bundle';
import { runLoadBalancerBench } from './load-balancer';

export interface Benches {
  /** Throws when a server misbehaves. */
  app(options: BenchOptions): Promise<void>;
  /** Resolves to 1 when the goal was missed. */
  hook(runs: number): Promise<number>;
  /** The rehearsal's load balancer against one task; 1 when it could not run (no haproxy). */
  lb(options: BenchOptions, say: (line: string) => void): Promise<number>;
}

/** The hook's two: time to a verdict, then what its package costs (size, require time). */
async function hookBenches(runs: number): Promise<number> {
  const verdict = await runHookBench(runs);
  console.log('');
  return Math.max(verdict, await runHookBundleBench(runs));
}

const REAL_BENCHES: Benches = { app: runAppBench, hook: hookBenches, lb: runLoadBalancerBench };

export async function main(
  argv: readonly string[],
  benches: Benches = REAL_BENCHES,
  output: CliOutput = consoleOutput,
): Promise<number> {
  const values = parseOrExit(BENCH_COMMAND, argv, output);
  if (typeof values === 'number') return values;
  let options: BenchOptions;
  try {
    options = benchOptions(values);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(BENCH_COMMAND, err, output);
    throw err;
  }
  if (options.only === 'lb') {
    try {
      return await benches.lb(options, output.out);
    } catch (err) {
      output.err(`error: load balancer bench failed: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }
  let code = 0;
  if (options.only !== 'hook') {
    output.out(
      `app bench: ${options.rounds} rounds x ${options.durationSeconds} s (+${options.warmupSeconds} s warm-up), ` +
        `${options.connections} connections, ${options.startups} extra startups per server`,
    );
    try {
      await benches.app(options);
    } catch (err) {
      output.err(`error: app bench failed: ${err instanceof Error ? err.message : String(err)}`);
      code = 1;
    }
  }
  if (options.only !== 'app') {
    output.out(`${options.only ? '' : '\n'}hook bench: ${options.hookRuns} runs per simulated AWS latency`);
    try {
      code = Math.max(code, await benches.hook(options.hookRuns));
    } catch (err) {
      output.err(`error: hook bench failed: ${err instanceof Error ? err.message : String(err)}`);
      code = 1;
    }
  }
  return code;
}
