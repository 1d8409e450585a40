/**
 * The deploy and destroy plans: pure, ordered lists of steps built from the config, the generated
 * templates and (in a real run) a few facts looked up from AWS beforehand. Every step is plain data,
 * so `--dry-run` prints exactly what a real run executes, and tests assert the order and the
 * parameters without any AWS call.
 *
 * First-image problem (a fresh account has no image until the first build): the services are deployed
 * LAST. network → registry → cluster → pipelines → hook → wait for the GitHub connection → wait for the
 * first build's commit-tagged image in ECR → the service stack of each strategy in app.strategies
 * (service-rolling, service-bluegreen, service-canary) with that image. The hook's stack deploys for
 * every config: besides the hook (blue/green, canary) it holds the release-outcome check that every
 * pipeline's Outcome action invokes.
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
 *   rolling and canary services "only the image differs" (the pipeline released a newer one) is such a skip;
 * - the rolling and canary stacks are given the image their service runs when the step starts (never
 *   an older one), kept as the stack's previous value when that names the same image (compared by
 *   digest; stack-parameters.ts);
 * - a change CloudFormation cannot apply in place (replacement.ts) deletes the service stacks first
 *   and creates them again with the images they run, after an explicit confirmation, or stops.
 */

import { EXPORTS } from '../../cloudformation/common';
import type { Names, PlaygroundConfig, ServiceStackId, StackId } from '../../config';
import {
  namesFor,
  PLACEHOLDER_GITHUB_OWNER,
  runs,
  SERVICE_STACKS,
  STACKS,
  STRATEGY_IDS,
  serviceStacksFor,
  stacksFor,
  strategyPipeline,
} from '../../config';
import { firstImageWaitMinutes } from '../../config/timeouts';
import { buildQuotaName, concurrentBuildsNeeded } from './aws/quotas';
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
import { stackParameters, usesFirstImage } from './stack-parameters';
import { statusRule } from './stack-status';
import {
  type DeployStep,
  type DestroyStep,
  type Facts,
  PlanError,
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
  const deployed = stacksFor(config);
  const templateOf = (stack: StackId): TemplateInfo => {
    const template = templates[stack];
    if (!template) throw new PlanError(`no template for the ${stack} stack (run \`npm run synth\`)`);
    return template;
  };
  checkStatuses(config, live);
  checkBuildQuota(config, facts.buildQuota);
  // Every stack that exists counts as an importer, also a service stack app.strategies leaves out.
  const problems = [
    ...inPlaceProblems(
      STACKS,
      Object.fromEntries(STACKS.map((s) => [s, live[s]?.template])),
      Object.fromEntries(deployed.map((s) => [s, templateOf(s).template])),
    ),
    ...serviceStacksFor(config).flatMap((s) =>
      productionRouteProblems(s, live[s]?.template, templateOf(s).template),
    ),
  ];
  const recreate = recreatedStacks(config, problems);

  const steps: DeployStep[] = [
    {
      kind: 'synth',
      description: 'generate the CloudFormation templates from the config (local, no AWS call)',
    },
  ];
  // Importers first: the service stacks in reverse deployment order.
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
    const template = templateOf(stack);
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
  steps.push(hookStep(names));
  steps.push({
    kind: 'wait-connection',
    connectionArn: config.github.connectionArn ?? { stack: 'pipelines', output: 'ConnectionArn' },
    description:
      'check that the GitHub connection is AVAILABLE (a new one is PENDING until approved in the console)',
  });
  const services = serviceStacksFor(config).map(stackStep);
  const needsFirstImage = services.some(
    (s) => s.kind === 'deploy-stack' && s.parameters.some((p) => usesFirstImage(p.value)),
  );
  if (needsFirstImage) {
    steps.push({
      kind: 'wait-first-image',
      repository: names.ecrRepository,
      // Any pipeline's build pushes the image: the first strategy's.
      pipeline: strategyPipeline(names, STRATEGY_IDS.find((s) => runs(config, s)) ?? 'rolling'),
      codeBuildProject: names.codeBuildProject,
      // The build's own timeout and the source stage, with the margin (config/timeouts.ts).
      timeoutMinutes: firstImageWaitMinutes(),
      buildQuota: { name: buildQuotaName(config), desired: concurrentBuildsNeeded(config) },
      description: 'wait until the first build has pushed a commit-tagged image to ECR',
    });
  }
  steps.push(...services);
  checkBlueGreenDeployments(config, steps, facts);
  steps.push({ kind: 'print-summary', description: 'print the load balancer URLs and the hook name' });
  return steps;
}

function hookStep(names: Names): DeployStep {
  return {
    kind: 'deploy-hook',
    stackName: names.hookStackName,
    functionName: names.hookFunction,
    // No --stage/--region: serverless.ts takes both from the config (the run passes the resolved
    // config as PLAYGROUND_CONFIG_JSON), and a --stage that differs from it would mismatch the name.
    command: ['npx', 'sls', 'deploy'],
    description:
      'deploy the hook Lambda (CodeDeploy BeforeAllowTraffic, ECS lifecycle hook) and the release-outcome check with Serverless Framework',
  };
}

/**
 * The destroy steps: deploy order reversed, each storage emptied before its stack is deleted. Every
 * service stack the kit can create is deleted, also those of strategies app.strategies leaves out
 * (an absent stack is skipped): one deployed before the strategy was turned off would otherwise
 * keep the cluster stack's exports in use, and the cluster could not be deleted.
 */
export function destroyPlan(config: PlaygroundConfig): DestroyStep[] {
  const names = namesFor(config);
  const steps: DestroyStep[] = [];
  const remove = (stack: StackId, note = '') =>
    steps.push({
      kind: 'delete-stack',
      stack,
      stackName: names.stackName(stack),
      description: `delete the ${stack} stack${note}`,
    });
  const running = serviceStacksFor(config);
  for (const stack of [...SERVICE_STACKS].reverse()) {
    remove(
      stack,
      running.includes(stack)
        ? ''
        : ' (its strategy is not in app.strategies: deleted if an earlier deploy left it)',
    );
  }
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
  pipelines: 'CodeBuild project, one CodePipeline per strategy, artifact bucket and GitHub connection',
  'service-rolling': 'rolling-update service behind its own ALB',
  'service-bluegreen': 'CodeDeploy blue/green service, its ALB, target groups, test listener and alarms',
  'service-canary':
    'ECS canary service, its ALB, target groups, production and test rules, alarms and the roles ECS uses',
};
