/**
 * What `npm run plan` says of the timeouts: each derived from its worst case (config/timeouts.ts),
 * with that case and the margin, so nobody sets one by hand.
 */
import { type PlaygroundConfig, runs } from '../../config';
import {
  buildTimeoutMinutes,
  buildWorstCase,
  canaryWorstCase,
  ECS_DEPLOY_ACTION_MAX_MINUTES,
  ecsDeploymentTimeoutMinutes,
  firstImageWaitMinutes,
  rollingWorstCase,
  TIMEOUT_MARGIN,
  type WorstCase,
} from '../../config/timeouts';
import { duration } from './timeline';

function line(what: string, minutes: number, worst: WorstCase, cap?: number): string {
  const capped = cap !== undefined && minutes === cap && worst.seconds * TIMEOUT_MARGIN > cap * 60;
  return `  ${what}: ${minutes} min = worst case ${duration(worst.seconds)} (${worst.what}) × ${TIMEOUT_MARGIN}, rounded up${capped ? `, capped at the action's ${cap}` : ''}`;
}

export function timeoutLines(config: PlaygroundConfig): string[] {
  const out = ['Timeouts, derived from the worst cases above (config/timeouts.ts), not set by hand:'];
  if (runs(config, 'rolling')) {
    const w = rollingWorstCase(config);
    out.push(
      line(
        'rolling ECS deploy action, DeploymentTimeout',
        ecsDeploymentTimeoutMinutes(w),
        w,
        ECS_DEPLOY_ACTION_MAX_MINUTES,
      ),
    );
  }
  if (runs(config, 'canary')) {
    const w = canaryWorstCase(config);
    out.push(
      line(
        'canary ECS deploy action, DeploymentTimeout',
        ecsDeploymentTimeoutMinutes(w),
        w,
        ECS_DEPLOY_ACTION_MAX_MINUTES,
      ),
    );
  }
  out.push(line('CodeBuild project, TimeoutInMinutes', buildTimeoutMinutes(), buildWorstCase()));
  out.push(
    `  npm run deploy's wait for the first image: ${firstImageWaitMinutes()} min = the build's timeout + the source stage × ${TIMEOUT_MARGIN}, rounded up`,
  );
  if (runs(config, 'bluegreen')) {
    out.push(
      "  blue/green: the CodeDeployToECS action has no timeout of ours (CodePipeline's is 5 days); CodeDeploy ends the deployment",
    );
  }
  return out;
}
