/**
 * The AWS API calls (and local commands) each plan step makes, with their parameters, built by the
 * same input builders the executor sends (changeSetInput, listVersionsInput, …): what `--dry-run`
 * prints (describe.ts) is what a real run does.
 */
import type { Parameter } from '@aws-sdk/client-cloudformation';
import type { PlaygroundConfig, StackId } from '../../config';
import {
  isServiceStack,
  namesFor,
  runs,
  SERVICE_STACKS,
  STACKS,
  serviceOf,
  serviceStacksFor,
} from '../../config';
import {
  batchDeleteImageInput,
  deleteObjectsInput,
  listImagesInput,
  listVersionsInput,
} from './aws/emptying';
import { UNFINISHED_DEPLOYMENT } from './aws/facts';
import { buildQuotaName, CODEBUILD_SERVICE_CODE, concurrentBuildsNeeded } from './aws/quotas';
import { changeSetInput } from './aws/stacks';
import type { DeployStep, DestroyStep, StackParameter } from './plan';
import { followsRunningImage } from './stack-parameters';

export interface Call {
  /** `service:Operation`, or `local` for a command run on this machine. */
  api: string;
  input?: unknown;
  note?: string;
}

/** Read-only lookups a real deploy makes before planning (a dry run assumes a fresh account). */
export function preflightCalls(config: PlaygroundConfig): Call[] {
  const names = namesFor(config);
  const left = SERVICE_STACKS.filter((s) => !serviceStacksFor(config).includes(s));
  return [
    { api: 'sts:GetCallerIdentity', input: {}, note: 'checks region and credentials before any change' },
    {
      api: 'cloudformation:DescribeStacks',
      input: { StackName: `<each of ${STACKS.map((s) => names.stackName(s)).join(', ')}>` },
      note:
        'the status of each stack decides its action (docs/deploy.md); a stack that needs a person stops the run here' +
        (left.length
          ? `; ${left.join(', ')} (not in app.strategies) only to find one an earlier deploy left that imports what a change replaces`
          : ''),
    },
    {
      api: 'cloudformation:GetTemplate',
      input: { StackName: '<each stack that completed an operation>', TemplateStage: 'Original' },
      note: 'unchanged stacks are skipped; changes CloudFormation cannot apply in place are found here',
    },
    ...serviceStacksFor(config).map((stack) => ({
      api: 'ecs:DescribeServices',
      input: { cluster: names.cluster, services: [serviceOf(names, stack)] },
      note: `then ecs:DescribeTaskDefinition: the image the ${service(stack)} service runs now${stack === 'service-bluegreen' ? ' (its PRIMARY task set)' : ''}`,
    })),
    {
      api: 'ecr:DescribeRepositories',
      input: { repositoryNames: [names.ecrRepository] },
      note: 'then ecr:DescribeImages (paginated): the newest commit-tagged image, and the digests of the images compared',
    },
    ...(runs(config, 'bluegreen')
      ? [
          {
            api: 'codedeploy:ListDeployments',
            input: {
              applicationName: names.blueGreen.codeDeployApplication,
              deploymentGroupName: names.blueGreen.deploymentGroup,
              includeOnlyStatuses: UNFINISHED_DEPLOYMENT,
            },
            note: 'the blue/green stack is not changed while CodeDeploy deploys to it',
          },
        ]
      : []),
    {
      api: 'servicequotas:ListServiceQuotas',
      input: { ServiceCode: CODEBUILD_SERVICE_CODE },
      note: `"${buildQuotaName(config)}" (else servicequotas:ListAWSDefaultServiceQuotas): 0 stops the run, fewer than ${concurrentBuildsNeeded(config)} (a build per pipeline) warns`,
    },
  ];
}

export function deployCalls(
  step: DeployStep,
  stepNumbers: Map<DeployStep, number>,
  pollSeconds: number,
  envText: string,
): Call[] {
  switch (step.kind) {
    case 'synth':
      return [
        {
          api: 'local',
          input: `${envText} ts-node scripts/synth.ts`,
          note: 'runs in a dry run too, writing to a temporary directory instead of cloudformation/out/<stage>/',
        },
      ];
    case 'delete-stack':
      return [
        {
          api: 'cloudformation:DeleteStack',
          input: { StackName: step.stackName },
          note: 'after you confirm (typing the stage name, or --yes); then cloudformation:DescribeStackEvents until DELETE_COMPLETE',
        },
      ];
    case 'deploy-stack': {
      if (step.skip) return [];
      const firstImageStep = [...stepNumbers.entries()].find(([s]) => s.kind === 'wait-first-image')?.[1];
      const input = changeSetInput(
        {
          stackName: step.stackName,
          templateBody: `<contents of ${step.templatePath}>`,
          parameters: step.parameters.map((p) => shownParameter(step.stack, p, firstImageStep)),
        },
        'deploy-<epoch ms>',
        'CREATE',
      );
      const ids = { StackName: step.stackName, ChangeSetName: 'deploy-<epoch ms>' };
      return [
        {
          api: 'cloudformation:DescribeStacks',
          input: { StackName: step.stackName },
          note: 'absent → ChangeSetType CREATE; stable → UPDATE; failed creation (ROLLBACK_COMPLETE, ROLLBACK_FAILED, CREATE_FAILED) → delete, then CREATE; busy → wait',
        },
        { api: 'cloudformation:CreateChangeSet', input: { ...input, ChangeSetType: 'CREATE | UPDATE' } },
        {
          api: 'cloudformation:DescribeChangeSet',
          input: ids,
          note: `every ${pollSeconds} s until CREATE_COMPLETE; "no changes" → cloudformation:DeleteChangeSet, stack skipped`,
        },
        { api: 'cloudformation:ExecuteChangeSet', input: ids },
        {
          api: 'cloudformation:DescribeStackEvents',
          input: { StackName: step.stackName },
          note: `with cloudformation:DescribeStacks every ${pollSeconds} s, each new event printed once, until the stack is no longer *_IN_PROGRESS`,
        },
        {
          api: 'cloudformation:DescribeStacks',
          input: { StackName: step.stackName },
          note: 'reads the outputs',
        },
      ];
    }
    case 'deploy-hook':
      return [
        {
          api: 'local',
          input: `${envText} ${step.command.join(' ')}`,
          note: `Serverless Framework deploys stack ${step.stackName} (function ${step.functionName})`,
        },
      ];
    case 'wait-connection': {
      const arn =
        typeof step.connectionArn === 'string'
          ? step.connectionArn
          : `<output ${step.connectionArn.output} of the ${step.connectionArn.stack} stack>`;
      const pipelines = [...stepNumbers.keys()].find(
        (s) => s.kind === 'deploy-stack' && s.stack === 'pipelines',
      );
      const pipelinesStack = pipelines?.kind === 'deploy-stack' ? pipelines.stackName : '<pipelines stack>';
      return [
        ...(typeof step.connectionArn === 'string'
          ? []
          : [{ api: 'cloudformation:DescribeStacks', input: { StackName: pipelinesStack } }]),
        {
          api: 'codestar-connections:GetConnection',
          input: { ConnectionArn: arn },
          note: 'PENDING → print the console steps to approve it and exit 0; re-run resumes',
        },
      ];
    }
    case 'wait-first-image':
      return [
        {
          api: 'ecr:DescribeImages',
          input: { repositoryName: step.repository, filter: { tagStatus: 'TAGGED' } },
          note: 'done as soon as a commit-tagged image exists',
        },
        { api: 'codepipeline:ListPipelineExecutions', input: { pipelineName: step.pipeline, maxResults: 1 } },
        {
          api: 'codepipeline:StartPipelineExecution',
          input: { name: step.pipeline },
          note: 'only when no execution is InProgress',
        },
        {
          api: 'codepipeline:GetPipelineExecution',
          input: { pipelineName: step.pipeline, pipelineExecutionId: '<execution id>' },
          note: `with ecr:DescribeImages every ${pollSeconds} s, for at most ${step.timeoutMinutes} minutes`,
        },
        {
          api: 'codepipeline:ListActionExecutions',
          input: { pipelineName: step.pipeline, filter: { pipelineExecutionId: '<execution id>' } },
          note: `only when it ended without an image: AccountLimitExceededException → request "${step.buildQuota.name}"`,
        },
      ];
    case 'print-summary':
      return [
        {
          api: 'cloudformation:DescribeStacks',
          input: { StackName: '<each service stack>' },
          note: 'prints the LoadBalancerUrl outputs and the hook function name',
        },
      ];
  }
}

export function destroyCalls(step: DestroyStep, pollSeconds: number, envText: string): Call[] {
  switch (step.kind) {
    case 'delete-stack':
      return [
        {
          api: 'cloudformation:DescribeStacks',
          input: { StackName: step.stackName },
          note: 'absent → skipped',
        },
        { api: 'cloudformation:DeleteStack', input: { StackName: step.stackName } },
        {
          api: 'cloudformation:DescribeStackEvents',
          input: { StackName: '<stack id>' },
          note: `with cloudformation:DescribeStacks every ${pollSeconds} s until DELETE_COMPLETE`,
        },
      ];
    case 'remove-hook':
      return [
        {
          api: 'cloudformation:DescribeStacks',
          input: { StackName: step.stackName },
          note: 'absent → skipped',
        },
        {
          api: 'local',
          input: `${envText} ${step.command.join(' ')}`,
          note: 'Serverless Framework deletes its stack',
        },
      ];
    case 'empty-bucket': {
      const bucket = `<output ${step.bucket.output} of the ${step.bucket.stack} stack>`;
      return [
        { api: 'cloudformation:DescribeStacks', input: { StackName: step.bucket.stackName } },
        {
          api: 's3:ListObjectVersions',
          input: listVersionsInput(bucket, '<NextKeyMarker>', '<NextVersionIdMarker>'),
          note: 'one call per page (markers from the previous page; none on the first)',
        },
        {
          api: 's3:DeleteObjects',
          input: deleteObjectsInput(bucket, [{ Key: '<key>', VersionId: '<version id>' }]),
          note: "one call per page: every version and delete marker listed (≤ 1,000, DeleteObjects' limit)",
        },
      ];
    }
    case 'empty-repository':
      return [
        {
          api: 'ecr:ListImages',
          input: listImagesInput(step.repository, '<nextToken>'),
          note: 'every page (nextToken from the previous page; none on the first)',
        },
        {
          api: 'ecr:BatchDeleteImage',
          input: batchDeleteImageInput(step.repository, ['<digest>']),
          note: 'one call per 100 image digests',
        },
      ];
  }
}

function shownParameter(stack: StackId, p: StackParameter, firstImageStep: number | undefined): Parameter {
  switch (p.value.kind) {
    case 'literal':
      return { ParameterKey: p.key, ParameterValue: p.value.uri };
    case 'previous':
      return { ParameterKey: p.key, UsePreviousValue: true };
    case 'running':
      return {
        ParameterKey: p.key,
        ParameterValue: `<the image the ${service(stack)} service runs when this step starts; UsePreviousValue when the stack names the same image>`,
      };
    case 'first-image': {
      // A dry run knows no facts: say what a real run would pass, in the order it decides.
      const current =
        isServiceStack(stack) && followsRunningImage(stack)
          ? `the image the ${service(stack)} service runs now`
          : 'the previous value when the stack exists (UsePreviousValue)';
      return {
        ParameterKey: p.key,
        ParameterValue: `<${current}, else the image another service runs, else the newest commit-tagged image in ECR, else the image step ${firstImageStep} waits for>`,
      };
    }
  }
}

/** `rolling`, `canary`: how a note names a service stack's service. */
const service = (stack: StackId): string => stack.replace('service-', '');
