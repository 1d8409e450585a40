/**
 * `npm run watch [-- --for 10m] [-- --rate 5]`: watch a release live, per strategy. See
 * scripts/watch/cli.ts and docs/status.md#watch.
 */
import { runCommand } from './command';
import { processWatchIo, watchMain } from './watch/cli';

runCommand('watch', (argv) => watchMain(argv, processWatchIo()));
