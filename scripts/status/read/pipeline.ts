/**
 * The pipeline's latest execution (commit, status, age: ListPipelineExecutions, newest first,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListPipelineExecutions.html) and
 * the latest status of each stage (GetPipelineState,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html).
 */
import { GetPipelineStateCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { AwsCallError } from '../aws';
import { type DescribeContext, isoTime } from '../context';
import type { OrError, PipelineView } from '../report';

export async function readPipeline(ctx: DescribeContext, name: string): Promise<OrError<PipelineView>> {
  try {
    const [executions, state] = await Promise.all([
      ctx.aws.call('codepipeline:ListPipelineExecutions', (c) =>
        c.codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 })),
      ),
      ctx.aws.call('codepipeline:GetPipelineState', (c) =>
        c.codepipeline.send(new GetPipelineStateCommand({ name })),
      ),
    ]);
    const latest = executions.pipelineExecutionSummaries?.[0];
    const source = latest?.sourceRevisions?.[0];
    return {
      name,
      execution: latest?.pipelineExecutionId
        ? {
            id: latest.pipelineExecutionId,
            status: latest.status ?? 'Unknown',
            commit: source?.revisionId?.slice(0, 7),
            message: firstLine(source?.revisionSummary),
            startedAt: isoTime(latest.startTime),
            ageSeconds: latest.startTime
              ? Math.max(0, Math.round((ctx.now() - latest.startTime.getTime()) / 1000))
              : undefined,
          }
        : undefined,
      stages: (state.stageStates ?? []).map((s) => ({
        name: s.stageName ?? '?',
        // A stage that never ran has no latestExecution.
        status: s.latestExecution?.status ?? 'NotRun',
      })),
    };
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'PipelineNotFoundException') {
      return { error: `pipeline ${name} not found: deploy the pipelines stack (npm run deploy)` };
    }
    throw err;
  }
}

/**
 * CodeStar/CodeConnections GitHub sources put the commit message (JSON-wrapped or plain) in the
 * revision summary; keep its first line.
 */
function firstLine(summary: string | undefined): string | undefined {
  if (!summary) return undefined;
  let text = summary;
  try {
    const parsed = JSON.parse(summary) as { CommitMessage?: string };
    if (typeof parsed.CommitMessage === 'string') text = parsed.CommitMessage;
  } catch {
    // a plain message
  }
  return text.split('\n')[0].trim() || undefined;
}
