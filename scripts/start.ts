/**
 * `npm start`: builds dist/app/ and serves the app with your config's port and task environment, in
 * this one process (package.json starts it with `exec`). The logic is scripts/bundle/start.ts.
 */
import { main } from './bundle/start';
import { runCommand } from './command';

runCommand('start', (argv) => main(argv));
