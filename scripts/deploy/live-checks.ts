/**
 * What the deploy plan decides from the live account before its first change: statuses that need a
 * person, the build quota, changes CloudFormation cannot apply in place, a running CodeDeploy
 * deployment, and which stack steps change nothing (skips) or need a note.
 */
import { isDeepStrictEqual } from 'node:util';
import { IMAGE_PARAMETER } from '../../cloudformation/fargate-service';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import { CANARY } from '../../cloudformation/service-canary';
import type { PlaygroundConfig, ServiceStackId, StackId } from '../../config';
import { isServiceStack, namesFor, SERVICE_STACKS, stacksFor } from '../../config';
import { sameImage } from './aws/images';
import {
  type BuildQuota,
  concurrentBuildsNeeded,
  queuedBuildDelaySeconds,
  quotaIncreaseCommand,
} from './aws/quotas';
import type { CfnTemplate, InPlaceProblem } from './replacement';
import { followsRunningImage } from './stack-parameters';
import { type DeployAction, statusRule, stopMessage } from './stack-status';
import { type DeployStep, type Facts, type LiveStack, PlanError, type TemplateInfo } from './steps';

/** Lines a real run prints before changing anything, for things worth knowing that stop nothing. */
export function planWarnings(config: PlaygroundConfig, facts: Facts): string[] {
  const quota = facts.buildQuota;
  const needed = concurrentBuildsNeeded(config);
  if (quota?.kind === 'unknown') {
    return [
      `could not read the CodeBuild quota "${quota.name}" (${quota.reason}); a new account may run fewer builds at once than the ${needed} pipelines start`,
    ];
  }
  if (quota?.kind === 'found' && quota.value < needed) {
    return [
      `CodeBuild runs ${quota.value} build at once here ("${quota.name}"): of the ${needed} pipelines' builds of each push, the others queue; ` +
        `one runs the gate, the queued ones then find its image and take the short path, so the last pipeline deploys ≈ ${queuedBuildDelaySeconds(config, quota.value)} s later. ` +
        `For every pipeline at once: ${quotaIncreaseCommand(quota, config)}`,
    ];
  }
  return [];
}

/**
 * A stack whose status needs a person stops the whole run before its first change (only the stacks
 * the config deploys: one of a strategy app.strategies leaves out is not touched).
 */
export function checkStatuses(config: PlaygroundConfig, live: Partial<Record<StackId, LiveStack>>): void {
  const names = namesFor(config);
  const stops = stacksFor(config).flatMap((s) => {
    const stack = live[s];
    return stack && statusRule(stack.status).deploy === 'stop'
      ? [stopMessage(names.stackName(s), stack.status, config.app.region)]
      : [];
  });
  if (stops.length) throw new PlanError(`nothing was changed: ${stops.join('; ')}`);
}

/** No concurrent build at all: every pipeline would fail in its Build stage, so nothing is created. */
export function checkBuildQuota(config: PlaygroundConfig, quota: BuildQuota | undefined): void {
  if (quota?.kind !== 'found' || quota.value >= 1) return;
  throw new PlanError(
    `nothing was changed: this account may run ${quota.value} CodeBuild builds at once ("${quota.name}"), so no pipeline could build. ` +
      `Ask for ${concurrentBuildsNeeded(config)} (one build per pipeline, so every pipeline deploys when the gate's build ends; 1 is enough to deploy, one build after the other) with \`${quotaIncreaseCommand(quota, config)}\` ` +
      '(or in the Service Quotas console: AWS CodeBuild), wait until it is granted, then re-run',
  );
}

/**
 * The service stacks to delete and create again; any other stack to re-create stops the run (they
 * hold images, artifacts and the GitHub connection: that is a destroy, decided by a person).
 */
export function recreatedStacks(
  config: PlaygroundConfig,
  problems: readonly InPlaceProblem[],
): ServiceStackId[] {
  const all = [...new Set(problems.flatMap((p) => p.recreate))];
  const others = all.filter((s) => !isServiceStack(s));
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
  // A service stack of a strategy app.strategies leaves out is deleted by no deploy (destroy does).
  const left = all.filter((s) => !stacksFor(config).includes(s));
  if (left.length) {
    const names = namesFor(config);
    throw new PlanError(
      `nothing was changed: ${left.map((s) => names.stackName(s)).join(', ')}, left by a strategy app.strategies no longer names, ` +
        `imports what this config changes (${problems
          .filter((p) => p.recreate.some((s) => left.includes(s)))
          .map((p) => `${names.stackName(p.stack)}: ${p.what}`)
          .join('; ')}): ` +
        `delete it first (${left.map((s) => `\`aws cloudformation delete-stack --region ${config.app.region} --stack-name ${names.stackName(s)}\``).join(', ')}), ` +
        'or put its strategy back in app.strategies so that the deploy re-creates it, then re-run',
    );
  }
  return SERVICE_STACKS.filter((s) => all.includes(s));
}

/** The blue/green stack is not changed while CodeDeploy deploys to it. */
export function checkBlueGreenDeployments(
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
export function skipReason(
  stack: StackId,
  template: TemplateInfo,
  current: LiveStack | undefined,
  action: DeployAction,
  facts: Facts,
): string | undefined {
  if (action !== 'update' || !current?.template) return undefined;
  if (!isDeepStrictEqual(current.template, template.template)) return undefined;
  if (isServiceStack(stack) && followsRunningImage(stack)) {
    const named = current.parameters[IMAGE_PARAMETER];
    const runs = facts.running?.[stack];
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

export function stackNotes(
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
 * The resources that carry a service's production traffic and that its deployments re-point: the
 * blue/green production listeners (CodeDeploy moves them to whichever target group is live) and the
 * ECS canary's production rule (ECS re-weights it; it sits on the production listener).
 */
const PRODUCTION_ROUTE: Partial<Record<ServiceStackId, { ids: readonly string[]; what: string }>> = {
  'service-bluegreen': {
    ids: [BLUEGREEN.HttpListener, BLUEGREEN.HttpsListener],
    what: 'its production listeners would change, and after a deployment CodeDeploy has pointed them at the live target group',
  },
  'service-canary': {
    ids: [CANARY.HttpListener, CANARY.HttpsListener, CANARY.ProductionRule],
    what: 'its production listeners or rule would change, and after a deployment ECS has weighted the rule to the live target group',
  },
};

/**
 * After a deployment the production route points at whichever target group is live, which the
 * template (the first group) does not know. An update of the route, a new production listener
 * (adding loadBalancer.certificateArn) or a rule moved to it, would forward users to the template's
 * target group, possibly the empty one, so the stack is re-created instead. The test routes are
 * different: the deployment re-routes them every time (see stackNotes).
 */
export function productionRouteProblems(
  stack: ServiceStackId,
  live: CfnTemplate | undefined,
  next: CfnTemplate,
): InPlaceProblem[] {
  const route = PRODUCTION_ROUTE[stack];
  if (!live || !route) return [];
  const shape = (t: CfnTemplate) =>
    route.ids.map((id) => {
      const p = t.Resources?.[id]?.Properties;
      return p && [p.Port, p.DefaultActions, p.ListenerArn, p.Actions];
    });
  if (isDeepStrictEqual(shape(live), shape(next))) return [];
  return [
    {
      stack,
      what: `${route.what}, which the template does not know: an in-place update could send users to the empty one`,
      recreate: [stack],
    },
  ];
}

/**
 * 'header-token' when the test listener has the token rule, 'open' when it has none. Read from the
 * rule, not the default action: both modes' defaults forward (header-token's to a group without
 * targets), and stacks deployed before that answered with a fixed 404.
 */
function testListenerMode(template: CfnTemplate | undefined): 'open' | 'header-token' | undefined {
  const resources = template?.Resources;
  if (!resources?.[BLUEGREEN.TestListener]) return undefined;
  return resources[BLUEGREEN.TestListenerTokenRule] ? 'header-token' : 'open';
}
