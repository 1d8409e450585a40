/**
 * What a deploy costs and who agreed to it, before the first change: the dry run and the real run
 * print the config's monthly and per-push cost (the cost model, cost.ts); a run that creates stacks
 * (what starts the monthly bill) or deletes and re-creates service stacks asks once on a terminal,
 * takes `--yes` from scripts, and without either changes nothing.
 */
import { namesFor, type PlaygroundConfig } from '../../config';
import { dollars, monthlyCost, PRICES_CHECKED, perDeployCost, total } from '../cost/model';
import { statusRule } from './stack-status';
import type { DeployStep, Facts, Templates } from './steps';

/** The alarms the templates create: the cost model prices each. */
export function alarmCount(templates: Templates): number {
  return Object.values(templates).reduce(
    (n, t) =>
      n +
      Object.values(t?.template.Resources ?? {}).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length,
    0,
  );
}

export interface CostSummary {
  month: number;
  push: number;
}

export function costSummary(config: PlaygroundConfig, templates: Templates): CostSummary {
  return {
    month: total(monthlyCost(config, alarmCount(templates))),
    push: total(perDeployCost(config)),
  };
}

/** One line: the monthly and per-push cost of everything the config deploys. */
export function costLine(config: PlaygroundConfig, cost: CostSummary): string {
  return (
    `Cost: ≈ ${dollars(cost.month)} a month while it runs and ≈ ${dollars(cost.push, 3)} per push through every pipeline ` +
    `(${config.app.region} list prices checked ${PRICES_CHECKED}: docs/deploy.md#cost); \`npm run destroy\` stops it.`
  );
}

/** The stacks the plan creates: absent (or failed at creation) ones, and the ones it deletes first. */
export function createdStacks(steps: readonly DeployStep[], facts: Facts): string[] {
  const deleted = new Set<string>(steps.flatMap((s) => (s.kind === 'delete-stack' ? [s.stack] : [])));
  return steps.flatMap((s) => {
    if (s.kind !== 'deploy-stack' || s.skip) return [];
    const action = statusRule(facts.stacks?.[s.stack]?.status).deploy;
    return deleted.has(s.stack) || action === 'create' || action === 'recreate' ? [s.stackName] : [];
  });
}

/** A change that needs a person's yes, and no terminal to ask on: exit 2, nothing changed. */
export class NeedsConfirmation extends Error {}

export interface ConsentIo {
  out(line: string): void;
  err(line: string): void;
  interactive: boolean;
  ask(question: string): Promise<string>;
}

const list = (xs: readonly string[]) =>
  `${xs.slice(0, -1).join(', ')}${xs.length > 1 ? ' and ' : ''}${xs.at(-1)}`;

/**
 * Asks once before a run that creates stacks or deletes service stacks: creating starts the monthly
 * bill; deleting and re-creating service stacks (a change CloudFormation cannot apply in place) stops
 * them serving until they are re-created, with new load balancer URLs. `--yes` answers for scripts;
 * without a terminal and without it, NeedsConfirmation (one line naming --yes). False: the person
 * said no, nothing was changed.
 */
export async function confirmDeploy(
  config: PlaygroundConfig,
  plan: { steps: readonly DeployStep[]; facts: Facts; cost: CostSummary },
  yes: boolean,
  io: ConsentIo,
): Promise<boolean> {
  const { steps, facts, cost } = plan;
  const deletes = steps.flatMap((s) => (s.kind === 'delete-stack' ? [s.stackName] : []));
  const creates = createdStacks(steps, facts);
  if (yes || (!deletes.length && !creates.length)) return true;
  const bill = `≈ ${dollars(cost.month)} a month until \`npm run destroy\``;
  if (!deletes.length) {
    const what = `creating ${creates.length} stack${creates.length === 1 ? '' : 's'} of ${namesFor(config).prefix} starts a bill of ${bill}`;
    if (!io.interactive) {
      throw new NeedsConfirmation(
        `${what}; no terminal to ask in: pass --yes to confirm (npm run deploy -- --yes); nothing was changed`,
      );
    }
    io.out(`\nThis creates ${list(creates)}: ${bill}, ${dollars(cost.push, 3)} per push.`);
    const answer = (await io.ask('Create them? Type yes to go on: ')).trim().toLowerCase();
    if (answer === 'yes' || answer === 'y') return true;
    io.err(`error: you typed "${answer}", not "yes": nothing was changed`);
    return false;
  }
  const what = `${list(deletes)} must be deleted and created again (see the plan above): the services stop serving until they are re-created, with new load balancer URLs`;
  if (!io.interactive) {
    throw new NeedsConfirmation(
      `${what}; no terminal to ask in: pass --yes to confirm (nothing was changed)`,
    );
  }
  io.out(`\n${what}.`);
  const answer = (await io.ask(`Type the stage name (${config.app.stage}) to confirm: `)).trim();
  if (answer === config.app.stage) return true;
  io.err(`error: you typed "${answer}", not "${config.app.stage}": nothing was changed`);
  return false;
}
