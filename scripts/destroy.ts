/**
 * `npm run destroy [-- --dry-run] [-- --yes] [-- --stage <name>]`: deletes everything `npm run deploy`
 * created, in reverse order, emptying the ECR repository and the artifact bucket first.
 */
import { runCommand } from './command';
import { destroyMain, processIo } from './deploy/cli';

runCommand('destroy', (argv) => destroyMain(argv, processIo()));
