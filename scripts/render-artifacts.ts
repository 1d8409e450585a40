/** Entry point of `npm run render:artifacts`; the logic lives in scripts/artifacts/. */
import { REPO_ROOT } from '../config';
import { runCli } from './artifacts/cli';

process.exitCode = runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  configDir: REPO_ROOT,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
