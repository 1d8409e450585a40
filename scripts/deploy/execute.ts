/**
 * Runs a plan's steps against AWS, in order. Every AWS request is built from the step's data by the
 * same functions the dry run prints, so what `--dry-run` shows is what runs.
 */
import type { Parameter } from '@aws-sdk/client-cloudformation';
import {
  isServiceStack,
  namesFor,
  type PlaygroundConfig,
  type ServiceStackId,
  type StackId,
  serviceOf,
} from '../../config';
import { emptyBucket, emptyRepository } from './aws/emptying';
import { imageDigests, repositoryUri, runningImage, sameImage } from './aws/images';
import { approveConnectionSteps, connectionState, waitForFirstImage } from './aws/pipeline';
import { deleteStack, deployStack, describeStack, outputsOf } from './aws/stacks';
import type { DeployStep, DestroyStep, StackParameter } from './plan';
import type { Runtime } from './runtime';

/** How a deploy run ended: done, or paused for a person (the connection approval). */
export type DeployOutcome = 'deployed' | 'waiting-for-connection';

export interface DeployContext {
  config: PlaygroundConfig;
  /** Environment for local commands (sls, synth) so they load the same config (stage, region). */
  commandEnv: Record<string, string>;
  /** Reads a template body by its plan path (the run's template folder; tests supply one without files). */
  readTemplate: (path: string) => string;
}

export async function executeDeploy(
  rt: Runtime,
  steps: DeployStep[],
  ctx: DeployContext,
): Promise<DeployOutcome> {
  let firstImage: string | undefined;
  const outputs: Partial<Record<StackId, Record<string, string>>> = {};
  const { readTemplate } = ctx;

  for (const [i, step] of steps.entries()) {
    rt.log(`\n==> ${i + 1}/${steps.length} ${stepTitle(step)}`);
    switch (step.kind) {
      case 'synth':
        // Synthesised before planning (the plan reads the templates); listed so the plan shows it.
        rt.log('templates generated before planning');
        break;
      case 'delete-stack':
        for (const reason of step.reasons) rt.log(`[${step.stack}] ${reason}`);
        await deleteStack(rt, step.stackName, step.stack);
        break;
      case 'deploy-stack': {
        if (step.skip) {
          rt.log(`[${step.stack}] ${step.stackName}: skipped, ${step.skip}`);
          break;
        }
        for (const note of step.notes) rt.log(`[${step.stack}] ${note}`);
        const resolved = await Promise.all(
          step.parameters.map((p) => resolveParameter(rt, ctx.config, step, p, firstImage)),
        );
        const result = await deployStack(rt, {
          stackName: step.stackName,
          label: step.stack,
          templatePath: step.templatePath,
          templateBody: readTemplate(step.templatePath),
          parameters: (type) => resolved.map((r) => r(type)),
          resourceCount: step.resourceCount,
        });
        rt.log(`[${step.stack}] ${result}`);
        outputs[step.stack] = outputsOf(await describeStack(rt, step.stackName));
        break;
      }
      case 'deploy-hook': {
        const code = await rt.run(step.command, ctx.commandEnv);
        if (code !== 0) throw new Error(`\`${step.command.join(' ')}\` failed with exit code ${code}`);
        break;
      }
      case 'wait-connection': {
        const arn =
          typeof step.connectionArn === 'string'
            ? step.connectionArn
            : (outputs.pipelines ?? outputsOf(await describeStack(rt, stackNameOf(steps, 'pipelines'))))[
                step.connectionArn.output
              ];
        if (!arn) throw new Error('the pipelines stack has no ConnectionArn output: re-run `npm run synth`');
        const state = await connectionState(rt, arn);
        if (state === 'PENDING') {
          for (const line of approveConnectionSteps(arn, ctx.config.app.region)) rt.log(line);
          return 'waiting-for-connection';
        }
        rt.log(`connection ${arn} is AVAILABLE`);
        break;
      }
      case 'wait-first-image':
        firstImage = await waitForFirstImage(rt, step);
        break;
      case 'print-summary':
        await printSummary(rt, steps);
        break;
    }
  }
  return 'deployed';
}

export async function executeDestroy(
  rt: Runtime,
  steps: DestroyStep[],
  ctx: Pick<DeployContext, 'config' | 'commandEnv'>,
): Promise<void> {
  for (const [i, step] of steps.entries()) {
    rt.log(`\n==> ${i + 1}/${steps.length} ${step.description}`);
    switch (step.kind) {
      case 'delete-stack':
        await deleteStack(rt, step.stackName, step.stack);
        break;
      case 'remove-hook': {
        if (!(await describeStack(rt, step.stackName))) {
          rt.log(`[hook] ${step.stackName} does not exist: nothing to remove`);
          break;
        }
        const code = await rt.run(step.command, ctx.commandEnv);
        if (code !== 0) throw new Error(`\`${step.command.join(' ')}\` failed with exit code ${code}`);
        break;
      }
      case 'empty-bucket': {
        const stackName = step.bucket.stackName;
        const bucket = outputsOf(await describeStack(rt, stackName))[step.bucket.output];
        if (!bucket) {
          rt.log(`[pipelines] ${stackName} has no ${step.bucket.output} output: no bucket to empty`);
          break;
        }
        await emptyBucket(rt, bucket);
        break;
      }
      case 'empty-repository':
        await emptyRepository(rt, step.repository);
        break;
    }
  }
}

/** A plan parameter as CloudFormation takes it, for a CREATE or an UPDATE change set. */
export type ResolvedParameter = (type: 'CREATE' | 'UPDATE') => Parameter;

/**
 * Resolves a plan parameter when its step runs. `running` reads the image the step's service runs NOW
 * (a release the pipeline made since planning is never rolled back) and keeps the stack's own value
 * when it names the same image, compared by digest: a different spelling never replaces the task
 * definition, so no identical tasks are started.
 */
export async function resolveParameter(
  rt: Runtime,
  config: PlaygroundConfig,
  target: { stack: StackId; stackName: string },
  p: StackParameter,
  firstImage: string | undefined,
): Promise<ResolvedParameter> {
  const key = p.key;
  const value = (uri: string): Parameter => ({ ParameterKey: key, ParameterValue: uri });
  const previous: Parameter = { ParameterKey: key, UsePreviousValue: true };
  switch (p.value.kind) {
    case 'literal': {
      const uri = p.value.uri;
      return () => value(uri);
    }
    case 'first-image':
      if (!firstImage) throw new Error(`${key}: no image found yet (the wait-first-image step did not run)`);
      return () => value(firstImage);
    case 'previous': {
      const fallback = await resolveParameter(
        rt,
        config,
        target,
        { key, value: p.value.fallback },
        firstImage,
      );
      return (type) => (type === 'UPDATE' ? previous : fallback(type));
    }
    case 'running': {
      const fallback = await resolveParameter(
        rt,
        config,
        target,
        { key, value: p.value.fallback },
        firstImage,
      );
      const { stack: id, stackName } = target;
      if (!isServiceStack(id)) throw new Error(`${key}: the ${id} stack runs no service`);
      const names = namesFor(config);
      const now = await runningImage(rt, names.cluster, serviceOf(names, id), config.container.name);
      if (!now) return (type) => (type === 'UPDATE' ? previous : fallback(type));
      const stack = await describeStack(rt, stackName);
      const named = stack?.Parameters?.find((x) => x.ParameterKey === key)?.ParameterValue;
      const base = await repositoryUri(rt, names.ecrRepository);
      const digests =
        base && named ? await imageDigests(rt, names.ecrRepository, base, [named, now.uri]) : {};
      const same = named !== undefined && sameImage(named, now.uri, digests);
      rt.log(
        `[${id}] ${key}: ${now.uri}, the image the service runs now` +
          (same
            ? ` (the stack's ${named} is the same image: kept)`
            : named
              ? ` (the stack had ${named})`
              : ''),
      );
      return (type) => (type === 'UPDATE' && same ? previous : value(now.uri));
    }
  }
}

export function stepTitle(step: DeployStep | DestroyStep): string {
  return 'stackName' in step && step.kind !== 'deploy-hook' && step.kind !== 'remove-hook'
    ? `${step.stackName}: ${step.description}`
    : step.description;
}

/** How the summary labels each service stack's URL. */
const SUMMARY_LABELS: Record<ServiceStackId, string> = {
  'service-rolling': 'rolling   ',
  'service-bluegreen': 'blue/green',
  'service-canary': 'canary    ',
};

async function printSummary(rt: Runtime, steps: DeployStep[]): Promise<void> {
  const services = steps.flatMap((s) =>
    s.kind === 'deploy-stack' && isServiceStack(s.stack) ? [{ stack: s.stack, stackName: s.stackName }] : [],
  );
  const outputs = await Promise.all(
    services.map(async (s) => outputsOf(await describeStack(rt, s.stackName))),
  );
  const hook = steps.find((s) => s.kind === 'deploy-hook');
  rt.log('');
  // The LoadBalancerUrl outputs already point at /version.
  rt.log('Deployed. Try:');
  services.forEach((s, i) => {
    rt.log(`  ${SUMMARY_LABELS[s.stack]} ${outputs[i]?.LoadBalancerUrl ?? '(no LoadBalancerUrl output)'}`);
  });
  if (hook?.kind === 'deploy-hook') rt.log(`  hook       ${hook.functionName} (stack ${hook.stackName})`);
}

function stackNameOf(steps: DeployStep[], stack: StackId): string {
  const step = steps.find((s) => s.kind === 'deploy-stack' && s.stack === stack);
  if (step?.kind !== 'deploy-stack') throw new Error(`the plan has no ${stack} stack`);
  return step.stackName;
}
