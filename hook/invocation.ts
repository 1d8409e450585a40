/**
 * What both protocols' handlers share: the Lambda context they read, their dependencies (AWS
 * clients, environment, log), the SDK clients of a Lambda container, and how an error becomes a
 * reason.
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clients } from './discover';
import { DiscoveryError } from './discovery-error';
import { PagingError } from './paging';
import type { ReportOptions } from './report';
import { SettingsError } from './settings';

/** The part of the Lambda context the hook uses. */
export interface HookContext {
  getRemainingTimeInMillis(): number;
}

export interface HandlerDeps {
  /** AWS clients for discovery, and the reporting client (no SDK retries: report.ts retries). */
  clients: () => Clients & { reporter: CodeDeployClient };
  env: Record<string, string | undefined>;
  /** Writes one log line (JSON). */
  log: (line: string) => void;
  report: Partial<ReportOptions>;
}

/**
 * SDK request timeouts: the AWS APIs answer in well under a second; 3 s means something is wrong.
 * throwOnRequestTimeout: recent @smithy/node-http-handler only warns on requestTimeout without it.
 */
export const SDK_REQUEST_HANDLER = {
  requestTimeout: 3000,
  connectionTimeout: 1000,
  throwOnRequestTimeout: true,
};

let cachedClients: ReturnType<HandlerDeps['clients']> | undefined;

/** One set of clients per Lambda container (reused across invocations, created on first use). */
export function defaultClients(): ReturnType<HandlerDeps['clients']> {
  cachedClients ??= {
    codedeploy: new CodeDeployClient({ requestHandler: SDK_REQUEST_HANDLER }),
    ecs: new ECSClient({ requestHandler: SDK_REQUEST_HANDLER }),
    elbv2: new ElasticLoadBalancingV2Client({ requestHandler: SDK_REQUEST_HANDLER }),
    reporter: new CodeDeployClient({ maxAttempts: 1, requestHandler: SDK_REQUEST_HANDLER }),
  };
  return cachedClients;
}

/** Our own errors speak for themselves; AWS and system errors keep their name (e.g. AccessDeniedException). */
export function describeError(err: unknown): string {
  const e = err as Error;
  if (!(e instanceof Error)) return String(err);
  return e instanceof SettingsError ||
    e instanceof DiscoveryError ||
    e instanceof PagingError ||
    e.name === 'Error'
    ? e.message
    : `${e.name}: ${e.message}`;
}

export function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
