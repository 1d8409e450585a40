/**
 * The AWS side of `npm run status` and `npm run watch`: the clients, the one gateway every call goes
 * through (it counts calls for the rate bound and names the IAM action of each), and the errors a
 * user can act on. Read-only: every action below is a Describe/Get/List/Filter call.
 *
 * IAM: each API operation is authorized by the IAM action of the same name (Service Authorization
 * Reference, e.g. https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html,
 * list_amazonelasticcontainerservice.html, list_awscodepipeline.html, list_amazoncloudwatch.html,
 * list_amazoncloudwatchlogs.html, list_awscloudformation.html). READ_ACTIONS is the policy a user
 * needs; docs/status.md prints it and a test keeps the two equal.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ECSClient } from '@aws-sdk/client-ecs';
import { STSClient } from '@aws-sdk/client-sts';
import { clientOptions } from '../deploy/aws/clients';

/** Every AWS API action the two commands call; nothing here changes anything. */
export const READ_ACTIONS = [
  'sts:GetCallerIdentity',
  'cloudformation:DescribeStacks',
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ecs:DescribeServiceDeployments',
  'ecs:ListServiceDeployments',
  'codedeploy:GetDeploymentGroup',
  'codedeploy:ListDeployments',
  'codedeploy:GetDeployment',
  'codedeploy:ListDeploymentTargets',
  'codedeploy:GetDeploymentTarget',
  'codedeploy:GetDeploymentConfig',
  'codepipeline:ListPipelineExecutions',
  'codepipeline:GetPipelineState',
  'cloudwatch:DescribeAlarms',
  'logs:FilterLogEvents',
] as const;
export type ReadAction = (typeof READ_ACTIONS)[number];

export interface StatusClients {
  cloudformation: CloudFormationClient;
  cloudwatch: CloudWatchClient;
  codedeploy: CodeDeployClient;
  codepipeline: CodePipelineClient;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  sts: STSClient;
}

/**
 * A status must answer in seconds: a connection that hangs fails after these (the SDK otherwise
 * waits forever), then the SDK's retries apply (clientOptions: adaptive, 8 attempts, backoff).
 */
export const REQUEST_TIMEOUTS = { connectionTimeout: 3000, requestTimeout: 10000 };

/** `extra` lets tests point the real clients at a local endpoint with fixed credentials. */
export function createStatusClients(region: string, extra: Record<string, unknown> = {}): StatusClients {
  const options = { ...clientOptions(region), requestHandler: REQUEST_TIMEOUTS, ...extra };
  return {
    cloudformation: new CloudFormationClient(options),
    cloudwatch: new CloudWatchClient(options),
    codedeploy: new CodeDeployClient(options),
    codepipeline: new CodePipelineClient(options),
    ecs: new ECSClient(options),
    logs: new CloudWatchLogsClient(options),
    sts: new STSClient(options),
  };
}

export interface AwsCallRecord {
  /** Epoch ms on the injected clock when the call started. */
  at: number;
  action: ReadAction;
}

/**
 * Every AWS call goes through `call`, so the commands can count them (watch's rate bound is asserted
 * on this record) and every failure names the IAM action that failed.
 */
export class AwsGateway {
  readonly calls: AwsCallRecord[] = [];

  /** `perMinute`: a hard cap on calls in any 60 s (npm run watch); a call over it fails without being sent. */
  constructor(
    readonly clients: StatusClients,
    readonly region: string,
    private readonly now: () => number,
    readonly perMinute?: number,
  ) {}

  /** Calls started in the last 60 s. */
  recentCalls(): number {
    const since = this.now() - 60_000;
    let n = 0;
    for (let i = this.calls.length - 1; i >= 0 && this.calls[i].at > since; i--) n++;
    return n;
  }

  async call<T>(action: ReadAction, run: (clients: StatusClients) => Promise<T>): Promise<T> {
    if (this.perMinute !== undefined && this.recentCalls() >= this.perMinute) {
      throw new AwsCallError(
        action,
        'throttled',
        `skipped ${action}: the ${this.perMinute} AWS calls/min budget is used up`,
        'Budget',
      );
    }
    this.calls.push({ at: this.now(), action });
    try {
      return await run(this.clients);
    } catch (err) {
      throw AwsCallError.from(action, this.region, err);
    }
  }
}

/** What went wrong, in terms of what the user does next. */
export type AwsErrorKind = 'credentials' | 'region' | 'throttled' | 'denied' | 'not-found' | 'other';

/** Kinds that make every other call fail the same way: stop and say so once. */
export const FATAL_KINDS: readonly AwsErrorKind[] = ['credentials', 'region'];

const CREDENTIAL_ERRORS = [
  'CredentialsProviderError',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
];
/** Names AWS services give throttling errors (ECS/CodeDeploy: ThrottlingException, CloudWatch: Throttling). */
const THROTTLING_ERRORS = [
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RateExceeded',
];
const DENIED_ERRORS = [
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'AuthorizationError',
];
/** DNS or connection failures: the region's endpoint does not exist or cannot be reached. */
const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'];

export class AwsCallError extends Error {
  override name = 'AwsCallError';

  constructor(
    readonly action: ReadAction,
    readonly kind: AwsErrorKind,
    message: string,
    readonly awsName: string,
  ) {
    super(message);
  }

  static from(action: ReadAction, region: string, err: unknown): AwsCallError {
    if (err instanceof AwsCallError) return err;
    const e = (err ?? {}) as {
      name?: string;
      message?: string;
      code?: string;
      $metadata?: { attempts?: number };
    };
    const name = e.name ?? 'Error';
    const detail = e.message ?? String(err);
    const code = e.code ?? /\b(E[A-Z]{4,})\b/.exec(detail)?.[1];
    if (name === 'CredentialsError') {
      // scripts/deploy/aws/credentials.ts already said what to do; keep its words, minus deploy's own flag.
      const message = detail.replace(/; `--dry-run` needs none$/, '');
      return new AwsCallError(action, /^cannot reach/.test(detail) ? 'region' : 'credentials', message, name);
    }
    if (name === 'CredentialsProviderError' || /Could not load credentials/.test(detail)) {
      return new AwsCallError(
        action,
        'credentials',
        'no AWS credentials found: run `aws configure` (or `aws sso login`, or set AWS_PROFILE), then re-run',
        name,
      );
    }
    if (CREDENTIAL_ERRORS.includes(name)) {
      return new AwsCallError(
        action,
        'credentials',
        `AWS rejected the credentials (${name}: ${detail}): refresh them (or enable region ${region} for the account) and re-run`,
        name,
      );
    }
    if (code && NETWORK_CODES.includes(code)) {
      return new AwsCallError(
        action,
        'region',
        `cannot reach AWS in region "${region}" (${code}: ${detail}): check app.region in playground.config.json ` +
          '(or PLAYGROUND_REGION) and your network',
        name,
      );
    }
    if (THROTTLING_ERRORS.includes(name)) {
      const attempts = e.$metadata?.attempts ?? 1;
      return new AwsCallError(
        action,
        'throttled',
        `AWS throttled ${action} (${name}) after ${attempts} attempt${attempts === 1 ? '' : 's'} with backoff: ` +
          'wait a minute and re-run',
        name,
      );
    }
    if (DENIED_ERRORS.includes(name)) {
      return new AwsCallError(
        action,
        'denied',
        `not allowed to call ${action}: add it to your IAM policy (docs/status.md#iam-permissions)`,
        name,
      );
    }
    if (/NotFound|DoesNotExist/.test(name) || /does not exist/.test(detail)) {
      return new AwsCallError(action, 'not-found', `${action}: ${name}: ${detail}`, name);
    }
    return new AwsCallError(action, 'other', `${action} failed (${name}: ${detail})`, name);
  }
}

export function isFatal(err: unknown): err is AwsCallError {
  return err instanceof AwsCallError && FATAL_KINDS.includes(err.kind);
}
