/**
 * `npx ts-node scripts/bench-hook.ts [runs]` (the second half of `npm run bench`): the hook's time
 * from invocation to verdict for a healthy green (the logic is scripts/bench/hook/bench.ts).
 */
import { main } from './bench/hook/bench';
import { runCommand } from './command';

runCommand('bench-hook', main);
