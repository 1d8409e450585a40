/**
 * `npm run bench [-- --rounds N --duration S --warmup S --connections N --startups N --runs N --only app|hook]`:
 * the bundled app against a bare node:http server, then the hook's time to a verdict (scripts/bench/cli.ts).
 */
import { main } from './bench/cli';
import { runCommand } from './command';

runCommand('bench', (argv) => main(argv));
