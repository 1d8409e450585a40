/** `npm run build:app`: bundles the app into dist/app/ (the logic is scripts/bundle/app.ts). */
import { main } from './bundle/app';
import { runCommand } from './command';

runCommand('build:app', main);
