import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CONFIG, type PlaygroundConfig, REPO_ROOT } from '../../config';
import {
  buildTimeoutMinutes,
  canaryWorstCase,
  ecsDeploymentTimeoutMinutes,
  firstImageWaitMinutes,
  rollingWorstCase,
} from '../../config/timeouts';
import { DEPLOY_ACTION_SECONDS } from '../../config/timing';
import { circuitBreakerPhase } from '../../scripts/timeline/failure-phases';
import { failurePaths } from '../../scripts/timeline/failures';
import { RELEASE_STRATEGIES } from '../../scripts/timeline/strategies';
import { releaseTimeline, secondsToMilestone } from '../../scripts/timeline/timeline';
import { configWith } from '../support/config';

/** The longest path the release model prints for an ECS strategy, plus the breaker's bound for `unhealthy`. */
function modelWorst(config: PlaygroundConfig, strategy: 'rolling' | 'canary'): number {
  const done =
    secondsToMilestone(releaseTimeline(config, RELEASE_STRATEGIES[strategy]).milestones, 'done') ?? 0;
  const ends = failurePaths(config, strategy).map((p) => p.phases.reduce((sum, ph) => sum + ph.seconds, 0));
  // `unhealthy` prints the quicker of the alarm and the breaker; if the alarm never fires, the breaker ends it.
  const breaker = DEPLOY_ACTION_SECONDS + circuitBreakerPhase(config, strategy, 'unhealthy').seconds;
  // The canary's `alarm` path fires right after the shift; the latest one fires as the bake time ends
  // (ECS watches until then), then the rollback re-routes: its alarm and re-route phases, moved there.
  const alarm = failurePaths(config, strategy, 'alarm')[0]!.phases;
  const late =
    strategy === 'canary'
      ? done - config.loadBalancer.deregistrationDelaySeconds + alarm.at(-2)!.seconds + alarm.at(-1)!.seconds
      : 0;
  return Math.max(done, breaker, late, ...ends);
}

const reference = JSON.parse(
  readFileSync(join(REPO_ROOT, 'cloudformation', 'templates', 'pipelines.json'), 'utf8'),
) as {
  Resources: Record<
    string,
    {
      Properties: {
        Stages?: { Actions: { Configuration: Record<string, string> }[] }[];
        TimeoutInMinutes?: number;
      };
    }
  >;
};
const deployTimeout = (pipeline: string) =>
  Number(reference.Resources[pipeline]!.Properties.Stages![2]!.Actions[0]!.Configuration.DeploymentTimeout);

describe('timeouts follow the release model (config/timeouts.ts)', () => {
  const configs = {
    defaults: DEFAULT_CONFIG,
    '10 tasks': configWith({ service: { desiredCount: 10 } }),
    'slow health checks': configWith({
      healthCheck: { intervalSeconds: 30, healthyThresholdCount: 5, unhealthyThresholdCount: 5 },
    }),
    'long bakes, 3 alarm periods': configWith({
      ecsCanary: { canaryBakeMinutes: 20, bakeTimeMinutes: 10 },
      alarms: { evaluationPeriods: 3 },
    }),
  };
  for (const [label, config] of Object.entries(configs)) {
    it(`takes each ECS deploy action's worst case from the model's own paths (${label})`, () => {
      expect(rollingWorstCase(config).seconds).to.equal(modelWorst(config, 'rolling'));
      expect(canaryWorstCase(config).seconds).to.equal(modelWorst(config, 'canary'));
    });
  }

  it('pins the defaults: rolling 215 s → 8 min, canary 930 s → 31 min, a build 540 s → 18 min, the first image 19 min', () => {
    expect(rollingWorstCase(DEFAULT_CONFIG)).to.deep.equal({
      seconds: 215,
      what: 'an unhealthy release the circuit breaker stops',
    });
    expect(ecsDeploymentTimeoutMinutes(rollingWorstCase(DEFAULT_CONFIG))).to.equal(8);
    expect(canaryWorstCase(DEFAULT_CONFIG).seconds).to.equal(930);
    expect(ecsDeploymentTimeoutMinutes(canaryWorstCase(DEFAULT_CONFIG))).to.equal(31);
    expect([buildTimeoutMinutes(), firstImageWaitMinutes()]).to.deep.equal([18, 19]);
    // The action accepts 60 minutes at most.
    expect(ecsDeploymentTimeoutMinutes({ seconds: 45 * 60, what: 'x' })).to.equal(60);
  });

  it('renders them into the committed reference templates', () => {
    expect(deployTimeout('RollingPipeline')).to.equal(
      ecsDeploymentTimeoutMinutes(rollingWorstCase(DEFAULT_CONFIG)),
    );
    expect(deployTimeout('CanaryPipeline')).to.equal(
      ecsDeploymentTimeoutMinutes(canaryWorstCase(DEFAULT_CONFIG)),
    );
    expect(reference.Resources.BuildProject!.Properties.TimeoutInMinutes).to.equal(buildTimeoutMinutes());
  });
});
