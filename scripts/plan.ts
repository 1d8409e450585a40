/**
 * `npm run plan [-- --set <path=value>] [-- --json]`: how long a push takes to reach users in each
 * strategy, and what it costs. See scripts/plan/cli.ts and docs/deploy.md#release-timeline.
 */
import { runCommand } from './command';
import { main } from './plan/cli';

runCommand('plan', (argv) => main(argv));
