import { expect } from 'chai';
import { APP_DEFAULTS, appDefaults } from '../../app/defaults';
import { readSettings, SettingsError } from '../../app/settings';
import { DEFAULT_CONFIG } from '../../config';

describe('app settings', () => {
  it('creates the config defaults when the environment is empty', () => {
    expect(readSettings({})).to.deep.equal({
      port: DEFAULT_CONFIG.container.port,
      codeVersion: 'unknown',
      simulateUnhealthy: false,
      // ALB idle timeout (60 s) + 5 s: the ALB, not the app, closes idle connections.
      keepAliveTimeoutMs: 65_000,
      headersTimeoutMs: 66_000,
      // half the 30 s stop timeout, capped at 10 s
      shutdownTimeoutMs: 10_000,
    });
  });

  it('creates the defaults from DEFAULT_CONFIG', () => {
    expect(APP_DEFAULTS).to.deep.equal(appDefaults(DEFAULT_CONFIG));
    expect(APP_DEFAULTS).to.deep.equal({ port: 8080, albIdleTimeoutSeconds: 60, stopTimeoutSeconds: 30 });
  });

  it('creates every value from the environment contract', () => {
    expect(
      readSettings({
        PORT: '18080',
        CODE_VERSION: ' abc ',
        SIMULATE_UNHEALTHY: 'true',
        ALB_IDLE_TIMEOUT_SECONDS: '120',
        STOP_TIMEOUT_SECONDS: '6',
      }),
    ).to.deep.equal({
      port: 18080,
      codeVersion: 'abc',
      simulateUnhealthy: true,
      keepAliveTimeoutMs: 125_000,
      headersTimeoutMs: 126_000,
      shutdownTimeoutMs: 3_000,
    });
  });

  it('creates "unknown" for an empty CODE_VERSION (an image built without COMMIT_HASH)', () => {
    expect(readSettings({ CODE_VERSION: '' }).codeVersion).to.equal('unknown');
    expect(readSettings({ CODE_VERSION: '   ' }).codeVersion).to.equal('unknown');
  });

  it('creates the unhealthy switch from true/false/1/0 in any case', () => {
    expect(readSettings({ SIMULATE_UNHEALTHY: 'TRUE' }).simulateUnhealthy).to.equal(true);
    expect(readSettings({ SIMULATE_UNHEALTHY: '1' }).simulateUnhealthy).to.equal(true);
    expect(readSettings({ SIMULATE_UNHEALTHY: 'false' }).simulateUnhealthy).to.equal(false);
    expect(readSettings({ SIMULATE_UNHEALTHY: '0' }).simulateUnhealthy).to.equal(false);
  });

  it('fails when the unhealthy switch is none of the values it accepts, naming them all', () => {
    expect(() => readSettings({ SIMULATE_UNHEALTHY: 'yes' })).to.throw(
      SettingsError,
      'SIMULATE_UNHEALTHY="yes": must be true, false, 1 or 0',
    );
  });

  it('fails when PORT is not a port the config allows', () => {
    expect(() => readSettings({ PORT: '80a' })).to.throw(
      SettingsError,
      'PORT="80a": must be a whole number from 1024 to 65535',
    );
    expect(() => readSettings({ PORT: '70000' })).to.throw(
      SettingsError,
      'PORT="70000": must be a whole number from 1024 to 65535',
    );
    // The same bounds as the config's container.port (config/ranges.ts): the app accepts exactly
    // what the task definition can be rendered with.
    expect(() => readSettings({ PORT: '80' })).to.throw(
      SettingsError,
      'PORT="80": must be a whole number from 1024 to 65535',
    );
  });

  it('fails when a timeout is outside what AWS allows', () => {
    expect(() => readSettings({ ALB_IDLE_TIMEOUT_SECONDS: '0' })).to.throw(
      SettingsError,
      'ALB_IDLE_TIMEOUT_SECONDS="0": must be a whole number from 1 to 4000',
    );
    expect(() => readSettings({ STOP_TIMEOUT_SECONDS: '121' })).to.throw(
      SettingsError,
      'STOP_TIMEOUT_SECONDS="121": must be a whole number from 2 to 120',
    );
  });
});
