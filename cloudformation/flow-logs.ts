/**
 * VPC flow logs of the network stack: rejected traffic of the whole VPC, to a log group of its own,
 * written by a role only VPC flow logs of this account and region can assume.
 */
import { EC2, Fn, IAM, Logs, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { tags, withLifecycle } from './common';
import { policyDocument, trustPolicy } from './iam';
import { accountArn, STACK_UUID } from './intrinsics';

/** Logical IDs (NETWORK lists them too: they are the network stack's). */
export const FLOW_LOGS = {
  LogGroup: 'FlowLogGroup',
  Role: 'FlowLogRole',
  FlowLog: 'FlowLog',
} as const;

type Resources = NonNullable<Template['Resources']>;

export function flowLogs(config: PlaygroundConfig, vpcId: string): Resources {
  const names = namesFor(config);
  return {
    // Flow logs of REJECTED traffic only: what a security review asks for (who knocked on closed
    // ports), at a volume of kilobytes a day; ACCEPT logs of every request would cost real money.
    // Kept when the stack is deleted or the group replaced: the network's security record (who knocked
    // on closed ports) outlives the VPC for its retention period, the time an investigation after a
    // teardown needs; its events then expire (the empty group stays until deleted by hand). Not on a
    // failed first create (RetainExceptOnCreate), which leaves nothing worth keeping. The name ends in
    // the stack's UUID, new for every stack created, so a retained group never blocks the next deploy
    // after `npm run destroy` (a fixed name would: "already exists").
    [FLOW_LOGS.LogGroup]: withLifecycle(
      new Logs.LogGroup({
        LogGroupName: Fn.Sub(`/vpc/${names.prefix}/flow-logs/\${StackUuid}`, { StackUuid: STACK_UUID }),
        RetentionInDays: config.logs.retentionDays,
      }),
      { onStackDelete: 'RetainExceptOnCreate', onReplace: 'Retain' },
    ),
    [FLOW_LOGS.Role]: new IAM.Role({
      Description: `Lets VPC flow logs of ${names.prefix} write to their log group`,
      // Confused-deputy guard: only flow logs of this account and region may use the role.
      AssumeRolePolicyDocument: trustPolicy('vpc-flow-logs.amazonaws.com', {
        sourceArn: accountArn('ec2', 'vpc-flow-log/*'),
      }),
      Policies: [
        {
          PolicyName: 'write-flow-logs',
          PolicyDocument: policyDocument([
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: Fn.GetAtt(FLOW_LOGS.LogGroup, 'Arn'),
            },
          ]),
        },
      ],
      Tags: tags(config),
    }),
    [FLOW_LOGS.FlowLog]: new EC2.FlowLog({
      ResourceId: Fn.Ref(vpcId),
      ResourceType: 'VPC',
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: Fn.Ref(FLOW_LOGS.LogGroup),
      DeliverLogsPermissionArn: Fn.GetAtt(FLOW_LOGS.Role, 'Arn'),
      // 10 minutes (the default and the cheapest aggregation): nobody reads these in real time.
      MaxAggregationInterval: 600,
      Tags: tags(config, { Name: `${names.prefix}-flow-log` }),
    }),
  };
}
