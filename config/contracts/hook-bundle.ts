/**
 * How the hook is bundled: serverless.ts hands these settings to serverless-esbuild, and
 * `npm run bench` (scripts/bench/hook/bundle.ts) builds the same bundle to measure it, so the bench
 * measures what ships.
 *
 * Everything the hook imports is inlined, the AWS SDK clients it calls included (ECS, CodeDeploy,
 * Elastic Load Balancing v2). The hook reads ECS fields from 2025 (DescribeServiceRevisions'
 * `resolvedConfiguration`, `advancedConfiguration.testListenerRule`), and an SDK older than its model
 * drops members it does not know. The SDK the Lambda runtime ships is whatever version AWS installed
 * there, updated "periodically" and "automatically without a way to opt-out"; AWS recommends locking
 * the SDK version you depend on in your own package
 * (https://docs.aws.amazon.com/lambda/latest/operatorguide/sdks-functions.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html, "Runtime dependencies in Node.js").
 * The bundled clients are the versions package-lock.json pins.
 */

/** The handler module, relative to the repository (serverless.ts's `handler` is `hook/handler.handler`). */
export const HOOK_ENTRY = 'hook/handler.ts';

/** esbuild settings of the hook bundle (serverless-esbuild passes them to esbuild as they are). */
export const HOOK_ESBUILD_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'node22',
  platform: 'node',
  // The SDK packages' ES module builds (package.json "module") before their CommonJS ones ("main"):
  // esbuild drops what the hook does not use from ES modules only. `npm run bench` measured it with
  // the SDK of package-lock.json: 854 kB (CommonJS) against 560 kB (ES modules) of bundle, and
  // twice the require time (docs/hook.md#package-size-and-cold-start).
  mainFields: ['module', 'main'],
} as const;
