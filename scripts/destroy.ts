/**
 * `npm run destroy [-- --dry-run] [-- --yes] [-- --stage <name>]`: deletes everything `npm run deploy`
 * created, in reverse order, emptying the ECR repository and the artifact bucket first.
 */
import { destroyMain, processIo } from './deploy/cli';

destroyMain(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
