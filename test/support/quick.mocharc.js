/**
 * `npm run test:quick`: the full suite's settings (.mocharc.js), two workers, without the test files
 * that start a child process (test/gate/quick.test.ts keeps this list complete).
 */
const main = require('../../.mocharc.js');

module.exports = {
  ...main,
  reporter: 'dot',
  parallel: true,
  jobs: 2,
  spec: ['test/**/*.test.ts'],
  ignore: [
    'test/app/build-app.test.ts',
    'test/app/code-cache.test.ts',
    'test/app/dockerfile.test.ts',
    'test/app/npm-start.test.ts',
    'test/app/shutdown.test.ts',
    'test/build/buildspec.test.ts',
    'test/build/cli.test.ts',
    'test/build/docs.test.ts',
    'test/build/gate-races.test.ts',
    'test/build/replay.test.ts',
    'test/cloudformation/default-security-group-handler.test.ts',
    'test/cloudformation/synth.test.ts',
    'test/deploy/docs.test.ts',
    'test/deploy/moto.test.ts',
    'test/deploy/process.test.ts',
    'test/deploy/replacement.test.ts',
    'test/gate/mocha.test.ts',
    'test/hook/budget.test.ts',
    'test/hook/handler.test.ts',
    'test/hook/invoke-local.test.ts',
    'test/hook/package.test.ts',
    'test/lint/cfn-lint.test.ts',
    'test/rehearse/haproxy-config.test.ts',
    'test/rehearse/rehearse.test.ts',
    'test/status/aws.test.ts',
  ],
};
