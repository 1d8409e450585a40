/**
 * The rehearsal's machinery for a set of strategies, set up once and torn down always: the service
 * stacks as synth renders them, HAProxy with their load balancers, the stand-in for AWS, the
 * packaged hook, then every strategy rehearsed side by side (strategy.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { namesFor, type PlaygroundConfig, STRATEGY_STACKS, type StrategyId } from '../../config';
import { loadBalancerOf } from './alb';
import { RehearsalAws } from './aws/model';
import { startStandIn } from './aws/standin';
import { Balancer } from './balancer';
import type { Clock } from './clock';
import { Haproxy } from './haproxy';
import { haproxyConfig, initialWeights } from './haproxy-config';
import { hookInvoker } from './hook';
import type { Load } from './load';
import { uniquePort } from './ports';
import { rehearseStrategy, type StrategyRun } from './strategy';
import { type Release, taskRunner } from './tasks';
import { renderedServiceStacks } from './template';

export interface RehearsalSetup {
  config: PlaygroundConfig;
  strategies: StrategyId[];
  release: Release;
  clock: Clock;
  rate: number;
  workDir: string;
  /** The bundled app's start.js. */
  startFile: string;
  hookFiles: { handlerFile: string; runner: string };
  say(line: string): void;
  marginMs?: number;
}

export async function rehearse(s: RehearsalSetup): Promise<{ runs: StrategyRun[]; haproxyConfig: string }> {
  const { config, clock } = s;
  const names = namesFor(config);
  const stacks = renderedServiceStacks(config, (stack) => names.stackName(stack));
  const lbs = [];
  for (const strategy of s.strategies) {
    const stack = stacks.get(STRATEGY_STACKS[strategy]);
    if (!stack)
      throw new Error(
        `${strategy}: the config does not deploy ${STRATEGY_STACKS[strategy]} (app.strategies)`,
      );
    const model = loadBalancerOf(stack);
    const ports = new Map<string, number>();
    for (const l of model.listeners) ports.set(l.id, await uniquePort());
    lbs.push({ strategy, stack, model, ports });
  }
  const files = { socket: join(s.workDir, 'haproxy.sock'), weightsMap: join(s.workDir, 'weights.map') };
  writeFileSync(files.weightsMap, initialWeights(lbs));
  const cfg = haproxyConfig(lbs, files, clock, config.loadBalancer.idleTimeoutSeconds);
  const aws = new RehearsalAws();
  const standIn = await startStandIn(aws.operations());
  // A slow start listens after two thirds of the grace period: late, but before ECS may judge it.
  const slowStartMs = (config.service.healthCheckGracePeriodSeconds * 1000 * 2) / 3 / clock.speed;
  const runner = taskRunner(config, s.startFile, s.workDir, slowStartMs, clock.now);
  let haproxy: Haproxy | undefined;
  const loads: Load[] = [];
  // Ctrl-C or a kill: no task and no haproxy outlives the rehearsal.
  const onSignal = (signal: NodeJS.Signals) => {
    runner.killAll();
    haproxy?.kill();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.once(signal, onSignal);
  try {
    haproxy = await Haproxy.start(s.workDir, cfg, files.socket);
    const balancers = lbs.map((l) => new Balancer(l.model, l.ports, haproxy!, files.weightsMap, clock));
    aws.balancers.push(...balancers);
    for (const b of balancers) await b.applyAll();
    const shared = {
      release: s.release,
      config,
      clock,
      runner,
      aws,
      invokeHook: hookInvoker(config, s.hookFiles, standIn.url),
      haproxy,
      rate: s.rate,
      say: s.say,
      marginMs: s.marginMs ?? 1500,
      loads,
    };
    const runs = await Promise.all(
      lbs.map((l, i) => rehearseStrategy(l.strategy, l.stack, balancers[i], shared)),
    );
    return { runs, haproxyConfig: cfg };
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
    // After a failure, the other strategies' users stop too (a load's timer would keep the process alive).
    await Promise.all(loads.map((l) => l.stop()));
    runner.killAll();
    await haproxy?.stop();
    await standIn.close();
  }
}
