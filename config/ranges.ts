/**
 * Bounds of the config values that are read back from the environment at run time: the app and the
 * hook check the variables the task definition and serverless.ts render from these values, and their
 * bundles must not carry the zod schema. The schema builds its rules from these bounds (schema.ts),
 * and the environment contracts (contracts/) hand them to the readers, so the two cannot drift.
 */

/** `[min, max]`, both allowed. */
export type Range = readonly [min: number, max: number];

export const RANGES = {
  container: {
    /** Unprivileged ports only: the container runs as a non-root user. */
    port: [1024, 65535],
    /** Seconds ECS waits after SIGTERM before SIGKILL; Fargate allows at most 120. */
    stopTimeoutSeconds: [2, 120],
  },
  loadBalancer: {
    /** The ALB's own limits. */
    idleTimeoutSeconds: [1, 4000],
  },
  hook: {
    probeCount: [1, 100],
    requestTimeoutMs: [100, 30000],
    connectRetries: [0, 5],
    timeBudgetSeconds: [5, 840],
    /** 840 + 60 stays within Lambda's 900-second limit. */
    reportReserveSeconds: [5, 60],
    /** Longest probing of one ECS invocation before it answers IN_PROGRESS (and at most the budget). */
    ecsInvocationSeconds: [1, 840],
    /**
     * `callBackDelay` of an IN_PROGRESS answer. ECS documents a 30 s default and shows 60 s, but no
     * bounds; 5 minutes at most keeps a slow check from stalling a deployment between invocations.
     */
    ecsCallBackDelaySeconds: [1, 300],
  },
} as const satisfies Record<string, Record<string, Range>>;
