/** `npm run bench -- [--rounds N] [--duration S] [--warmup S] [--connections N] [--startups N]` */
import { parseArgs } from 'node:util';

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
}

/** 3 × 2 × (1 + 5) s of load plus startups: a full run takes ~45 s. */
export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 1,
  // Enough concurrent keep-alive connections to saturate one server core, as an ALB would.
  connections: 50,
  startups: 7,
};

const LIMITS: Record<keyof BenchOptions, [flag: string, min: number, max: number]> = {
  rounds: ['--rounds', 1, 20],
  durationSeconds: ['--duration', 1, 120],
  warmupSeconds: ['--warmup', 0, 30],
  connections: ['--connections', 1, 1000],
  startups: ['--startups', 0, 100],
};

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.values(LIMITS).map(([flag]) => [flag.slice(2), { type: 'string' as const }]),
    ),
    strict: true,
  });
  const options = { ...DEFAULT_BENCH_OPTIONS };
  for (const [key, [flag, min, max]] of Object.entries(LIMITS) as [
    keyof BenchOptions,
    [string, number, number],
  ][]) {
    const raw = values[flag.slice(2)];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) {
      throw new Error(`${flag}=${JSON.stringify(raw)}: must be a whole number from ${min} to ${max}`);
    }
    options[key] = value;
  }
  return options;
}
