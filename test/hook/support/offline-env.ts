import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../../config';
import { hermeticEnv } from '../../support/config';

/**
 * An environment for `npx sls …` with no AWS credentials at all, nothing that phones home, and
 * serverless.ts loading exactly `config` (the defaults unless given), never the environment's.
 */
export function offlineEnv(config: PlaygroundConfig = DEFAULT_CONFIG): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(hermeticEnv(config))) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    // ts-node compiles serverless.ts; type checking is `npm run typecheck`'s job, not these tests'.
    TS_NODE_TRANSPILE_ONLY: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmpdir(), 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-aws-credentials'),
  };
}
