// Strips the default rules from the VPC's default security group: the network stack's custom
// resource RestrictDefaultSecurityGroup. Embedded verbatim as the function's Code.ZipFile by
// cloudformation/default-security-group/index.ts; CloudFormation saves it as index.js, a CommonJS
// module, and the Node.js runtime provides @aws-sdk/client-ec2.

const {
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} = require('@aws-sdk/client-ec2');

const ec2 = new EC2Client({});

/** Waits before retrying a call IAM does not allow yet (a new role's policy takes a few seconds). */
exports.retryDelaysMs = [2000, 4000, 8000, 16000];

// The two rules AWS gives a new VPC's default security group: all traffic in from the group itself,
// all IPv4 traffic out (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html;
// ::/0 is added only for a VPC with an IPv6 block, which this one has not).
const selfIngress = (groupId, account) => ({
  GroupId: groupId,
  IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId, UserId: account }] }],
});
const allEgress = (groupId) => ({
  GroupId: groupId,
  IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
});

function validated(props) {
  const groupId = props.DefaultSecurityGroupId;
  const account = props.Account;
  if (typeof groupId !== 'string' || !/^sg-[0-9a-f]+$/.test(groupId)) {
    throw new Error(
      `DefaultSecurityGroupId must be a security group id (sg-...), got ${JSON.stringify(groupId)}: ` +
        'pass Fn::GetAtt [<VPC>, DefaultSecurityGroup]',
    );
  }
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) {
    throw new Error(
      `Account must be a 12-digit account id, got ${JSON.stringify(account)}: pass Ref AWS::AccountId`,
    );
  }
  return { groupId, account };
}

async function revoke(command) {
  for (let attempt = 0; ; attempt++) {
    try {
      await ec2.send(command);
      return;
    } catch (error) {
      // The rule is gone already, which is the goal: a non-default VPC answers a revoke of a missing
      // rule with InvalidPermission.NotFound (EC2 API reference, RevokeSecurityGroupIngress).
      if (error.name === 'InvalidPermission.NotFound') return;
      // IAM is eventually consistent: the role created just before may not be allowed yet
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
      const delay = exports.retryDelaysMs[attempt];
      if (error.name !== 'UnauthorizedOperation' || delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

exports.handler = async (event, context) => {
  let status = 'SUCCESS';
  let reason = `Log stream ${context.logStreamName}`;
  // The group's id, stable while the VPC lives; a new VPC (a new id) makes this an Update that
  // CloudFormation follows with a Delete of the old id, which has nothing to undo.
  let physicalId = event.PhysicalResourceId;
  try {
    // Delete leaves the group as it is: the VPC (and its default group) goes with the stack, and
    // rules put back by a replaced resource's Delete would reopen a group another resource closed.
    if (event.RequestType !== 'Delete') {
      const { groupId, account } = validated(event.ResourceProperties);
      physicalId = groupId;
      await revoke(new RevokeSecurityGroupEgressCommand(allEgress(groupId)));
      await revoke(new RevokeSecurityGroupIngressCommand(selfIngress(groupId, account)));
    }
  } catch (error) {
    status = 'FAILED';
    reason = `${error.name}: ${error.message}`.slice(0, 1000);
  }
  console.log(JSON.stringify({ requestType: event.RequestType, physicalId, status, reason }));
  // The response object of https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html,
  // PUT to the presigned S3 URL with an empty content type (the URL is signed without one).
  const response = await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify({
      Status: status,
      Reason: reason,
      PhysicalResourceId: physicalId || event.LogicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }),
  });
  if (!response.ok)
    throw new Error(`uploading the response to CloudFormation failed: HTTP ${response.status}`);
};
