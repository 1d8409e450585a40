/**
 * CloudFormation: deploy a stack through a change set (so "no changes" is recognised and skipped,
 * like `aws cloudformation deploy --no-fail-on-empty-changeset`), delete a stack, and stream the
 * stack's events while waiting.
 */
import {
  type Capability,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { WaitReport } from '../../cli/wait';
import { awsErrorName, type Runtime } from '../runtime';
import { statusRule, stopMessage } from '../stack-status';

/** The stacks create named IAM roles (task, execution, CodeBuild, pipeline roles). */
export const CAPABILITIES: Capability[] = ['CAPABILITY_NAMED_IAM'];

/** CloudFormation's maximum TemplateBody; larger templates must be uploaded to S3 first. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** Reasons CloudFormation gives for a change set that changes nothing. */
const NO_CHANGES = /didn't contain changes|No updates are to be performed/;

export type DeployResult = 'created' | 'updated' | 'unchanged';

export interface StackDeployment {
  stackName: string;
  /** Short name used as the prefix of progress lines, e.g. `network`. */
  label: string;
  templatePath: string;
  templateBody: string;
  /** The parameters for a CREATE or an UPDATE change set (a new stack has no previous values). */
  parameters: (type: 'CREATE' | 'UPDATE') => Parameter[];
  resourceCount: number;
}

export function changeSetInput(
  d: { stackName: string; templateBody: string; parameters: Parameter[] },
  changeSetName: string,
  changeSetType: 'CREATE' | 'UPDATE',
): CreateChangeSetCommandInput {
  return {
    StackName: d.stackName,
    ChangeSetName: changeSetName,
    ChangeSetType: changeSetType,
    TemplateBody: d.templateBody,
    Capabilities: CAPABILITIES,
    Parameters: d.parameters,
    Description: 'npm run deploy',
  };
}

/** The stack, or undefined when it does not exist. */
export async function describeStack(rt: Runtime, stackName: string): Promise<Stack | undefined> {
  try {
    const out = await rt.clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    return out.Stacks?.[0];
  } catch (err) {
    if (awsErrorName(err) === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      return undefined;
    }
    throw err;
  }
}

export function outputsOf(stack: Stack | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) if (o.OutputKey && o.OutputValue) out[o.OutputKey] = o.OutputValue;
  return out;
}

export async function deployStack(rt: Runtime, d: StackDeployment): Promise<DeployResult> {
  const bytes = Buffer.byteLength(d.templateBody);
  if (bytes > MAX_TEMPLATE_BODY_BYTES) {
    throw new Error(
      `${d.templatePath} is ${bytes} bytes; CloudFormation accepts at most ${MAX_TEMPLATE_BODY_BYTES} inline`,
    );
  }
  let existing = await settledStack(rt, d.stackName, d.label);
  const status = existing?.StackStatus;
  const rule = statusRule(status);
  if (rule.deploy === 'stop') throw new Error(stopMessage(d.stackName, status ?? '', rt.region));
  if (rule.deploy === 'recreate') {
    rt.log(
      `[${d.label}] ${d.stackName} is ${status} after a failed creation: deleting it to create it again`,
    );
    await deleteStack(rt, d.stackName, d.label, existing);
    existing = undefined;
  }
  // The table (stack-status.ts) says update only for stacks that completed an operation.
  const type = existing && statusRule(existing.StackStatus).deploy === 'update' ? 'UPDATE' : 'CREATE';
  const parameters = d.parameters(type);
  if (type === 'CREATE' && parameters.some((p) => p.UsePreviousValue)) {
    // A new stack has no previous value; the plan never asks for one, so the stack changed under us.
    throw new Error(
      `${d.stackName} must be created, but the plan kept a previous parameter value: re-run npm run deploy`,
    );
  }
  const changeSetName = `deploy-${rt.now().getTime()}`;
  const { cloudformation } = rt.clients;
  await cloudformation.send(
    new CreateChangeSetCommand(changeSetInput({ ...d, parameters }, changeSetName, type)),
  );

  for (;;) {
    const cs = await cloudformation.send(
      new DescribeChangeSetCommand({ StackName: d.stackName, ChangeSetName: changeSetName }),
    );
    if (cs.Status === 'CREATE_COMPLETE') break;
    if (cs.Status === 'FAILED') {
      if (NO_CHANGES.test(cs.StatusReason ?? '')) {
        await cloudformation.send(
          new DeleteChangeSetCommand({ StackName: d.stackName, ChangeSetName: changeSetName }),
        );
        rt.log(`[${d.label}] ${d.stackName}: no changes`);
        return 'unchanged';
      }
      throw new Error(`${d.stackName}: change set failed: ${cs.StatusReason ?? 'no reason given'}`);
    }
    await rt.sleep(rt.pollMs);
  }

  const since = rt.now();
  rt.log(`[${d.label}] ${type === 'CREATE' ? 'creating' : 'updating'} ${d.stackName}`);
  await cloudformation.send(
    new ExecuteChangeSetCommand({ StackName: d.stackName, ChangeSetName: changeSetName }),
  );
  const final = await waitForStack(rt, d.stackName, d.label, since, d.resourceCount);
  const ok = type === 'CREATE' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
  if (final.status !== ok) {
    throw new Error(
      `${d.stackName} ended ${final.status}${final.firstFailure ? `: ${final.firstFailure}` : ''}`,
    );
  }
  return type === 'CREATE' ? 'created' : 'updated';
}

/** Deletes a stack and waits; 'absent' when there was nothing to delete. */
export async function deleteStack(
  rt: Runtime,
  stackName: string,
  label: string,
  known?: Stack,
): Promise<'deleted' | 'absent'> {
  const stack = known ?? (await settledStack(rt, stackName, label, 'destroy'));
  if (!stack || statusRule(stack.StackStatus).destroy === 'absent') {
    rt.log(`[${label}] ${stackName} does not exist: nothing to delete`);
    return 'absent';
  }
  const since = rt.now();
  rt.log(`[${label}] deleting ${stackName}`);
  await rt.clients.cloudformation.send(new DeleteStackCommand({ StackName: stackName }));
  // Poll by stack id: once deleted, a stack is only found by its id (with DELETE_COMPLETE).
  const final = await waitForStack(rt, stack.StackId ?? stackName, label, since, 0);
  if (final.status !== 'DELETE_COMPLETE') {
    throw new Error(
      `${stackName} ended ${final.status}${final.firstFailure ? `: ${final.firstFailure}` : ''}`,
    );
  }
  return 'deleted';
}

/**
 * The stack once no operation runs on it (the table's `wait`), or undefined when there is none.
 * Waits at most a few times: each wait lasts until CloudFormation ends one operation.
 */
export async function settledStack(
  rt: Runtime,
  stackName: string,
  label: string,
  purpose: 'deploy' | 'destroy' = 'deploy',
): Promise<Stack | undefined> {
  for (let attempt = 0; ; attempt++) {
    const stack = await describeStack(rt, stackName);
    const status = stack?.StackStatus;
    if (statusRule(status)[purpose] !== 'wait') return stack;
    if (attempt === 5)
      throw new Error(`${stackName} stayed busy (${status}): wait until it finishes, then re-run`);
    rt.log(`[${label}] ${stackName} is ${status}: waiting for that operation to end`);
    await waitForStack(rt, stack?.StackId ?? stackName, label, rt.now(), 0);
  }
}

interface FinalState {
  status: string;
  /** `<LogicalId> <STATUS>: <reason>` of the first failed resource, the usual root cause. */
  firstFailure?: string;
}

/** Polls the stack until its status is no longer *_IN_PROGRESS, printing each new event once. */
export async function waitForStack(
  rt: Runtime,
  stackIdOrName: string,
  label: string,
  since: Date,
  resourceCount: number,
): Promise<FinalState> {
  const stream = new StackEventStream(rt, stackIdOrName, label, since, resourceCount);
  // Events are the state changes; a quiet minute still gets a line, and a terminal a live status.
  const name = stackIdOrName.includes(':stack/') ? stackIdOrName.split('/')[1] : stackIdOrName;
  const report = new WaitReport(rt, `[${label}] ${name}`, () => rt.now().getTime(), { announce: false });
  try {
    for (;;) {
      await stream.poll();
      const stack = await describeStack(rt, stackIdOrName);
      // Deleted stacks described by name disappear; by id they read DELETE_COMPLETE.
      const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
      if (!status.endsWith('_IN_PROGRESS')) {
        await stream.poll();
        return { status, firstFailure: stream.firstFailure };
      }
      report.update(status, resourceCount ? `(${stream.doneCount}/${resourceCount} resources)` : undefined);
      await rt.sleep(rt.pollMs);
    }
  } finally {
    report.done();
  }
}

/**
 * Prints the stack's new events, oldest first, each once, with a done/total count. DescribeStackEvents
 * lists newest first, so each poll reads pages until it reaches an event already seen or older than
 * the operation's start.
 */
export class StackEventStream {
  private readonly seen = new Set<string>();
  private readonly done = new Set<string>();
  firstFailure?: string;

  /** Resources that completed so far. */
  get doneCount(): number {
    return this.done.size;
  }

  constructor(
    private readonly rt: Runtime,
    private readonly stack: string,
    private readonly label: string,
    private readonly since: Date,
    private readonly resourceCount: number,
  ) {}

  async poll(): Promise<void> {
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    page: do {
      const out = await this.rt.clients.cloudformation.send(
        new DescribeStackEventsCommand({ StackName: this.stack, NextToken: token }),
      );
      for (const e of out.StackEvents ?? []) {
        if (!e.EventId || this.seen.has(e.EventId) || (e.Timestamp && e.Timestamp < this.since)) break page;
        fresh.push(e);
      }
      token = out.NextToken;
    } while (token);
    for (const e of fresh.reverse()) this.print(e);
  }

  private print(e: StackEvent): void {
    this.seen.add(e.EventId!);
    const status = e.ResourceStatus ?? '';
    const isStack = e.ResourceType === 'AWS::CloudFormation::Stack';
    if (!isStack && /_COMPLETE$/.test(status) && e.LogicalResourceId) this.done.add(e.LogicalResourceId);
    if (/_FAILED$/.test(status) && e.ResourceStatusReason && !this.firstFailure && !isStack) {
      this.firstFailure = `${e.LogicalResourceId} ${status}: ${e.ResourceStatusReason}`;
    }
    const time = e.Timestamp ? e.Timestamp.toISOString().slice(11, 19) : '--:--:--';
    const progress = this.resourceCount ? ` (${this.done.size}/${this.resourceCount})` : '';
    const reason = e.ResourceStatusReason && !/_COMPLETE$/.test(status) ? ` ${e.ResourceStatusReason}` : '';
    this.rt.log(
      `[${this.label}] ${time} ${status} ${e.ResourceType ?? ''} ${e.LogicalResourceId ?? ''}${reason}${progress}`,
    );
  }
}
