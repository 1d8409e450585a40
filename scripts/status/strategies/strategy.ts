/**
 * A deployment strategy, as `npm run status` and `npm run watch` see it: one small describer per
 * strategy (rolling.ts, blue-green.ts, ecs-canary.ts), listed in index.ts. What every strategy has —
 * a stack with a load balancer URL, a pipeline, alarms — is read here once; a describer adds only its
 * service and deployment view. A new strategy is one more module in the list.
 */
import type { Names, StrategyId } from '../../../config';
import { AwsCallError, isFatal } from '../aws';
import type { DescribeContext } from '../context';
import { readAlarms } from '../read/alarms';
import { readPipeline } from '../read/pipeline';
import { readStack, type StackFacts } from '../read/stack';
import type { Phase, StrategyStatus } from '../report';

/** What a describer reports about its own part: the service, the deployment, which alarms to show. */
export interface StrategyParts {
  service: StrategyStatus['service'];
  deployment?: StrategyStatus['deployment'];
  phase: Phase;
  alarmNames: string[];
}

export interface StrategyDescriber {
  /** Short id used in `--json`, CSV files and `--url <id>=<url>`; the id of app.strategies. */
  id: StrategyId;
  title: string;
  stackName(names: Names): string;
  pipelineName(names: Names): string;
  /** What to run when the stack is missing. */
  deployHint: string;
  describe(ctx: DescribeContext): Promise<StrategyParts>;
}

/** The stack output every service stack exports (cloudformation/common.ts EXPORTS). */
export const URL_OUTPUT = 'LoadBalancerUrl';

export interface DescribeOptions {
  /** A stack already read (npm run watch reads stacks once, then only the moving parts). */
  stack?: StackFacts;
  /** Ask the load balancer for /version (default); watch probes on its own schedule instead. */
  probe?: boolean;
}

export async function describeStrategy(
  ctx: DescribeContext,
  s: StrategyDescriber,
  options: DescribeOptions = {},
): Promise<StrategyStatus> {
  const stack = options.stack ?? (await readStack(ctx, s.stackName(ctx.names)));
  const base = { id: s.id, title: s.title, stack: { name: stack.name, status: stack.status } };
  if (!stack.deployed) return { ...base, phase: 'not-deployed', deployHint: s.deployHint };
  const url = stack.outputs[URL_OUTPUT];
  const [serving, parts, pipeline] = await Promise.all([
    url && options.probe !== false ? ctx.probe(url) : Promise.resolve(undefined),
    section(() => s.describe(ctx)),
    section(() => readPipeline(ctx, s.pipelineName(ctx.names))),
  ]);
  const own = 'error' in parts ? undefined : parts;
  const alarms = own ? await section(() => readAlarms(ctx, own.alarmNames)) : undefined;
  return {
    ...base,
    phase: own?.phase ?? 'unknown',
    serving:
      options.probe === false
        ? undefined
        : serving
          ? {
              url: serving.url,
              status: serving.status,
              version: serving.version,
              latencyMs: serving.latencyMs,
              error: serving.error,
            }
          : { error: `stack ${stack.name} has no ${URL_OUTPUT} output` },
    service: 'error' in parts ? parts : parts.service,
    deployment: own?.deployment,
    pipeline,
    alarms,
  };
}

/** Runs one section; an AWS error it can explain becomes the section's `{ error }`, fatal ones stop all. */
export async function section<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (err) {
    if (isFatal(err)) throw err;
    if (err instanceof AwsCallError) return { error: err.message };
    throw err;
  }
}
