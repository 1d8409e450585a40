/**
 * The order stacks are deployed in, taken from the deploy script's own plan (scripts/deploy/plan.ts)
 * so the cross-stack checks judge the order that actually runs. The hook's Serverless stack is a
 * step of that plan too.
 */
import { type PlaygroundConfig, SERVICE_STACKS, STACKS, stacksFor } from '../../../config';
import { type DeployStep, deployPlan, type Facts, type Templates } from '../../deploy/plan';
import { describeTemplate } from '../../deploy/templates';
import type { LintStackId, LintTemplate } from '../types';

/**
 * Facts of a first deploy (none) and of a re-deploy (stacks and images exist): the plan's two
 * branches, so every parameter it can pass is seen.
 */
export const PLAN_SCENARIOS: readonly { name: string; facts: Facts }[] = [
  { name: 'first deploy', facts: {} },
  {
    name: 're-deploy',
    facts: {
      stacks: Object.fromEntries(STACKS.map((s) => [s, { status: 'UPDATE_COMPLETE', parameters: {} }])),
      running: Object.fromEntries(
        SERVICE_STACKS.map((s) => [s, '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:running']),
      ),
      latestImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest',
    },
  },
];

/** The deploy plan for the templates under check; throws the plan's own error when it refuses them. */
export function planFor(
  config: PlaygroundConfig,
  templates: readonly LintTemplate[],
  facts: Facts = {},
): DeployStep[] {
  const infos: Templates = {};
  for (const t of templates) {
    if (t.id !== 'hook') infos[t.id] = describeTemplate(t.label, t.template);
  }
  const missing = stacksFor(config).filter((s) => !infos[s]);
  if (missing.length) throw new Error(`no template for stack(s) ${missing.join(', ')}`);
  return deployPlan(config, infos, facts, { dryRun: true });
}

/** Stack ids in the order the plan deploys them. */
export function deployOrderOf(steps: readonly DeployStep[]): LintStackId[] {
  const order: LintStackId[] = [];
  for (const step of steps) {
    if (step.kind === 'deploy-stack') order.push(step.stack);
    if (step.kind === 'deploy-hook') order.push('hook');
  }
  return order;
}

/**
 * The deploy order: the plan's when it can be built, else the config's stacks with the hook after the
 * stacks it may read (the plan deploys it after `pipelines`), so the import check still runs and reports.
 */
export function deployOrder(config: PlaygroundConfig, templates: readonly LintTemplate[]): LintStackId[] {
  try {
    return deployOrderOf(planFor(config, templates));
  } catch {
    const stacks = stacksFor(config);
    const i = stacks.indexOf('pipelines') + 1;
    return [...stacks.slice(0, i), 'hook', ...stacks.slice(i)];
  }
}
