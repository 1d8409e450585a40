/**
 * The CodeBuild project every pipeline runs (the gate — tests, `docker build`, push to ECR — once
 * per commit, then the deploy artifacts), its log group and its role.
 *
 * The role's s3:ListBucket on the artifact bucket is for the gate: without it S3 answers a missing
 * key with 403, not 404 NoSuchKey, and buildspec.yml could not tell a deleted verdict from a denied
 * read ("If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403"):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */

import { CodeBuild, Fn, IAM, Logs, type Value } from 'cloudform';
import { BUILD_ENV } from '../../config';
import { buildTimeoutMinutes, gateWaitSeconds } from '../../config/timeouts';
import { importValue, tags } from '../common';
import { anyResourceStatement, policyDocument, trustPolicy } from '../iam';
import { accountArn } from '../intrinsics';
import { deletedWithStack } from './bucket';
import { PIPELINES_IDS, type PipelinesContext } from './context';

/**
 * CodeBuild's standard images per Fargate architecture: the build runs natively on the architecture
 * the tasks run on, so `docker build` needs no emulation. Both are Amazon Linux 2023 images whose
 * runtimes include Node.js 22 and Python 3.12, which buildspec.yml selects.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/available-runtimes.html
 */
export const BUILD_IMAGES = {
  X86_64: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0' },
  ARM64: { type: 'ARM_CONTAINER', image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' },
} as const;

export function build(ctx: PipelinesContext): Record<string, Logs.LogGroup | IAM.Role | CodeBuild.Project> {
  return {
    [PIPELINES_IDS.buildLogGroup]: deletedWithStack(
      new Logs.LogGroup({
        LogGroupName: buildLogGroupName(ctx),
        RetentionInDays: ctx.config.logs.retentionDays,
        Tags: tags(ctx.config),
      }),
    ),
    [PIPELINES_IDS.buildRole]: buildRole(ctx),
    [PIPELINES_IDS.buildProject]: buildProject(ctx),
  };
}

const buildLogGroupName = (ctx: PipelinesContext) => `/aws/codebuild/${ctx.names.codeBuildProject}`;

function buildRole(ctx: PipelinesContext): IAM.Role {
  const { names } = ctx;
  const logGroup = buildLogGroupName(ctx);
  return new IAM.Role({
    Description: `CodeBuild of ${names.prefix}: tests, docker build, push to ECR, render deploy artifacts`,
    // Only CodeBuild running this project may assume it (confused-deputy guard).
    AssumeRolePolicyDocument: trustPolicy('codebuild.amazonaws.com', {
      sourceArn: accountArn('codebuild', `project/${names.codeBuildProject}`),
    }),
    Policies: [
      {
        PolicyName: 'build',
        PolicyDocument: policyDocument([
          {
            Sid: 'WriteBuildLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: [
              accountArn('logs', `log-group:${logGroup}`),
              accountArn('logs', `log-group:${logGroup}:log-stream:*`),
            ],
          },
          {
            // Also the gate verdicts (gates/<commit>): claimed with a conditional PutObject, read with
            // GetObject by the other pipelines' builds of the commit (buildspec.yml).
            Sid: 'ReadSourceWriteBuildOutput',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
            Resource: ctx.bucketObjects,
          },
          {
            Sid: 'LocateArtifactBucket',
            Effect: 'Allow',
            Action: ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:ListBucket'],
            Resource: ctx.bucketArn,
          },
          {
            // A build waiting for another build's gate asks whether that build is still running.
            Sid: 'ReadGateHolder',
            Effect: 'Allow',
            Action: 'codebuild:BatchGetBuilds',
            Resource: accountArn('codebuild', `project/${names.codeBuildProject}`),
          },
          {
            // Push the commit image and the build cache, pull the cache, and DescribeImages for
            // "does this commit's image exist already" (its gate then passed).
            Sid: 'PushPullRepository',
            Effect: 'Allow',
            Action: [
              'ecr:BatchCheckLayerAvailability',
              'ecr:BatchGetImage',
              'ecr:CompleteLayerUpload',
              'ecr:DescribeImages',
              'ecr:GetDownloadUrlForLayer',
              'ecr:InitiateLayerUpload',
              'ecr:PutImage',
              'ecr:UploadLayerPart',
            ],
            Resource: ctx.repositoryArn,
          },
          // `aws ecr get-login-password`: the token is per registry, the action has no resource type.
          anyResourceStatement('RegistryLogin', 'ecr:GetAuthorizationToken'),
          // `aws ecr-public get-login-password --region us-east-1` before `docker build` pulls the base
          // image from public.ecr.aws: anonymous pulls are throttled per source IP, and CodeBuild hosts
          // share IPs; a logged-in pull counts against this account's own, higher quota. The command
          // "requires the 'ecr-public:GetAuthorizationToken' and 'sts:GetServiceBearerToken' permissions":
          // https://docs.aws.amazon.com/cli/latest/reference/ecr-public/get-login-password.html
          // https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html
          anyResourceStatement('PublicRegistryLogin', 'ecr-public:GetAuthorizationToken'),
          // The bearer token only for ECR Public (the condition key of service bearer tokens):
          // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_bearer.html
          anyResourceStatement('PublicRegistryBearerToken', 'sts:GetServiceBearerToken', {
            StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' },
          }),
        ]),
      },
    ],
    Tags: tags(ctx.config),
  });
}

function buildProject(ctx: PipelinesContext): CodeBuild.Project {
  const { config, names } = ctx;
  const architecture = BUILD_IMAGES[config.container.architecture];
  const env = (Name: string, Value: Value<string>) => ({ Name, Value, Type: 'PLAINTEXT' });
  return new CodeBuild.Project({
    Name: names.codeBuildProject,
    Description: `Gate of each commit, once: tests, builds and pushes ${names.ecrRepository}:<commit>; renders the deploy artifacts`,
    ServiceRole: Fn.GetAtt(PIPELINES_IDS.buildRole, 'Arn'),
    Source: { Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yml' },
    Artifacts: { Type: 'CODEPIPELINE' },
    Environment: {
      Type: architecture.type,
      Image: architecture.image,
      ComputeType: config.build.computeType,
      // Docker-in-Docker for `docker build`.
      PrivilegedMode: true,
      ImagePullCredentialsType: 'CODEBUILD',
      EnvironmentVariables: [
        env(BUILD_ENV.repositoryUri, importValue(names, 'registry', 'RepositoryUri')),
        env(BUILD_ENV.executionRoleArn, importValue(names, 'cluster', 'ExecutionRoleArn')),
        env(BUILD_ENV.taskRoleArn, importValue(names, 'cluster', 'TaskRoleArn')),
        env(BUILD_ENV.logGroupName, importValue(names, 'cluster', 'LogGroupName')),
        // The exact config these templates were synthesized from (see config/contracts/build.ts).
        env(BUILD_ENV.config, JSON.stringify(config)),
        env(BUILD_ENV.gateBucket, Fn.Ref(PIPELINES_IDS.bucket)),
        // A waiting build gives up before the build timeout below, naming the build it waited for.
        env(BUILD_ENV.gateWaitSeconds, String(gateWaitSeconds())),
      ],
    },
    // Back-to-back builds on the same host keep its Docker layers (the BuildKit builder image among
    // them); the registry cache in ECR (buildspec.yml) is what every other build reuses.
    Cache: { Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] },
    // The worst build × TIMEOUT_MARGIN (config/timeouts.ts): one that waits for the gate's build, then runs it.
    TimeoutInMinutes: buildTimeoutMinutes(),
    LogsConfig: {
      CloudWatchLogs: { Status: 'ENABLED', GroupName: Fn.Ref(PIPELINES_IDS.buildLogGroup) },
      S3Logs: { Status: 'DISABLED' },
    },
    Tags: tags(config),
  });
}
