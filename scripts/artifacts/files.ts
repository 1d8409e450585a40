/**
 * The contract between the buildspec, the render script and the pipelines template: the four
 * files the build hands to the deploy actions, and the placeholders CodePipeline fills in.
 */

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

/** awslogs stream prefix of the blue/green service (the rolling one uses `rolling`). */
export const BLUE_GREEN_LOG_PREFIX = 'bluegreen';

/** Length of the commit tag: git's short hash, as the original playground tagged images. */
export const COMMIT_HASH_LENGTH = 7;
