/**
 * `--dry-run` output: every step of a plan with each AWS API call and its parameters, built by the
 * same input builders the executor sends (changeSetInput, listVersionsInput, …).
 */
import type { PlaygroundConfig, StackId } from '../../config';
import { namesFor, runs } from '../../config';
import {
  batchDeleteImageInput,
  deleteObjectsInput,
  listImagesInput,
  listVersionsInput,
} from './aws/emptying';
import { changeSetInput } from './aws/stacks';
import { stepTitle } from './execute';
import { stackCommand } from './manual';
import type { DeployStep, DestroyStep, StackParameter } from './plan';

export interface Call {
  /** `service:Operation`, or `local` for a command run on this machine. */
  api: string;
  input?: unknown;
  note?: string;
}

/** Read-only lookups a real deploy makes before planning (a dry run assumes a fresh account). */
export function preflightCalls(config: PlaygroundConfig): Call[] {
  const names = namesFor(config);
  const runningImage = (service: string, which: string): Call => ({
    api: 'ecs:DescribeServices',
    input: { cluster: names.cluster, services: [service] },
    note: `then ecs:DescribeTaskDefinition: the image the ${which} service runs now`,
  });
  return [
    { api: 'sts:GetCallerIdentity', input: {}, note: 'checks region and credentials before any change' },
    ...(runs(config, 'rolling') ? [runningImage(names.rolling.service, 'rolling')] : []),
    ...(runs(config, 'canary') ? [runningImage(names.ecsCanary.service, 'canary')] : []),
    ...(runs(config, 'bluegreen')
      ? [
          {
            api: 'cloudformation:DescribeStacks',
            input: { StackName: names.stackName('service-bluegreen') },
            note: 'an existing blue/green stack keeps its ImageUri (UsePreviousValue)',
          },
        ]
      : []),
    {
      api: 'ecr:DescribeRepositories',
      input: { repositoryNames: [names.ecrRepository] },
      note: 'then ecr:DescribeImages (paginated): the newest commit-tagged image',
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
          note: 'runs in a dry run too, writing to a temporary directory instead of cloudformation/templates/',
        },
      ];
    case 'deploy-stack': {
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
          note: 'absent → ChangeSetType CREATE; present → UPDATE; ROLLBACK_COMPLETE → delete first',
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

export function formatDeployPlan(
  config: PlaygroundConfig,
  steps: DeployStep[],
  warnings: string[],
  pollSeconds: number,
): string[] {
  const numbers = new Map(steps.map((s, i) => [s, i + 1]));
  const lines = [
    `Deploy plan: ${config.app.name}, stage ${config.app.stage}, region ${config.app.region}`,
    'DRY RUN: no AWS API is called and no credentials are needed.',
    ...warnings.map((w) => `warning: ${w}`),
    '',
    'Before any change, a real run makes these read-only calls (a dry run assumes a fresh account):',
    ...preflightCalls(config).map(formatCall),
  ];
  for (const step of steps) {
    lines.push('', `${numbers.get(step)}. ${stepTitle(step)}`);
    lines.push(...deployCalls(step, numbers, pollSeconds, envText(config)).map(formatCall));
    if (step.kind === 'deploy-stack') lines.push(`   same as: ${stackCommand(step, config.app.region)}`);
  }
  return lines;
}

export function formatDestroyPlan(
  config: PlaygroundConfig,
  steps: DestroyStep[],
  pollSeconds: number,
): string[] {
  const lines = [
    `Destroy plan: ${config.app.name}, stage ${config.app.stage}, region ${config.app.region}`,
    'DRY RUN: no AWS API is called and no credentials are needed.',
    '',
    'A real run first calls sts:GetCallerIdentity {} and asks you to type the stage name (unless --yes).',
  ];
  steps.forEach((step, i) => {
    lines.push('', `${i + 1}. ${stepTitle(step)}`);
    lines.push(...destroyCalls(step, pollSeconds, envText(config)).map(formatCall));
  });
  return lines;
}

/** How local commands get the run's config (see commandEnvFor in cli.ts). */
function envText(config: PlaygroundConfig): string {
  return `PLAYGROUND_STAGE=${config.app.stage} PLAYGROUND_REGION=${config.app.region}`;
}

function formatCall(call: Call): string {
  const input =
    call.input === undefined
      ? ''
      : ` ${typeof call.input === 'string' ? call.input : JSON.stringify(call.input)}`;
  return `   ${call.api}${input}${call.note ? `\n      (${call.note})` : ''}`;
}

function shownParameter(stack: StackId, p: StackParameter, firstImageStep: number | undefined) {
  switch (p.value.kind) {
    case 'literal':
      return { ParameterKey: p.key, ParameterValue: p.value.uri };
    case 'previous':
      return { ParameterKey: p.key, UsePreviousValue: true };
    case 'first-image': {
      // A dry run knows no facts: say what a real run would pass, in the order it decides.
      const current =
        stack === 'service-rolling'
          ? 'the image the rolling service runs now'
          : stack === 'service-canary'
            ? 'the image the canary service runs now'
            : 'the previous value when the stack exists (UsePreviousValue)';
      return {
        ParameterKey: p.key,
        ParameterValue: `<${current}, else the newest commit-tagged image in ECR, else the image step ${firstImageStep} waits for>`,
      };
    }
  }
}
