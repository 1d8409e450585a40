import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An environment for `npx sls …` with no AWS credentials at all, and nothing that phones home. */
export function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
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
