/**
 * `npm run status [-- --json] [-- --stage <name>]`: what is live, per strategy. See
 * scripts/status/cli.ts and docs/status.md.
 */
import { runCommand } from './command';
import { processStatusIo, statusMain } from './status/cli';

runCommand('status', (argv) => statusMain(argv, processStatusIo()));
