/**
 * The flags of `npm run bench`: one command line for both benches (the app's and the hook's), on
 * the kit's one parser (scripts/cli/args.ts).
 */
import { type CommandSpec, type ParsedValues, UsageError, wholeNumberFlag } from '../cli/args';

export interface BenchOptions {
  /** Load rounds per server; the servers alternate within and between rounds. */
  rounds: number;
  /** Seconds of measured load per round and server. */
  durationSeconds: number;
  /** Seconds of unmeasured load first, so the JIT has compiled the hot path. */
  warmupSeconds: number;
  connections: number;
  /** Extra startup-only measurements per server, on top of one per load round. */
  startups: number;
  /** Hook bench: invocations per simulated AWS latency. */
  hookRuns: number;
  /** Which benches run: the app's and the hook's by default; `lb`, the rehearsal's load balancer, only alone. */
  only?: 'app' | 'hook' | 'lb';
}

/** 3 × 2 × (1 + 5) s of load plus startups: the app bench takes ~45 s, the hook's a few seconds. */
export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 1,
  // Enough concurrent keep-alive connections to saturate one server core, as an ALB would.
  connections: 50,
  startups: 7,
  hookRuns: 15,
};

/** Flag → option, with its bounds. */
const NUMBERS: [
  flag: string,
  key: keyof Omit<BenchOptions, 'only'>,
  min: number,
  max: number,
  help: string,
][] = [
  ['rounds', 'rounds', 1, 20, 'app: load rounds per server'],
  ['duration', 'durationSeconds', 1, 120, 'app: seconds of measured load per round'],
  ['warmup', 'warmupSeconds', 0, 30, 'app: seconds of unmeasured load before each round'],
  ['connections', 'connections', 1, 1000, 'app: concurrent keep-alive connections'],
  ['startups', 'startups', 0, 100, 'app: extra startup-only measurements per server'],
  ['runs', 'hookRuns', 1, 200, 'hook: invocations per simulated AWS latency'],
];

export const BENCH_COMMAND: CommandSpec = {
  command: 'npm run bench --',
  summary:
    'Runs both benches: the bundled app against a bare node:http server (req/s, p99, RSS, startup,\n' +
    "with app/raw ratios), then the hook's time from invocation to verdict and its package's size and\n" +
    'require() time against the SDK-less baseline (docs/app.md#benchmark, docs/hook.md#tests-and-bench).\n' +
    'Each prints its results and whether it met its goal.',
  options: [
    ...NUMBERS.map(([flag, key, min, max, help]) => ({
      name: flag,
      value: 'n',
      help: `${help} (${min}-${max}; default ${DEFAULT_BENCH_OPTIONS[key]})`,
    })),
    {
      name: 'only',
      value: 'app|hook|lb',
      help: "run one bench (lb: the rehearsal's HAProxy against one task, latency ratio; needs haproxy)",
    },
  ],
};

/** The options from parsed flags; UsageError on a value out of bounds. */
export function benchOptions(values: ParsedValues): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_BENCH_OPTIONS };
  for (const [flag, key, min, max] of NUMBERS) {
    const value = wholeNumberFlag(values, flag, [min, max]);
    if (value !== undefined) options[key] = value;
  }
  if (values.only !== undefined) {
    if (values.only !== 'app' && values.only !== 'hook' && values.only !== 'lb') {
      throw new UsageError(`--only ${String(values.only)}: must be app, hook or lb`);
    }
    options.only = values.only;
  }
  return options;
}
