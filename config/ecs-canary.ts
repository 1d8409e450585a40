/**
 * The ECS canary's part of the config: the `ecsCanary` section (ECS's CanaryConfiguration and bake
 * time; the pipeline's wait is derived from them, timeouts.ts) and the rules that relate it, and the hook's ECS invocation slice, to
 * other fields. AWS's ranges: CanaryPercent 0.1-100 in steps of 0.1, CanaryBakeTimeInMinutes and
 * BakeTimeInMinutes 0-1440
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-deploymentconfiguration.html;
 * cfn-lint's AWS::ECS::Service schema carries the same bounds).
 */
import { z } from 'zod';
import { int } from './fields';
import { type HookBudgetConfig, probePlan, requestWorstCaseMs } from './hook-budget';

const PERCENT = 'must be a percentage from 0.1 to 100 in steps of 0.1';

export const ecsCanarySchema = z.strictObject({
  /** Percent of production traffic the new revision gets first (CanaryConfiguration.CanaryPercent). */
  canaryPercent: z
    .number({ error: PERCENT })
    .refine((v) => v >= 0.1 && v <= 100 && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, { error: PERCENT }),
  /** Minutes at canaryPercent before the rest shifts (CanaryBakeTimeInMinutes). */
  canaryBakeMinutes: int(0, 1440),
  /** Minutes the old revision is kept after the full shift, for an instant rollback (BakeTimeInMinutes). */
  bakeTimeMinutes: int(0, 1440),
});

export type EcsCanaryConfig = z.infer<typeof ecsCanarySchema>;

interface Checked extends HookBudgetConfig {
  app: { strategies: readonly string[] };
  hook: HookBudgetConfig['hook'] & { ecsInvocationSeconds: number };
  ecsCanary: EcsCanaryConfig;
}

/** Cross-field rules of the ECS canary (only when the config runs it); each names the field it blames. */
export function checkEcsCanary(c: Checked, ctx: z.core.$RefinementCtx): void {
  if (!c.app.strategies.includes('canary')) return;
  // One invocation must finish one request with all its tries, so that a hang is judged (FAILED)
  // rather than carried over. (The hook itself caps a slice by the probing budget left.)
  const oneRequest = Math.ceil(requestWorstCaseMs(probePlan(c)) / 1000);
  if (c.hook.ecsInvocationSeconds < oneRequest) {
    ctx.addIssue({
      code: 'custom',
      path: ['hook', 'ecsInvocationSeconds'],
      input: c.hook.ecsInvocationSeconds,
      message: `must cover one request with all its tries (${oneRequest} s with hook.requestTimeoutMs and hook.connectRetries)`,
    });
  }
}
