/**
 * The strategies `npm run status` and `npm run watch` show, in screen order. Adding a strategy is
 * one describer module and one entry here.
 */
import { blueGreen } from './blue-green';
import { ecsCanary } from './ecs-canary';
import { rolling } from './rolling';
import type { StrategyDescriber } from './strategy';

export const STRATEGIES: readonly StrategyDescriber[] = [rolling, blueGreen, ecsCanary];

export type { StrategyDescriber } from './strategy';
