/**
 * The hook's own verdict and reasons for one deployment. CodeDeploy only records that the
 * BeforeAllowTraffic hook answered Failed, ECS that its lifecycle hook did; WHY is in the hook's one
 * JSON log line per invocation (`"msg":"BeforeAllowTraffic verdict"` with `deploymentId`, or
 * `"msg":"ECS lifecycle hook verdict"` with `serviceDeploymentArn`; docs/hook.md#reading-its-log).
 * FilterLogEvents finds it by two quoted terms, which match anywhere in an unstructured event such as Lambda's
 * `<time>\t<request id>\tINFO\t{json}` line
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsCallError } from '../aws';
import type { DescribeContext } from '../context';

export const VERDICT_MESSAGE = 'BeforeAllowTraffic verdict';

/** How one protocol's verdict line is found: its `msg`, and the field that names the deployment. */
export interface VerdictLineKind {
  msg: string;
  idField: string;
}

export const CODEDEPLOY_VERDICT: VerdictLineKind = { msg: VERDICT_MESSAGE, idField: 'deploymentId' };
/** hook/ecs.ts ECS_VERDICT_MESSAGE; the hook logs the service deployment ARN as `serviceDeploymentArn`. */
export const ECS_VERDICT: VerdictLineKind = {
  msg: 'ECS lifecycle hook verdict',
  idField: 'serviceDeploymentArn',
};

export interface HookLogVerdict {
  status?: string;
  reasons: string[];
  expectedVersion?: string;
  /** Where the reasons came from, or why they could not be read. */
  source: string;
}

/** `since`: when the lifecycle event started; the search starts a minute before, to allow clock skew. */
export async function readHookVerdict(
  ctx: DescribeContext,
  deploymentId: string,
  since: Date | undefined,
  kind: VerdictLineKind = CODEDEPLOY_VERDICT,
): Promise<HookLogVerdict> {
  const logGroupName = ctx.names.hookLogGroup;
  try {
    const out = await ctx.aws.call('logs:FilterLogEvents', (c) =>
      c.logs.send(
        new FilterLogEventsCommand({
          logGroupName,
          filterPattern: `"${kind.msg}" "${deploymentId}"`,
          startTime: since ? since.getTime() - 60_000 : undefined,
          limit: 10,
        }),
      ),
    );
    for (const event of [...(out.events ?? [])].reverse()) {
      const parsed = parseVerdictLine(event.message ?? '', kind);
      if (parsed && parsed.deploymentId === deploymentId) {
        return {
          status: parsed.status,
          reasons: parsed.reasons,
          expectedVersion: parsed.expectedVersion,
          source: `${logGroupName} (${event.logStreamName ?? 'log stream'})`,
        };
      }
    }
    return { reasons: [], source: `no verdict line for ${deploymentId} in ${logGroupName}` };
  } catch (err) {
    if (err instanceof AwsCallError && err.kind !== 'credentials' && err.kind !== 'region') {
      return { reasons: [], source: `not read: ${err.message}` };
    }
    throw err;
  }
}

interface VerdictLine {
  deploymentId?: string;
  status?: string;
  reasons: string[];
  expectedVersion?: string;
}

/** The JSON object of a verdict line, with or without Lambda's text prefix. */
export function parseVerdictLine(
  message: string,
  kind: VerdictLineKind = CODEDEPLOY_VERDICT,
): VerdictLine | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const json = JSON.parse(message.slice(start)) as Record<string, unknown>;
    if (json.msg !== kind.msg) return undefined;
    const id = json[kind.idField];
    const status = json.status ?? json.hookStatus;
    return {
      deploymentId: typeof id === 'string' ? id : undefined,
      status: typeof status === 'string' ? status : undefined,
      reasons: Array.isArray(json.reasons)
        ? json.reasons.filter((r): r is string => typeof r === 'string')
        : [],
      expectedVersion: typeof json.expectedVersion === 'string' ? json.expectedVersion : undefined,
    };
  } catch {
    return undefined;
  }
}
