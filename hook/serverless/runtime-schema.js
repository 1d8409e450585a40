/**
 * Local Serverless Framework v3 plugin: teaches v3's configuration schema the Node.js runtimes it
 * predates, so `runtime: nodejs22.x` validates without the "unsupported runtime" warning while every
 * other part of the configuration is still validated (unlike `configValidationMode: off`).
 *
 * Service plugins are constructed after the AWS provider has defined its schema and before the
 * configuration is validated, so adding the values here is enough. Plain JavaScript because the
 * Framework `require`s plugins before anything would compile TypeScript for it.
 */

/** Lambda runtimes newer than Serverless v3.40's list (AWS Lambda runtimes page). */
const NEWER_NODE_RUNTIMES = ['nodejs22.x', 'nodejs24.x'];

class RuntimeSchemaPlugin {
  constructor(serverless) {
    const runtimes = serverless.configSchemaHandler?.schema?.definitions?.awsLambdaRuntime?.enum;
    if (!Array.isArray(runtimes)) {
      throw new Error(
        'runtime-schema plugin: Serverless schema has no awsLambdaRuntime enum (not Framework v3?)',
      );
    }
    for (const runtime of NEWER_NODE_RUNTIMES) if (!runtimes.includes(runtime)) runtimes.push(runtime);
  }
}

module.exports = RuntimeSchemaPlugin;
