/**
 * Account preflight: the CodeBuild concurrent-build quota of the project's environment. Every
 * pipeline (one per strategy in app.strategies) starts a build of every push at once; new accounts
 * often have a quota of 0 or 1 for an environment.
 *
 * What to ask for, with one gated build per push (buildspec.yml): only one build runs the tests and
 * the Docker build, the others wait for its verdict. One concurrent build is therefore ENOUGH to
 * deploy (the others queue, then find the image and take the short path, reuseBuildSeconds()), but
 * every queued round delays the pipelines behind it by that short path; with one build per pipeline
 * every Build stage ends when the gate's does, as the release timeline models. So the preflight
 * still asks for one per pipeline, stops only at 0, and below that says what the queue costs.
 *
 * - The quota is per environment type and size, named "Concurrently running builds for
 *   <Linux|ARM>/<Small|Medium|Large> environment" in Service Quotas (service code `codebuild`;
 *   config/allowed.ts CODEBUILD_BUILD_QUOTAS maps each allowed pair, there is no ARM/Medium):
 *   https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html
 * - What it cannot see: "Internal metrics will determine the default quotas for concurrent running
 *   builds" (same page), so a new account's real limit can be lower than the value read here; CodeBuild
 *   then refuses the extra builds with AccountLimitExceededException, which the first-image wait
 *   (pipeline.ts) reports with this quota's name and the request to raise it.
 * - Above the quota, builds QUEUE ("builds are queued if the number of running builds reaches the
 *   concurrent build limit for the platform and compute type"), so 1 works, one build after the
 *   other; 0 runs nothing: https://docs.aws.amazon.com/codebuild/latest/userguide/builds-working.html
 * - ListServiceQuotas returns applied values; quotas never changed for the account may only have
 *   their default, from ListAWSDefaultServiceQuotas:
 *   https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_ListServiceQuotas.html
 */
import {
  ListAWSDefaultServiceQuotasCommand,
  ListServiceQuotasCommand,
  type ServiceQuota,
} from '@aws-sdk/client-service-quotas';
import { CODEBUILD_BUILD_QUOTAS, type PlaygroundConfig } from '../../../config';
import { reuseBuildSeconds } from '../../../config/build-model';
import { awsErrorName, type Runtime } from '../runtime';

export const CODEBUILD_SERVICE_CODE = 'codebuild';

/** Builds one push starts: one per pipeline, a pipeline per strategy the config runs. */
export function concurrentBuildsNeeded(config: Pick<PlaygroundConfig, 'app'>): number {
  return config.app.strategies.length;
}

/**
 * How much later the last pipeline's Build stage ends when only `quota` builds run at once: the
 * builds beyond the quota queue in rounds, and each round, finding the image, takes the short path.
 */
export function queuedBuildDelaySeconds(config: Pick<PlaygroundConfig, 'app'>, quota: number): number {
  const queued = Math.max(0, concurrentBuildsNeeded(config) - quota);
  return quota < 1 ? Number.POSITIVE_INFINITY : Math.ceil(queued / quota) * reuseBuildSeconds();
}

/**
 * The Service Quotas name of the concurrent-build quota for the project's environment
 * (CODEBUILD_BUILD_QUOTAS; the config refuses a pair without one, so this never guesses).
 */
export function buildQuotaName(config: Pick<PlaygroundConfig, 'container' | 'build'>): string {
  const name = CODEBUILD_BUILD_QUOTAS[config.container.architecture][config.build.computeType];
  if (!name) {
    throw new Error(
      `no CodeBuild quota for ${config.build.computeType} on ${config.container.architecture}: the config loader refuses this pair`,
    );
  }
  return name;
}

export type BuildQuota =
  | { kind: 'found'; name: string; code: string; value: number }
  /** Service Quotas could not be read (no permission, no such quota): the plan warns, nothing stops. */
  | { kind: 'unknown'; name: string; reason: string };

export async function buildQuota(rt: Runtime, config: PlaygroundConfig): Promise<BuildQuota> {
  const name = buildQuotaName(config);
  try {
    const found = (await findQuota(rt, name, 'applied')) ?? (await findQuota(rt, name, 'default'));
    if (!found?.QuotaCode || found.Value === undefined) {
      return { kind: 'unknown', name, reason: 'Service Quotas lists no such quota' };
    }
    return { kind: 'found', name, code: found.QuotaCode, value: found.Value };
  } catch (err) {
    const error = awsErrorName(err);
    if (error === 'AccessDeniedException' || error === 'NoSuchResourceException') {
      return { kind: 'unknown', name, reason: `${error}: ${(err as Error).message}` };
    }
    throw err;
  }
}

async function findQuota(
  rt: Runtime,
  name: string,
  values: 'applied' | 'default',
): Promise<ServiceQuota | undefined> {
  let NextToken: string | undefined;
  do {
    const ServiceCode = CODEBUILD_SERVICE_CODE;
    const out =
      values === 'applied'
        ? await rt.clients.quotas.send(new ListServiceQuotasCommand({ ServiceCode, NextToken }))
        : await rt.clients.quotas.send(new ListAWSDefaultServiceQuotasCommand({ ServiceCode, NextToken }));
    const found = out.Quotas?.find((q) => q.QuotaName === name);
    if (found) return found;
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

/** The command that asks AWS to raise the quota (Service Quotas console: same request). */
export function quotaIncreaseCommand(
  quota: Extract<BuildQuota, { kind: 'found' }>,
  config: Pick<PlaygroundConfig, 'app'>,
): string {
  return (
    `aws service-quotas request-service-quota-increase --region ${config.app.region} --service-code ${CODEBUILD_SERVICE_CODE} ` +
    `--quota-code ${quota.code} --desired-value ${concurrentBuildsNeeded(config)}`
  );
}
