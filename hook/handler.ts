/**
 * The hook's entry point (serverless.ts `hook/handler.handler`): one function for both protocols
 * that call it.
 *
 * - CodeDeploy (blue/green service, BeforeAllowTraffic): an event with `DeploymentId` and
 *   `LifecycleEventHookExecutionId`; the verdict is reported to CodeDeploy exactly once
 *   (codedeploy.ts). Anything that is not an ECS payload is held to this shape, so a malformed
 *   event fails with CodeDeploy's message, as before.
 * - ECS (canary service, a Lambda lifecycle hook): a payload with `executionDetails` /
 *   `lifecycleStage`; the verdict is RETURNED as `hookStatus` (ecs.ts).
 *
 * Both share discovery's building blocks, the decision (check.ts) and the time budget.
 */
import { codeDeployHook, type HookEvent, type HookResult } from './codedeploy';
import { ecsHook } from './ecs';
import { type EcsHookResult, isEcsPayload } from './ecs-event';
import { defaultClients, type HandlerDeps, type HookContext } from './invocation';

export type { HookEvent, HookResult } from './codedeploy';
export type { EcsHookResult } from './ecs-event';
export type { HandlerDeps, HookContext } from './invocation';

/** An ECS lifecycle hook payload, as far as the type system tells it from a CodeDeploy event. */
export interface EcsPayloadShape {
  executionDetails: Record<string, unknown>;
  lifecycleStage: string;
}

/** The handler, typed by the protocol its event belongs to. */
export interface Handler {
  (event: HookEvent, context?: HookContext): Promise<HookResult>;
  (event: EcsPayloadShape, context?: HookContext): Promise<EcsHookResult>;
  (event: unknown, context?: HookContext): Promise<HookResult | EcsHookResult>;
}

export function createHandler(overrides: Partial<HandlerDeps> = {}): Handler {
  const deps: HandlerDeps = {
    clients: defaultClients,
    env: process.env,
    log: (line) => console.log(line),
    report: {},
    ...overrides,
  };
  const codeDeploy = codeDeployHook(deps);
  const ecs = ecsHook(deps);
  return ((event: unknown, context?: HookContext) =>
    isEcsPayload(event) ? ecs(event, context) : codeDeploy(event, context)) as Handler;
}

export const handler = createHandler();
