/**
 * `npm run status [-- --json] [-- --stage <name>]`: what is live, per strategy. See
 * scripts/status/cli.ts and docs/status.md.
 */
import { processStatusIo, statusMain } from './status/cli';

statusMain(process.argv.slice(2), processStatusIo()).then((code) => {
  process.exitCode = code;
});
