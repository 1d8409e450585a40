/**
 * How every command starts: `scripts/<command>.ts` is one call of runCommand() with the main of its
 * module (scripts/<area>/cli.ts or similar). `main` takes the arguments after the script and returns
 * the exit code (0 done, 1 failed, 2 bad usage); it reports expected problems (bad input, AWS errors)
 * itself. Anything it throws is a bug: printed with its stack, exit code 1.
 */
export function runCommand(name: string, main: (argv: string[]) => number | Promise<number>): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        console.error(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exitCode = 1;
      },
    );
}
