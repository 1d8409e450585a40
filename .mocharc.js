/**
 * mocha's settings for every run (`npm run test:unit`, `npx mocha <file>`). mocha finds this file
 * upward from the working directory but resolves relative `require` and `reporter` paths against the
 * working directory: absolute paths let `npx mocha cli.test.ts` run from test/cli/ as from the root.
 */
const { join } = require('node:path');

module.exports = {
  require: ['ts-node/register/transpile-only', join(__dirname, 'test/support/setup.ts')],
  extension: ['ts'],
  timeout: 30000,
  reporter: join(__dirname, 'test/support/summary-reporter.js'),
};
