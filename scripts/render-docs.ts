/** `npm run render:docs`: refreshes the generated blocks of README.md and docs/deploy.md (scripts/deploy/docs.ts). */
import { runCommand } from './command';
import { main } from './deploy/docs';

runCommand('render:docs', (argv) => main(argv));
