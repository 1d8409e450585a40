/**
 * How every command starts: `scripts/<command>.ts` is one call of runCommand() with the main of its
 * module (scripts/<area>/cli.ts or similar). `main` takes the arguments after the script and returns
 * the exit code (0 done, 1 failed, 2 bad usage); it reports expected problems (bad input, AWS errors)
 * itself. Anything it throws is a bug: printed with its stack, exit code 1.
 */
export function runCommand(name: string, main: (argv: string[]) => number | Promise<number>): void {
  quietNodeVersionWarning(process.env);
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

/**
 * The AWS SDK v3 prints a 9-line `NodeVersionSupportWarning` on Node < 22 the first time a client is
 * created. The kit's runtime is Node 22 (the image, CodeBuild, Lambda, `.nvmrc`), but its commands
 * and tests also run on Node 20 (this repository's CI machine), where the warning is noise on every
 * command. The SDK's own switch turns off exactly this one warning (@aws-sdk/core's
 * emitWarningIfUnsupportedVersion); every other warning still prints. A value the user set wins.
 */
export function quietNodeVersionWarning(env: NodeJS.ProcessEnv): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
