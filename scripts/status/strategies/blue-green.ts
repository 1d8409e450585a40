/**
 * Blue/green: an ECS service with the CODE_DEPLOY controller; CodeDeploy moves traffic between the
 * blue and green task sets, our hook checks green before any user sees it (read/codedeploy.ts).
 */
import type { DescribeContext } from '../context';
import { readCodeDeploy } from '../read/codedeploy';
import { readService } from '../read/service';
import type { StrategyDescriber, StrategyParts } from './strategy';

export const blueGreen: StrategyDescriber = {
  id: 'bluegreen',
  title: 'Blue/green (CodeDeploy)',
  stackName: (names) => names.stackName('service-bluegreen'),
  pipelineName: (names) => names.blueGreen.pipeline,
  deployHint: 'npm run deploy',
  async describe(ctx: DescribeContext): Promise<StrategyParts> {
    const [{ view }, codeDeploy] = await Promise.all([
      readService(ctx, ctx.names.blueGreen.service),
      readCodeDeploy(ctx),
    ]);
    return {
      service: view,
      deployment: codeDeploy.view,
      phase: codeDeploy.phase,
      alarmNames: codeDeploy.alarmNames,
    };
  },
};
