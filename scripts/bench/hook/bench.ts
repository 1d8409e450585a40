/**
 * `npm run bench` (scripts/bench/cli.ts), second half (`--runs N`, `--only hook`): median time from invocation to verdict of the
 * BeforeAllowTraffic hook for a healthy green — the real app, 2 instances behind a round-robin
 * stand-in for the test listener (with its token rule) on 127.0.0.1, K = hook.probeCount from the
 * config. AWS is never called: the clients are mocked in-process (aws-sdk-client-mock), once with
 * no latency and once with a simulated 100 ms per AWS call, which is closer to the real thing.
 * Goal: median ≤ 2 s for K = 10.
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { hookEnvironment, loadConfig, REPO_ROOT } from '../../../config';
import { lambdaTimeoutSeconds } from '../../../config/hook-budget';
import { createHandler } from '../../../hook/handler';
import { IDS, mockAws, stubDeployment, TOKEN } from './aws';
import { startBalancer, startGreen } from './servers';

const GOAL_MS = 2000;
const VERSION = 'bench01';
/** Rough latency of one AWS API call from Lambda in the same region. */
const SIMULATED_AWS_LATENCY_MS = 100;

/** Runs the hook bench `runs` times per latency; 1 when the goal is missed; throws when a run fails. */
export async function runHookBench(runs: number): Promise<number> {
  const config = loadConfig({ env: process.env, cwd: REPO_ROOT });
  const env = hookEnvironment(config);

  const apps = await Promise.all([startGreen({ version: VERSION }), startGreen({ version: VERSION })]);
  const lb = await startBalancer(
    apps.map((a) => a.port),
    TOKEN,
  );
  const mocks = mockAws();
  stubDeployment(mocks, { port: lb.port, imageTag: VERSION, token: TOKEN });

  const results: string[] = [];
  let worstMedian = 0;
  try {
    for (const latencyMs of [0, SIMULATED_AWS_LATENCY_MS]) {
      const summaries: Record<string, Record<string, number>>[] = [];
      const handler = createHandler({
        env,
        log: (line) => summaries.push(JSON.parse(line)),
        clients: () => ({
          codedeploy: slow(new CodeDeployClient({ region: config.app.region }), latencyMs),
          ecs: slow(new ECSClient({ region: config.app.region }), latencyMs),
          elbv2: slow(new ElasticLoadBalancingV2Client({ region: config.app.region }), latencyMs),
          reporter: slow(new CodeDeployClient({ region: config.app.region, maxAttempts: 1 }), latencyMs),
        }),
      });
      const totals: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        // As Lambda would: the function's timeout (serverless.ts) counts down from the invocation.
        const deadline = Date.now() + lambdaTimeoutSeconds(config) * 1000;
        const result = await handler(IDS, { getRemainingTimeInMillis: () => deadline - Date.now() });
        totals.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (result.status !== 'Succeeded') throw new Error(`run ${i + 1}: ${result.reasons.join('; ')}`);
      }
      const timing = (key: string) => median(summaries.map((s) => s.timings?.[key] ?? 0));
      const m = median(totals);
      worstMedian = Math.max(worstMedian, m);
      results.push(
        `AWS latency ${String(latencyMs).padStart(3)} ms/call: median ${m.toFixed(1)} ms ` +
          `(min ${Math.min(...totals).toFixed(1)}, max ${Math.max(...totals).toFixed(1)}; ` +
          `discover ${timing('discoverMs')} ms, probe ${timing('probeMs')} ms, report ${timing('reportMs')} ms)`,
      );
    }
  } finally {
    mocks.restore();
    await lb.close();
    await Promise.all(apps.map((a) => a.close()));
  }

  const requests = config.hook.probeCount * (config.hook.checkHealthPath ? 2 : 1);
  console.log(
    `hook bench: K=${config.hook.probeCount} (${requests} requests, new connection each), 2 real app instances, ${runs} runs each`,
  );
  for (const line of results) console.log(`  ${line}`);
  console.log(`  goal: median ≤ ${GOAL_MS} ms → ${worstMedian <= GOAL_MS ? 'met' : 'MISSED'}`);
  return worstMedian > GOAL_MS ? 1 : 0;
}

/** Delays every send of this client instance by `ms` (on top of the prototype-level mock). */
function slow<T extends { send: (...args: never[]) => Promise<unknown> }>(client: T, ms: number): T {
  if (ms === 0) return client;
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { send: unknown }).send = async (...args: unknown[]) => {
    await new Promise((r) => setTimeout(r, ms));
    return send(...args);
  };
  return client;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
