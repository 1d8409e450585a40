/**
 * What `npm run status` reports, as one typed object: the text screen renders it, `--json` prints it.
 * The zod schema IS the documented `--json` shape (docs/status.md describes every field; a test
 * parses real output with it, strictly, so an undocumented field fails the suite).
 *
 * Sections that AWS could not describe are `{ "error": "<what to do>" }` instead of their value, so
 * one missing permission never hides the rest.
 */
import { z } from 'zod';

export const JSON_SCHEMA_VERSION = 1;

const iso = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const sectionError = z.strictObject({ error: z.string() });
/** A section's value, or the error that kept us from reading it. */
const orError = <T extends z.ZodType>(schema: T) => z.union([schema, sectionError]);

export const servingSchema = z.strictObject({
  url: z.string(),
  /** HTTP status, absent when no answer came (refused, timed out). */
  status: z.number().int().optional(),
  /** The `version` field of `/version`, i.e. the commit the load balancer serves now. */
  version: z.string().optional(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

export const ecsDeploymentSchema = z.strictObject({
  id: z.string(),
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  status: z.string(),
  /** IN_PROGRESS, COMPLETED or FAILED (ECS deployment controller only). */
  rolloutState: z.string().optional(),
  rolloutStateReason: z.string().optional(),
  taskDefinition: z.string(),
  desired: z.number().int(),
  running: z.number().int(),
  pending: z.number().int(),
  failedTasks: z.number().int(),
  updatedAt: iso.optional(),
});

export const serviceSchema = z.strictObject({
  name: z.string(),
  /** ACTIVE, DRAINING or INACTIVE; MISSING when the stack exists but the service does not. */
  status: z.string(),
  desired: z.number().int(),
  running: z.number().int(),
  pending: z.number().int(),
  /** `family:revision` of the service's task definition. */
  taskDefinition: z.string().optional(),
  image: z.string().optional(),
  /** The image tag: the commit the build tagged it with. */
  imageTag: z.string().optional(),
  deployments: z.array(ecsDeploymentSchema),
});

export const lifecycleEventSchema = z.strictObject({
  name: z.string(),
  /** Pending, InProgress, Succeeded, Failed, Skipped or Unknown. */
  status: z.string(),
  startedAt: iso.optional(),
  endedAt: iso.optional(),
  /** CodeDeploy's diagnostics for a failed event. */
  message: z.string().optional(),
});

export const hookVerdictSchema = z.strictObject({
  /** The lifecycle event the hook answers (BeforeAllowTraffic). */
  event: z.string(),
  /** Succeeded, Failed, or the event's status while it runs (InProgress, Pending). */
  status: z.string(),
  /** The hook's own reasons, from its verdict log line; empty when it passed or has not reported. */
  reasons: z.array(z.string()),
  expectedVersion: z.string().optional(),
  /** Where the reasons came from; absent when the verdict line was not found. */
  source: z.string().optional(),
});

export const waitSchema = z.strictObject({
  /** `canary-bake`: traffic partly shifted; `termination-wait`: all shifted, old tasks kept. */
  kind: z.enum(['canary-bake', 'termination-wait']),
  endsAt: iso,
  secondsLeft: z.number().int(),
});

export const codeDeploySchema = z.strictObject({
  kind: z.literal('codedeploy'),
  id: z.string(),
  /** Created, Queued, InProgress, Baking, Ready, Succeeded, Failed or Stopped. */
  status: z.string(),
  /** True when the deployment is the current one (not finished). */
  current: z.boolean(),
  config: z.string().optional(),
  createdAt: iso.optional(),
  completedAt: iso.optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  rollbackMessage: z.string().optional(),
  lifecycle: z.array(lifecycleEventSchema),
  hook: hookVerdictSchema.optional(),
  /** Percent of production traffic on each task set. */
  traffic: z.strictObject({ blue: z.number(), green: z.number() }).optional(),
  wait: waitSchema.optional(),
});

export const ecsRolloutSchema = z.strictObject({
  kind: z.literal('ecs-rolling'),
  /** The primary deployment's rollout state. */
  rolloutState: z.string().optional(),
  /** True when the circuit breaker or an alarm rolled the service back. */
  rolledBack: z.boolean(),
  /** Why a deployment failed or rolled back (rolloutStateReason or the service deployment's reason). */
  reason: z.string().optional(),
  serviceDeployment: z
    .strictObject({
      arn: z.string(),
      status: z.string(),
      statusReason: z.string().optional(),
      rollbackReason: z.string().optional(),
      circuitBreaker: z.string().optional(),
      triggeredAlarms: z.array(z.string()),
    })
    .optional(),
});

export const ecsServiceDeploymentSchema = z.strictObject({
  kind: z.literal('ecs-service-deployment'),
  arn: z.string(),
  /** PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, ROLLBACK_*… */
  status: z.string(),
  statusReason: z.string().optional(),
  /** e.g. PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP. */
  lifecycleStage: z.string().optional(),
  /** Percent of production traffic requested for the new and the old revisions. */
  traffic: z.strictObject({ old: z.number(), new: z.number() }).optional(),
  /** `reasons`: the hook's own, from its log line, when it answered FAILED. */
  hooks: z.array(
    z.strictObject({ target: z.string(), status: z.string(), reasons: z.array(z.string()).optional() }),
  ),
  rollbackReason: z.string().optional(),
  canaryPercent: z.number().optional(),
  canaryBakeMinutes: z.number().optional(),
  bakeMinutes: z.number().optional(),
});

export const pipelineSchema = z.strictObject({
  name: z.string(),
  execution: z
    .strictObject({
      id: z.string(),
      /** InProgress, Succeeded, Failed, Stopped, Superseded… */
      status: z.string(),
      commit: z.string().optional(),
      message: z.string().optional(),
      startedAt: iso.optional(),
      ageSeconds: z.number().int().optional(),
    })
    .optional(),
  stages: z.array(z.strictObject({ name: z.string(), status: z.string() })),
});

export const alarmSchema = z.strictObject({
  name: z.string(),
  /** OK, ALARM or INSUFFICIENT_DATA. */
  state: z.string(),
  reason: z.string().optional(),
  since: iso.optional(),
});

/** One word for the strategy's state, the first column of the screen. */
export const PHASES = [
  'not-deployed',
  'stable',
  'deploying',
  'testing',
  'waiting-for-hook',
  'shifting',
  'termination-wait',
  'failed',
  'rolled-back',
  'unknown',
] as const;
export type Phase = (typeof PHASES)[number];

export const strategySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  phase: z.enum(PHASES),
  stack: z.strictObject({ name: z.string(), status: z.string().optional() }),
  /** Present when not deployed: the command that deploys it. */
  deployHint: z.string().optional(),
  serving: orError(servingSchema).optional(),
  service: orError(serviceSchema).optional(),
  deployment: orError(z.union([codeDeploySchema, ecsRolloutSchema, ecsServiceDeploymentSchema])).optional(),
  pipeline: orError(pipelineSchema).optional(),
  alarms: orError(z.array(alarmSchema)).optional(),
});

export const statusReportSchema = z.strictObject({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  generatedAt: iso,
  prefix: z.string(),
  region: z.string(),
  account: z.string().optional(),
  strategies: z.array(strategySchema),
  cost: z.strictObject({
    monthlyUsd: z.number(),
    perPushUsd: z.number(),
    pricesChecked: z.string(),
    note: z.string(),
  }),
  /** Problems that concern the whole account, e.g. nothing deployed in this region. */
  notes: z.array(z.string()),
});

export type Serving = z.infer<typeof servingSchema>;
export type ServiceView = z.infer<typeof serviceSchema>;
export type CodeDeployView = z.infer<typeof codeDeploySchema>;
export type EcsRolloutView = z.infer<typeof ecsRolloutSchema>;
export type EcsServiceDeploymentView = z.infer<typeof ecsServiceDeploymentSchema>;
export type DeploymentView = CodeDeployView | EcsRolloutView | EcsServiceDeploymentView;
export type PipelineView = z.infer<typeof pipelineSchema>;
export type AlarmView = z.infer<typeof alarmSchema>;
export type SectionError = z.infer<typeof sectionError>;
export type OrError<T> = T | SectionError;
export type StrategyStatus = z.infer<typeof strategySchema>;
export type StatusReport = z.infer<typeof statusReportSchema>;

export function isError<T extends object>(section: OrError<T> | undefined): section is SectionError {
  return section !== undefined && 'error' in section && Object.keys(section).length === 1;
}
