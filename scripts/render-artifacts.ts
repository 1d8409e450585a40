/** Entry point of `npm run render:artifacts`; the logic lives in scripts/artifacts/. */
import { runCli } from './artifacts/cli';

process.exitCode = runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
