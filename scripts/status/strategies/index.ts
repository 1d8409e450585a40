/**
 * The strategies `npm run status` and `npm run watch` show, in screen order. Adding a strategy is
 * one describer module and one entry here.
 */
import type { PlaygroundConfig } from '../../../config';
import { blueGreen } from './blue-green';
import { ecsCanary } from './ecs-canary';
import { rolling } from './rolling';
import type { StrategyDescriber } from './strategy';

export const STRATEGIES: readonly StrategyDescriber[] = [rolling, blueGreen, ecsCanary];

/** The strategies the config runs (app.strategies): the others are not shown. */
export function strategiesFor(config: PlaygroundConfig): StrategyDescriber[] {
  return STRATEGIES.filter((s) => config.app.strategies.includes(s.id));
}

export type { StrategyDescriber } from './strategy';
