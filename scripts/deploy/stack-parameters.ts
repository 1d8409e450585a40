/**
 * The parameters each stack step is given: none but the service stacks' ImageUri, and where each
 * service's image comes from (plan.ts explains why in its header).
 */
import { IMAGE_PARAMETER } from '../../cloudformation/fargate-service';
import { isServiceStack, SERVICE_STACKS, type ServiceStackId, type StackId } from '../../config';
import type { DeployAction } from './stack-status';
import { type Facts, type ImageSource, PlanError, type StackParameter, type TemplateInfo } from './steps';

/**
 * Whether a service stack's ImageUri follows the image its service runs: the ECS-controlled services
 * (rolling, ECS canary), whose new revisions the pipeline's ECS deploy action registers. Blue/green's
 * task set is CodeDeploy's: its stack keeps its previous value.
 */
export function followsRunningImage(stack: ServiceStackId): boolean {
  return stack !== 'service-bluegreen';
}

export function stackParameters(
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
 * - Created (or created again): the image this service runs now, else the one another service runs
 *   now, else the newest commit-tagged image in ECR, else the first build's. A running image comes
 *   first because after a bad release the newest image in ECR is the bad one.
 * - Rolling and ECS canary, updated: the image the service runs when the step starts (`running`), so
 *   a re-deploy never rolls back what the pipeline has released.
 * - Blue/green, updated: the stack's previous value: CodeDeploy owns the task set, and the service
 *   names the task definition family, so the stack never touches what runs.
 */
function serviceImage(stack: ServiceStackId, action: DeployAction, facts: Facts): ImageSource {
  const running = facts.running ?? {};
  const own = running[stack];
  const [other, theirs] =
    SERVICE_STACKS.filter((s) => s !== stack)
      .map((s) => [s, running[s]] as const)
      .find(([, uri]) => uri) ?? [];
  const forCreate: ImageSource = own
    ? { kind: 'literal', uri: own, why: 'the image this service runs now' }
    : other && theirs
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
  return followsRunningImage(stack)
    ? { kind: 'running', fallback: forCreate }
    : { kind: 'previous', fallback: forCreate };
}

/** Whether a parameter waits for the image of the first build (a `wait-first-image` step). */
export function usesFirstImage(source: ImageSource): boolean {
  if (source.kind === 'first-image') return true;
  if (source.kind === 'previous' || source.kind === 'running') return usesFirstImage(source.fallback);
  return false;
}
