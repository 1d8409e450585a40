/**
 * The alarms that roll a strategy back, by name, with their state
 * (DescribeAlarms: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
 * The names come from the service or the deployment group itself, so what is shown is exactly what
 * ECS or CodeDeploy watches.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { type DescribeContext, isoTime } from '../context';
import type { AlarmView } from '../report';

/** DescribeAlarms accepts up to 100 names per call; a strategy has a handful. */
const MAX_NAMES = 100;

export async function readAlarms(ctx: DescribeContext, names: readonly string[]): Promise<AlarmView[]> {
  if (names.length === 0) return [];
  const out = await ctx.aws.call('cloudwatch:DescribeAlarms', (c) =>
    c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(0, MAX_NAMES) })),
  );
  const found = new Map((out.MetricAlarms ?? []).map((a) => [a.AlarmName, a]));
  return names.map((name) => {
    const a = found.get(name);
    if (!a) return { name, state: 'MISSING' };
    return {
      name,
      state: a.StateValue ?? 'UNKNOWN',
      reason: a.StateReason,
      since: isoTime(a.StateUpdatedTimestamp),
    };
  });
}
