import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type ResourceStatus,
  type StackEvent,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { expect } from 'chai';
import { deleteStack, deployStack, type StackDeployment } from '../../scripts/deploy/aws/stacks';
import { recordingRuntime, useMocks } from './fixtures';

const missing = (name: string) =>
  new CloudFormationServiceException({
    name: 'ValidationError',
    $fault: 'client',
    message: `Stack with id ${name} does not exist`,
    $metadata: {},
  });

const deployment: StackDeployment = {
  stackName: 'ecs-playground-dev-network',
  label: 'network',
  templatePath: 'cloudformation/out/dev/network.json',
  templateBody: '{"Resources":{}}',
  parameters: () => [],
  resourceCount: 2,
};

const event = (
  id: string,
  at: string,
  logical: string,
  status: ResourceStatus,
  reason?: string,
): StackEvent => ({
  EventId: id,
  StackId: 'stack-id',
  StackName: deployment.stackName,
  Timestamp: new Date(at),
  LogicalResourceId: logical,
  ResourceType: logical === deployment.stackName ? 'AWS::CloudFormation::Stack' : 'AWS::EC2::VPC',
  ResourceStatus: status,
  ResourceStatusReason: reason,
});

const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

/** A DescribeStacks answer for the deployment's stack in `status` (Stack's required fields only). */
const stackIn = (status: StackStatus) => ({
  Stacks: [
    { StackName: deployment.stackName, StackId: 'stack-id', StackStatus: status, CreationTime: new Date() },
  ],
});

describe('CloudFormation steps', () => {
  const m = useMocks({ cfn: CloudFormationClient });

  describe('deploying a stack', () => {
    it('skips a stack whose change set has no changes, deleting the change set', async () => {
      m.cfn.on(DescribeStacksCommand).resolves({
        Stacks: [
          { StackName: deployment.stackName, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() },
        ],
      });
      m.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
      m.cfn.on(DescribeChangeSetCommand).resolves({
        Status: 'FAILED',
        StatusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      });
      const { rt, lines } = recordingRuntime();

      expect(await deployStack(rt, deployment)).to.equal('unchanged');

      const created = m.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input;
      expect(created).to.deep.equal({
        StackName: 'ecs-playground-dev-network',
        ChangeSetName: created.ChangeSetName,
        ChangeSetType: 'UPDATE',
        TemplateBody: '{"Resources":{}}',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [],
        Description: 'npm run deploy',
      });
      expect(created.ChangeSetName).to.match(/^deploy-\d+$/);
      expect(m.cfn.commandCalls(DeleteChangeSetCommand)[0].args[0].input).to.deep.equal({
        StackName: 'ecs-playground-dev-network',
        ChangeSetName: created.ChangeSetName,
      });
      expect(m.cfn.commandCalls(ExecuteChangeSetCommand)).to.have.length(0);
      expect(lines).to.deep.equal(['[network] ecs-playground-dev-network: no changes']);
    });

    it('creates a missing stack and prints each new event once, oldest first, with progress', async () => {
      let executed = false;
      m.cfn.on(DescribeStacksCommand).callsFake(() => {
        if (!executed) throw missing(deployment.stackName);
        const polls = m.cfn.commandCalls(DescribeStackEventsCommand).length;
        return {
          Stacks: [
            {
              StackName: deployment.stackName,
              StackId: 'stack-id',
              CreationTime: new Date(),
              StackStatus: polls < 2 ? 'CREATE_IN_PROGRESS' : 'CREATE_COMPLETE',
            },
          ],
        };
      });
      m.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
      m.cfn
        .on(DescribeChangeSetCommand)
        .resolvesOnce({ Status: 'CREATE_IN_PROGRESS' })
        .resolves({ Status: 'CREATE_COMPLETE' });
      m.cfn.on(ExecuteChangeSetCommand).callsFake(() => {
        executed = true;
        return {};
      });
      // Newest first, as CloudFormation lists them; the clock of the fake runtime starts 12:00:00.
      const e1 = event(
        '1',
        '2026-11-26T12:00:10Z',
        deployment.stackName,
        'CREATE_IN_PROGRESS',
        'User Initiated',
      );
      const e2 = event('2', '2026-11-26T12:00:11Z', 'Vpc', 'CREATE_IN_PROGRESS');
      const e3 = event('3', '2026-11-26T12:00:30Z', 'Vpc', 'CREATE_COMPLETE');
      const e4 = event('4', '2026-11-26T12:00:40Z', deployment.stackName, 'CREATE_COMPLETE');
      m.cfn
        .on(DescribeStackEventsCommand)
        .resolvesOnce({ StackEvents: [e2, e1] })
        .resolvesOnce({ StackEvents: [e3, e2, e1] })
        .resolves({ StackEvents: [e4, e3, e2, e1] });
      const { rt, lines } = recordingRuntime();

      expect(await deployStack(rt, deployment)).to.equal('created');

      expect(m.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input.ChangeSetType).to.equal('CREATE');
      expect(lines).to.deep.equal([
        '[network] creating ecs-playground-dev-network',
        '[network] 12:00:10 CREATE_IN_PROGRESS AWS::CloudFormation::Stack ecs-playground-dev-network User Initiated (0/2)',
        '[network] 12:00:11 CREATE_IN_PROGRESS AWS::EC2::VPC Vpc (0/2)',
        '[network] 12:00:30 CREATE_COMPLETE AWS::EC2::VPC Vpc (1/2)',
        '[network] 12:00:40 CREATE_COMPLETE AWS::CloudFormation::Stack ecs-playground-dev-network (1/2)',
      ]);
    });

    it('fails with the first failed resource when the stack rolls back', async () => {
      let executed = false;
      m.cfn.on(DescribeStacksCommand).callsFake(() => {
        if (!executed)
          return {
            Stacks: [
              { StackName: deployment.stackName, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() },
            ],
          };
        return {
          Stacks: [
            {
              StackName: deployment.stackName,
              StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
              CreationTime: new Date(),
            },
          ],
        };
      });
      m.cfn.on(CreateChangeSetCommand).resolves({});
      m.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE' });
      m.cfn.on(ExecuteChangeSetCommand).callsFake(() => {
        executed = true;
        return {};
      });
      m.cfn.on(DescribeStackEventsCommand).resolves({
        StackEvents: [
          event('3', '2026-11-26T12:01:00Z', 'Subnet', 'UPDATE_FAILED', 'Resource update cancelled'),
          event('2', '2026-11-26T12:00:59Z', 'Vpc', 'UPDATE_FAILED', 'The CIDR 10.0.0.0/16 conflicts'),
        ],
      });
      const { rt } = recordingRuntime();
      let error: Error | undefined;
      await deployStack(rt, deployment).catch((e: Error) => {
        error = e;
      });
      expect(error?.message).to.equal(
        'ecs-playground-dev-network ended UPDATE_ROLLBACK_COMPLETE: Vpc UPDATE_FAILED: The CIDR 10.0.0.0/16 conflicts',
      );
    });

    it('waits for a busy stack to settle, then updates it', async () => {
      m.cfn
        .on(DescribeStacksCommand)
        .resolvesOnce(stackIn('UPDATE_IN_PROGRESS'))
        .resolvesOnce(stackIn('UPDATE_IN_PROGRESS'))
        .resolves(stackIn('UPDATE_COMPLETE'));
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
      m.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: NO_CHANGES });
      const { rt, lines } = recordingRuntime();

      expect(await deployStack(rt, deployment)).to.equal('unchanged');
      expect(lines[0]).to.equal(
        '[network] ecs-playground-dev-network is UPDATE_IN_PROGRESS: waiting for that operation to end',
      );
      expect(m.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input.ChangeSetType).to.equal('UPDATE');
    });

    it('fails when the template is too large to send inline', async () => {
      const { rt } = recordingRuntime();
      let error: Error | undefined;
      await deployStack(rt, { ...deployment, templateBody: 'x'.repeat(51_201) }).catch((e: Error) => {
        error = e;
      });
      expect(error?.message).to.equal(
        'cloudformation/out/dev/network.json is 51201 bytes; CloudFormation accepts at most 51200 inline',
      );
      expect(m.cfn.calls()).to.have.length(0);
    });
  });

  describe('deleting a stack', () => {
    it('deletes by name and polls by stack id until DELETE_COMPLETE', async () => {
      m.cfn.on(DescribeStacksCommand, { StackName: 'ecs-playground-dev-network' }).resolves({
        Stacks: [
          {
            StackName: 'ecs-playground-dev-network',
            StackId: 'arn:stack/net/1',
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(),
          },
        ],
      });
      m.cfn.on(DescribeStacksCommand, { StackName: 'arn:stack/net/1' }).resolves({
        Stacks: [
          {
            StackName: 'ecs-playground-dev-network',
            StackId: 'arn:stack/net/1',
            StackStatus: 'DELETE_COMPLETE',
            CreationTime: new Date(),
          },
        ],
      });
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.cfn.on(DeleteStackCommand).resolves({});
      const { rt } = recordingRuntime();

      expect(await deleteStack(rt, 'ecs-playground-dev-network', 'network')).to.equal('deleted');
      expect(m.cfn.commandCalls(DeleteStackCommand)[0].args[0].input).to.deep.equal({
        StackName: 'ecs-playground-dev-network',
      });
      expect(m.cfn.commandCalls(DescribeStackEventsCommand)[0].args[0].input.StackName).to.equal(
        'arn:stack/net/1',
      );
    });

    it('prints a line a minute while the stack stays in progress without events, not one per poll', async () => {
      const stack = (status: StackStatus) => ({
        Stacks: [
          {
            StackName: 'x',
            StackId: 'arn:aws:cloudformation:us-west-2:123456789012:stack/ecs-playground-dev-network/1',
            StackStatus: status,
            CreationTime: new Date(),
          },
        ],
      });
      m.cfn
        .on(DescribeStacksCommand, { StackName: 'ecs-playground-dev-network' })
        .resolves(stack('CREATE_COMPLETE'));
      // 14 polls of 5 s in progress (70 s), then gone.
      const polls = m.cfn.on(DescribeStacksCommand, {
        StackName: stack('CREATE_COMPLETE').Stacks[0].StackId,
      });
      for (let i = 0; i < 14; i++) polls.resolvesOnce(stack('DELETE_IN_PROGRESS'));
      polls.resolves(stack('DELETE_COMPLETE'));
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.cfn.on(DeleteStackCommand).resolves({});
      const { rt, lines } = recordingRuntime();
      let t = Date.parse('2026-11-26T12:00:00Z');
      const statuses: (string | undefined)[] = [];
      const clocked = {
        ...rt,
        now: () => new Date(t),
        sleep: async () => {
          t += 5000;
        },
        status: (text: string | undefined) => statuses.push(text),
      };

      expect(await deleteStack(clocked, 'ecs-playground-dev-network', 'network')).to.equal('deleted');
      expect(lines).to.deep.equal([
        '[network] deleting ecs-playground-dev-network',
        '[network] ecs-playground-dev-network: still DELETE_IN_PROGRESS after 1 min',
      ]);
      expect(statuses.slice(0, 2)).to.deep.equal([
        '[network] ecs-playground-dev-network: DELETE_IN_PROGRESS',
        '[network] ecs-playground-dev-network: DELETE_IN_PROGRESS',
      ]);
      expect(statuses.at(-1)).to.equal(undefined);
    });

    it('skips a stack that does not exist', async () => {
      m.cfn.on(DescribeStacksCommand).rejects(missing('x'));
      const { rt, lines } = recordingRuntime();
      expect(await deleteStack(rt, 'x', 'network')).to.equal('absent');
      expect(m.cfn.commandCalls(DeleteStackCommand)).to.have.length(0);
      expect(lines).to.deep.equal(['[network] x does not exist: nothing to delete']);
    });
  });
});
