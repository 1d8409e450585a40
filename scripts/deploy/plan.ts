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

import { isDeepStrictEqual } from 'node:util';
import { EXPORTS } from '../../cloudformation/common';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import type { PlaygroundConfig, StackId } from '../../config';
import { namesFor, PLACEHOLDER_GITHUB_OWNER, STACKS } from '../../config';
import { sameImage } from './aws/images';
import { type BuildQuota, CONCURRENT_BUILDS_NEEDED, quotaIncreaseCommand } from './aws/quotas';
import { type CfnTemplate, type InPlaceProblem, inPlaceProblems } from './replacement';
import { type DeployAction, statusRule, stopMessage } from './stack-status';

/** What the script needs to know about a generated template. */
export interface TemplateInfo {
  /** Path relative to the repository root, e.g. `cloudformation/templates/network.json`. */
  path: string;
  /** Names of the template's `Parameters`. */
  parameters: string[];
  /** Number of resources, to show progress while the stack deploys. */
  resourceCount: number;
  /** The template itself, to compare with the live stack's. */
  template: CfnTemplate;
}

export type Templates = Record<StackId, TemplateInfo>;

export type ServiceStack = 'service-rolling' | 'service-bluegreen';

/** A stack as it exists in the account. */
export interface LiveStack {
  status: string;
  parameters: Record<string, string>;
  /** Its current template (GetTemplate); undefined while it is not stable, or when not JSON. */
  template?: CfnTemplate;
}

/** Facts read from AWS before planning a real run (aws/facts.ts); a dry run has none (a fresh account is assumed). */
export interface Facts {
  /** The stacks that exist; undefined when nothing was looked up. */
  stacks?: Partial<Record<StackId, LiveStack>>;
  /** The image (full URI) each service's running task definition or primary task set names. */
  running?: Partial<Record<ServiceStack, string>>;
  /** Newest commit-tagged image in the ECR repository (full URI). */
  latestImage?: string;
  /** ECR digests of the image URIs above and of the service stacks' ImageUri values. */
  digests?: Record<string, string>;
  /** Blue/green CodeDeploy deployments that have not ended. */
  blueGreenDeployments?: string[];
  /** The CodeBuild concurrent-build quota of the project's environment. */
  buildQuota?: BuildQuota;
}

/** Where a service stack's ImageUri comes from. */
export type ImageSource =
  /** A known image URI; `why` says which image it is, for the plan. */
  | { kind: 'literal'; uri: string; why: string }
  /**
   * Keep the value the stack already has (CloudFormation `UsePreviousValue`); a stack that turns out
   * to need creating when the step runs (it failed meanwhile) takes `fallback` instead.
   */
  | { kind: 'previous'; fallback: ImageSource }
  /**
   * The rolling service's image when the step runs: read again then, so a release the pipeline made
   * meanwhile is never rolled back; kept as the previous value when it is the same image.
   */
  | { kind: 'running'; fallback: ImageSource }
  /** The image the `wait-first-image` step finds (known only while the run executes). */
  | { kind: 'first-image' };

export interface StackParameter {
  key: string;
  value: ImageSource;
}

export type DeployStep =
  | { kind: 'synth'; description: string }
  | {
      kind: 'deploy-stack';
      stack: StackId;
      stackName: string;
      templatePath: string;
      resourceCount: number;
      parameters: StackParameter[];
      description: string;
      /** Set when nothing would change: why the step does nothing. */
      skip?: string;
      /** What the plan knows about this stack (status, re-creation, an in-place switch). */
      notes: string[];
    }
  | {
      kind: 'delete-stack';
      stack: ServiceStack;
      stackName: string;
      description: string;
      /** Why (the changes CloudFormation cannot apply in place); the run asks for confirmation first. */
      reasons: string[];
    }
  | { kind: 'deploy-hook'; stackName: string; functionName: string; command: string[]; description: string }
  | {
      kind: 'wait-connection';
      /** From the config when set, else the pipelines stack's ConnectionArn output. */
      connectionArn: string | { stack: 'pipelines'; output: 'ConnectionArn' };
      description: string;
    }
  | {
      kind: 'wait-first-image';
      repository: string;
      /** The pipeline started when no build is running; its build stage pushes the image. */
      pipeline: string;
      codeBuildProject: string;
      timeoutMinutes: number;
      description: string;
    }
  | { kind: 'print-summary'; description: string };

export type DestroyStep =
  | { kind: 'empty-repository'; repository: string; description: string }
  | {
      kind: 'empty-bucket';
      /** The artifact bucket's name is generated by CloudFormation: read from the stack output. */
      bucket: { stack: 'pipelines'; stackName: string; output: 'ArtifactBucketName' };
      description: string;
    }
  | { kind: 'delete-stack'; stack: StackId; stackName: string; description: string }
  | { kind: 'remove-hook'; stackName: string; command: string[]; description: string };

/** Parameters the deploy knows how to supply, by stack. Anything else in a template is an error. */
const SERVICE_STACKS: readonly ServiceStack[] = ['service-rolling', 'service-bluegreen'];
const IMAGE_PARAMETER = 'ImageUri';

const isService = (stack: StackId): stack is ServiceStack =>
  (SERVICE_STACKS as readonly StackId[]).includes(stack);

/** Thrown for inputs the plan cannot work with (bad templates, refused config, a stack to fix first). */
export class PlanError extends Error {
  override name = 'PlanError';
}

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
    const current = recreate.includes(stack as ServiceStack) ? undefined : live[stack];
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
      notes: stackNotes(stack, current, action, recreate.includes(stack as ServiceStack), template),
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

/** Lines a real run prints before changing anything, for things worth knowing that stop nothing. */
export function planWarnings(config: PlaygroundConfig, facts: Facts): string[] {
  const quota = facts.buildQuota;
  if (quota?.kind === 'unknown') {
    return [
      `could not read the CodeBuild quota "${quota.name}" (${quota.reason}); a new account may run fewer builds at once than the ${CONCURRENT_BUILDS_NEEDED} pipelines start`,
    ];
  }
  if (quota?.kind === 'found' && quota.value < CONCURRENT_BUILDS_NEEDED) {
    return [
      `CodeBuild runs ${quota.value} build at once here ("${quota.name}"): the two pipelines' builds of each push queue one after the other. ` +
        `For both at once: ${quotaIncreaseCommand(quota, config.app.region)}`,
    ];
  }
  return [];
}

/** A stack whose status needs a person stops the whole run before its first change. */
function checkStatuses(config: PlaygroundConfig, live: Partial<Record<StackId, LiveStack>>): void {
  const names = namesFor(config);
  const stops = STACKS.flatMap((s) => {
    const stack = live[s];
    return stack && statusRule(stack.status).deploy === 'stop'
      ? [stopMessage(names.stackName(s), stack.status, config.app.region)]
      : [];
  });
  if (stops.length) throw new PlanError(`nothing was changed: ${stops.join('; ')}`);
}

/** No concurrent build at all: every pipeline would fail in its Build stage, so nothing is created. */
function checkBuildQuota(config: PlaygroundConfig, quota: BuildQuota | undefined): void {
  if (quota?.kind !== 'found' || quota.value >= 1) return;
  throw new PlanError(
    `nothing was changed: this account may run ${quota.value} CodeBuild builds at once ("${quota.name}"), so no pipeline could build. ` +
      `Ask for ${CONCURRENT_BUILDS_NEEDED} (both pipelines build each push) with \`${quotaIncreaseCommand(quota, config.app.region)}\` ` +
      '(or in the Service Quotas console: AWS CodeBuild), wait until it is granted, then re-run',
  );
}

/**
 * The service stacks to delete and create again; any other stack to re-create stops the run (they
 * hold images, artifacts and the GitHub connection: that is a destroy, decided by a person).
 */
function recreatedStacks(config: PlaygroundConfig, problems: readonly InPlaceProblem[]): ServiceStack[] {
  const all = [...new Set(problems.flatMap((p) => p.recreate))];
  const others = all.filter((s) => !isService(s));
  if (others.length) {
    const names = namesFor(config);
    throw new PlanError(
      `nothing was changed: CloudFormation cannot apply this config to the live stacks in place: ${problems
        .map((p) => `${names.stackName(p.stack)}: ${p.what}`)
        .join(
          '; ',
        )}. That needs ${others.map((s) => names.stackName(s)).join(', ')} deleted first, with what they hold: ` +
        `revert the config change, or run \`npm run destroy -- --stage ${config.app.stage}\` and then \`npm run deploy\``,
    );
  }
  return SERVICE_STACKS.filter((s) => all.includes(s));
}

/** The blue/green stack is not changed while CodeDeploy deploys to it. */
function checkBlueGreenDeployments(
  config: PlaygroundConfig,
  steps: readonly DeployStep[],
  facts: Facts,
): void {
  const running = facts.blueGreenDeployments ?? [];
  if (!running.length) return;
  const touched = steps.some(
    (s) =>
      (s.kind === 'deploy-stack' && s.stack === 'service-bluegreen' && !s.skip) ||
      (s.kind === 'delete-stack' && s.stack === 'service-bluegreen'),
  );
  if (!touched) return;
  throw new PlanError(
    `nothing was changed: CodeDeploy is deploying to ${namesFor(config).blueGreen.service} (${running.join(', ')}) and owns its ` +
      `listeners until it ends: wait for it (\`aws deploy get-deployment --region ${config.app.region} --deployment-id ${running[0]}\`), then re-run`,
  );
}

/** Why a stack step does nothing, or undefined when it deploys. */
function skipReason(
  stack: StackId,
  template: TemplateInfo,
  current: LiveStack | undefined,
  action: DeployAction,
  facts: Facts,
): string | undefined {
  if (action !== 'update' || !current?.template) return undefined;
  if (!isDeepStrictEqual(current.template, template.template)) return undefined;
  if (stack === 'service-rolling') {
    const named = current.parameters[IMAGE_PARAMETER];
    const runs = facts.running?.['service-rolling'];
    if (named && runs && !sameImage(named, runs, facts.digests)) {
      return (
        `only the image differs: the stack names ${named}, the service runs ${runs} (released by the pipeline since); ` +
        'nothing else would change, so the stack is left as it is and the service keeps running its image'
      );
    }
  }
  if (stack === 'service-bluegreen')
    return 'unchanged: same template, and ImageUri is kept (CodeDeploy owns the task set)';
  return 'unchanged: same template and parameters';
}

function stackNotes(
  stack: StackId,
  current: LiveStack | undefined,
  action: DeployAction,
  recreated: boolean,
  template: TemplateInfo,
): string[] {
  const notes: string[] = [];
  if (recreated) notes.push('deleted above, so it is created again');
  else if (action === 'recreate') {
    notes.push(`${current?.status} after a failed creation: deleted, then created again (nothing to keep)`);
  } else if (action === 'wait') {
    notes.push(`busy (${current?.status}) now: the step waits for that operation to end, then decides`);
  }
  if (current && !current.template && action === 'update') {
    notes.push('its live template could not be read as JSON: not compared, deployed as usual');
  }
  const before = testListenerMode(current?.template);
  const after = testListenerMode(template.template);
  if (stack === 'service-bluegreen' && !recreated && before && after && before !== after) {
    // The CodeDeploy tutorial: "The listener for your test traffic can use either of your target
    // groups"; CodeDeploy routes test traffic to the replacement task set at every deployment
    // (https://docs.aws.amazon.com/codedeploy/latest/userguide/tutorial-ecs-with-hooks-create-second-listener.html,
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-blue-green-deployment-v2.html).
    // So the switch is a plain listener update, applied in place while no deployment runs.
    notes.push(
      `switches loadBalancer.testListenerAccess from '${before}' to '${after}' in place (the test listener's routes change; ` +
        'CodeDeploy points the test route at the new task set at every deployment, whichever target group it starts on)',
    );
  }
  return notes;
}

/**
 * The blue/green production listeners: after a deployment CodeDeploy has moved them to whichever
 * target group is live, which the template (blue) does not know. An update of their actions, or a
 * new production listener (adding loadBalancer.certificateArn), would forward users to the template's
 * target group, possibly the empty one, so the stack is re-created instead. The test listener is
 * different: CodeDeploy re-routes it at every deployment (see stackNotes).
 */
function productionRouteProblems(live: CfnTemplate | undefined, next: CfnTemplate): InPlaceProblem[] {
  if (!live) return [];
  const route = (t: CfnTemplate) =>
    [BLUEGREEN.HttpListener, BLUEGREEN.HttpsListener].map((id) => {
      const listener = t.Resources?.[id];
      return listener && { port: listener.Properties?.Port, actions: listener.Properties?.DefaultActions };
    });
  if (isDeepStrictEqual(route(live), route(next))) return [];
  return [
    {
      stack: 'service-bluegreen',
      what:
        'its production listeners would change, and after a deployment CodeDeploy has pointed them at the live target group, ' +
        'which the template does not know: an in-place update could send users to the empty one',
      recreate: ['service-bluegreen'],
    },
  ];
}

/** 'open' when the live test listener forwards by default, 'header-token' when it answers 404. */
function testListenerMode(template: CfnTemplate | undefined): 'open' | 'header-token' | undefined {
  const actions = template?.Resources?.[BLUEGREEN.TestListener]?.Properties?.DefaultActions;
  const type = Array.isArray(actions) ? (actions[0] as { Type?: string } | undefined)?.Type : undefined;
  return type === 'forward' ? 'open' : type === 'fixed-response' ? 'header-token' : undefined;
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
  const expected = isService(stack) ? [IMAGE_PARAMETER] : [];
  const unknown = template.parameters.filter((p) => !expected.includes(p));
  const missing = expected.filter((p) => !template.parameters.includes(p));
  if (unknown.length || missing.length) {
    const problems = [
      ...unknown.map((p) => `declares parameter ${p}, which the deploy does not supply`),
      ...missing.map((p) => `lacks parameter ${p}, which the deploy supplies`),
    ];
    throw new PlanError(`${template.path}: ${problems.join('; ')}`);
  }
  if (!isService(stack)) return [];
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
function serviceImage(stack: ServiceStack, action: DeployAction, facts: Facts): ImageSource {
  const running = facts.running ?? {};
  const other: ServiceStack = stack === 'service-rolling' ? 'service-bluegreen' : 'service-rolling';
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
