import { expect } from 'chai';
import { DEFAULT_CONFIG, HOOK_ENV, hookEnvironment } from '../../config';
import { readSettings } from '../../hook/settings';
import { configWith } from '../support/config';

describe('hook settings', () => {
  it('renders the config into the function environment by default', () => {
    expect(hookEnvironment(DEFAULT_CONFIG)).to.deep.equal({
      HOOK_PROBE_COUNT: '10',
      HOOK_REQUEST_TIMEOUT_MS: '2000',
      HOOK_CONNECT_RETRIES: '2',
      HOOK_HEALTH_PATH: '/',
      HOOK_TIME_BUDGET_SECONDS: '150',
      HOOK_REPORT_RESERVE_SECONDS: '15',
      HOOK_ECS_INVOCATION_SECONDS: '30',
      HOOK_ECS_CALLBACK_DELAY_SECONDS: '10',
    });
  });

  it('reads back what serverless.ts renders', () => {
    expect(readSettings(hookEnvironment(DEFAULT_CONFIG))).to.deep.equal({
      probeCount: 10,
      requestTimeoutMs: 2000,
      connectRetries: 2,
      healthPath: '/',
      timeBudgetMs: 150000,
      reportReserveMs: 15000,
      ecsInvocationMs: 30000,
      ecsCallBackDelaySeconds: 10,
      override: undefined,
      reportMode: 'codedeploy',
    });
  });

  it('leaves the health path out when checkHealthPath is off', () => {
    const env = hookEnvironment(configWith({ hook: { checkHealthPath: false } }));
    expect(env.HOOK_HEALTH_PATH).to.equal('');
    expect(readSettings(env).healthPath).to.equal(undefined);
  });

  it('takes a local target and the log report mode', () => {
    const settings = readSettings({
      ...hookEnvironment(DEFAULT_CONFIG),
      HOOK_TARGET_URL: 'http://127.0.0.1:8080/',
      HOOK_EXPECTED_VERSION: 'abc',
      HOOK_REPORT: 'log',
    });
    expect(settings.override).to.deep.equal({ targetUrl: 'http://127.0.0.1:8080', expectedVersion: 'abc' });
    expect(settings.reportMode).to.equal('log');
  });

  it('fails when a variable is missing or out of range, naming each one', () => {
    const env = { ...hookEnvironment(DEFAULT_CONFIG), HOOK_PROBE_COUNT: '0', HOOK_HEALTH_PATH: 'health' };
    delete (env as Record<string, string | undefined>)[HOOK_ENV.timeBudgetSeconds];
    expect(() => readSettings(env)).to.throw(
      'Invalid hook settings: HOOK_PROBE_COUNT="0": must be a whole number from 1 to 100; ' +
        'HOOK_TIME_BUDGET_SECONDS=null: must be a whole number from 5 to 840; ' +
        'HOOK_HEALTH_PATH="health": must start with "/" or be empty',
    );
  });

  it('fails when only half of the local override is set, or the URL is not a base URL', () => {
    const base = hookEnvironment(DEFAULT_CONFIG);
    expect(() => readSettings({ ...base, HOOK_TARGET_URL: 'http://127.0.0.1:8080' })).to.throw(
      'Invalid hook settings: HOOK_TARGET_URL and HOOK_EXPECTED_VERSION must be set together',
    );
    expect(() =>
      readSettings({ ...base, HOOK_TARGET_URL: 'localhost:8080/version', HOOK_EXPECTED_VERSION: 'a' }),
    ).to.throw(
      'Invalid hook settings: HOOK_TARGET_URL="localhost:8080/version": must be a base URL such as http://127.0.0.1:8080',
    );
  });

  it('fails on an unknown report mode', () => {
    expect(() => readSettings({ ...hookEnvironment(DEFAULT_CONFIG), HOOK_REPORT: 'none' })).to.throw(
      'Invalid hook settings: HOOK_REPORT="none": allowed: codedeploy, log',
    );
  });
});
