/**
 * `npm run synth [-- --out <dir>]`: the reference templates (default config) into
 * cloudformation/templates/ and yours into cloudformation/out/<stage>/. The logic is
 * scripts/synth/cli.ts; the generators are cloudformation/.
 */
import { runCommand } from './command';
import { main } from './synth/cli';

runCommand('synth', (argv) => main(argv, process.env));
