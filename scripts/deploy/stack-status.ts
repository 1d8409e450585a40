/**
 * What `npm run deploy` and `npm run destroy` do with a stack in each status CloudFormation reports:
 * ONE table, for every status AWS documents (the SDK's StackStatus enum; the TypeScript type makes a
 * missing status a compile error, and a test walks the enum). Both the plan (before anything changes)
 * and the executor (when the step runs) read it.
 *
 * Status meanings: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes
 * - ROLLBACK_COMPLETE: "only a delete operation can be performed"; ROLLBACK_FAILED: "Delete the
 *   stack". Both follow a FAILED CREATION: the stack never worked, exports nothing, holds nothing to
 *   keep, so the deploy deletes and creates it, and never passes UsePreviousValue to that creation.
 * - CREATE_FAILED (a creation with rollback disabled) is the same case.
 * - UPDATE_ROLLBACK_FAILED: "delete the stack or continue rollback"; UPDATE_FAILED (rollback
 *   disabled) rolls back with RollbackStack
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackStack.html).
 *   Those stacks WORKED and may hold state others import: a person decides, the deploy stops first.
 * - DELETE_FAILED: "you can't work with or update the stack. Delete the stack again".
 * - *_IN_PROGRESS: CloudFormation accepts no other operation meanwhile; the run waits for it to end
 *   and then looks the new status up again.
 */
import type { StackStatus } from '@aws-sdk/client-cloudformation';

/** What a deploy does with the stack. */
export type DeployAction =
  /** No stack (or DELETE_COMPLETE, or REVIEW_IN_PROGRESS: a never-executed CREATE change set): create it. */
  | 'create'
  /** A stable stack: update it through a change set. */
  | 'update'
  /** A creation that failed: delete the stack, then create it (nothing to keep, no UsePreviousValue). */
  | 'recreate'
  /** An operation is running: wait until the stack settles, then decide again. */
  | 'wait'
  /** A person must act first: the deploy stops before changing anything, with the command to run. */
  | 'stop';

/** What a destroy does with the stack. */
export type DestroyAction = 'delete' | 'wait' | 'absent';

export interface StatusRule {
  deploy: DeployAction;
  destroy: DestroyAction;
  /** For `stop`: what to do, as one sentence with the exact command. */
  fix?: (stackName: string, region: string) => string;
}

const events = (stackName: string, region: string) =>
  `aws cloudformation describe-stack-events --region ${region} --stack-name ${stackName} --max-items 20`;

const CREATE: StatusRule = { deploy: 'create', destroy: 'delete' };
const UPDATE: StatusRule = { deploy: 'update', destroy: 'delete' };
const RECREATE: StatusRule = { deploy: 'recreate', destroy: 'delete' };
const WAIT: StatusRule = { deploy: 'wait', destroy: 'wait' };

export const STACK_STATUS_RULES: Readonly<Record<StackStatus, StatusRule>> = {
  CREATE_COMPLETE: UPDATE,
  CREATE_FAILED: RECREATE,
  CREATE_IN_PROGRESS: WAIT,
  DELETE_COMPLETE: { deploy: 'create', destroy: 'absent' },
  DELETE_FAILED: {
    deploy: 'stop',
    destroy: 'delete',
    fix: (stack, region) =>
      `its deletion failed and CloudFormation updates it no more: find the resource in its events (${events(stack, region)}), ` +
      `then delete it again with \`aws cloudformation delete-stack --region ${region} --stack-name ${stack}\` ` +
      '(add --retain-resources <LogicalId> for a resource that cannot be deleted) and re-run',
  },
  DELETE_IN_PROGRESS: WAIT,
  IMPORT_COMPLETE: UPDATE,
  IMPORT_IN_PROGRESS: WAIT,
  IMPORT_ROLLBACK_COMPLETE: UPDATE,
  IMPORT_ROLLBACK_FAILED: {
    deploy: 'stop',
    destroy: 'delete',
    fix: (stack, region) =>
      `a resource import into it failed to roll back (npm run deploy never imports): fix the resource its events name (${events(stack, region)}) ` +
      'in the console, then re-run',
  },
  IMPORT_ROLLBACK_IN_PROGRESS: WAIT,
  REVIEW_IN_PROGRESS: CREATE,
  ROLLBACK_COMPLETE: RECREATE,
  ROLLBACK_FAILED: RECREATE,
  ROLLBACK_IN_PROGRESS: WAIT,
  UPDATE_COMPLETE: UPDATE,
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: WAIT,
  UPDATE_FAILED: {
    deploy: 'stop',
    destroy: 'delete',
    fix: (stack, region) =>
      'an update failed with rollback disabled: roll it back with ' +
      `\`aws cloudformation rollback-stack --region ${region} --stack-name ${stack}\`, then re-run`,
  },
  UPDATE_IN_PROGRESS: WAIT,
  UPDATE_ROLLBACK_COMPLETE: UPDATE,
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: WAIT,
  UPDATE_ROLLBACK_FAILED: {
    deploy: 'stop',
    destroy: 'delete',
    fix: (stack, region) =>
      `fix the resource named in its events (${events(stack, region)}), then run ` +
      `\`aws cloudformation continue-update-rollback --region ${region} --stack-name ${stack}\` and re-run`,
  },
  UPDATE_ROLLBACK_IN_PROGRESS: WAIT,
};

/** The rule for a status; `undefined` means no stack. A status newer than this table stops the run. */
export function statusRule(status: string | undefined): StatusRule {
  if (status === undefined) return { deploy: 'create', destroy: 'absent' };
  const known = (STACK_STATUS_RULES as Record<string, StatusRule | undefined>)[status];
  return (
    known ?? {
      deploy: 'stop',
      destroy: status.endsWith('_IN_PROGRESS') ? 'wait' : 'delete',
      fix: () =>
        `its status ${status} is newer than this script knows: look at the stack in the CloudFormation console, and report it`,
    }
  );
}

const DEPLOY_TEXT: Record<DeployAction, string> = {
  create: 'create it',
  update: 'update it through a change set (skipped when nothing would change)',
  recreate:
    'delete it, then create it (never with UsePreviousValue: a failed creation has no previous value)',
  wait: 'wait until the operation ends, then decide again',
  stop: 'stop before changing anything',
};

const DESTROY_TEXT: Record<DestroyAction, string> = {
  delete: 'delete it',
  wait: 'wait until the operation ends, then decide again',
  absent: 'nothing to delete',
};

/** The table as Markdown, for docs/deploy.md (a generated block, so it cannot drift from the code). */
export function statusTable(region: string): string[] {
  return [
    '| Status | `npm run deploy` | `npm run destroy` |',
    '| --- | --- | --- |',
    ...(Object.keys(STACK_STATUS_RULES) as StackStatus[]).sort().map((status) => {
      const rule = STACK_STATUS_RULES[status];
      const fix = rule.fix ? `: ${rule.fix('<stack>', region)}` : '';
      return `| \`${status}\` | ${DEPLOY_TEXT[rule.deploy]}${fix} | ${DESTROY_TEXT[rule.destroy]} |`;
    }),
  ];
}

/** One line for a stack the deploy must not touch: `<stack> is <STATUS>: <what to do>`. */
export function stopMessage(stackName: string, status: string, region: string): string {
  const fix = statusRule(status).fix;
  return `${stackName} is ${status}: ${fix ? fix(stackName, region) : 'see its events'}`;
}
