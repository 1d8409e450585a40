/**
 * Every stack status AWS documents (the installed SDK's StackStatus enum) has a defined action, and
 * the deploy and destroy steps do exactly that: the table test drives deployStack and deleteStack
 * against each status and checks the CloudFormation calls they make.
 */
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { expect } from 'chai';
import { deleteStack, deployStack, type StackDeployment } from '../../scripts/deploy/aws/stacks';
import { STACK_STATUS_RULES, statusRule } from '../../scripts/deploy/stack-status';
import { recordingRuntime, useMocks } from './fixtures';

const STACK = 'ecs-playground-dev-service-bluegreen';
const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

/** What the status's name and AWS's description say must happen (docs/deploy.md lists the same). */
function expectedDeployAction(status: string): string {
  if (status === 'REVIEW_IN_PROGRESS' || status === 'DELETE_COMPLETE') return 'create';
  if (status.endsWith('_IN_PROGRESS')) return 'wait';
  // A failed CREATION: nothing was ever usable; AWS says delete it.
  if (['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED'].includes(status)) return 'recreate';
  if (status.endsWith('_COMPLETE')) return 'update';
  return 'stop';
}

const deployment: StackDeployment = {
  stackName: STACK,
  label: 'service-bluegreen',
  templatePath: 'cloudformation/out/dev/service-bluegreen.json',
  templateBody: '{"Resources":{}}',
  // What the plan gives an existing blue/green stack: keep the image; a new stack gets the real one.
  parameters: (type) => [
    type === 'UPDATE'
      ? { ParameterKey: 'ImageUri', UsePreviousValue: true }
      : { ParameterKey: 'ImageUri', ParameterValue: 'repo:abc1234' },
  ],
  resourceCount: 1,
};

const gone = new CloudFormationServiceException({
  name: 'ValidationError',
  $fault: 'client',
  message: `Stack with id ${STACK} does not exist`,
  $metadata: {},
});

const stackIn = (status: string) => ({
  Stacks: [
    {
      StackName: STACK,
      StackId: 'arn:stack/bg/1',
      StackStatus: status as StackStatus,
      CreationTime: new Date(),
    },
  ],
});

describe('stack status → action table', () => {
  const m = useMocks({ cfn: CloudFormationClient });

  it('defines an action for every status the SDK (AWS) documents, and no other', () => {
    expect(Object.keys(STACK_STATUS_RULES).sort()).to.deep.equal(Object.values(StackStatus).sort());
    expect(Object.values(StackStatus)).to.have.length(23);
  });

  it('stops on a status newer than the table, naming it', () => {
    expect(statusRule('UPDATE_PAUSED').deploy).to.equal('stop');
    expect(statusRule('UPDATE_PAUSED').fix?.(STACK, 'us-west-2')).to.match(/UPDATE_PAUSED is newer/);
  });

  for (const status of Object.values(StackStatus)) {
    const expected = expectedDeployAction(status);
    it(`deploy: ${status} → ${expected}`, async () => {
      expect(STACK_STATUS_RULES[status].deploy).to.equal(expected);
      const settled = 'UPDATE_COMPLETE';
      let deleted = false;
      m.cfn.on(DescribeStacksCommand).callsFake(() => {
        if (deleted) throw gone;
        // A busy stack settles once the run has waited (polled its events); a deleting one disappears.
        const waited = m.cfn.commandCalls(DescribeStackEventsCommand).length > 0;
        if (expected === 'wait' && waited) {
          if (status === 'DELETE_IN_PROGRESS') throw gone;
          return stackIn(settled);
        }
        return stackIn(status);
      });
      m.cfn.on(DeleteStackCommand).callsFake(() => {
        deleted = true;
        return {};
      });
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
      m.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: NO_CHANGES });
      const { rt } = recordingRuntime();

      const outcome = await deployStack(rt, deployment).then(
        (r) => r,
        (e: Error) => e,
      );
      const changeSets = m.cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input);
      switch (expected) {
        case 'stop':
          expect(outcome).to.be.instanceOf(Error);
          expect((outcome as Error).message).to.match(
            new RegExp(`^${STACK} is ${status}: .*(aws cloudformation|console)`),
          );
          expect(changeSets).to.deep.equal([]);
          expect(m.cfn.commandCalls(DeleteStackCommand)).to.have.length(0);
          break;
        case 'recreate':
          expect(m.cfn.commandCalls(DeleteStackCommand)[0].args[0].input).to.deep.equal({ StackName: STACK });
          // Never UsePreviousValue on a stack that failed its creation: it has no previous value.
          expect(changeSets.map((c) => [c.ChangeSetType, c.Parameters])).to.deep.equal([
            ['CREATE', [{ ParameterKey: 'ImageUri', ParameterValue: 'repo:abc1234' }]],
          ]);
          break;
        case 'create':
          expect(m.cfn.commandCalls(DeleteStackCommand)).to.have.length(0);
          expect(changeSets.map((c) => c.ChangeSetType)).to.deep.equal(['CREATE']);
          break;
        case 'update':
          expect(changeSets.map((c) => [c.ChangeSetType, c.Parameters])).to.deep.equal([
            ['UPDATE', [{ ParameterKey: 'ImageUri', UsePreviousValue: true }]],
          ]);
          break;
        case 'wait':
          expect(m.cfn.commandCalls(DescribeStackEventsCommand).length).to.be.greaterThan(0);
          expect(changeSets.map((c) => c.ChangeSetType)).to.deep.equal([
            status === 'DELETE_IN_PROGRESS' ? 'CREATE' : 'UPDATE',
          ]);
          break;
      }
    });
  }

  for (const status of Object.values(StackStatus)) {
    const expected =
      status === 'DELETE_COMPLETE'
        ? 'absent'
        : // REVIEW_IN_PROGRESS runs nothing: a CREATE change set nobody executed.
          status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS'
          ? 'wait'
          : 'delete';
    it(`destroy: ${status} → ${expected}`, async () => {
      expect(STACK_STATUS_RULES[status].destroy).to.equal(expected);
      let deleted = false;
      m.cfn.on(DescribeStacksCommand).callsFake(() => {
        if (deleted) return stackIn('DELETE_COMPLETE');
        const waited = m.cfn.commandCalls(DescribeStackEventsCommand).length > 0;
        if (expected === 'wait' && waited)
          return stackIn(status === 'DELETE_IN_PROGRESS' ? 'DELETE_COMPLETE' : 'UPDATE_COMPLETE');
        return stackIn(status);
      });
      m.cfn.on(DeleteStackCommand).callsFake(() => {
        deleted = true;
        return {};
      });
      m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      const { rt } = recordingRuntime();

      const result = await deleteStack(rt, STACK, 'service-bluegreen');
      // A stack that was being deleted is gone after the wait: nothing left to delete.
      const deletes = expected === 'absent' || status === 'DELETE_IN_PROGRESS' ? 0 : 1;
      expect(result).to.equal(deletes ? 'deleted' : 'absent');
      expect(m.cfn.commandCalls(DeleteStackCommand)).to.have.length(deletes);
    });
  }
});
