import type { AWS } from '@serverless/typescript';
import { envWithConfig, type PlaygroundConfig } from '../../../config';

/**
 * serverless.ts evaluated for `config`, in this process: it reads its config from the environment
 * when loaded (as under `sls`), so the config's variables are set for the load and restored after.
 */
export function loadServerlessTs(config: PlaygroundConfig): AWS {
  const path = require.resolve('../../../serverless');
  const env = envWithConfig(process.env, config);
  const saved = { ...process.env };
  delete require.cache[path];
  try {
    for (const key of Object.keys(process.env)) if (key.startsWith('PLAYGROUND_')) delete process.env[key];
    Object.assign(process.env, env);
    return require(path) as AWS;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    delete require.cache[path];
  }
}
