/**
 * `npm run bench -- --only lb`: what the rehearsal's load balancer adds to a request. One real task
 * (the bundled app) behind HAProxy configured from the rolling stack's template as `npm run rehearse`
 * configures it, and autocannon in its own process alternating rounds straight to the task and
 * through HAProxy's listener, in the same run: p50 and p99 latency of each, and their ratio.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { runLoad } from './load';

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
    const results = {
      direct: [] as { p50: number; p99: number }[],
      haproxy: [] as { p50: number; p99: number }[],
    };
    for (let round = 0; round < options.rounds; round++) {
      for (const via of ['direct', 'haproxy'] as const) {
        const r = await runLoad({
          url: urls[via],
          connections: options.connections,
          durationSeconds: options.durationSeconds,
        });
        if (r.errors || r.non2xx) throw new Error(`${via}: ${r.errors} errors, ${r.non2xx} non-2xx answers`);
        results[via].push({ p50: r.p50Ms, p99: r.p99Ms });
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const p = (via: 'direct' | 'haproxy', k: 'p50' | 'p99') => median(results[via].map((x) => x[k]));
    say(
      `load balancer bench: ${options.rounds} rounds × ${options.durationSeconds} s each way, ${options.connections} connections, one task`,
    );
    for (const k of ['p50', 'p99'] as const) {
      const ratio = p('haproxy', k) / Math.max(p('direct', k), 0.01);
      say(
        `  ${k}: direct ${p('direct', k)} ms, through HAProxy ${p('haproxy', k)} ms → ×${ratio.toFixed(2)}`,
      );
    }
    return 0;
  } finally {
    runner.killAll();
    await haproxy?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
