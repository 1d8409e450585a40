/**
 * How many CloudWatch alarms the config's templates define: the one cost input the templates hold
 * (an alarm is billed per month). Counted in the templates `npm run synth` renders for the config,
 * not typed, so a new alarm shows up in every cost figure by itself.
 */
import { renderAll } from '../../cloudformation/stacks';
import type { PlaygroundConfig, StackId } from '../../config';
import { alarmsOf } from '../timeline/alarms';

type TemplateBody = Parameters<typeof alarmsOf>[0];

/** The alarms one template defines. */
export function alarmsIn(template: TemplateBody | undefined): number {
  return template ? alarmsOf(template).length : 0;
}

/** The alarms of every stack the config deploys, in all and per stack. */
export function alarmCounts(config: PlaygroundConfig): {
  total: number;
  byStack: Partial<Record<StackId, number>>;
} {
  const byStack: Partial<Record<StackId, number>> = {};
  let total = 0;
  for (const { stack, json } of renderAll(config)) {
    byStack[stack] = alarmsIn(JSON.parse(json) as TemplateBody);
    total += byStack[stack];
  }
  return { total, byStack };
}
