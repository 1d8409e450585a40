/**
 * `npm run bench -- [--rounds N] [--duration S] [--warmup S] [--connections N] [--startups N]`: the
 * bundled app against a bare node:http server (the logic is scripts/bench/app.ts).
 */
import { main } from './bench/app';
import { runCommand } from './command';

runCommand('bench', main);
