/**
 * The custom resource's handler (cloudformation/default-security-group/handler.js, the exact text the
 * network template inlines): EC2 calls through the real SDK client under aws-sdk-client-mock, its
 * answer to CloudFormation received by a real HTTP server on 127.0.0.1 standing in for the presigned
 * S3 URL; then once against moto_server's EC2 (real HTTP and SDK serialisation), when installed.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { REPO_ROOT } from '../../config';
import { useMoto } from '../support/moto';

const HANDLER_FILE = join(REPO_ROOT, 'cloudformation', 'default-security-group', 'handler.js');
const GROUP = 'sg-0123456789abcdef0';
const ACCOUNT = '111122223333';

interface HandlerModule {
  handler(event: CustomResourceEvent, context: { logStreamName: string }): Promise<void>;
  retryDelaysMs: number[];
}

interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  ResourceProperties: Record<string, unknown>;
}

/** A fresh copy of the handler module (its EC2 client reads the environment when it is created). */
function loadHandler(): HandlerModule {
  delete require.cache[require.resolve(HANDLER_FILE)];
  return require(HANDLER_FILE) as HandlerModule;
}

interface Received {
  method?: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** The presigned-URL stand-in: records each PUT, answers `status`. */
async function responseServer(status = 200): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body: JSON.parse(text) });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/cfn-response?X-Amz-Signature=abc`, received, server };
}

function mockEvent(url: string, overrides: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: 'Create',
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:us-west-2:111122223333:stack/ecs-playground-dev-network/0f2e4c3a',
    RequestId: 'request-1',
    LogicalResourceId: 'RestrictDefaultSecurityGroup',
    ResourceType: 'Custom::RestrictDefaultSecurityGroup',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:…', DefaultSecurityGroupId: GROUP, Account: ACCOUNT },
    ...overrides,
  };
}

const CONTEXT = { logStreamName: '2025/01/01/[$LATEST]abc' };

/** Runs the handler with its log line captured instead of printed; returns the lines. */
async function invoke(mod: HandlerModule, event: CustomResourceEvent): Promise<string[]> {
  const lines: string[] = [];
  const print = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    await mod.handler(event, CONTEXT);
  } finally {
    console.log = print;
  }
  return lines;
}

/** An EC2 error as the SDK raises it (the handler decides on `name`, the EC2 error code). */
function ec2Error(name: string): Error {
  return Object.assign(new Error(`${name} from EC2`), { name });
}

const EGRESS = { GroupId: GROUP, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] };
const INGRESS = {
  GroupId: GROUP,
  IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: GROUP, UserId: ACCOUNT }] }],
};

describe('default security group handler (custom resource)', () => {
  let ec2: ReturnType<typeof mockClient>;
  let handlerModule: HandlerModule;
  let cfn: Awaited<ReturnType<typeof responseServer>>;

  beforeEach(async () => {
    ec2 = mockClient(EC2Client);
    handlerModule = loadHandler();
    handlerModule.retryDelaysMs = [0, 0, 0, 0];
    cfn = await responseServer();
  });
  afterEach(() => {
    ec2.restore();
    cfn.server.close();
  });

  // Each command's inputs, in call order (the two commands' input types differ only in optionality).
  const inputs = (
    command: typeof RevokeSecurityGroupEgressCommand | typeof RevokeSecurityGroupIngressCommand,
  ) =>
    ec2
      .commandCalls(command as typeof RevokeSecurityGroupEgressCommand)
      .map((c) => c.args[0].input as { GroupId?: string });
  it("revokes AWS's two default rules on create and answers SUCCESS with the group as physical id", async () => {
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const lines = await invoke(handlerModule, mockEvent(cfn.url));
    expect(lines.map((l) => JSON.parse(l))).to.deep.equal([
      {
        requestType: 'Create',
        physicalId: GROUP,
        status: 'SUCCESS',
        reason: `Log stream ${CONTEXT.logStreamName}`,
      },
    ]);
    expect(inputs(RevokeSecurityGroupEgressCommand)).to.deep.equal([EGRESS]);
    expect(inputs(RevokeSecurityGroupIngressCommand)).to.deep.equal([INGRESS]);
    expect(cfn.received).to.have.length(1);
    expect(cfn.received[0]!.method).to.equal('PUT');
    // The presigned URL is signed without a content type: the handler sends an empty one.
    expect(cfn.received[0]!.headers['content-type']).to.equal('');
    expect(cfn.received[0]!.body).to.deep.equal({
      Status: 'SUCCESS',
      Reason: `Log stream ${CONTEXT.logStreamName}`,
      PhysicalResourceId: GROUP,
      StackId: mockEvent('').StackId,
      RequestId: 'request-1',
      LogicalResourceId: 'RestrictDefaultSecurityGroup',
    });
  });

  it('succeeds when a rule is already gone (InvalidPermission.NotFound)', async () => {
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(ec2Error('InvalidPermission.NotFound'));
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(ec2Error('InvalidPermission.NotFound'));
    await invoke(handlerModule, mockEvent(cfn.url, { RequestType: 'Update', PhysicalResourceId: GROUP }));
    expect(inputs(RevokeSecurityGroupIngressCommand)).to.deep.equal([INGRESS]);
    expect(cfn.received[0]!.body).to.deep.include({ Status: 'SUCCESS', PhysicalResourceId: GROUP });
  });

  it('revokes on the new group when an update brings a new VPC, and answers with the new id', async () => {
    const newGroup = 'sg-0fedcba9876543210';
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const event = mockEvent(cfn.url, {
      RequestType: 'Update',
      PhysicalResourceId: GROUP,
      ResourceProperties: { DefaultSecurityGroupId: newGroup, Account: ACCOUNT },
    });
    await invoke(handlerModule, event);
    expect(inputs(RevokeSecurityGroupEgressCommand).map((i) => i.GroupId)).to.deep.equal([newGroup]);
    expect(cfn.received[0]!.body).to.deep.include({ Status: 'SUCCESS', PhysicalResourceId: newGroup });
  });

  it('changes nothing on delete and answers SUCCESS with the physical id it was given', async () => {
    await invoke(handlerModule, mockEvent(cfn.url, { RequestType: 'Delete', PhysicalResourceId: GROUP }));
    expect(ec2.calls()).to.have.length(0);
    expect(cfn.received[0]!.body).to.deep.include({ Status: 'SUCCESS', PhysicalResourceId: GROUP });
  });

  it('retries while IAM has not yet propagated the new role, then succeeds', async () => {
    ec2
      .on(RevokeSecurityGroupEgressCommand)
      .rejectsOnce(ec2Error('UnauthorizedOperation'))
      .rejectsOnce(ec2Error('UnauthorizedOperation'))
      .resolves({ Return: true });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    await invoke(handlerModule, mockEvent(cfn.url));
    expect(inputs(RevokeSecurityGroupEgressCommand)).to.deep.equal([EGRESS, EGRESS, EGRESS]);
    expect(cfn.received[0]!.body).to.deep.include({ Status: 'SUCCESS' });
  });

  it('fails the operation with the EC2 error when access stays denied after every retry', async () => {
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(ec2Error('UnauthorizedOperation'));
    await invoke(handlerModule, mockEvent(cfn.url));
    expect(inputs(RevokeSecurityGroupEgressCommand)).to.have.length(1 + handlerModule.retryDelaysMs.length);
    expect(inputs(RevokeSecurityGroupIngressCommand)).to.have.length(0);
    expect(cfn.received[0]!.body).to.deep.include({
      Status: 'FAILED',
      Reason: 'UnauthorizedOperation: UnauthorizedOperation from EC2',
      PhysicalResourceId: GROUP,
    });
  });

  it('fails without calling EC2 when the group id is not one, naming the property to pass', async () => {
    const event = mockEvent(cfn.url, {
      ResourceProperties: { DefaultSecurityGroupId: 'vpc-123', Account: ACCOUNT },
    });
    await invoke(handlerModule, event);
    expect(ec2.calls()).to.have.length(0);
    expect(cfn.received[0]!.body).to.deep.include({
      Status: 'FAILED',
      Reason:
        'Error: DefaultSecurityGroupId must be a security group id (sg-...), got "vpc-123": ' +
        'pass Fn::GetAtt [<VPC>, DefaultSecurityGroup]',
      // A failed create still needs a physical id; the logical id stands in.
      PhysicalResourceId: 'RestrictDefaultSecurityGroup',
    });
  });

  it('fails without calling EC2 when the account is missing', async () => {
    const event = mockEvent(cfn.url, { ResourceProperties: { DefaultSecurityGroupId: GROUP } });
    await invoke(handlerModule, event);
    expect(ec2.calls()).to.have.length(0);
    expect(cfn.received[0]!.body.Reason).to.equal(
      'Error: Account must be a 12-digit account id, got undefined: pass Ref AWS::AccountId',
    );
  });

  it('throws when CloudFormation does not take the answer, so the invocation fails visibly', async () => {
    const refusing = await responseServer(403);
    try {
      ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
      ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
      let thrown: unknown;
      await invoke(handlerModule, mockEvent(refusing.url)).catch((e: unknown) => {
        thrown = e;
      });
      expect((thrown as Error).message).to.equal('uploading the response to CloudFormation failed: HTTP 403');
    } finally {
      refusing.server.close();
    }
  });
});

describe('default security group handler against a local EC2 emulator (moto)', function () {
  this.timeout(60_000);
  useMoto({ AWS_REGION: 'us-west-2' });

  it("leaves a new VPC's default security group without egress or ingress rules", async () => {
    const ec2 = new EC2Client({});
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const describe = async () =>
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              { Name: 'vpc-id', Values: [Vpc!.VpcId!] },
              { Name: 'group-name', Values: ['default'] },
            ],
          }),
        )
      ).SecurityGroups![0]!;
    const before = await describe();
    expect(before.IpPermissionsEgress, 'moto creates the allow-all egress rule').to.have.length(1);

    const cfn = await responseServer();
    try {
      const event = mockEvent(cfn.url, {
        ResourceProperties: { DefaultSecurityGroupId: before.GroupId, Account: before.OwnerId },
      });
      await invoke(loadHandler(), event);
      expect(cfn.received[0]!.body).to.deep.include({
        Status: 'SUCCESS',
        PhysicalResourceId: before.GroupId,
      });
    } finally {
      cfn.server.close();
    }
    const after = await describe();
    expect(after.IpPermissionsEgress).to.deep.equal([]);
    expect(after.IpPermissions).to.deep.equal([]);
  });
});
