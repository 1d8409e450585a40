/**
 * `npm run watch [-- --for 10m] [-- --rate 5]`: watch a release live, per strategy. See
 * scripts/watch/cli.ts and docs/status.md#watch.
 */
import { processWatchIo, watchMain } from './watch/cli';

watchMain(process.argv.slice(2), processWatchIo()).then((code) => {
  process.exitCode = code;
});
