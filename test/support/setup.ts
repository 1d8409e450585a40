import { quietNodeVersionWarning } from '../../scripts/command';
import { HOSTILE_ENV } from './config';

// Test-wide environment: no test may reach a real AWS endpoint or the instance metadata service.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.SLS_TELEMETRY_DISABLED = '1';
process.env.SLS_NOTIFICATIONS_MODE = 'off';
// As every command does (scripts/command.ts): no AWS SDK Node-version warning on this machine's Node 20.
quietNodeVersionWarning(process.env);

// Hermeticity tripwire (test/support/config.ts): the suite runs under a non-default config in every
// form the loader reads, unless the caller's environment already names one (the CodeBuild replay
// runs tests under its own). A test that reads the environment's config fails instead of passing by luck.
for (const [name, value] of Object.entries(HOSTILE_ENV)) if (!process.env[name]) process.env[name] = value;
