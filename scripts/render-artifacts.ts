/** `npm run render:artifacts -- --out-dir <dir> [--only <file>,…]`: the logic is scripts/artifacts/. */

import { REPO_ROOT } from '../config';
import { runCli } from './artifacts/cli';
import { runCommand } from './command';

runCommand('render:artifacts', (argv) =>
  runCli(argv, {
    env: process.env,
    cwd: process.cwd(),
    configDir: REPO_ROOT,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }),
);
