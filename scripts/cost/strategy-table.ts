/**
 * README's cost per strategy: what each adds to a push and to a month (what leaving it out of
 * app.strategies saves), from the same cost model and release timeline as every other figure. How
 * long each takes is the release timeline's own block (README, generated:release-timeline).
 */
import type { PlaygroundConfig, StrategyId } from '../../config';
import { strategiesOf } from '../timeline/strategies';
import { dollars, monthlyCost, perDeployCost, total } from './model';

/** A Markdown table, a column per strategy the config runs. `alarmsOf` counts a strategy's alarms. */
export function strategyCostTable(
  config: PlaygroundConfig,
  alarmCount: number,
  alarmsOf: (strategy: StrategyId) => number,
): string[] {
  const strategies = strategiesOf(config);
  const without = (s: StrategyId): PlaygroundConfig => ({
    ...config,
    app: { ...config.app, strategies: strategies.map((other) => other.id).filter((other) => other !== s) },
  });
  const month = (s: StrategyId) =>
    total(monthlyCost(config, alarmCount)) - total(monthlyCost(without(s), alarmCount - alarmsOf(s)));
  const push = (s: StrategyId) => total(perDeployCost(config)) - total(perDeployCost(without(s)));
  const row = (label: string, cell: (s: StrategyId) => string) =>
    `| ${label}${label ? ' ' : ''}| ${strategies.map((s) => cell(s.id)).join(' | ')} |`;
  const tasks = config.service.desiredCount;
  return [
    `| |${strategies.map((s) => ` ${s.label.replace(/^./, (c) => c.toUpperCase())} |`).join('')}`,
    `| --- |${' --- |'.repeat(strategies.length)}`,
    row('Per push (its build, pipeline minutes, extra tasks)', (s) => dollars(push(s), 3)),
    row(`Per month (${tasks} tasks, an ALB, its public IPv4 addresses and alarms)`, (s) => dollars(month(s))),
  ];
}
