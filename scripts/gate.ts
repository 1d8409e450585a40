/**
 * `npm test`: the whole gate (type check, lint, CloudFormation checks, every test) side by side,
 * the hook packaged once. See scripts/gate/run.ts.
 */
import { runCommand } from './command';
import { main } from './gate/run';

runCommand('test', main);
