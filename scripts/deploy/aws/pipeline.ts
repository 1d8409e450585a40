/**
 * The two waits between the pipelines stack and the services: the GitHub connection must be
 * approved, and the first build must have pushed an image.
 */
import {
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { WaitReport } from '../../cli/wait';
import type { Runtime } from '../runtime';
import { latestCommitImage } from './images';

/** Exact console steps to approve a pending connection (AWS only lets a person do this). */
export function approveConnectionSteps(connectionArn: string, region: string): string[] {
  return [
    `The GitHub connection is PENDING: AWS requires a person to approve it once.`,
    `  1. Open https://${region}.console.aws.amazon.com/codesuite/settings/connections?region=${region}`,
    '     (Developer Tools → Settings → Connections)',
    `  2. Select the connection ${connectionArn}`,
    '  3. Choose "Update pending connection", sign in to GitHub and install/authorize the AWS Connector app',
    '     for the repository, then choose "Connect"; the status becomes Available.',
    '  4. Re-run `npm run deploy` after approving: it skips what is done and resumes here.',
  ];
}

export type ConnectionState = 'AVAILABLE' | 'PENDING';

export async function connectionState(rt: Runtime, connectionArn: string): Promise<ConnectionState> {
  const out = await rt.clients.connections.send(new GetConnectionCommand({ ConnectionArn: connectionArn }));
  const status = out.Connection?.ConnectionStatus;
  if (status === 'AVAILABLE' || status === 'PENDING') return status;
  throw new Error(
    `GitHub connection ${connectionArn} is ${status ?? 'unknown'}: delete it in the console ` +
      '(Developer Tools → Settings → Connections) and re-run `npm run deploy` to create a new one',
  );
}

export interface FirstImageWait {
  repository: string;
  pipeline: string;
  codeBuildProject: string;
  timeoutMinutes: number;
  /** The concurrent-build quota of the project's environment (scripts/deploy/aws/quotas.ts) and how many builds a push starts. */
  buildQuota: { name: string; desired: number };
}

/**
 * Returns the first commit-tagged image in ECR, starting the pipeline when none of its executions
 * is running. The pipeline's deploy stage fails on this first run (the services do not exist yet);
 * only the image its build stage pushes matters here.
 */
export async function waitForFirstImage(rt: Runtime, w: FirstImageWait): Promise<string> {
  const existing = await latestCommitImage(rt, w.repository);
  if (existing) return existing.uri;

  const { codepipeline } = rt.clients;
  const recent = await codepipeline.send(
    new ListPipelineExecutionsCommand({ pipelineName: w.pipeline, maxResults: 1 }),
  );
  const running = recent.pipelineExecutionSummaries?.find((e) => e.status === 'InProgress');
  let executionId = running?.pipelineExecutionId;
  if (executionId) {
    rt.log(`[image] pipeline ${w.pipeline} is already running (${executionId}): waiting for its build`);
  } else {
    const started = await codepipeline.send(new StartPipelineExecutionCommand({ name: w.pipeline }));
    executionId = started.pipelineExecutionId;
    rt.log(`[image] started pipeline ${w.pipeline} (${executionId}) to build the first image`);
  }

  const deadline = rt.now().getTime() + w.timeoutMinutes * 60_000;
  // A line when the pipeline's state changes and one a minute while it does not, not one per poll.
  const report = new WaitReport(rt, '[image] waiting for the first build', () => rt.now().getTime());
  try {
    for (;;) {
      await rt.sleep(rt.pollMs);
      const image = await latestCommitImage(rt, w.repository);
      if (image) {
        rt.log(`[image] found ${image.uri}`);
        return image.uri;
      }
      const exec = await codepipeline.send(
        new GetPipelineExecutionCommand({ pipelineName: w.pipeline, pipelineExecutionId: executionId }),
      );
      const status = exec.pipelineExecution?.status;
      if (status && ['Failed', 'Stopped', 'Superseded', 'Cancelled', 'Succeeded'].includes(status)) {
        // The deploy stage fails right after the build pushes, so look once more before giving up.
        const late = await latestCommitImage(rt, w.repository);
        if (late) {
          rt.log(`[image] found ${late.uri}`);
          return late.uri;
        }
        // Why it failed, when CodeBuild refused the build; reading that is a diagnosis only, so a
        // failed read (a narrower deployer policy) leaves the general message below.
        const refused = await buildRefusedByQuota(rt, w.pipeline, executionId).catch(() => undefined);
        if (refused) throw new Error(quotaFix(rt, w, refused));
        throw new Error(
          `pipeline ${w.pipeline} execution ${executionId} ended ${status} before any commit-tagged image ` +
            `reached ECR repository ${w.repository}: read the CodeBuild project ${w.codeBuildProject} logs ` +
            '(or the pipeline in the console), fix, and re-run `npm run deploy`',
        );
      }
      if (rt.now().getTime() > deadline) {
        throw new Error(
          `no commit-tagged image in ECR repository ${w.repository} after ${w.timeoutMinutes} minutes; ` +
            `pipeline ${w.pipeline} execution ${executionId} is ${status ?? 'unknown'}: re-run \`npm run deploy\` later`,
        );
      }
      report.update(`pipeline ${status ?? 'starting'}`);
    }
  } finally {
    report.done();
  }
}

/**
 * CodeBuild's refusal to start a build over the account's limit: StartBuild's
 * AccountLimitExceededException ("An Amazon Web Services service limit was exceeded for the calling
 * Amazon Web Services account": https://docs.aws.amazon.com/codebuild/latest/APIReference/API_StartBuild.html),
 * which CodePipeline's CodeBuild action reports in its error details, e.g. "Error calling startBuild:
 * Cannot have more than 1 builds in queue for the account (… Error Code: AccountLimitExceededException …)".
 * Read from the execution's action executions (ListActionExecutions, filtered by execution:
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html).
 * Returns the message, or undefined when no action failed that way.
 */
export async function buildRefusedByQuota(
  rt: Runtime,
  pipelineName: string,
  pipelineExecutionId: string | undefined,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const out = await rt.clients.codepipeline.send(
      new ListActionExecutionsCommand({ pipelineName, filter: { pipelineExecutionId }, nextToken }),
    );
    for (const action of out.actionExecutionDetails ?? []) {
      const result = action.output?.executionResult;
      const texts = [
        result?.errorDetails?.code,
        result?.errorDetails?.message,
        result?.externalExecutionSummary,
      ];
      const refusal = texts.find(
        (t) => t && /AccountLimitExceededException|Cannot have more than \d+ builds/.test(t),
      );
      if (action.status === 'Failed' && refusal) return result?.errorDetails?.message ?? refusal;
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return undefined;
}

/** What to do when CodeBuild refused the build: the quota by name, and the request that raises it. */
function quotaFix(rt: Runtime, w: FirstImageWait, refusal: string): string {
  const { name, desired } = w.buildQuota;
  const code = `aws service-quotas list-aws-default-service-quotas --region ${rt.region} --service-code codebuild --query "Quotas[?QuotaName=='${name}'].QuotaCode" --output text`;
  return (
    `CodeBuild refused to start the build of pipeline ${w.pipeline} (${refusal}): this account may run fewer ` +
    `builds at once than Service Quotas shows (CodeBuild sets a new account's concurrent-build quotas by internal metrics). ` +
    `Request "${name}" of ${desired} (one build per pipeline) in the Service Quotas console (AWS CodeBuild), or: ` +
    `aws service-quotas request-service-quota-increase --region ${rt.region} --service-code codebuild --quota-code "$(${code})" --desired-value ${desired}` +
    '; once it is granted, re-run `npm run deploy`'
  );
}
