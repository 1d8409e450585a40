/**
 * `npm run synth [-- --out <dir>]`: writes every stack's template (cloudformation/templates/ by
 * default). The logic is scripts/synth/cli.ts; the generators are cloudformation/.
 */
import { runCommand } from './command';
import { main } from './synth/cli';

runCommand('synth', (argv) => main(argv, process.env));
