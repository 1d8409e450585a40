/**
 * The release-outcome check (serverless.ts `outcome`): a CodePipeline Lambda invoke action after each
 * pipeline's Deploy action, so that a pipeline is red whenever its release did not deploy (rolled
 * back, stopped, failed) - which AWS documents for none of the three deploy actions
 * (docs/pipelines.md#a-red-pipeline-for-every-rollback).
 *
 * One invocation per check (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html):
 * the first finds the deployment the Deploy action started, every one reads its record and answers
 * - finished well: PutJobSuccessResult, the deployment in the summary;
 * - still running: PutJobSuccessResult with a continuationToken (the deployment's id), so CodePipeline
 *   invokes the function again with it (job data `continuationToken`);
 * - anything else: PutJobFailureResult, the reasons (status, rollback, circuit breaker, alarms, hook,
 *   stopped tasks) in the message the console and `get-pipeline-state` show.
 * The action may run 24 hours, and times out when the function has not answered for 20 minutes
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  ListActionExecutionsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { ECSClient } from '@aws-sdk/client-ecs';
import { type OutcomeParameters, parseOutcomeParameters } from '../../config/contracts/outcome';
import { describeError, SDK_REQUEST_HANDLER } from '../invocation';
import { deploymentOutcome, findDeployment } from './codedeploy';
import { findServiceDeployment, serviceDeploymentOutcome } from './ecs';
import type { Outcome } from './verdict';

export interface OutcomeClients {
  codepipeline: CodePipelineClient;
  ecs: ECSClient;
  codedeploy: CodeDeployClient;
}

/** The part of CodePipeline's job event the check reads. */
export interface JobEvent {
  'CodePipeline.job': {
    id: string;
    data?: {
      actionConfiguration?: { configuration?: { UserParameters?: string } };
      continuationToken?: string;
    };
  };
}

/** CodePipeline's limits: a failure message of 5000 characters, a summary of 2048. */
const MAX_MESSAGE = 5000;
const MAX_SUMMARY = 2048;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

let cached: OutcomeClients | undefined;
function defaultClients(): OutcomeClients {
  cached ??= {
    codepipeline: new CodePipelineClient({ requestHandler: SDK_REQUEST_HANDLER }),
    ecs: new ECSClient({ requestHandler: SDK_REQUEST_HANDLER }),
    codedeploy: new CodeDeployClient({ requestHandler: SDK_REQUEST_HANDLER }),
  };
  return cached;
}

/** When this execution's deploy action started: the deployment it created is the first after it. */
async function deployStart(cp: CodePipelineClient, p: OutcomeParameters): Promise<Date> {
  let nextToken: string | undefined;
  do {
    const page = await cp.send(
      new ListActionExecutionsCommand({
        pipelineName: p.pipeline,
        filter: { pipelineExecutionId: p.execution },
        nextToken,
      }),
    );
    const deploy = page.actionExecutionDetails?.find((a) => a.actionName === p.deployAction);
    if (deploy?.startTime) return deploy.startTime;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new Error(
    `pipeline ${p.pipeline} execution ${p.execution} has no ${p.deployAction} action: the Outcome action must follow it in the same execution`,
  );
}

async function check(clients: OutcomeClients, job: JobEvent['CodePipeline.job']): Promise<Outcome> {
  const p = parseOutcomeParameters(job.data?.actionConfiguration?.configuration?.UserParameters);
  if ('error' in p) return { state: 'failed', message: p.error };
  const t = p.target;
  let id = job.data?.continuationToken;
  if (!id) {
    const since = await deployStart(clients.codepipeline, p);
    id =
      t.kind === 'ecs'
        ? await findServiceDeployment(clients.ecs, t, since)
        : await findDeployment(clients.codedeploy, t, since);
    if (!id) {
      const where = t.kind === 'ecs' ? `ECS service ${t.service}` : `CodeDeploy group ${t.deploymentGroup}`;
      return {
        state: 'failed',
        message: `no deployment of ${where} was created after the ${p.deployAction} action started (${since.toISOString()}): read that action's details`,
      };
    }
  }
  return t.kind === 'ecs'
    ? serviceDeploymentOutcome(clients.ecs, t, id)
    : deploymentOutcome(clients.codedeploy, id);
}

export function createOutcomeHandler(
  deps: { clients: () => OutcomeClients; log: (line: string) => void } = {
    clients: defaultClients,
    log: (line) => console.log(line),
  },
) {
  return async (event: JobEvent): Promise<void> => {
    const job = event?.['CodePipeline.job'];
    if (typeof job?.id !== 'string') {
      // Without a job id there is nobody to answer: fail the invocation, loudly.
      throw new Error('not a CodePipeline job event (no "CodePipeline.job".id): invoke it from the pipeline');
    }
    const clients = deps.clients();
    let outcome: Outcome;
    try {
      outcome = await check(clients, job);
    } catch (err) {
      outcome = {
        state: 'failed',
        message: `the outcome check could not read the deployment: ${describeError(err)}`,
      };
    }
    deps.log(JSON.stringify({ msg: 'release outcome', jobId: job.id, ...outcome }));
    if (outcome.state === 'failed') {
      await clients.codepipeline.send(
        new PutJobFailureResultCommand({
          jobId: job.id,
          failureDetails: {
            type: 'JobFailed',
            message: clip(outcome.message, MAX_MESSAGE),
            ...(outcome.id ? { externalExecutionId: outcome.id } : {}),
          },
        }),
      );
      return;
    }
    await clients.codepipeline.send(
      new PutJobSuccessResultCommand({
        jobId: job.id,
        ...(outcome.state === 'running' ? { continuationToken: outcome.id } : {}),
        executionDetails: { summary: clip(outcome.summary, MAX_SUMMARY), externalExecutionId: outcome.id },
      }),
    );
  };
}

export const handler = createOutcomeHandler();
