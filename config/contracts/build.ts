/**
 * The build's contract between the buildspec, the render script (scripts/artifacts/) and the
 * pipelines template: the environment the CodeBuild project sets, the four files the build hands to
 * the deploy actions, and the placeholders CodePipeline fills in.
 */
import { CONFIG_ENV } from './config';

/** Environment variable names; the pipelines template sets all but the first two on the CodeBuild project. */
export const BUILD_ENV = {
  sourceVersion: 'CODEBUILD_RESOLVED_SOURCE_VERSION',
  region: 'AWS_DEFAULT_REGION',
  repositoryUri: 'REPOSITORY_URI',
  executionRoleArn: 'EXECUTION_ROLE_ARN',
  taskRoleArn: 'TASK_ROLE_ARN',
  logGroupName: 'LOG_GROUP_NAME',
  /**
   * The whole config the stacks were synthesized with, as JSON: playground.config.json is not
   * committed, so without it the build would render the defaults and drift from the stacks.
   */
  config: CONFIG_ENV.json,
  /** The artifact bucket, where each commit's gate verdict lives (GATE_KEY_PREFIX). */
  gateBucket: 'GATE_BUCKET',
  /** How long a build may wait for another build's gate verdict (gateWaitSeconds(), config/timeouts.ts). */
  gateWaitSeconds: 'GATE_WAIT_SECONDS',
} as const;

/**
 * The one gate per commit (docs/pipelines.md#one-gated-build-per-push): every pipeline's build of a
 * commit reads and writes the object `gates/<commit>` of the artifact bucket, whose body is
 * `<state> <CodeBuild build id>`. The first build claims it (`running`), records `tested` once
 * `npm test` passed and `failed` when it did not; the commit's image in ECR is the final verdict.
 */
export const GATE_KEY_PREFIX = 'gates/';
export const GATE_STATES = ['running', 'tested', 'failed'] as const;

/**
 * The moving tag of BuildKit's registry cache (all stages, `mode=max`) in the image repository. The
 * repository's tags are immutable except this one (cloudformation/registry.ts), and it never names a
 * runnable image: deploys and rollbacks name commit tags only.
 */
export const BUILD_CACHE_TAG = 'buildcache';

/** File names, as the buildspec lists them and the deploy actions read them. */
export const ARTIFACT_FILES = {
  /** Pipeline 1 (ECS rolling): the action swaps this image into the service's task definition. */
  imageDefinitions: 'imagedefinitions.json',
  /** Pipeline 2 (CodeDeployToECS): the `Image1` input, `{"ImageURI": …}`. */
  imageDetail: 'imageDetail.json',
  /** Pipeline 2: the task definition CodeDeployToECS registers, with the image placeholder. */
  taskDefinition: 'taskdef.json',
  /** Pipeline 2: the CodeDeploy AppSpec, with the task definition placeholder. */
  appSpec: 'appspec.yml',
} as const;

export type ArtifactFile = (typeof ARTIFACT_FILES)[keyof typeof ARTIFACT_FILES];

export const ALL_ARTIFACT_FILES: readonly ArtifactFile[] = Object.values(ARTIFACT_FILES);

/**
 * CodeDeployToECS replaces `<IMAGE1_NAME>` in taskdef.json with the `ImageURI` of imageDetail.json;
 * the pipeline action names the placeholder (without brackets) in `Image1ContainerName`.
 */
export const IMAGE1_PLACEHOLDER = 'IMAGE1_NAME';

/** CodeDeployToECS replaces this in appspec.yml with the ARN of the task definition it registered. */
export const TASK_DEFINITION_PLACEHOLDER = '<TASK_DEFINITION>';

/** Length of the commit tag: git's short hash, as the original playground tagged images. */
export const COMMIT_HASH_LENGTH = 7;
