/**
 * `npm run destroy [-- --dry-run] [-- --yes] [-- --stage <name>]`: deletes everything `npm run deploy`
 * created, in reverse order, emptying the ECR repository and the artifact bucket first.
 */
import { runCommand } from './command';
import { destroyMain } from './deploy/cli';
import { processIo } from './deploy/process-io';

runCommand('destroy', (argv) => destroyMain(argv, processIo()));
