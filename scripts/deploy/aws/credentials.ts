/**
 * The first AWS call of a real run: who am I? It proves the region and credentials work before
 * anything is changed, and turns the SDK's errors into one message that says what to do.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { PlaygroundConfig } from '../../../config';
import { awsErrorName, type Runtime } from '../runtime';
import type { AwsClients } from './clients';
import { missingProfileMessage, regionWarning } from './environment';

export interface Identity {
  account: string;
  arn: string;
}

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/**
 * AWS's environment before the first client of a read-only command (status, watch): a profile that
 * does not exist stops here with its own message; AWS regions that disagree with app.region are a
 * warning line, naming both (aws/environment.ts).
 */
export function checkAwsEnvironment(
  config: PlaygroundConfig,
  env: Record<string, string | undefined>,
): string[] {
  const missing = missingProfileMessage(env);
  if (missing) throw new CredentialsError(missing);
  const warning = regionWarning(config, env);
  return warning ? [`warning: ${warning}`] : [];
}

/**
 * Needs only STS: `npm run status` calls it with its own clients. `env` is where AWS_PROFILE is read:
 * a profile that does not exist is named before any call (the SDK would only say it found no
 * credentials, while AWS_PROFILE is set).
 */
export async function checkCredentials(
  rt: Pick<Runtime, 'region'> & { clients: Pick<AwsClients, 'sts'> },
  env: Record<string, string | undefined> = {},
): Promise<Identity> {
  const missing = missingProfileMessage(env);
  if (missing) throw new CredentialsError(missing);
  try {
    const out = await rt.clients.sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown' };
  } catch (err) {
    const name = awsErrorName(err);
    const detail = err instanceof Error ? err.message : String(err);
    if (name === 'CredentialsProviderError' || /Could not load credentials/.test(detail)) {
      const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
      if (profile) {
        throw new CredentialsError(
          `AWS profile ${profile} (AWS_PROFILE) gave no credentials (${detail}): run \`aws sso login --profile ${profile}\` ` +
            `for an SSO profile, or \`aws configure --profile ${profile}\`, and re-run; \`--dry-run\` needs none`,
        );
      }
      throw new CredentialsError(
        'no AWS credentials found: run `aws configure` (or `aws sso login`, or set AWS_PROFILE) and ' +
          're-run; `--dry-run` needs none',
      );
    }
    if (
      ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException'].includes(
        name,
      )
    ) {
      throw new CredentialsError(
        `AWS rejected the credentials (${name}: ${detail}): refresh them and re-run`,
      );
    }
    throw new CredentialsError(
      `cannot reach AWS STS in ${rt.region} (${name}: ${detail}): check the region (app.region, ` +
        'PLAYGROUND_REGION) and your network',
    );
  }
}
