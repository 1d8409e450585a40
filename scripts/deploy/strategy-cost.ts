/**
 * README's figures per strategy, from the cost model: how long its deployment takes after its build,
 * and what it adds to a push and to a month (what leaving it out of app.strategies saves).
 */
import type { PlaygroundConfig, StrategyId } from '../../config';
import {
  deployTimes,
  dollars,
  monthlyCost,
  perDeployCost,
  STRATEGY_LABELS,
  showTime,
  strategiesOf,
  total,
} from './cost';

/** A Markdown table, a column per strategy the config runs. `alarmsOf` counts a strategy's alarms. */
export function strategyCostTable(
  config: PlaygroundConfig,
  alarmCount: number,
  alarmsOf: (strategy: StrategyId) => number,
): string[] {
  const strategies = strategiesOf(config);
  const without = (s: StrategyId): PlaygroundConfig => ({
    ...config,
    app: { ...config.app, strategies: strategies.filter((other) => other !== s) },
  });
  const month = (s: StrategyId) =>
    total(monthlyCost(config, alarmCount)) - total(monthlyCost(without(s), alarmCount - alarmsOf(s)));
  const push = (s: StrategyId) => total(perDeployCost(config)) - total(perDeployCost(without(s)));
  const times = deployTimes(config);
  const row = (label: string, cell: (s: StrategyId) => string) =>
    `| ${label}${label ? ' ' : ''}| ${strategies.map(cell).join(' | ')} |`;
  const tasks = config.service.desiredCount;
  return [
    row('', (s) => STRATEGY_LABELS[s].replace(/^./, (c) => c.toUpperCase())),
    `| --- |${' --- |'.repeat(strategies.length)}`,
    row('Time from build to done', (s) => `≈ ${showTime(times[s], ', ')}`),
    row('Per push (its build, pipeline minutes, extra tasks)', (s) => dollars(push(s), 3)),
    row(`Per month (${tasks} tasks, an ALB, its public IPv4 addresses and alarms)`, (s) => dollars(month(s))),
  ];
}
