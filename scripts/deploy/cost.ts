/**
 * What the deployed system costs, computed from the config so the documented numbers follow it
 * (task size and count, NAT, termination wait). docs/deploy.md and README.md embed the tables this
 * renders for the default config; a test keeps them equal.
 *
 * Prices: on-demand list prices of US West (Oregon), the default region, as published on the AWS
 * pricing pages on PRICES_CHECKED. They change, and other regions differ: check the AWS Pricing
 * Calculator before relying on them.
 */
import { type PlaygroundConfig, runs, type StrategyId } from '../../config';
import { buildMinutes } from './build-time';

export const PRICES_CHECKED = '2026-11-26';

export const PRICES = {
  /** Fargate Linux, per vCPU-hour and per GB-hour, by CPU architecture. */
  fargateVcpuHour: { X86_64: 0.04048, ARM64: 0.03238 },
  fargateGbHour: { X86_64: 0.004445, ARM64: 0.00356 },
  /** Every public IPv4 address (task ENIs without NAT, each ALB node) since February 2024. */
  publicIpv4Hour: 0.005,
  albHour: 0.0225,
  lcuHour: 0.008,
  natGatewayHour: 0.045,
  /** CodeBuild on-demand, per build minute (BUILD_GENERAL1_SMALL/MEDIUM/LARGE, Linux). */
  codeBuildMinute: { BUILD_GENERAL1_SMALL: 0.005, BUILD_GENERAL1_MEDIUM: 0.01, BUILD_GENERAL1_LARGE: 0.02 },
  /** CodePipeline V2, per action execution minute. */
  pipelineActionMinute: 0.002,
  alarmMonth: 0.1,
  logsIngestGb: 0.5,
  logsStoreGbMonth: 0.03,
  ecrStoreGbMonth: 0.1,
} as const;

/** Things the price depends on that the config does not say; each is stated in the docs. */
export const ASSUMPTIONS = {
  hoursPerMonth: 730,
  /** Average LCUs of an ALB with demo traffic (health checks and a few curls): a tenth of one. */
  lcuPerAlb: 0.1,
  /** An internet-facing ALB in two AZs holds one public IPv4 per AZ. */
  albPublicIps: 2,
  /** App and build logs of a demo account per month. */
  logsGbMonth: 1,
  /** Size of one image in ECR (Node 22 slim base + bundled app). */
  imageGb: 0.05,
  /** Source action of each pipeline. */
  sourceMinutes: 1,
  /** ECS rolling deploy of the new tasks until the service is stable. */
  rollingDeployMinutes: 4,
  /** Green tasks starting and passing the hook before the first traffic shift. */
  greenStartMinutes: 3,
} as const;

export interface CostLine {
  item: string;
  arithmetic: string;
  usd: number;
}

/** Fargate price of one task for one hour. */
export function taskHourPrice(config: PlaygroundConfig): number {
  const arch = config.container.architecture;
  return (
    (config.container.cpu / 1024) * PRICES.fargateVcpuHour[arch] +
    (config.container.memory / 1024) * PRICES.fargateGbHour[arch]
  );
}

/** How each strategy is called in the tables. */
export const STRATEGY_LABELS: Record<StrategyId, string> = {
  rolling: 'rolling',
  bluegreen: 'blue/green',
  canary: 'ECS canary',
};

/** The strategies the config runs, in order (each has a service, an ALB, a pipeline). */
export function strategiesOf(config: PlaygroundConfig): StrategyId[] {
  return (Object.keys(STRATEGY_LABELS) as StrategyId[]).filter((s) => runs(config, s));
}

/**
 * Minutes the new revision of an ECS canary runs beside the old one: its start, the canary bake at
 * ecsCanary.canaryPercent, then the bake time after the full shift (the old one is kept that long).
 */
export function canaryMinutes(config: PlaygroundConfig): number {
  return (
    ASSUMPTIONS.greenStartMinutes + config.ecsCanary.canaryBakeMinutes + config.ecsCanary.bakeTimeMinutes
  );
}

/** Minutes of a blue/green deployment: green start, every traffic shift, then the termination wait. */
export function blueGreenMinutes(config: PlaygroundConfig): number {
  const dc = config.blueGreen.deploymentConfig;
  let shiftMinutes: number;
  if (typeof dc === 'string') {
    const m = /(Canary|Linear)(\d+)Percent(?:Every)?(\d+)Minutes?/.exec(dc);
    if (!m)
      shiftMinutes = 0; // ECSAllAtOnce
    else if (m[1] === 'Canary') shiftMinutes = Number(m[3]);
    else shiftMinutes = (Math.ceil(100 / Number(m[2])) - 1) * Number(m[3]);
  } else {
    shiftMinutes =
      dc.type === 'TimeBasedCanary'
        ? dc.intervalMinutes
        : (Math.ceil(100 / dc.percentage) - 1) * dc.intervalMinutes;
  }
  return ASSUMPTIONS.greenStartMinutes + shiftMinutes + config.blueGreen.blueTerminationWaitMinutes;
}

/** One strategy's deployment after its build: its minutes, and what they are made of. */
export interface DeployTime {
  minutes: number;
  parts: readonly (readonly [what: string, minutes: number])[];
}

export function deployTimes(config: PlaygroundConfig): Record<StrategyId, DeployTime> {
  const start = ASSUMPTIONS.greenStartMinutes;
  const wait = config.blueGreen.blueTerminationWaitMinutes;
  const bg = blueGreenMinutes(config);
  const { canaryBakeMinutes, bakeTimeMinutes } = config.ecsCanary;
  return {
    rolling: { minutes: ASSUMPTIONS.rollingDeployMinutes, parts: [] },
    bluegreen: {
      minutes: bg,
      parts: [
        ['start', start],
        ['traffic shifts', bg - start - wait],
        ['termination wait', wait],
      ],
    },
    canary: {
      minutes: canaryMinutes(config),
      parts: [
        ['start', start],
        ['canary bake', canaryBakeMinutes],
        ['bake time', bakeTimeMinutes],
      ],
    },
  };
}

/** `13 min (start 3 + traffic shifts 5 + termination wait 5)`, the parts joined by `joiner`. */
export function showTime(time: DeployTime, joiner: string): string {
  const parts = time.parts.map(([what, minutes]) => `${what} ${minutes}`).join(joiner);
  return `${time.minutes} min${parts ? ` (${parts})` : ''}`;
}

export function monthlyCost(config: PlaygroundConfig, alarmCount: number): CostLine[] {
  const h = ASSUMPTIONS.hoursPerMonth;
  const services = strategiesOf(config).length;
  const tasks = config.service.desiredCount * services;
  const vcpu = config.container.cpu / 1024;
  const gb = config.container.memory / 1024;
  const arch = config.container.architecture;
  const taskHour = taskHourPrice(config);
  const albs = `${services} Application Load Balancer${services === 1 ? '' : 's'}`;
  const lines: CostLine[] = [
    {
      item: `Fargate: ${tasks} tasks (${config.service.desiredCount} per service: ${strategiesOf(config)
        .map((s) => STRATEGY_LABELS[s])
        .join(', ')}) of ${vcpu} vCPU / ${gb} GB, ${arch}`,
      arithmetic: `${tasks} × ${h} h × (${vcpu} × $${PRICES.fargateVcpuHour[arch]} + ${gb} × $${PRICES.fargateGbHour[arch]})`,
      usd: tasks * h * taskHour,
    },
    {
      item: albs,
      arithmetic: `${services} × ${h} h × $${PRICES.albHour}`,
      usd: services * h * PRICES.albHour,
    },
    {
      item: `ALB capacity units (≈ ${ASSUMPTIONS.lcuPerAlb} LCU each at demo traffic)`,
      arithmetic: `${services} × ${h} h × ${ASSUMPTIONS.lcuPerAlb} × $${PRICES.lcuHour}`,
      usd: services * h * ASSUMPTIONS.lcuPerAlb * PRICES.lcuHour,
    },
    {
      item: `Public IPv4: ${ASSUMPTIONS.albPublicIps} per ALB`,
      arithmetic: `${services * ASSUMPTIONS.albPublicIps} × ${h} h × $${PRICES.publicIpv4Hour}`,
      usd: services * ASSUMPTIONS.albPublicIps * h * PRICES.publicIpv4Hour,
    },
  ];
  if (config.network.natGateways) {
    lines.push({
      item: 'NAT gateways: 1 per AZ (plus $0.045 per GB processed)',
      arithmetic: `2 × ${h} h × $${PRICES.natGatewayHour}`,
      usd: 2 * h * PRICES.natGatewayHour,
    });
  } else {
    lines.push({
      item: 'Public IPv4: 1 per task (NAT off: tasks pull from ECR over their public IP)',
      arithmetic: `${tasks} × ${h} h × $${PRICES.publicIpv4Hour}`,
      usd: tasks * h * PRICES.publicIpv4Hour,
    });
  }
  lines.push(
    {
      item: `CloudWatch alarms (${alarmCount}; the first 10 are free in the free tier)`,
      arithmetic: `${alarmCount} × $${PRICES.alarmMonth}`,
      usd: alarmCount * PRICES.alarmMonth,
    },
    {
      item: `Logs: ≈ ${ASSUMPTIONS.logsGbMonth} GB ingested, kept ${config.logs.retentionDays} days`,
      arithmetic: `${ASSUMPTIONS.logsGbMonth} × $${PRICES.logsIngestGb} + ${ASSUMPTIONS.logsGbMonth} × $${PRICES.logsStoreGbMonth}`,
      usd: ASSUMPTIONS.logsGbMonth * (PRICES.logsIngestGb + PRICES.logsStoreGbMonth),
    },
    {
      item: `ECR: up to ${config.registry.keepImages} images of ≈ ${ASSUMPTIONS.imageGb * 1000} MB (shared layers store once)`,
      arithmetic: `${config.registry.keepImages} × ${ASSUMPTIONS.imageGb} GB × $${PRICES.ecrStoreGbMonth} (upper bound)`,
      usd: config.registry.keepImages * ASSUMPTIONS.imageGb * PRICES.ecrStoreGbMonth,
    },
  );
  return lines;
}

/** One push through every pipeline: one build each, the action minutes and the extra tasks. */
export function perDeployCost(config: PlaygroundConfig): CostLine[] {
  const strategies = strategiesOf(config);
  const build = buildMinutes();
  const buildPrice = PRICES.codeBuildMinute[config.build.computeType];
  const times = deployTimes(config);
  const actionMinutes = strategies.map((s) => ASSUMPTIONS.sourceMinutes + build + times[s].minutes);
  const n = config.service.desiredCount;
  const extraTaskHour = taskHourPrice(config) + (config.network.natGateways ? 0 : PRICES.publicIpv4Hour);
  const surge = Math.ceil((n * (config.service.maximumPercent - 100)) / 100);
  const k = strategies.length;
  const lines: CostLine[] = [
    {
      item: `CodeBuild: ${k} build${k === 1 ? '' : 's'} (one per pipeline) of ≈ ${build} min on ${config.build.computeType}`,
      arithmetic: `${k} × ${build} min × $${buildPrice}`,
      usd: k * build * buildPrice,
    },
    {
      item: `CodePipeline V2 action minutes (${strategies.map((s) => STRATEGY_LABELS[s]).join(' + ')})`,
      arithmetic: `(${actionMinutes.join(' + ')}) min × $${PRICES.pipelineActionMinute}`,
      usd: actionMinutes.reduce((a, b) => a + b, 0) * PRICES.pipelineActionMinute,
    },
  ];
  if (runs(config, 'rolling')) {
    lines.push({
      item: `Rolling: ${surge} extra tasks (maximumPercent ${config.service.maximumPercent}) for ≈ ${ASSUMPTIONS.rollingDeployMinutes} min`,
      arithmetic: `${surge} × ${ASSUMPTIONS.rollingDeployMinutes}/60 h × $${round4(extraTaskHour)}`,
      usd: (surge * ASSUMPTIONS.rollingDeployMinutes * extraTaskHour) / 60,
    });
  }
  const beside = (s: 'bluegreen' | 'canary', what: string) => {
    const m = times[s].minutes;
    lines.push({
      item: `${what} for ≈ ${showTime(times[s], ' + ')}`,
      arithmetic: `${n} × ${m}/60 h × $${round4(extraTaskHour)}`,
      usd: (n * m * extraTaskHour) / 60,
    });
  };
  if (runs(config, 'bluegreen')) beside('bluegreen', `Blue/green: ${n} green tasks beside blue`);
  if (runs(config, 'canary')) beside('canary', `ECS canary: ${n} new tasks beside the old ones`);
  return lines;
}

export function total(lines: readonly CostLine[]): number {
  return lines.reduce((sum, l) => sum + l.usd, 0);
}

/** `$36.04`; per-deploy amounts are fractions of a cent, so they get more decimals. */
export function dollars(n: number, decimals = 2): string {
  return `$${n.toFixed(decimals)}`;
}

/** A Markdown table with a total row (each amount rounded on its own, the total from exact sums). */
export function costTable(lines: readonly CostLine[], totalLabel: string, decimals = 2): string[] {
  return [
    '| Item | Arithmetic | USD |',
    '| --- | --- | ---: |',
    ...lines.map((l) => `| ${l.item} | ${l.arithmetic} | ${dollars(l.usd, decimals)} |`),
    `| **${totalLabel}** | | **${dollars(total(lines), decimals)}** |`,
  ];
}

function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}
