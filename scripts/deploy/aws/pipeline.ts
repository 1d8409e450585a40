/**
 * The two waits between the pipelines stack and the services: the GitHub connection must be
 * approved, and the first build must have pushed an image.
 */
import {
  GetPipelineExecutionCommand,
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
