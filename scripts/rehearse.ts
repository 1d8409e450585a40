/**
 * `npm run rehearse [-- --strategy …] [--release …] [--speed N]`: replay a release locally with a
 * real load balancer, real app processes and the real hook. See scripts/rehearse/cli.ts and
 * docs/rehearse.md.
 */
import { runCommand } from './command';
import { rehearseMain } from './rehearse/cli';

runCommand('rehearse', (argv) => rehearseMain(argv));
