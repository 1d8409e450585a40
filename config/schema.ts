/**
 * The shape of the project's one config, and every rule a value must satisfy.
 *
 * Each rule's message says what is allowed, so that a bad value fails at synth time with
 * `<field>=<value>: <what is allowed>` (see `formatIssue` in load.ts).
 */
import { partition } from '@aws-sdk/util-endpoints';
import { z } from 'zod';
import {
  CODEBUILD_BUILD_QUOTAS,
  CODEBUILD_COMPUTE_TYPES,
  CPU_ARCHITECTURES,
  ECS_PREDEFINED_DEPLOYMENT_CONFIGS,
  FARGATE_CPUS,
  FARGATE_MEMORY_BY_CPU,
  LOAD_BALANCING_ALGORITHMS,
  LOG_RETENTION_DAYS,
} from './allowed';
import { checkEcsCanary, ecsCanarySchema } from './ecs-canary';
import { flag, int, list, name, oneOf } from './fields';
import { describeWorstCase, minimumTimeBudgetSeconds, probePlan } from './hook-budget';
import { RANGES } from './ranges';
import { STRATEGY_IDS } from './stacks';

const UNKNOWN_REGION =
  'not a region the AWS SDK knows (its partition metadata lists no such region): use a region code such as us-west-2 or eu-central-1';

/**
 * True for a region the installed AWS SDK's partition metadata lists (aws, aws-cn, aws-us-gov, …).
 * `partition()` matches any well-formed name by regex too (`us-west-9` → partition aws), but only a
 * listed region carries the region's description (e.g. "US West (Oregon)"); the `*-global` entries
 * are global endpoints, not regions a stack can live in.
 */
export function isKnownRegion(region: string): boolean {
  if (region.endsWith('-global')) return false;
  // EndpointPartition's type omits the per-region fields that partition() spreads into its result.
  return (partition(region) as { description?: string }).description !== undefined;
}

const cidr = z
  .string({ error: 'must be an IPv4 CIDR block such as 10.0.0.0/16' })
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/, {
    error: 'must be an IPv4 CIDR block such as 10.0.0.0/16',
  });

const arn = (service: string) =>
  z
    .string({ error: `must be an ARN of ${service}` })
    .regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, {
      error: `must be an ARN of ${service} (arn:aws:…)`,
    });

const customDeploymentConfig = z.strictObject({
  /** Name of the AWS::CodeDeploy::DeploymentConfig this project creates. */
  name: name(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 letters, digits, ".", "_" or "-"'),
  type: oneOf(['TimeBasedCanary', 'TimeBasedLinear'] as const),
  /** Percent of traffic shifted in the first (canary) or every (linear) step. */
  percentage: int(1, 99),
  /** Minutes between steps. */
  intervalMinutes: int(1, 2880),
});

export const configSchema = z
  .strictObject({
    app: z.strictObject({
      /** Prefix of every AWS name; lowercase because ECR repository names must be. */
      name: name(
        /^[a-z][a-z0-9-]{1,14}$/,
        'must be 2-15 characters (so ALB and target group names fit in 32): lowercase letters, digits and "-", starting with a letter',
      ),
      stage: z.string({ error: 'must be a string' }),
      /** Stages a user may deploy; anything else is rejected (typos deploy nothing). */
      stages: z
        .array(name(/^[a-z][a-z0-9]{0,7}$/, 'each stage must be 1-8 lowercase letters or digits'), {
          error: 'must be a list of stage names',
        })
        .min(1, { error: 'must name at least one stage' }),
      /** Checked against the regions the installed AWS SDK knows, not a hand-written list. */
      region: z
        .string({ error: 'must be an AWS region code such as us-west-2' })
        .refine(isKnownRegion, { error: UNKNOWN_REGION }),
      /**
       * The deployment strategies this account runs, each a service stack and a pipeline: `rolling`,
       * `bluegreen` (CodeDeploy), `canary` (ECS's own). A strategy left out has no stack, pipeline,
       * hook permission or cost line.
       */
      strategies: z
        .array(oneOf(STRATEGY_IDS), {
          error: `must be a list of strategies (allowed: ${list(STRATEGY_IDS)})`,
        })
        .min(1, { error: `must name at least one strategy (allowed: ${list(STRATEGY_IDS)})` })
        .refine((v) => new Set(v).size === v.length, { error: 'must name each strategy once' }),
    }),
    container: z.strictObject({
      name: name(/^[A-Za-z0-9_-]{1,255}$/, 'must be 1-255 letters, digits, "_" or "-" (ECS container name)'),
      port: int(...RANGES.container.port),
      cpu: z
        .number({ error: `Fargate accepts ${list(FARGATE_CPUS)}` })
        .refine((v) => FARGATE_CPUS.includes(v), { error: `Fargate accepts ${list(FARGATE_CPUS)}` }),
      memory: z.number({ error: 'must be a number of MiB' }),
      architecture: oneOf(CPU_ARCHITECTURES),
      /** Seconds ECS waits after SIGTERM before SIGKILL; Fargate allows at most 120. */
      stopTimeoutSeconds: int(...RANGES.container.stopTimeoutSeconds),
    }),
    service: z.strictObject({
      desiredCount: int(1, 100),
      minimumHealthyPercent: int(0, 100),
      maximumPercent: int(100, 200),
      healthCheckGracePeriodSeconds: int(0, 2147483647),
    }),
    healthCheck: z.strictObject({
      path: name(/^\/[\x21-\x7e]{0,1023}$/, 'must start with "/" (ALB health check path)'),
      intervalSeconds: int(5, 300),
      timeoutSeconds: int(2, 120),
      healthyThresholdCount: int(2, 10),
      unhealthyThresholdCount: int(2, 10),
    }),
    loadBalancer: z.strictObject({
      idleTimeoutSeconds: int(...RANGES.loadBalancer.idleTimeoutSeconds),
      deregistrationDelaySeconds: int(0, 3600),
      algorithm: oneOf(LOAD_BALANCING_ALGORITHMS),
      /** Port of the blue/green ALB's test listener (CodeDeploy routes it to green first). */
      testListenerPort: int(1, 65535),
      /**
       * Who may use the test listener before a release is live. `open` (default): anyone who knows
       * the port; its default action forwards, the setup AWS documents for CodeDeploy.
       * `header-token`: only requests that carry the per-stack token header (the hook reads it from
       * the listener rule); anyone else gets 404. Hardening that relies on CodeDeploy re-pointing
       * the rule, which AWS does not document: confirm it with one real deployment.
       */
      testListenerAccess: oneOf(['header-token', 'open'] as const),
      /** When set, the production listeners serve HTTPS on 443 with this ACM certificate. */
      certificateArn: arn('an ACM certificate').optional(),
    }),
    blueGreen: z.strictObject({
      deploymentConfig: z.union([z.enum(ECS_PREDEFINED_DEPLOYMENT_CONFIGS), customDeploymentConfig], {
        error: `allowed: ${list(ECS_PREDEFINED_DEPLOYMENT_CONFIGS)}, or a custom {name, type, percentage, intervalMinutes}`,
      }),
      /** Minutes CodeDeploy keeps the old (blue) tasks after all traffic moved; 2 days at most. */
      blueTerminationWaitMinutes: int(0, 2880),
    }),
    ecsCanary: ecsCanarySchema,
    alarms: z.strictObject({
      /** 5xx answers from the targets (or the ALB itself) per period that trip an alarm. */
      target5xxThreshold: int(1, 100000),
      elb5xxThreshold: int(1, 100000),
      periodSeconds: z.union([z.literal(10), z.literal(30), z.literal(60)], {
        error: 'allowed: 10, 30, 60 (ALB metrics are published every 60 s; 10 and 30 are high-resolution)',
      }),
      evaluationPeriods: int(1, 10),
    }),
    hook: z.strictObject({
      /** Requests to the test listener's /version; every one must show the new version. */
      probeCount: int(...RANGES.hook.probeCount),
      requestTimeoutMs: int(...RANGES.hook.requestTimeoutMs),
      /** Extra tries of one probe when the connection fails (refused, reset, timed out). */
      connectRetries: int(...RANGES.hook.connectRetries),
      /** Also require `GET <healthCheck.path>` to answer 200 through the test listener. */
      checkHealthPath: flag,
      /**
       * The hook's whole budget (discovery + probing); the Lambda timeout is derived from it. Must
       * cover the worst case config/hook-budget.ts computes from the settings above.
       */
      timeBudgetSeconds: int(...RANGES.hook.timeBudgetSeconds),
      /**
       * Seconds the Lambda timeout adds to timeBudgetSeconds so that the status report (with its
       * retries) still runs after a probe used the whole budget; 840 + 60 stays within Lambda's 900.
       */
      reportReserveSeconds: int(...RANGES.hook.reportReserveSeconds),
      memoryMb: int(128, 10240),
      /**
       * Longest probing in one invocation by ECS (canary strategy): a check that needs more answers
       * IN_PROGRESS and goes on in the next invocation, within timeBudgetSeconds of probing in all.
       */
      ecsInvocationSeconds: int(...RANGES.hook.ecsInvocationSeconds),
      /** Seconds ECS waits before the next invocation after IN_PROGRESS (`callBackDelay`). */
      ecsCallBackDelaySeconds: int(...RANGES.hook.ecsCallBackDelaySeconds),
    }),
    github: z.strictObject({
      owner: name(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub user or organisation name'),
      repo: name(/^[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository name'),
      branch: name(/^[^\s~^:?*[\\]{1,255}$/, 'must be a git branch name'),
      /** Existing CodeConnections/CodeStar connection; when absent the pipelines stack creates one. */
      connectionArn: arn('a CodeConnections connection').optional(),
    }),
    logs: z.strictObject({
      retentionDays: z
        .number({ error: `allowed: ${list(LOG_RETENTION_DAYS)}` })
        .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
          error: `allowed: ${list(LOG_RETENTION_DAYS)}`,
        }),
    }),
    network: z.strictObject({
      vpcCidr: cidr,
      publicSubnetCidrs: z.tuple([cidr, cidr], { error: 'must be a list of 2 CIDR blocks' }),
      privateSubnetCidrs: z.tuple([cidr, cidr], { error: 'must be a list of 2 CIDR blocks' }),
      /** Private subnets + one NAT gateway per AZ (~$32/month each). Off: tasks use public IPs. */
      natGateways: flag,
    }),
    cluster: z.strictObject({
      /** CloudWatch Container Insights: per-task metrics, billed as custom metrics. */
      containerInsights: flag,
    }),
    registry: z.strictObject({
      /** Commit-tagged images kept by the ECR lifecycle policy (older ones expire). */
      keepImages: int(1, 1000),
    }),
    build: z.strictObject({
      computeType: oneOf(CODEBUILD_COMPUTE_TYPES),
    }),
    pipelines: z.strictObject({
      /** Days pipeline artifacts live in the artifact bucket before they expire. */
      artifactExpiryDays: int(1, 3650),
    }),
  })
  .superRefine((c, ctx) => {
    // Rules that relate two fields. Each names the field it blames.
    const allowedMemory = FARGATE_MEMORY_BY_CPU[c.container.cpu];
    if (allowedMemory && !allowedMemory.includes(c.container.memory)) {
      ctx.addIssue({
        code: 'custom',
        path: ['container', 'memory'],
        input: c.container.memory,
        message: `not valid with container.cpu=${c.container.cpu} (allowed: ${list(allowedMemory)})`,
      });
    }
    if (!c.app.stages.includes(c.app.stage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['app', 'stage'],
        input: c.app.stage,
        message: `unknown stage (allowed: ${list(c.app.stages)})`,
      });
    }
    if (c.healthCheck.timeoutSeconds >= c.healthCheck.intervalSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['healthCheck', 'timeoutSeconds'],
        input: c.healthCheck.timeoutSeconds,
        message: `must be less than healthCheck.intervalSeconds=${c.healthCheck.intervalSeconds} (ALB rule)`,
      });
    }
    if ([80, 443].includes(c.loadBalancer.testListenerPort)) {
      ctx.addIssue({
        code: 'custom',
        path: ['loadBalancer', 'testListenerPort'],
        input: c.loadBalancer.testListenerPort,
        message: 'must differ from the production listener ports 80 and 443',
      });
    }
    // Every build runs under a concurrent-build quota the deploy's preflight reads by name.
    const quotas = CODEBUILD_BUILD_QUOTAS[c.container.architecture];
    if (!quotas[c.build.computeType]) {
      ctx.addIssue({
        code: 'custom',
        path: ['build', 'computeType'],
        input: c.build.computeType,
        message:
          `not with container.architecture=${c.container.architecture}: Service Quotas has no concurrent-build quota ` +
          `for it, so the deploy's preflight could not check or request one (allowed: ${list(Object.keys(quotas))})`,
      });
    }
    // The hook's real worst case (config/hook-budget.ts), so that a slow but correct green is never
    // failed by the budget.
    const plan = probePlan(c);
    if (c.hook.timeBudgetSeconds < minimumTimeBudgetSeconds(plan)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hook', 'timeBudgetSeconds'],
        input: c.hook.timeBudgetSeconds,
        message: `must cover the hook's worst case: ${describeWorstCase(plan)}`,
      });
    }
    checkEcsCanary(c, ctx);
  });

/** Default GitHub owner: a placeholder that `npm run deploy` refuses, so nobody builds our fork by accident. */
export const PLACEHOLDER_GITHUB_OWNER = 'your-github-user';

export type PlaygroundConfig = z.infer<typeof configSchema>;
export type CustomDeploymentConfig = z.infer<typeof customDeploymentConfig>;

/** A partial config, as written in an overrides file. */
export type ConfigOverrides = { [K in keyof PlaygroundConfig]?: Partial<PlaygroundConfig[K]> };
