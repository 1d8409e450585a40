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
import { buildMinutes } from '../../config/build-model';
import { sourcePhase } from '../timeline/phases';
import { strategiesOf } from '../timeline/strategies';
import { deploySeconds, extraTaskSeconds, releaseTimelines } from '../timeline/timeline';

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
        .map((s) => s.label)
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

/**
 * One push through every pipeline: one build per pipeline (one runs the gate, the others wait for it
 * and are billed alike: the conservative case, with enough concurrent builds), each pipeline's action
 * minutes, and the tasks each strategy runs beside the old ones, all from the release timeline.
 */
export function perDeployCost(config: PlaygroundConfig): CostLine[] {
  const { timelines, build, buildMinutesPerPush, actionMinutes } = pushMinutes(config);
  const n = timelines.length;
  const buildPrice = PRICES.codeBuildMinute[config.build.computeType];
  const lines: CostLine[] = [
    {
      item: `CodeBuild: ${n === 1 ? '1 build (it runs the gate)' : `${n} builds (one per pipeline; one runs the gate, the others wait for it)`} of ≈ ${build} min on ${config.build.computeType}`,
      arithmetic: `${n} × ${build} min × $${buildPrice}`,
      usd: buildMinutesPerPush * buildPrice,
    },
    {
      item: `CodePipeline V2 action minutes (${timelines.map((t) => t.strategy.label).join(' + ')}: source, build, deploy)`,
      arithmetic: `(${actionMinutes.join(' + ')}) min × $${PRICES.pipelineActionMinute}`,
      usd: sum(actionMinutes) * PRICES.pipelineActionMinute,
    },
  ];
  const extraTaskHour = taskHourPrice(config) + (config.network.natGateways ? 0 : PRICES.publicIpv4Hour);
  for (const t of timelines) {
    const tasks = t.strategy.extraTasks(config);
    const minutes = Math.ceil(extraTaskSeconds(t) / 60);
    lines.push({
      item: `${t.strategy.title}: ${tasks} extra tasks beside the old ones for ≈ ${minutes} min (release timeline: \`npm run plan\`)`,
      arithmetic: `${tasks} × ${minutes}/60 h × $${round4(extraTaskHour)}`,
      usd: (tasks * minutes * extraTaskHour) / 60,
    });
  }
  return lines;
}

/** The billed minutes of one push: a build per pipeline, and each pipeline's action minutes. */
export function pushMinutes(config: PlaygroundConfig) {
  const timelines = releaseTimelines(config);
  const build = buildMinutes();
  const sourceMinutes = Math.ceil(sourcePhase().seconds / 60);
  const actionMinutes = timelines.map((t) => sourceMinutes + build + Math.ceil(deploySeconds(t) / 60));
  return { timelines, build, buildMinutesPerPush: timelines.length * build, actionMinutes };
}

/**
 * Pushes a month the free tiers cover: 100 CodeBuild build minutes (https://aws.amazon.com/codebuild/pricing/)
 * and 100 CodePipeline V2 action execution minutes (https://aws.amazon.com/codepipeline/pricing/).
 */
export function freeTierPushes(config: PlaygroundConfig): number {
  const { buildMinutesPerPush, actionMinutes } = pushMinutes(config);
  return Math.floor(Math.min(100 / buildMinutesPerPush, 100 / sum(actionMinutes)));
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

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
