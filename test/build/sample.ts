/** Sample CodeBuild environment shared by the build tests: one account, one region, one commit. */
export const SAMPLE_ENV = {
  CODEBUILD_RESOLVED_SOURCE_VERSION: '3f2c9a1b7e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b',
  REPOSITORY_URI: '111122223333.dkr.ecr.us-west-2.amazonaws.com/ecs-playground-dev',
  EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/ecs-playground-dev-cluster-ExecutionRole-1A2B3C',
  TASK_ROLE_ARN: 'arn:aws:iam::111122223333:role/ecs-playground-dev-cluster-TaskRole-4D5E6F',
  LOG_GROUP_NAME: '/ecs/ecs-playground-dev',
  AWS_DEFAULT_REGION: 'us-west-2',
  GATE_BUCKET: 'ecs-playground-dev-pipelines-artifactbucket-1a2b3c4d5e6f',
} as const;

export const SAMPLE_IMAGE = '111122223333.dkr.ecr.us-west-2.amazonaws.com/ecs-playground-dev:3f2c9a1';
