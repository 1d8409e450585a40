/**
 * One status snapshot: every strategy described in parallel, plus the cost line from the cost model
 * (scripts/cost/model.ts, the same numbers README and docs/deploy.md show).
 */
import { alarmCounts } from '../cost/alarms';
import { monthlyCost, PRICES_CHECKED, perDeployCost, total } from '../cost/model';
import type { DescribeContext } from './context';
import { JSON_SCHEMA_VERSION, type StatusReport } from './report';
import { type StrategyDescriber, strategiesFor } from './strategies';
import { describeStrategy } from './strategies/strategy';

export async function collectStatus(
  ctx: DescribeContext,
  account?: string,
  strategies: readonly StrategyDescriber[] = strategiesFor(ctx.config),
): Promise<StatusReport> {
  const described = await Promise.all(strategies.map((s) => describeStrategy(ctx, s)));
  const notes: string[] = [];
  if (described.every((s) => s.phase === 'not-deployed')) {
    notes.push(
      `nothing of ${ctx.names.prefix} is deployed in ${ctx.config.app.region}: deploy it with \`npm run deploy\` ` +
        '(or, if you deployed to another region, set app.region or PLAYGROUND_REGION to it)',
    );
  }
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    generatedAt: new Date(ctx.now()).toISOString(),
    prefix: ctx.names.prefix,
    region: ctx.config.app.region,
    account,
    strategies: described,
    cost: costLine(ctx),
    notes,
  };
}

function costLine(ctx: DescribeContext): StatusReport['cost'] {
  const alarmCount = alarmCounts(ctx.config).total;
  return {
    monthlyUsd: round2(total(monthlyCost(ctx.config, alarmCount))),
    perPushUsd: Math.round(total(perDeployCost(ctx.config)) * 1000) / 1000,
    pricesChecked: PRICES_CHECKED,
    note: 'everything this config deploys, at us-west-2 list prices: docs/deploy.md#cost',
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
