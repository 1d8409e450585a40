import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../../config';

/** Loads the defaults plus `overrides`, with no file and no environment. */
function load(overrides?: unknown) {
  return loadConfig({ env: {}, cwd: emptyDir(), overrides });
}

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'config-'));
}

/** The problems a config is rejected with. */
function problemsOf(overrides: unknown): readonly string[] {
  try {
    load(overrides);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  expect.fail('config was accepted');
}

describe('config', () => {
  it('loads the checked-in defaults when nothing overrides them', () => {
    const config = load();
    expect(config).to.deep.equal(DEFAULT_CONFIG);
    expect(config.container).to.include({ port: 8080, cpu: 256, memory: 512 });
    expect(config.service.desiredCount).to.equal(2);
    expect(config.blueGreen.deploymentConfig).to.equal('CodeDeployDefault.ECSCanary10Percent5Minutes');
  });

  it('merges an overrides file key by key, keeping the other defaults', () => {
    const dir = emptyDir();
    writeFileSync(
      join(dir, 'playground.config.json'),
      JSON.stringify({ container: { cpu: 512, memory: 1024 }, github: { owner: 'me' } }),
    );
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.container).to.include({ cpu: 512, memory: 1024, port: 8080, name: 'web' });
    expect(config.github).to.include({ owner: 'me', repo: DEFAULT_CONFIG.github.repo });
  });

  it('reads the file named by PLAYGROUND_CONFIG and the stage and region from the environment', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'prod.json'), JSON.stringify({ logs: { retentionDays: 30 } }));
    const config = loadConfig({
      env: { PLAYGROUND_CONFIG: 'prod.json', PLAYGROUND_STAGE: 'prod', PLAYGROUND_REGION: 'eu-west-1' },
      cwd: dir,
    });
    expect(config.logs.retentionDays).to.equal(30);
    expect(config.app).to.include({ stage: 'prod', region: 'eu-west-1' });
  });

  it('accepts a custom canary deployment config', () => {
    const custom = {
      name: 'Canary20Percent3Minutes',
      type: 'TimeBasedCanary',
      percentage: 20,
      intervalMinutes: 3,
    };
    expect(load({ blueGreen: { deploymentConfig: custom } }).blueGreen.deploymentConfig).to.deep.equal(
      custom,
    );
  });

  it('fails when PLAYGROUND_CONFIG names a missing file', () => {
    expect(() => loadConfig({ env: { PLAYGROUND_CONFIG: 'nope.json' }, cwd: emptyDir() })).to.throw(
      ConfigError,
      'PLAYGROUND_CONFIG="nope.json": file not found',
    );
  });

  it('fails when the overrides file is not JSON', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'playground.config.json'), '{ cpu: 512');
    expect(() => loadConfig({ env: {}, cwd: dir })).to.throw(
      ConfigError,
      'playground.config.json: not valid JSON',
    );
  });

  // Each invalid config, with the exact message the user sees.
  const invalid: [string, unknown, string][] = [
    [
      'cpu Fargate does not offer',
      { container: { cpu: 300 } },
      'container.cpu=300: Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384',
    ],
    [
      'memory not valid with the cpu',
      { container: { memory: 4096 } },
      'container.memory=4096: not valid with container.cpu=256 (allowed: 512, 1024, 2048)',
    ],
    [
      'desired count 0',
      { service: { desiredCount: 0 } },
      'service.desiredCount=0: must be a whole number from 1 to 100',
    ],
    [
      'unknown deployment config name',
      { blueGreen: { deploymentConfig: 'CodeDeployDefault.AllAtOnce' } },
      'blueGreen.deploymentConfig="CodeDeployDefault.AllAtOnce": allowed: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, or a custom {name, type, percentage, intervalMinutes}',
    ],
    [
      'unknown stage',
      { app: { stage: 'qa' } },
      'app.stage="qa": unknown stage (allowed: dev, staging, prod)',
    ],
    [
      'log retention CloudWatch does not offer',
      { logs: { retentionDays: 10 } },
      'logs.retentionDays=10: allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ],
    [
      'health check timeout not below the interval',
      { healthCheck: { timeoutSeconds: 10 } },
      'healthCheck.timeoutSeconds=10: must be less than healthCheck.intervalSeconds=10 (ALB rule)',
    ],
    [
      'unknown load balancing algorithm',
      { loadBalancer: { algorithm: 'random' } },
      'loadBalancer.algorithm="random": allowed: round_robin, least_outstanding_requests',
    ],
    [
      'test listener on the production port',
      { loadBalancer: { testListenerPort: 80 } },
      'loadBalancer.testListenerPort=80: must differ from the production listener ports 80 and 443',
    ],
    [
      'stop timeout above the Fargate maximum',
      { container: { stopTimeoutSeconds: 300 } },
      'container.stopTimeoutSeconds=300: must be a whole number from 2 to 120',
    ],
    [
      'upper-case app name (ECR repository names are lowercase)',
      { app: { name: 'MyApp' } },
      'app.name="MyApp": must be 2-15 characters (so ALB and target group names fit in 32): lowercase letters, digits and "-", starting with a letter',
    ],
    [
      'misspelt field',
      { service: { desiredCont: 2 } },
      'service.desiredCont: unknown field (check the spelling)',
    ],
    [
      'wrong type',
      { cluster: { containerInsights: 'yes' } },
      'cluster.containerInsights="yes": must be true or false',
    ],
    [
      'hook budget smaller than its worst case',
      { hook: { timeBudgetSeconds: 140 } },
      "hook.timeBudgetSeconds=140: must cover the hook's worst case: 15 s discovery + 10 rounds × 2 paths × (3 tries × 2 s + 0.3 s of pauses) = 141 s",
    ],
    [
      'custom canary percentage out of range',
      {
        blueGreen: {
          deploymentConfig: { name: 'X', type: 'TimeBasedCanary', percentage: 100, intervalMinutes: 5 },
        },
      },
      'blueGreen.deploymentConfig.percentage=100: must be a whole number from 1 to 99',
    ],
    [
      'certificate that is not an ARN',
      { loadBalancer: { certificateArn: 'my-cert' } },
      'loadBalancer.certificateArn="my-cert": must be an ARN of an ACM certificate (arn:aws:…)',
    ],
  ];

  for (const [what, overrides, message] of invalid) {
    it(`fails when given a ${what}`, () => {
      expect(problemsOf(overrides)).to.deep.equal([message]);
    });
  }

  it('reports every bad field at once', () => {
    const problems = problemsOf({ container: { cpu: 300, port: 80 }, logs: { retentionDays: 2 } });
    expect(problems).to.have.members([
      'container.port=80: must be a whole number from 1024 to 65535',
      'container.cpu=300: Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384',
      'logs.retentionDays=2: allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ]);
  });

  it('puts every problem in the error message, one per line', () => {
    expect(() => load({ service: { desiredCount: 0 } })).to.throw(
      'Invalid config:\n  - service.desiredCount=0: must be a whole number from 1 to 100',
    );
  });
});
