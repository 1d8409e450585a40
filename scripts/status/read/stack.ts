/**
 * Is the strategy's stack deployed, and where is its load balancer? One DescribeStacks; a stack that
 * does not exist answers ValidationError "Stack with id … does not exist"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html).
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AwsCallError } from '../aws';
import type { DescribeContext } from '../context';

/** Stack states that hold no running resources: a failed first creation or an unexecuted change set. */
const EMPTY_STATES = ['REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'DELETE_COMPLETE', 'CREATE_FAILED'];

export interface StackFacts {
  name: string;
  deployed: boolean;
  status?: string;
  outputs: Record<string, string>;
}

export async function readStack(ctx: DescribeContext, name: string): Promise<StackFacts> {
  try {
    const out = await ctx.aws.call('cloudformation:DescribeStacks', (c) =>
      c.cloudformation.send(new DescribeStacksCommand({ StackName: name })),
    );
    const stack = out.Stacks?.[0];
    const outputs: Record<string, string> = {};
    for (const o of stack?.Outputs ?? [])
      if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
    const status = stack?.StackStatus;
    return { name, status, deployed: status !== undefined && !EMPTY_STATES.includes(status), outputs };
  } catch (err) {
    if (err instanceof AwsCallError && err.kind === 'not-found')
      return { name, deployed: false, outputs: {} };
    throw err;
  }
}
