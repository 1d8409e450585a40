/**
 * One CodePipeline (V2) and its role: Source (the GitHub push) → Build (the CodeBuild project) →
 * Deploy (the action of one deployment strategy). The deploy actions of the strategies are here too,
 * so a new strategy adds its action and its statements (policies.ts), and nothing else changes.
 */
import { CodePipeline, Fn, IAM, type IntrinsicFunction } from 'cloudform';
import {
  ARTIFACT_FILES,
  IMAGE1_PLACEHOLDER,
  type OutcomeTarget,
  PIPELINE_EXECUTION_VARIABLE,
  renderOutcomeParameters,
} from '../../config';
import { canaryWorstCase, ecsDeploymentTimeoutMinutes, rollingWorstCase } from '../../config/timeouts';
import { tags } from '../common';
import { type PolicyStatement, policyDocument, trustPolicy } from '../iam';
import { PIPELINE_ARTIFACTS, PIPELINE_STAGES, PIPELINES_IDS, type PipelinesContext } from './context';
import { commonStatements } from './policies';

type PipelineProperties = CodePipeline.Pipeline['Properties'];
type StageDeclaration = Exclude<PipelineProperties['Stages'], IntrinsicFunction>[number];
export type ActionDeclaration = Exclude<StageDeclaration['Actions'], IntrinsicFunction>[number];

/**
 * A stage's automatic retry on failure (V2 pipelines), which cloudform's 2023 types lack: the
 * CloudFormation schema's `StageDeclaration.OnFailure` (`FailureConditions`: `Result` ROLLBACK | RETRY,
 * `RetryConfiguration.RetryMode` ALL_ACTIONS | FAILED_ACTIONS), as cfn-lint's bundled schema checks it:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-retryconfiguration.html
 */
interface StageV2Declaration extends StageDeclaration {
  OnFailure?: { Result: 'RETRY'; RetryConfiguration: { RetryMode: 'FAILED_ACTIONS' | 'ALL_ACTIONS' } };
}

/** The properties CloudFormation has for V2 pipelines and cloudform's 2023 types lack. */
interface PipelineV2Properties extends PipelineProperties {
  Stages: StageV2Declaration[];
  PipelineType: 'V2';
  ExecutionMode: 'QUEUED' | 'SUPERSEDED' | 'PARALLEL';
  Triggers: {
    ProviderType: 'CodeStarSourceConnection';
    GitConfiguration: { SourceActionName: string; Push: { Branches: { Includes: string[] } }[] };
  }[];
}

/**
 * Source → Build → Deploy (`deploy`, then the release-outcome check on `outcome`), started by every
 * push to the configured branch.
 */
export function pipeline(
  ctx: PipelinesContext,
  name: string,
  roleId: string,
  deploy: ActionDeclaration,
  outcome: OutcomeTarget,
): CodePipeline.Pipeline {
  const props: PipelineV2Properties = {
    Name: name,
    RoleArn: Fn.GetAtt(roleId, 'Arn'),
    PipelineType: 'V2',
    // A newer push replaces a waiting older one; a running deployment is never interrupted.
    ExecutionMode: 'SUPERSEDED',
    ArtifactStore: { Type: 'S3', Location: Fn.Ref(PIPELINES_IDS.bucket) },
    Stages: [
      ...sourceAndBuild(ctx),
      { Name: PIPELINE_STAGES.deploy, Actions: [deploy, outcomeAction(ctx, name, outcome)] },
    ],
    Triggers: [
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: {
          SourceActionName: PIPELINE_STAGES.source,
          Push: [{ Branches: { Includes: [ctx.config.github.branch] } }],
        },
      },
    ],
    Tags: tags(ctx.config),
  };
  return new CodePipeline.Pipeline(props);
}

/** A pipeline's role: what every pipeline needs, and its deploy action's `statements`. */
export function pipelineRole(
  ctx: PipelinesContext,
  description: string,
  statements: PolicyStatement[],
): IAM.Role {
  return new IAM.Role({
    Description: description,
    AssumeRolePolicyDocument: trustPolicy('codepipeline.amazonaws.com', 'source-account'),
    Policies: [
      { PolicyName: 'pipeline', PolicyDocument: policyDocument([...commonStatements(ctx), ...statements]) },
    ],
    Tags: tags(ctx.config),
  });
}

/**
 * The Build stage retries its failed action once, by itself. A build that CodeBuild refuses to start
 * fails the stage at once: on a new account the concurrent-build quota can be lower than Service
 * Quotas shows ("Internal metrics will determine the default quotas for concurrent running builds":
 * https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html), and then StartBuild answers
 * AccountLimitExceededException ("Cannot have more than 1 builds in queue for the account") for the
 * pipelines of a push beyond it. The retry gets one more start; if the queue has moved on by then, the
 * retried build finds the commit's image or waits for its gate (buildspec.yml). AWS documents no
 * delay before the retry, so it can fail the same way: then the fix is the quota (docs/deploy.md,
 * troubleshooting). V2 pipelines only, one automatic retry attempt per stage
 * ("You can only configure automatic retry on stage failure for one retry attempt"):
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-retry.html
 * FAILED_ACTIONS: the Build stage has one action, and the failed one is all there is to rerun. A red
 * `npm test` is retried too: the retried build reads the `failed` verdict and fails without testing
 * again (after its provisioning and `npm ci`).
 */
export const BUILD_STAGE_RETRY: StageV2Declaration['OnFailure'] = {
  Result: 'RETRY',
  RetryConfiguration: { RetryMode: 'FAILED_ACTIONS' },
};

function sourceAndBuild(ctx: PipelinesContext): StageV2Declaration[] {
  const { github } = ctx.config;
  return [
    {
      Name: PIPELINE_STAGES.source,
      Actions: [
        {
          Name: PIPELINE_STAGES.source,
          ActionTypeId: {
            Category: 'Source',
            Owner: 'AWS',
            Provider: 'CodeStarSourceConnection',
            Version: '1',
          },
          Configuration: {
            ConnectionArn: ctx.connectionArn,
            FullRepositoryId: `${github.owner}/${github.repo}`,
            BranchName: github.branch,
            // A zip of the commit: the build needs the files, not the git history.
            OutputArtifactFormat: 'CODE_ZIP',
          },
          OutputArtifacts: [{ Name: PIPELINE_ARTIFACTS.source }],
        },
      ],
    },
    {
      Name: PIPELINE_STAGES.build,
      Actions: [
        {
          Name: PIPELINE_STAGES.build,
          ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
          Configuration: { ProjectName: Fn.Ref(PIPELINES_IDS.buildProject) },
          InputArtifacts: [{ Name: PIPELINE_ARTIFACTS.source }],
          OutputArtifacts: [{ Name: PIPELINE_ARTIFACTS.build }],
        },
      ],
      OnFailure: BUILD_STAGE_RETRY,
    },
  ];
}

/**
 * ECS's standard deploy action: registers a copy of the service's current task definition with the
 * image of imagedefinitions.json swapped in, updates the service to it, and waits for the service
 * deployment that ECS then runs the service's own way: a rolling update, or ECS's canary with its
 * hook, bake times and rollback (the strategy belongs to the service, not to the action:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html).
 */
function ecsDeployAction(ctx: PipelinesContext, service: string, timeoutMinutes: number): ActionDeclaration {
  return {
    Name: PIPELINE_STAGES.deploy,
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'ECS', Version: '1' },
    Configuration: {
      ClusterName: ctx.clusterName,
      ServiceName: service,
      FileName: ARTIFACT_FILES.imageDefinitions,
      // The deployment's worst case × TIMEOUT_MARGIN (config/timeouts.ts), within the action's 1-60
      // minutes: long enough for a rollback to finish, short of the action's 60 for a stuck one.
      DeploymentTimeout: String(timeoutMinutes),
    },
    InputArtifacts: [{ Name: PIPELINE_ARTIFACTS.build }],
  };
}

/** ECS (rolling): swaps the image of imagedefinitions.json into the service's task definition. */
export function rollingDeployAction(ctx: PipelinesContext): ActionDeclaration {
  return ecsDeployAction(
    ctx,
    ctx.names.rolling.service,
    ecsDeploymentTimeoutMinutes(rollingWorstCase(ctx.config)),
  );
}

/**
 * ECS (canary): the same action on the canary service; it may wait for the whole canary, bake times
 * included (AWS does not say whether it returns earlier), so its timeout covers them.
 */
export function canaryDeployAction(ctx: PipelinesContext): ActionDeclaration {
  return ecsDeployAction(
    ctx,
    ctx.names.ecsCanary.service,
    ecsDeploymentTimeoutMinutes(canaryWorstCase(ctx.config)),
  );
}

/** CodeDeployToECS (blue/green): registers taskdef.json, deploys appspec.yml through the group. */
export function blueGreenDeployAction(ctx: PipelinesContext): ActionDeclaration {
  return {
    Name: PIPELINE_STAGES.deploy,
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CodeDeployToECS', Version: '1' },
    Configuration: {
      ApplicationName: ctx.names.blueGreen.codeDeployApplication,
      DeploymentGroupName: ctx.names.blueGreen.deploymentGroup,
      TaskDefinitionTemplateArtifact: PIPELINE_ARTIFACTS.build,
      TaskDefinitionTemplatePath: ARTIFACT_FILES.taskDefinition,
      AppSpecTemplateArtifact: PIPELINE_ARTIFACTS.build,
      AppSpecTemplatePath: ARTIFACT_FILES.appSpec,
      // imageDetail.json of this artifact fills <IMAGE1_NAME> in taskdef.json.
      Image1ArtifactName: PIPELINE_ARTIFACTS.build,
      Image1ContainerName: IMAGE1_PLACEHOLDER,
    },
    InputArtifacts: [{ Name: PIPELINE_ARTIFACTS.build }],
  };
}

/**
 * The release-outcome check (hook/outcome/, deployed with the hook): a Lambda invoke action after the
 * deploy action (RunOrder 2), so the stage is red whenever the release's deployment rolled back,
 * stopped or failed, with the reasons in the action's failure message. AWS documents no red result on
 * a rollback for any of the three deploy actions (docs/pipelines.md#a-red-pipeline-for-every-rollback).
 * Its UserParameters (config/contracts/outcome.ts) name this execution, so the function finds the
 * deployment this execution's Deploy action started.
 */
export function outcomeAction(
  ctx: PipelinesContext,
  pipelineName: string,
  target: OutcomeTarget,
): ActionDeclaration {
  return {
    Name: PIPELINE_STAGES.outcome,
    ActionTypeId: { Category: 'Invoke', Owner: 'AWS', Provider: 'Lambda', Version: '1' },
    RunOrder: 2,
    Configuration: {
      FunctionName: ctx.names.outcomeFunction,
      UserParameters: renderOutcomeParameters({
        pipeline: pipelineName,
        execution: PIPELINE_EXECUTION_VARIABLE,
        deployAction: PIPELINE_STAGES.deploy,
        target,
      }),
    },
  };
}
