/**
 * The release-outcome check's contract: what each pipeline's `Outcome` action (a CodePipeline Lambda
 * invoke action, cloudformation/pipelines/pipeline.ts) passes in `UserParameters`, and what the
 * function (hook/outcome/) reads back. Imported by the Lambda's bundle: only types and plain data.
 *
 * The action runs after the Deploy action of the same stage and finds the deployment that action
 * started: the ECS service deployment, or the CodeDeploy deployment, created after the Deploy
 * action's start in this pipeline execution (`#{codepipeline.PipelineExecutionId}`, a variable
 * CodePipeline resolves in every action's configuration:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
 */

/** The function's key in serverless.ts `functions`. */
export const OUTCOME_FUNCTION_KEY = 'outcome';

/** Where the release's deployment is recorded. */
export type OutcomeTarget =
  | { kind: 'ecs'; cluster: string; service: string }
  | { kind: 'codedeploy'; application: string; deploymentGroup: string };

export interface OutcomeParameters {
  pipeline: string;
  /** The pipeline execution: `#{codepipeline.PipelineExecutionId}` in the template. */
  execution: string;
  /** The deploy action whose deployment is checked (same execution). */
  deployAction: string;
  target: OutcomeTarget;
}

/** CodePipeline's variable for the running execution's id. */
export const PIPELINE_EXECUTION_VARIABLE = '#{codepipeline.PipelineExecutionId}';

/** The action's UserParameters: JSON, one line. */
export function renderOutcomeParameters(p: OutcomeParameters): string {
  return JSON.stringify(p);
}

const text = (v: unknown) => typeof v === 'string' && v.length > 0;

/** UserParameters back to OutcomeParameters; a message naming the field when they are malformed. */
export function parseOutcomeParameters(raw: unknown): OutcomeParameters | { error: string } {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(String(raw)) as Record<string, unknown>;
  } catch {
    return {
      error: `UserParameters is not JSON (got ${JSON.stringify(raw)}): the pipeline template renders it, re-deploy the pipelines stack`,
    };
  }
  const missing = ['pipeline', 'execution', 'deployAction'].filter((k) => !text(p?.[k]));
  const t = (p?.target ?? {}) as Record<string, unknown>;
  const targetOk =
    (t.kind === 'ecs' && text(t.cluster) && text(t.service)) ||
    (t.kind === 'codedeploy' && text(t.application) && text(t.deploymentGroup));
  if (!targetOk) missing.push('target');
  if (missing.length) {
    return {
      error: `UserParameters lacks ${missing.join(', ')}: the pipeline template renders them, re-deploy the pipelines stack`,
    };
  }
  return p as unknown as OutcomeParameters;
}
