/**
 * The release strategies the timeline knows, one entry per strategy of `app.strategies`: the phases
 * after the build, built from the shared phases (phases.ts). A new strategy is one more entry of
 * RELEASE_STRATEGIES (a full record over StrategyId: the compiler asks for it).
 */
import { type PlaygroundConfig, runs, STRATEGY_IDS, type StrategyId } from '../../config';
import { rollingRounds } from '../../config/timing';
import {
  AWS_DEFAULTS,
  bakePhase,
  deployActionPhase,
  drainingPhase,
  ecsHookPhase,
  healthCheckPhase,
  hookPhase,
  type TimelinePhase,
  taskStartPhase,
  terminationWaitPhase,
} from './phases';

export interface ReleaseStrategy {
  id: StrategyId;
  title: string;
  /** How tables and cost lines call it: `rolling`, `blue/green`, `ECS canary`. */
  label: string;
  /** The phases after the build, for the config (`awsDefaults`: under AWS's ECS defaults where they differ). */
  deploy(config: PlaygroundConfig, awsDefaults?: boolean): TimelinePhase[];
  /** Tasks that run beside the old ones during the release (for the per-push cost). */
  extraTasks(config: PlaygroundConfig): number;
}

export { rollingRounds };

export const ROLLING: ReleaseStrategy = {
  id: 'rolling',
  title: 'ECS rolling update',
  label: 'rolling',
  deploy(config, awsDefaults = false) {
    const { desiredCount, minimumHealthyPercent, maximumPercent } = config.service;
    const rounds = awsDefaults
      ? rollingRounds(desiredCount, AWS_DEFAULTS.minimumHealthyPercent, AWS_DEFAULTS.maximumPercent)
      : rollingRounds(desiredCount, minimumHealthyPercent, maximumPercent);
    const phases: TimelinePhase[] = [deployActionPhase('new task definition, service update')];
    for (let round = 1; round <= rounds; round++) {
      const of = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
      const last = round === rounds;
      phases.push(
        taskStartPhase(`new tasks${of}`),
        healthCheckPhase(
          config,
          `new tasks${of}`,
          last ? 'all users' : round === 1 ? 'first users' : undefined,
        ),
        drainingPhase(config, `old tasks${of}`, last ? 'done' : undefined),
      );
    }
    if (rounds > 1) {
      const setting = `service.minimumHealthyPercent/maximumPercent = ${minimumHealthyPercent}/${maximumPercent} with ${desiredCount} tasks: ${rounds} rounds`;
      for (const p of phases) if (p.name.includes('(round')) p.setting = `${p.setting}; ${setting}`;
    }
    return phases;
  },
  extraTasks(config) {
    const { desiredCount, maximumPercent } = config.service;
    return Math.max(0, Math.floor((desiredCount * maximumPercent) / 100) - desiredCount);
  },
};

/** A CodeDeploy traffic-shifting configuration: the first shift, and the minutes until all traffic moved. */
export interface TrafficShift {
  firstPercent: number;
  minutesToAll: number;
  /** `10 % for 5 min`, `10 % more every 3 min`, `all at once`. */
  describe: string;
}

/** The shifts of `blueGreen.deploymentConfig`, predefined (by its name) or custom. */
export function trafficShift(config: PlaygroundConfig): TrafficShift {
  const dc = config.blueGreen.deploymentConfig;
  let type: 'canary' | 'linear' | 'all';
  let percent = 100;
  let minutes = 0;
  if (typeof dc === 'string') {
    const m = /(Canary|Linear)(\d+)Percent(?:Every)?(\d+)Minutes?/.exec(dc);
    type = !m ? 'all' : m[1] === 'Canary' ? 'canary' : 'linear';
    if (m) [percent, minutes] = [Number(m[2]), Number(m[3])];
  } else {
    type = dc.type === 'TimeBasedCanary' ? 'canary' : 'linear';
    [percent, minutes] = [dc.percentage, dc.intervalMinutes];
  }
  if (type === 'all') return { firstPercent: 100, minutesToAll: 0, describe: 'all at once' };
  if (type === 'canary')
    return { firstPercent: percent, minutesToAll: minutes, describe: `${percent} % for ${minutes} min` };
  const steps = Math.ceil(100 / percent);
  return {
    firstPercent: percent,
    minutesToAll: (steps - 1) * minutes,
    describe: `${percent} % more every ${minutes} min (${steps} steps)`,
  };
}

export const BLUE_GREEN: ReleaseStrategy = {
  id: 'bluegreen',
  title: 'CodeDeploy blue/green',
  label: 'blue/green',
  deploy(config) {
    const shift = trafficShift(config);
    const name =
      typeof config.blueGreen.deploymentConfig === 'string'
        ? config.blueGreen.deploymentConfig
        : config.blueGreen.deploymentConfig.name;
    const hookMilestone = shift.firstPercent < 100 ? 'first users' : 'all users';
    return [
      deployActionPhase('task definition, CodeDeploy deployment'),
      taskStartPhase('green tasks'),
      healthCheckPhase(config, 'green tasks'),
      hookPhase(config, 'BeforeAllowTraffic:', hookMilestone),
      ...(shift.minutesToAll > 0
        ? [
            bakePhase(
              `traffic shifts: ${shift.describe}`,
              shift.minutesToAll,
              `blueGreen.deploymentConfig = ${name}`,
              'all users',
            ),
          ]
        : []),
      terminationWaitPhase(config),
      drainingPhase(config, 'blue tasks', 'done'),
    ];
  },
  extraTasks(config) {
    return config.service.desiredCount;
  },
};

/**
 * ECS's built-in canary (the service-canary stack): ECS starts the new revision in the other target
 * group, routes the test rule to it, calls the hook at POST_TEST_TRAFFIC_SHIFT, moves
 * ecsCanary.canaryPercent of production for ecsCanary.canaryBakeMinutes, then the rest, and keeps the
 * old revision ecsCanary.bakeTimeMinutes before scaling it in (docs/pipelines.md).
 */
export const ECS_CANARY: ReleaseStrategy = {
  id: 'canary',
  title: 'ECS canary (built-in)',
  label: 'ECS canary',
  deploy(config, awsDefaults = false) {
    const { canaryPercent, canaryBakeMinutes, bakeTimeMinutes } = config.ecsCanary;
    const d = AWS_DEFAULTS;
    const canary = awsDefaults
      ? { percent: d.ecsCanaryPercent, minutes: d.ecsCanaryBakeMinutes }
      : { percent: canaryPercent, minutes: canaryBakeMinutes };
    const phases: TimelinePhase[] = [
      deployActionPhase('new task definition, ECS service deployment (strategy CANARY)'),
      taskStartPhase('new revision tasks'),
      healthCheckPhase(config, 'new revision tasks'),
      ecsHookPhase(config, canary.percent < 100 && canary.minutes > 0 ? 'first users' : 'all users'),
    ];
    if (canary.percent < 100 && canary.minutes > 0) {
      phases.push({
        ...bakePhase(
          `canary: ${canary.percent} % of production for ${canary.minutes} min, then the rest`,
          canary.minutes,
          `ecsCanary.canaryPercent, canaryBakeMinutes = ${canaryPercent} %, ${canaryBakeMinutes} min`,
          'all users',
        ),
        awsDefault: {
          seconds: d.ecsCanaryBakeMinutes * 60,
          setting: `${d.ecsCanaryPercent} % for ${d.ecsCanaryBakeMinutes} min`,
        },
      });
    }
    phases.push(
      {
        ...bakePhase(
          'old revision kept for an instant rollback (bake time)',
          bakeTimeMinutes,
          `ecsCanary.bakeTimeMinutes = ${bakeTimeMinutes} min`,
        ),
        awsDefault: { seconds: bakeTimeMinutes * 60, setting: '— (the kit always sets it)' },
        basis: 'ECS keeps the old revision this long after the full shift, then scales it in',
      },
      drainingPhase(config, 'old revision tasks', 'done'),
    );
    return phases;
  },
  extraTasks(config) {
    return config.service.desiredCount;
  },
};

/** Every strategy the kit can run, by the id of `app.strategies`. */
export const RELEASE_STRATEGIES: Readonly<Record<StrategyId, ReleaseStrategy>> = {
  rolling: ROLLING,
  bluegreen: BLUE_GREEN,
  canary: ECS_CANARY,
};

/** The strategies the config runs (`app.strategies`), in the order the kit deploys them. */
export function strategiesOf(config: Pick<PlaygroundConfig, 'app'>): ReleaseStrategy[] {
  return STRATEGY_IDS.filter((id) => runs(config, id)).map((id) => RELEASE_STRATEGIES[id]);
}
