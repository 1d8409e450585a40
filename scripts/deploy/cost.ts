/**
 * What the deployed system costs, computed from the config so the documented numbers follow it
 * (task size and count, NAT, termination wait). docs/deploy.md and README.md embed the tables this
 * renders for the default config; a test keeps them equal.
 *
 * Prices: on-demand list prices of US West (Oregon), the default region, as published on the AWS
 * pricing pages on PRICES_CHECKED. They change, and other regions differ: check the AWS Pricing
 * Calculator before relying on them.
 */
import type { PlaygroundConfig } from '../../config';

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

/** One phase of a CodeBuild build and where its duration comes from. */
export interface BuildPhase {
  phase: string;
  seconds: number;
  /** `measured: …` (on a 2-vCPU machine like BUILD_GENERAL1_SMALL) or `stated: …` (not measurable here). */
  basis: string;
}

/**
 * THE model of how long one CodeBuild build of a push takes (buildspec.yml on BUILD_GENERAL1_SMALL:
 * 2 vCPU, 3 GB), phase by phase. The cost tables and the documented waits derive from it; a release
 * timeline should too. Measured figures come from the project's own machine, which has the same 2
 * vCPUs (shared, so they are upper-end); what needs AWS is stated, with its reason. Measured
 * 2026-11-30: `npm run typecheck` 18.5 s, `npm run lint` 1.7 s, `npm run lint:cfn` 12.4 s,
 * `npm run test:unit` 68 s (load ~3: shared; 46 s on an idle machine), `npm ci` 26 s with a warm npm
 * cache, `npm run build:app` 1.7 s.
 */
export const BUILD_PHASES: readonly BuildPhase[] = [
  {
    phase: 'provisioning and source download',
    seconds: 60,
    basis: 'stated: an on-demand standard-image host, typically under a minute; not measurable without AWS',
  },
  {
    phase: 'install: pip install cfn-lint',
    seconds: 30,
    basis: 'stated: one wheel and its dependencies from PyPI',
  },
  {
    phase: 'npm ci',
    seconds: 60,
    basis:
      'measured 26 s with a warm npm cache; CodeBuild starts with none: +~30 s to download ~940 packages',
  },
  {
    phase: 'npm test (typecheck, lint, lint:cfn, mocha)',
    seconds: 100,
    basis: 'measured: 18.5 + 1.7 + 12.4 + 68 s on a shared 2-vCPU machine',
  },
  {
    phase: 'docker build: base image pull, npm ci again inside the image, bundle, code cache, layers',
    seconds: 90,
    basis:
      "model: ~10 s pull + the npm ci above (its own install in the build stage) + 5 s bundle and cache + ~15 s export; ~20 s in all when the host's layer cache still holds the npm ci layer",
  },
  {
    phase: 'docker push of the new layers (~50 MB the first time)',
    seconds: 15,
    basis: 'stated: in-region ECR push of a small image',
  },
  {
    phase: 'render:artifacts and artifact upload',
    seconds: 10,
    basis: 'stated: one ts-node start (~3 s here) and four small files to S3',
  },
];

/** Seconds one build takes, by the model. */
export function buildSeconds(): number {
  return BUILD_PHASES.reduce((sum, p) => sum + p.seconds, 0);
}

/**
 * Billed CodeBuild minutes of one build: the model's duration rounded up, as CodeBuild bills on-demand
 * builds ("rounded up to the nearest minute": https://aws.amazon.com/codebuild/pricing/).
 */
export function buildMinutes(): number {
  return Math.ceil(buildSeconds() / 60);
}

/** The model as a Markdown table (docs/deploy.md embeds it). */
export function buildTimeTable(): string[] {
  return [
    '| Phase | Seconds | Where the figure comes from |',
    '| --- | ---: | --- |',
    ...BUILD_PHASES.map((p) => `| ${p.phase} | ${p.seconds} | ${p.basis} |`),
    `| **One build** | **${buildSeconds()}** | ≈ ${Math.round(buildSeconds() / 6) / 10} min, billed as ${buildMinutes()} |`,
  ];
}

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

export function monthlyCost(config: PlaygroundConfig, alarmCount: number): CostLine[] {
  const h = ASSUMPTIONS.hoursPerMonth;
  const tasks = config.service.desiredCount * 2;
  const vcpu = config.container.cpu / 1024;
  const gb = config.container.memory / 1024;
  const arch = config.container.architecture;
  const taskHour = taskHourPrice(config);
  const lines: CostLine[] = [
    {
      item: `Fargate: ${tasks} tasks (${config.service.desiredCount} per service) of ${vcpu} vCPU / ${gb} GB, ${arch}`,
      arithmetic: `${tasks} × ${h} h × (${vcpu} × $${PRICES.fargateVcpuHour[arch]} + ${gb} × $${PRICES.fargateGbHour[arch]})`,
      usd: tasks * h * taskHour,
    },
    {
      item: '2 Application Load Balancers',
      arithmetic: `2 × ${h} h × $${PRICES.albHour}`,
      usd: 2 * h * PRICES.albHour,
    },
    {
      item: `ALB capacity units (≈ ${ASSUMPTIONS.lcuPerAlb} LCU each at demo traffic)`,
      arithmetic: `2 × ${h} h × ${ASSUMPTIONS.lcuPerAlb} × $${PRICES.lcuHour}`,
      usd: 2 * h * ASSUMPTIONS.lcuPerAlb * PRICES.lcuHour,
    },
    {
      item: `Public IPv4: ${ASSUMPTIONS.albPublicIps} per ALB`,
      arithmetic: `${2 * ASSUMPTIONS.albPublicIps} × ${h} h × $${PRICES.publicIpv4Hour}`,
      usd: 2 * ASSUMPTIONS.albPublicIps * h * PRICES.publicIpv4Hour,
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

/** One push through both pipelines: two builds, the action minutes and the extra tasks. */
export function perDeployCost(config: PlaygroundConfig): CostLine[] {
  const build = buildMinutes();
  const buildPrice = PRICES.codeBuildMinute[config.build.computeType];
  const bgMinutes = blueGreenMinutes(config);
  const shifts = bgMinutes - ASSUMPTIONS.greenStartMinutes - config.blueGreen.blueTerminationWaitMinutes;
  const rollingActionMinutes = ASSUMPTIONS.sourceMinutes + build + ASSUMPTIONS.rollingDeployMinutes;
  const bgActionMinutes = ASSUMPTIONS.sourceMinutes + build + bgMinutes;
  const n = config.service.desiredCount;
  const extraTaskHour = taskHourPrice(config) + (config.network.natGateways ? 0 : PRICES.publicIpv4Hour);
  const surge = Math.ceil((n * (config.service.maximumPercent - 100)) / 100);
  const lines: CostLine[] = [
    {
      item: `CodeBuild: 2 builds (one per pipeline) of ≈ ${build} min on ${config.build.computeType}`,
      arithmetic: `2 × ${build} min × $${buildPrice}`,
      usd: 2 * build * buildPrice,
    },
    {
      item: 'CodePipeline V2 action minutes (rolling + blue/green)',
      arithmetic: `(${rollingActionMinutes} + ${bgActionMinutes}) min × $${PRICES.pipelineActionMinute}`,
      usd: (rollingActionMinutes + bgActionMinutes) * PRICES.pipelineActionMinute,
    },
    {
      item: `Rolling: ${surge} extra tasks (maximumPercent ${config.service.maximumPercent}) for ≈ ${ASSUMPTIONS.rollingDeployMinutes} min`,
      arithmetic: `${surge} × ${ASSUMPTIONS.rollingDeployMinutes}/60 h × $${round4(extraTaskHour)}`,
      usd: (surge * ASSUMPTIONS.rollingDeployMinutes * extraTaskHour) / 60,
    },
    {
      item: `Blue/green: ${n} green tasks beside blue for ≈ ${bgMinutes} min (start ${ASSUMPTIONS.greenStartMinutes} + traffic shifts ${shifts} + termination wait ${config.blueGreen.blueTerminationWaitMinutes})`,
      arithmetic: `${n} × ${bgMinutes}/60 h × $${round4(extraTaskHour)}`,
      usd: (n * bgMinutes * extraTaskHour) / 60,
    },
  ];
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
