import { deployTemplateDir } from '../../cloudformation/stacks';
import type { PlaygroundConfig } from '../../config';
import { type Call, deployCalls, destroyCalls, preflightCalls } from './calls';
import { stepTitle } from './execute';
import { stackCommand } from './manual';
import type { DeployStep, DestroyStep } from './plan';

export type { Call } from './calls';

export function formatDeployPlan(
  config: PlaygroundConfig,
  steps: DeployStep[],
  /** `notices`: lines for the first screen, under the header (the cost, a flag npm took, the region). */
  options: { warnings: string[]; source: string; pollSeconds: number; notices?: string[] },
): string[] {
  const { warnings, source, pollSeconds, notices = [] } = options;
  const numbers = new Map(steps.map((s, i) => [s, i + 1]));
  const lines = [
    `Deploy plan: ${config.app.name}, stage ${config.app.stage}, region ${config.app.region}`,
    'DRY RUN: no AWS API is called and no credentials are needed.',
    ...notices,
    `Config: ${source}. A real run deploys the templates of this config from ${deployTemplateDir(config.app.stage)}/ (git-ignored); this dry run generated them in a temporary directory.`,
    ...warnings.map((w) => `warning: ${w}`),
    '',
    'Before any change, a real run makes these read-only calls (a dry run assumes a fresh account):',
    ...preflightCalls(config).map(formatCall),
  ];
  // Every stack step makes the same calls: the first one lists them all; the others only their
  // change set's own fields (stack, template, parameters), so the plan stays one screen per step.
  let firstStackStep: number | undefined;
  for (const step of steps) {
    const number = numbers.get(step)!;
    lines.push('', `${number}. ${stepTitle(step)}`);
    lines.push(...stepDecisions(step).map((d) => `   ${d}`));
    const calls = deployCalls(step, numbers, pollSeconds, envText(config));
    if (step.kind === 'deploy-stack' && !step.skip && firstStackStep !== undefined) {
      lines.push(...sameCallsAs(calls, firstStackStep));
    } else {
      lines.push(...calls.map(formatCall));
      if (step.kind === 'deploy-stack' && !step.skip) firstStackStep = number;
    }
    if (step.kind === 'deploy-stack' && !step.skip) {
      lines.push(`   same as: ${stackCommand(step, config.app.region)}`);
    }
  }
  return lines;
}

/** A later stack step: its change set's own fields, and a pointer to the step that lists every call. */
function sameCallsAs(calls: readonly Call[], firstStackStep: number): string[] {
  const create = calls.find((c) => c.api === 'cloudformation:CreateChangeSet');
  const { StackName, TemplateBody, Parameters } = (create?.input ?? {}) as Record<string, unknown>;
  return [
    formatCall({
      api: 'cloudformation:CreateChangeSet',
      input: { StackName, TemplateBody, Parameters },
      note: `and the other fields and calls of step ${firstStackStep}, for this stack`,
    }),
  ];
}

export function formatDestroyPlan(
  config: PlaygroundConfig,
  steps: DestroyStep[],
  pollSeconds: number,
  notices: readonly string[] = [],
): string[] {
  const lines = [
    `Destroy plan: ${config.app.name}, stage ${config.app.stage}, region ${config.app.region}`,
    'DRY RUN: no AWS API is called and no credentials are needed.',
    ...notices,
    '',
    'A real run first calls sts:GetCallerIdentity {} and asks you to type the stage name (unless --yes).',
  ];
  steps.forEach((step, i) => {
    lines.push('', `${i + 1}. ${stepTitle(step)}`);
    lines.push(...destroyCalls(step, pollSeconds, envText(config)).map(formatCall));
  });
  return lines;
}

/** What the plan decided for a step from the live stacks: skipped, re-created, waiting, switching. */
export function stepDecisions(step: DeployStep): string[] {
  if (step.kind === 'delete-stack') return step.reasons.map((r) => `because ${r}`);
  if (step.kind !== 'deploy-stack') return [];
  return [...(step.skip ? [`skipped: ${step.skip}`] : []), ...step.notes];
}

/** How local commands get the run's config (see commandEnvFor in cli.ts). */
function envText(config: PlaygroundConfig): string {
  return `PLAYGROUND_CONFIG_JSON=<the resolved config> PLAYGROUND_STAGE=${config.app.stage} PLAYGROUND_REGION=${config.app.region}`;
}

function formatCall(call: Call): string {
  const input =
    call.input === undefined
      ? ''
      : ` ${typeof call.input === 'string' ? call.input : JSON.stringify(call.input)}`;
  return `   ${call.api}${input}${call.note ? `\n      (${call.note})` : ''}`;
}
