/**
 * The deploy and destroy plans: pure, ordered lists of steps built from the config, the generated
 * templates and (in a real run) a few facts looked up from AWS beforehand. Every step is plain data,
 * so `--dry-run` prints exactly what a real run executes, and tests assert the order and the
 * parameters without any AWS call.
 *
 * First-image problem (a fresh account has no image until the first build): the services are deployed
 * LAST. network → registry → cluster → pipelines → hook → wait for the GitHub connection → wait for the
 * first build's commit-tagged image in ECR → service-rolling and service-bluegreen with that image.
 * The alternative, services at 0 tasks with a placeholder image, needs a second stack update to scale
 * up and leaves a stack whose task definition points at an image that does not exist.
 * The pipelines' first execution is simply allowed to fail in its deploy stage (the services do not
 * exist yet): the image is pushed by the build stage before that, nothing is left half-done, and
 * nothing needs re-enabling afterwards (disabled stage transitions would, and would silently block
 * every later push if the script died in between). The next push to the branch runs green.
 *
 * Re-runs (a real run reads the live stacks first, see aws/facts.ts), all decided before any change:
 * - a stack whose status needs a person (stack-status.ts) stops the run, naming the fix;
 * - a stack whose template and parameters would not change is skipped and the plan says so; for the
 *   rolling service "only the image differs" (the pipeline released a newer one) is such a skip;
 * - the rolling stack is given the image its service runs when the step starts (never an older one),
 *   kept as the stack's previous value when that names the same image (compared by digest);
 * - a change CloudFormation cannot apply in place (replacement.ts) deletes the service stacks first
 *   and creates them again with the images they run, after an explicit confirmation, or stops.
 */

import { EXPORTS } from '../../cloudformation/common';
import { IMAGE_PARAMETER } from '../../cloudformation/fargate-service';
import type { PlaygroundConfig, ServiceStackId, StackId } from '../../config';
import { isServiceStack, namesFor, PLACEHOLDER_GITHUB_OWNER, SERVICE_STACKS, STACKS } from '../../config';
import {
  checkBlueGreenDeployments,
  checkBuildQuota,
  checkStatuses,
  productionRouteProblems,
  recreatedStacks,
  skipReason,
  stackNotes,
} from './live-checks';
import { inPlaceProblems } from './replacement';
import { type DeployAction, statusRule } from './stack-status';
import {
  type DeployStep,
  type DestroyStep,
  type Facts,
  type ImageSource,
  PlanError,
  type StackParameter,
  type TemplateInfo,
  type Templates,
} from './steps';

export { planWarnings } from './live-checks';
export * from './steps';

/**
 * The deploy steps, in order. `dryRun` only relaxes the GitHub-owner check (a placeholder owner is
 * fine for looking at the plan, never for building someone else's repository). Everything that
 * would stop the run is found here, before the first change.
 */
export function deployPlan(
  config: PlaygroundConfig,
  templates: Templates,
  facts: Facts,
  options: { dryRun: boolean },
): DeployStep[] {
  if (!options.dryRun && config.github.owner === PLACEHOLDER_GITHUB_OWNER) {
    throw new PlanError(placeholderOwnerMessage());
  }
  const names = namesFor(config);
  const live = facts.stacks ?? {};
  checkStatuses(config, live);
  checkBuildQuota(config, facts.buildQuota);
  const problems = [
    ...inPlaceProblems(
      STACKS,
      Object.fromEntries(STACKS.map((s) => [s, live[s]?.template])),
      Object.fromEntries(STACKS.map((s) => [s, templates[s].template])),
    ),
    ...productionRouteProblems(live['service-bluegreen']?.template, templates['service-bluegreen'].template),
  ];
  const recreate = recreatedStacks(config, problems);

  const steps: DeployStep[] = [
    {
      kind: 'synth',
      description: 'generate the CloudFormation templates from the config (local, no AWS call)',
    },
  ];
  // Importers first: the blue/green stack, then the rolling one (reverse deployment order).
  for (const stack of [...recreate].reverse()) {
    steps.push({
      kind: 'delete-stack',
      stack,
      stackName: names.stackName(stack),
      description: `delete the ${stack} stack, to create it again below with the image it runs now`,
      reasons: problems
        .filter((p) => p.recreate.includes(stack))
        .map((p) => `${names.stackName(p.stack)}: ${p.what}`),
    });
  }

  const stackStep = (stack: StackId): DeployStep => {
    const template = templates[stack];
    // A stack deleted above is created again, whatever its status was.
    const current = recreate.includes(stack as ServiceStackId) ? undefined : live[stack];
    const action = statusRule(current?.status).deploy;
    const parameters = stackParameters(stack, template, action, facts);
    return {
      kind: 'deploy-stack',
      stack,
      stackName: names.stackName(stack),
      templatePath: template.path,
      resourceCount: template.resourceCount,
      parameters,
      description: STACK_PURPOSE[stack],
      skip: skipReason(stack, template, current, action, facts),
      notes: stackNotes(stack, current, action, recreate.includes(stack as ServiceStackId), template),
    };
  };

  for (const stack of ['network', 'registry', 'cluster', 'pipelines'] as const) steps.push(stackStep(stack));
  steps.push({
    kind: 'deploy-hook',
    stackName: names.hookStackName,
    functionName: names.hookFunction,
    // No --stage/--region: serverless.ts takes both from the config (the run passes the resolved
    // config as PLAYGROUND_CONFIG_JSON), and a --stage that differs from it would mismatch the name.
    command: ['npx', 'sls', 'deploy'],
    description: 'deploy the BeforeAllowTraffic hook Lambda with Serverless Framework',
  });
  steps.push({
    kind: 'wait-connection',
    connectionArn: config.github.connectionArn ?? { stack: 'pipelines', output: 'ConnectionArn' },
    description:
      'check that the GitHub connection is AVAILABLE (a new one is PENDING until approved in the console)',
  });
  const services = SERVICE_STACKS.map(stackStep);
  const needsFirstImage = services.some(
    (s) => s.kind === 'deploy-stack' && s.parameters.some((p) => usesFirstImage(p.value)),
  );
  if (needsFirstImage) {
    steps.push({
      kind: 'wait-first-image',
      repository: names.ecrRepository,
      pipeline: names.rolling.pipeline,
      codeBuildProject: names.codeBuildProject,
      // The build's own timeout plus 10 minutes for the source stage and queueing.
      timeoutMinutes: config.build.timeoutMinutes + 10,
      description: 'wait until the first build has pushed a commit-tagged image to ECR',
    });
  }
  steps.push(...services);
  checkBlueGreenDeployments(config, steps, facts);
  steps.push({ kind: 'print-summary', description: 'print both load balancer URLs and the hook name' });
  return steps;
}

function usesFirstImage(source: ImageSource): boolean {
  if (source.kind === 'first-image') return true;
  if (source.kind === 'previous' || source.kind === 'running') return usesFirstImage(source.fallback);
  return false;
}

/** The destroy steps: deploy order reversed, each storage emptied before its stack is deleted. */
export function destroyPlan(config: PlaygroundConfig): DestroyStep[] {
  const names = namesFor(config);
  const steps: DestroyStep[] = [];
  const remove = (stack: StackId) =>
    steps.push({
      kind: 'delete-stack',
      stack,
      stackName: names.stackName(stack),
      description: `delete the ${stack} stack`,
    });
  remove('service-bluegreen');
  remove('service-rolling');
  steps.push({
    kind: 'remove-hook',
    stackName: names.hookStackName,
    command: ['npx', 'sls', 'remove'],
    description: 'remove the hook Lambda with Serverless Framework',
  });
  steps.push({
    kind: 'empty-bucket',
    bucket: {
      stack: 'pipelines',
      stackName: names.stackName('pipelines'),
      output: EXPORTS.pipelines.ArtifactBucketName,
    },
    description:
      'delete every object version and delete marker in the artifact bucket (else its deletion fails)',
  });
  remove('pipelines');
  remove('cluster');
  steps.push({
    kind: 'empty-repository',
    repository: names.ecrRepository,
    description: 'delete every image in the ECR repository (else its deletion fails)',
  });
  remove('registry');
  remove('network');
  return steps;
}

export function placeholderOwnerMessage(): string {
  return (
    `github.owner is still the placeholder "${PLACEHOLDER_GITHUB_OWNER}": set github.owner in ` +
    'playground.config.json to the GitHub user or organisation that owns your fork, e.g. ' +
    '{"github": {"owner": "octocat"}}'
  );
}

const STACK_PURPOSE: Record<StackId, string> = {
  network: 'VPC, subnets and security groups',
  registry: 'ECR repository for the app image',
  cluster: 'ECS cluster, task roles and log group',
  pipelines: 'CodeBuild project, both CodePipelines, artifact bucket and GitHub connection',
  'service-rolling': 'rolling-update service behind its own ALB',
  'service-bluegreen': 'CodeDeploy blue/green service, its ALB, target groups, test listener and alarms',
};

function stackParameters(
  stack: StackId,
  template: TemplateInfo,
  action: DeployAction,
  facts: Facts,
): StackParameter[] {
  const expected = isServiceStack(stack) ? [IMAGE_PARAMETER] : [];
  const unknown = template.parameters.filter((p) => !expected.includes(p));
  const missing = expected.filter((p) => !template.parameters.includes(p));
  if (unknown.length || missing.length) {
    const problems = [
      ...unknown.map((p) => `declares parameter ${p}, which the deploy does not supply`),
      ...missing.map((p) => `lacks parameter ${p}, which the deploy supplies`),
    ];
    throw new PlanError(`${template.path}: ${problems.join('; ')}`);
  }
  if (!isServiceStack(stack)) return [];
  return [{ key: IMAGE_PARAMETER, value: serviceImage(stack, action, facts) }];
}

/**
 * The image a service stack is given.
 * - Created (or created again): the image this service runs now, else the one the other service
 *   runs now, else the newest commit-tagged image in ECR, else the first build's. A running image
 *   comes first because after a bad release the newest image in ECR is the bad one.
 * - Rolling, updated: the image its service runs when the step starts (`running`), so a re-deploy
 *   never rolls back what the pipeline has released.
 * - Blue/green, updated: the stack's previous value: CodeDeploy owns the task set, and the service
 *   names the task definition family, so the stack never touches what runs.
 */
function serviceImage(stack: ServiceStackId, action: DeployAction, facts: Facts): ImageSource {
  const running = facts.running ?? {};
  const other: ServiceStackId = stack === 'service-rolling' ? 'service-bluegreen' : 'service-rolling';
  const own = running[stack];
  const theirs = running[other];
  const forCreate: ImageSource = own
    ? { kind: 'literal', uri: own, why: 'the image this service runs now' }
    : theirs
      ? {
          kind: 'literal',
          uri: theirs,
          why: `the image ${other.replace('service-', 'the ')} service runs now`,
        }
      : facts.latestImage
        ? {
            kind: 'literal',
            uri: facts.latestImage,
            why: 'the newest commit-tagged image in ECR (no service runs one)',
          }
        : { kind: 'first-image' };
  if (action === 'create' || action === 'recreate') return forCreate;
  return stack === 'service-bluegreen'
    ? { kind: 'previous', fallback: forCreate }
    : { kind: 'running', fallback: forCreate };
}
