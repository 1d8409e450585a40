/**
 * The VPC's default security group, stripped of its rules. Every VPC gets one, with AWS's default
 * rules (all traffic in from itself, all traffic out); it cannot be deleted, and EC2 attaches it to
 * anything launched into the VPC without a group
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html). Nothing of the kit
 * uses it, so it should allow nothing: Security Hub control EC2.2 and AWS Config's
 * vpc-default-security-group-closed flag a default group with any rule
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2).
 *
 * CloudFormation has no property for it: AWS::EC2::VPC only exposes the group's id
 * (`Fn::GetAtt [Vpc, DefaultSecurityGroup]`), and the request for one is open
 * (aws-cloudformation/cloudformation-coverage-roadmap#658). So, as CDK's
 * `restrictDefaultSecurityGroup` does (aws/aws-cdk#25297), a custom resource revokes the two rules:
 * a small Lambda function whose code (handler.js, tested on its own) is inline in the template,
 * allowed to revoke rules of that one group only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fn, IAM, Lambda, Logs, Refs, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../../config';
import { tags, withLifecycle } from '../common';
import { policyDocument, trustPolicy } from '../iam';

/** Logical IDs of the default-security-group resources (a contract, like NETWORK). */
export const DEFAULT_SECURITY_GROUP = {
  Restrict: 'RestrictDefaultSecurityGroup',
  Function: 'RestrictDefaultSecurityGroupFunction',
  Role: 'RestrictDefaultSecurityGroupRole',
  LogGroup: 'RestrictDefaultSecurityGroupLogGroup',
} as const;

/** The custom resource's type name (`Custom::` + up to 60 characters). */
export const RESTRICT_DEFAULT_SG_TYPE = 'Custom::RestrictDefaultSecurityGroup';

/** The function's source, embedded verbatim as Code.ZipFile (CloudFormation saves it as index.js). */
export const HANDLER_SOURCE = readFileSync(join(__dirname, 'handler.js'), 'utf8');

/**
 * Node.js 24: the current Lambda LTS runtime, with AWS SDK v3 (client-ec2) included
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html); the handler is async, as
 * Node.js 24 requires (no callback handlers).
 */
export const HANDLER_RUNTIME = 'nodejs24.x';

/** The handler's worst case is two calls with four IAM-propagation retries each (~60 s): twice that. */
const FUNCTION_TIMEOUT_SECONDS = 120;
/**
 * How long CloudFormation waits for the function's answer before failing the operation; without it
 * a function that never answers holds the stack for the default hour
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html).
 */
const SERVICE_TIMEOUT_SECONDS = 300;

type Resources = NonNullable<Template['Resources']>;

/** The custom resource, its function, role and log group, for the VPC with logical ID `vpcId`. */
export function restrictDefaultSecurityGroup(config: PlaygroundConfig, vpcId: string): Resources {
  const ids = DEFAULT_SECURITY_GROUP;
  const groupId = Fn.GetAtt(vpcId, 'DefaultSecurityGroup');
  return {
    [ids.Restrict]: {
      Type: RESTRICT_DEFAULT_SG_TYPE,
      Properties: {
        ServiceToken: Fn.GetAtt(ids.Function, 'Arn'),
        // A string, as the property is typed (CDK renders it the same way).
        ServiceTimeout: String(SERVICE_TIMEOUT_SECONDS),
        DefaultSecurityGroupId: groupId,
        Account: Refs.AccountId,
      },
    },
    // Logs one line per stack operation; its name is CloudFormation's (LoggingConfig points the
    // function at it), so deleting it with the stack never collides with a later deploy.
    [ids.LogGroup]: withLifecycle(new Logs.LogGroup({ RetentionInDays: config.logs.retentionDays }), {
      onStackDelete: 'Delete',
      onReplace: 'Delete',
    }),
    [ids.Role]: new IAM.Role({
      Description: `Lets ${namesFor(config).prefix}'s network stack strip the default rules of its VPC's default security group`,
      // Lambda documents no confused-deputy condition for its execution role (cloudformation/iam.ts).
      AssumeRolePolicyDocument: trustPolicy('lambda.amazonaws.com', 'none'),
      Policies: [
        {
          PolicyName: 'restrict-default-security-group',
          PolicyDocument: policyDocument([
            {
              // Both actions take the security-group resource type (Service Authorization Reference,
              // Amazon EC2): this one group, nothing else, and no Authorize*: nothing is put back.
              Sid: 'RevokeDefaultGroupRules',
              Effect: 'Allow',
              Action: ['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress'],
              Resource: Fn.Sub(
                // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
                'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${GroupId}',
                { GroupId: groupId },
              ),
            },
            {
              Sid: 'WriteOwnLogs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              // The log group's Arn attribute ends in ":*", which covers its streams.
              Resource: Fn.GetAtt(ids.LogGroup, 'Arn'),
            },
          ]),
        },
      ],
      Tags: tags(config),
    }),
    [ids.Function]: handlerFunction(config),
  };
}

function handlerFunction(config: PlaygroundConfig): Lambda.Function {
  const ids = DEFAULT_SECURITY_GROUP;
  const fn = new Lambda.Function({
    Description: "Custom resource: revokes AWS's default rules of the VPC's default security group",
    Runtime: HANDLER_RUNTIME,
    // Graviton: cheaper per GB-second; the code is plain JavaScript.
    Architectures: ['arm64'],
    Handler: 'index.handler',
    MemorySize: 128,
    Timeout: FUNCTION_TIMEOUT_SECONDS,
    Role: Fn.GetAtt(ids.Role, 'Arn'),
    Code: { ZipFile: HANDLER_SOURCE },
    Tags: tags(config),
  });
  // Logs go to the stack's group, not an unmanaged `/aws/lambda/<name>` without retention. cloudform's
  // 2023 types predate LoggingConfig (Lambda, November 2023): set here, past them.
  Object.assign(fn.Properties, { LoggingConfig: { LogGroup: Fn.Ref(ids.LogGroup) } });
  return fn;
}
