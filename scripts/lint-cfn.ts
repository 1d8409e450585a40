/**
 * `npm run lint:cfn`: the CloudFormation gate. Checks every generated template
 * (cloudformation/templates/<stack>.json, from `npm run synth`) and the hook's `sls package` output
 * with cfn-lint, cross-stack checks, cdk-nag's AwsSolutions pack, our own security rules and the
 * CloudFormation limits. Prints one line per check and the total time; exits 1 on any finding.
 * See docs/checks.md and scripts/lint/.
 *
 *   npm run lint:cfn [-- --templates <dir>]
 *
 * The npm script runs ts-node transpile-only: `npm run typecheck` type-checks these files, and
 * type-checking aws-cdk-lib's declarations on every run would cost ~10 s before the first check.
 */
import { runCommand } from './command';
import { main } from './lint/cli';

runCommand('lint:cfn', main);
