/**
 * The first AWS call of a real run: who am I? It proves the region and credentials work before
 * anything is changed, and turns the SDK's errors into one message that says what to do.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsErrorName, type Runtime } from '../runtime';
import type { AwsClients } from './clients';

export interface Identity {
  account: string;
  arn: string;
}

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/** Needs only STS: `npm run status` calls it with its own clients. */
export async function checkCredentials(
  rt: Pick<Runtime, 'region'> & { clients: Pick<AwsClients, 'sts'> },
): Promise<Identity> {
  try {
    const out = await rt.clients.sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown' };
  } catch (err) {
    const name = awsErrorName(err);
    const detail = err instanceof Error ? err.message : String(err);
    if (name === 'CredentialsProviderError' || /Could not load credentials/.test(detail)) {
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
