/**
 * `npm run bench -- --only lb`: what the rehearsal's load balancer adds to a request. One real task
 * (the bundled app) behind HAProxy configured from the rolling stack's template as `npm run rehearse`
 * configures it, and rounds of requests alternating straight to the task and through HAProxy's
 * listener, in the same run: p50 and p99 latency of each, and their ratio. One request at a time on a
 * keep-alive connection, timed with the high-resolution clock: the latency a request gets, not the
 * throughput under load (autocannon reports whole milliseconds, and on loopback both are below one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, namesFor, REPO_ROOT, VERSION_PATH } from '../../config';
import { buildApp } from '../bundle/app';
import { loadBalancerOf } from '../rehearse/alb';
import { Balancer } from '../rehearse/balancer';
import { realClock } from '../rehearse/clock';
import { HAPROXY_INSTALL, Haproxy, haproxyVersion } from '../rehearse/haproxy';
import { haproxyConfig, initialWeights } from '../rehearse/haproxy-config';
import { taskRunner } from '../rehearse/tasks';
import { renderedServiceStacks } from '../rehearse/template';
import type { BenchOptions } from './args';
import { freePort } from './free-port';

/** Requests per path and round; `--rounds` sets the rounds. */
const REQUESTS_PER_ROUND = 2000;

/** Each request's latency in ms: `n` GETs one after another on one keep-alive connection. */
async function timed(url: string, n: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    const status = await new Promise<number>((resolve, reject) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    if (status !== 200) throw new Error(`${url}: answered ${status}`);
    out.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  agent.destroy();
  return out;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((q / 100) * sorted.length) - 1)];
}

export async function runLoadBalancerBench(
  options: BenchOptions,
  say: (line: string) => void,
): Promise<number> {
  if (!haproxyVersion()) {
    say(`load balancer bench skipped: ${HAPROXY_INSTALL}`);
    return 1;
  }
  const config = loadConfig({ env: process.env, cwd: REPO_ROOT });
  const names = namesFor(config);
  const dir = mkdtempSync(join(tmpdir(), 'bench-lb-'));
  const clock = realClock(1);
  const runner = taskRunner(config, (await buildApp(join(dir, 'app'))).start, dir, 0, clock.now);
  let haproxy: Haproxy | undefined;
  try {
    const model = loadBalancerOf(
      renderedServiceStacks(config, (s) => names.stackName(s)).get('service-rolling')!,
    );
    const ports = new Map<string, number>();
    for (const l of model.listeners) ports.set(l.id, await freePort());
    const files = { socket: join(dir, 'haproxy.sock'), weightsMap: join(dir, 'weights.map') };
    writeFileSync(files.weightsMap, initialWeights([{ model }]));
    haproxy = await Haproxy.start(dir, haproxyConfig([{ model, ports }], files, clock, 60), files.socket);
    const lb = new Balancer(model, ports, haproxy, files.weightsMap, clock);
    const task = await runner.start('bench-1', 'good');
    await lb.register(model.targetGroups[0].id, task, true);
    const urls = {
      direct: `http://127.0.0.1:${task.port}${VERSION_PATH}`,
      haproxy: `${lb.url(model.listeners[0].id)}${VERSION_PATH}`,
    };
    const times = { direct: [] as number[], haproxy: [] as number[] };
    for (let round = 0; round <= options.rounds; round++) {
      // Round 0 warms both paths up (JIT, connections) and is not counted.
      for (const via of ['direct', 'haproxy'] as const) {
        const ms = await timed(urls[via], REQUESTS_PER_ROUND);
        if (round > 0) times[via].push(...ms);
      }
    }
    const p = (via: 'direct' | 'haproxy', q: number) => percentile(times[via], q);
    say(
      `load balancer bench: ${options.rounds} rounds × ${REQUESTS_PER_ROUND} requests each way, one at a time on a keep-alive connection, one task`,
    );
    for (const q of [50, 99]) {
      const ratio = p('haproxy', q) / p('direct', q);
      say(
        `  p${q}: direct ${p('direct', q).toFixed(3)} ms, through HAProxy ${p('haproxy', q).toFixed(3)} ms → ×${ratio.toFixed(2)}`,
      );
    }
    return 0;
  } finally {
    runner.killAll();
    await haproxy?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
