/**
 * The hook, deployed with Serverless Framework v3 (pinned: v4 downloads a binary and needs a login):
 * CodeDeploy's BeforeAllowTraffic hook of the blue/green service and the ECS lifecycle hook of the
 * canary service, one function for both; and the release-outcome check every pipeline's Outcome
 * action invokes (hook/outcome/), so that a rolled-back release turns its pipeline red. Every name, count and timing comes from the one config, like
 * the CloudFormation generators and the appspec.yml renderer, so they cannot disagree on a name. Its
 * role can do what the strategies the config runs need, nothing for the others.
 *
 *   npx sls package --package <dir>   # offline, no AWS credentials (SLS_TELEMETRY_DISABLED=1)
 *   npx sls deploy                    # stack names.hookStackName, stage/region from the config
 *   npx sls invoke local -f hook ...  # see docs/hook.md
 */
import type { AWS } from '@serverless/typescript';
import { tagMap, tags } from './cloudformation/common';
import { hookStatements } from './cloudformation/hook-policy';
import { policyDocument, trustPolicy } from './cloudformation/iam';
import { outcomeStatements } from './cloudformation/outcome-policy';
import {
  HOOK_FUNCTION_KEY,
  hookEnvironment,
  loadConfig,
  namesFor,
  OUTCOME_FUNCTION_KEY,
  REPO_ROOT,
} from './config';
import { HOOK_ESBUILD_OPTIONS } from './config/contracts/hook-bundle';
import { lambdaTimeoutSeconds } from './config/hook-budget';

// The one loader, in its documented order (config/load.ts): `npm run deploy` passes the config it
// deploys as PLAYGROUND_CONFIG_JSON, so the hook is named exactly as the stacks expect.
const config = loadConfig({ env: process.env, cwd: REPO_ROOT });
const names = namesFor(config);

const serverlessConfiguration: AWS = {
  service: names.hookService,
  frameworkVersion: '3',
  // runtime-schema: Serverless v3's schema predates nodejs22.x; this adds it instead of disabling validation.
  plugins: ['serverless-esbuild', './hook/serverless/runtime-schema.js'],
  provider: {
    name: 'aws',
    stage: config.app.stage,
    region: config.app.region as NonNullable<AWS['provider']['region']>,
    // Node 22+: AWS SDK for JavaScript v3 (bundled, config/contracts/hook-bundle.ts) drops Node 20 in 2027.
    // Cast: @serverless/typescript's runtime list stops at nodejs20.x.
    runtime: 'nodejs22.x' as NonNullable<AWS['provider']['runtime']>,
    // Graviton: ~20 % cheaper per GB-second; the bundle is plain JavaScript, nothing native.
    architecture: 'arm64',
    memorySize: config.hook.memoryMb,
    logRetentionInDays: config.logs.retentionDays as NonNullable<AWS['provider']['logRetentionInDays']>,
    stackTags: tagMap(config),
    // CodeDeploy invokes the hook by name ($LATEST); retained numbered versions would only pile up.
    versionFunctions: false,
    deploymentBucket: { blockPublicAccess: true },
  },
  // One zip per function: the hook and the outcome check each load only their own bundle (and the
  // hook's size limit, scripts/bench/hook/bundle.ts, measures the hook alone).
  package: { individually: true },
  functions: {
    [HOOK_FUNCTION_KEY]: {
      // CodeDeployHook_…: the only names AWSCodeDeployRoleForECSLimited lets CodeDeploy invoke; the
      // canary's hook-invoke role names this one function too.
      name: names.hookFunction,
      description: `Deployment hook of ${names.prefix} (CodeDeploy and ECS): probes the new tasks' /version`,
      handler: 'hook/handler.handler',
      // The hook's own budget for discovery + probes, plus the reserve its status report needs.
      timeout: lambdaTimeoutSeconds(config),
      // Fn::Sub rather than the logical id: Serverless adds a DependsOn for a logical id, which
      // duplicates the dependency the reference already creates (cfn-lint W3005).
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
      role: { 'Fn::Sub': '${HookRole.Arn}' },
      environment: hookEnvironment(config),
      // Lambda retries a failed asynchronous invocation twice by default; one retry is worth it
      // (a report that failed may get through), more only repeat it. (We found no AWS page saying
      // whether CodeDeploy invokes hooks asynchronously; for a synchronous call this is inert.)
      maximumRetryAttempts: 1,
    },
    [OUTCOME_FUNCTION_KEY]: {
      // Invoked by name by every pipeline's Outcome action (cloudformation/pipelines/pipeline.ts).
      name: names.outcomeFunction,
      description: `Release outcome of ${names.prefix}'s pipelines: fails the pipeline when its deployment rolled back`,
      handler: 'hook/outcome/handler.handler',
      // One check is a handful of reads and one answer to CodePipeline (3 s SDK timeouts): 30 s is ample.
      timeout: 30,
      memorySize: 128,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
      role: { 'Fn::Sub': '${OutcomeRole.Arn}' },
      // CodePipeline invokes it asynchronously (https://docs.aws.amazon.com/lambda/latest/dg/services-codepipeline.html);
      // the function only fails when it could not answer the job: one retry may get the answer through.
      maximumRetryAttempts: 1,
    },
  },
  custom: {
    esbuild: {
      ...HOOK_ESBUILD_OPTIONS,
      // Nothing is left to the runtime: the AWS SDK clients the hook calls are bundled in, at the
      // versions package-lock.json pins (why: config/contracts/hook-bundle.ts). serverless-esbuild
      // would otherwise leave out `aws-sdk` (v2, which the hook does not use).
      exclude: [],
    },
  },
  resources: {
    Resources: {
      // The function's own least-privilege role (not the provider-wide one).
      HookRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `Role of ${names.hookFunction}: read the deployment and its target, report its hook status`,
          // Lambda documents no confused-deputy condition for its execution role (cloudformation/iam.ts).
          AssumeRolePolicyDocument: trustPolicy('lambda.amazonaws.com', 'none'),
          Policies: [{ PolicyName: 'hook', PolicyDocument: policyDocument(hookStatements(config)) }],
          Tags: tags(config),
        },
      },
      OutcomeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `Role of ${names.outcomeFunction}: read the pipelines' deployments, answer their Outcome jobs`,
          AssumeRolePolicyDocument: trustPolicy('lambda.amazonaws.com', 'none'),
          Policies: [{ PolicyName: 'outcome', PolicyDocument: policyDocument(outcomeStatements(config)) }],
          Tags: tags(config),
        },
      },
    },
    // Serverless generates the hook's log group; like the app's (cluster.ts), it is deleted with the
    // stack and on replacement: Lambda fixes its name (`/aws/lambda/<function>`), so a retained group
    // would make the next `sls deploy` after `npm run destroy` fail ("already exists").
    extensions: {
      HookLogGroup: { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
      OutcomeLogGroup: { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
    },
  },
};

module.exports = serverlessConfiguration;
