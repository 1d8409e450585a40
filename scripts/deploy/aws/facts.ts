/**
 * What a real deploy reads from AWS before planning (read-only; a dry run reads nothing and plans
 * for a fresh account). plan.ts decides everything from these facts, before anything changes.
 */
import { GetTemplateCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { type DeploymentStatus, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { namesFor, type PlaygroundConfig, runs, STACKS, serviceOf, serviceStacksFor } from '../../../config';
import type { Facts, LiveStack, ServiceStackId } from '../plan';
import type { CfnTemplate } from '../replacement';
import { awsErrorName, type Runtime } from '../runtime';
import { statusRule } from '../stack-status';
import { imageDigests, latestCommitImage, repositoryUri, runningImage } from './images';
import { buildQuota } from './quotas';
import { describeStack } from './stacks';

/** CodeDeploy deployments that have not ended: the blue/green stack is not updated under them. */
export const UNFINISHED_DEPLOYMENT: DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
];

/**
 * Every stack that exists (also one of a strategy app.strategies leaves out: it may import what a
 * change replaces), and the images of the services the config runs.
 */
export async function gatherFacts(rt: Runtime, config: PlaygroundConfig): Promise<Facts> {
  const names = namesFor(config);
  const services = serviceStacksFor(config);
  const [described, images, latest, base, quota] = await Promise.all([
    Promise.all(STACKS.map(async (id) => [id, await liveStack(rt, names.stackName(id))] as const)),
    Promise.all(
      services.map((s) => runningImage(rt, names.cluster, serviceOf(names, s), config.container.name)),
    ),
    latestCommitImage(rt, names.ecrRepository),
    repositoryUri(rt, names.ecrRepository),
    buildQuota(rt, config),
  ]);
  const stacks: Facts['stacks'] = {};
  for (const [id, live] of described) if (live) stacks[id] = live;

  const running: Partial<Record<ServiceStackId, string>> = {};
  services.forEach((s, i) => {
    const image = images[i];
    if (image) running[s] = image.uri;
  });
  const compared = [
    ...Object.values(running).filter((v): v is string => v !== undefined),
    ...services.flatMap((s) => {
      const value = stacks[s]?.parameters.ImageUri;
      return value ? [value] : [];
    }),
  ];
  const digests = base ? await imageDigests(rt, names.ecrRepository, base, compared) : {};
  if (latest?.digest) digests[latest.uri] = latest.digest;

  return {
    stacks,
    running,
    latestImage: latest?.uri,
    digests,
    blueGreenDeployments:
      runs(config, 'bluegreen') && stacks['service-bluegreen'] ? await unfinishedDeployments(rt, config) : [],
    buildQuota: quota,
  };
}

/** The stack with its parameters and (when it completed an operation) its current template. */
async function liveStack(rt: Runtime, stackName: string): Promise<LiveStack | undefined> {
  const stack: Stack | undefined = await describeStack(rt, stackName);
  const status = stack?.StackStatus;
  if (!stack || !status || status === 'DELETE_COMPLETE') return undefined;
  const parameters: Record<string, string> = {};
  for (const p of stack.Parameters ?? [])
    if (p.ParameterKey) parameters[p.ParameterKey] = p.ParameterValue ?? '';
  const live: LiveStack = { status, parameters };
  if (statusRule(status).deploy === 'update') {
    // 'Original': the template as submitted (this project submits JSON), not after transforms.
    const out = await rt.clients.cloudformation.send(
      new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
    );
    try {
      live.template = JSON.parse(out.TemplateBody ?? '') as CfnTemplate;
    } catch {
      // Not JSON (deployed by hand as YAML?): nothing to compare; the plan says so.
    }
  }
  return live;
}

/** Ids of the blue/green deployment group's deployments that have not ended. */
async function unfinishedDeployments(rt: Runtime, config: PlaygroundConfig): Promise<string[]> {
  const names = namesFor(config);
  const ids: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const out = await rt.clients.codedeploy.send(
        new ListDeploymentsCommand({
          applicationName: names.blueGreen.codeDeployApplication,
          deploymentGroupName: names.blueGreen.deploymentGroup,
          includeOnlyStatuses: UNFINISHED_DEPLOYMENT,
          nextToken,
        }),
      );
      ids.push(...(out.deployments ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
  } catch (err) {
    const name = awsErrorName(err);
    if (name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException')
      return [];
    throw err;
  }
  return ids;
}
