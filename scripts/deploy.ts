/**
 * `npm run deploy [-- --dry-run] [-- --stage <name>] [-- --print-commands]`: deploys every stack and
 * the hook in dependency order. See scripts/deploy/plan.ts for the order and why, and docs/deploy.md.
 */
import { runCommand } from './command';
import { deployMain } from './deploy/cli';
import { processIo } from './deploy/process-io';

runCommand('deploy', (argv) => deployMain(argv, processIo()));
