/**
 * What the deploy plan decides from the live account before its first change: statuses that need a
 * person, the build quota, changes CloudFormation cannot apply in place, a running CodeDeploy
 * deployment, and which stack steps change nothing (skips) or need a note.
 */
import { isDeepStrictEqual } from 'node:util';
import { IMAGE_PARAMETER } from '../../cloudformation/fargate-service';
import { BLUEGREEN } from '../../cloudformation/service-bluegreen';
import type { PlaygroundConfig, ServiceStackId, StackId } from '../../config';
import { isServiceStack, namesFor, SERVICE_STACKS, STACKS } from '../../config';
import { sameImage } from './aws/images';
import { type BuildQuota, CONCURRENT_BUILDS_NEEDED, quotaIncreaseCommand } from './aws/quotas';
import type { CfnTemplate, InPlaceProblem } from './replacement';
import { type DeployAction, statusRule, stopMessage } from './stack-status';
import { type DeployStep, type Facts, type LiveStack, PlanError, type TemplateInfo } from './steps';

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
export function checkStatuses(config: PlaygroundConfig, live: Partial<Record<StackId, LiveStack>>): void {
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
export function checkBuildQuota(config: PlaygroundConfig, quota: BuildQuota | undefined): void {
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
 * The blue/green production listeners: after a deployment CodeDeploy has moved them to whichever
 * target group is live, which the template (blue) does not know. An update of their actions, or a
 * new production listener (adding loadBalancer.certificateArn), would forward users to the template's
 * target group, possibly the empty one, so the stack is re-created instead. The test listener is
 * different: CodeDeploy re-routes it at every deployment (see stackNotes).
 */
export function productionRouteProblems(live: CfnTemplate | undefined, next: CfnTemplate): InPlaceProblem[] {
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
