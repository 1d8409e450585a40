import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  ConfigError,
  DEFAULT_CONFIG,
  envWithConfig,
  isKnownRegion,
  loadConfig,
  resolveConfig,
} from '../../config';
import { HOSTILE_ENV } from '../support/config';

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

  it('resolves in one order: defaults ← PLAYGROUND_CONFIG_JSON | PLAYGROUND_CONFIG | file ← stage/region ← command line', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'playground.config.json'), JSON.stringify({ github: { owner: 'from-file' } }));
    writeFileSync(join(dir, 'named.json'), JSON.stringify({ github: { owner: 'from-named' } }));
    const json = JSON.stringify({ github: { owner: 'from-json' }, app: { stage: 'staging' } });
    const owner = (env: Record<string, string>) => loadConfig({ env, cwd: dir }).github.owner;

    // ONE overrides document, the first present: the JSON, else the named file, else the default file.
    expect(owner({})).to.equal('from-file');
    expect(owner({ PLAYGROUND_CONFIG: 'named.json' })).to.equal('from-named');
    expect(owner({ PLAYGROUND_CONFIG: 'named.json', PLAYGROUND_CONFIG_JSON: json })).to.equal('from-json');
    // '{}' means the defaults, whatever file exists (what a child that must load the defaults gets).
    expect(owner({ PLAYGROUND_CONFIG_JSON: '{}' })).to.equal(DEFAULT_CONFIG.github.owner);

    // Stage and region from the environment beat the document; the command line beats everything.
    const resolved = resolveConfig({
      env: { PLAYGROUND_CONFIG_JSON: json, PLAYGROUND_STAGE: 'prod', PLAYGROUND_REGION: 'eu-west-1' },
      cwd: dir,
      overrides: { app: { stage: 'dev' } },
    });
    expect(resolved.config.app).to.include({ stage: 'dev', region: 'eu-west-1' });
    expect(resolved.source).to.equal(
      'PLAYGROUND_CONFIG_JSON + PLAYGROUND_STAGE + PLAYGROUND_REGION + command line',
    );
    expect(resolveConfig({ env: {}, cwd: emptyDir() }).source).to.equal('defaults');
  });

  it('gives a child process exactly the resolved config, whatever PLAYGROUND_* it would inherit', () => {
    const config = load({ app: { stage: 'prod' }, container: { port: 3000 } });
    const env = envWithConfig(
      { PATH: '/bin', PLAYGROUND_CONFIG: 'x.json', PLAYGROUND_STAGE: 'dev', PLAYGROUND_OTHER: 'y' },
      config,
    );
    expect(env).to.deep.equal({
      PATH: '/bin',
      PLAYGROUND_CONFIG_JSON: JSON.stringify(config),
      PLAYGROUND_STAGE: 'prod',
      PLAYGROUND_REGION: 'us-west-2',
    });
    // Merged over a hostile environment (as runCommand does), the child still loads `config`.
    const child = loadConfig({ env: { ...HOSTILE_ENV, ...env }, cwd: emptyDir() });
    expect(child).to.deep.equal(config);
  });

  it('runs the whole suite under a non-default config in every form the loader reads (hermeticity tripwire)', () => {
    // test/support/setup.ts installs it unless the environment already names one (the CodeBuild
    // replay runs tests under the user's). Either way, what the environment resolves to is not the
    // defaults, so a test that reads it cannot pass by luck.
    for (const name of [
      'PLAYGROUND_CONFIG_JSON',
      'PLAYGROUND_CONFIG',
      'PLAYGROUND_STAGE',
      'PLAYGROUND_REGION',
    ]) {
      expect(process.env[name], name).to.be.a('string').and.not.equal('');
    }
    // When the tripwire's document is the one in force, the ambient config is not the defaults.
    if (process.env.PLAYGROUND_CONFIG_JSON === HOSTILE_ENV.PLAYGROUND_CONFIG_JSON) {
      const ambient = loadConfig({ env: process.env, cwd: emptyDir() });
      expect(ambient).to.not.deep.equal(DEFAULT_CONFIG);
      expect(ambient.container.port).to.equal(3000);
    }
  });

  it('accepts exactly the regions the AWS SDK knows, in every partition', () => {
    for (const region of ['us-west-2', 'eu-central-1', 'ap-southeast-7', 'cn-north-1', 'us-gov-west-1']) {
      expect(isKnownRegion(region), region).to.equal(true);
    }
    // Well-formed but unknown, a global endpoint, a typo.
    for (const region of ['us-west-9', 'aws-global', 'us-west2', '']) {
      expect(isKnownRegion(region), region).to.equal(false);
    }
    expect(() => loadConfig({ env: { PLAYGROUND_REGION: 'us-west-9' }, cwd: emptyDir() })).to.throw(
      ConfigError,
      'Invalid config: app.region="us-west-9": not a region the AWS SDK knows (its partition metadata lists no such region): use a region code such as us-west-2 or eu-central-1 (set by PLAYGROUND_REGION)',
    );
  });

  it('fails when PLAYGROUND_CONFIG_JSON is not JSON', () => {
    expect(() => loadConfig({ env: { PLAYGROUND_CONFIG_JSON: '{oops' }, cwd: emptyDir() })).to.throw(
      ConfigError,
      /^Invalid config: PLAYGROUND_CONFIG_JSON: not valid JSON \(/,
    );
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

  it('fails in one line when the overrides document is not an object (a top-level [] or null)', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'playground.config.json'), '[]');
    expect(() => loadConfig({ env: {}, cwd: dir }))
      .to.throw(ConfigError)
      .that.has.property('problems')
      .that.deep.equals([
        `${join(dir, 'playground.config.json')}: must be a JSON object of the fields to override, e.g. {"github": {"owner": "octocat"}}, not an array`,
      ]);
    expect(() => loadConfig({ env: { PLAYGROUND_CONFIG_JSON: 'null' }, cwd: dir })).to.throw(
      'Invalid config: PLAYGROUND_CONFIG_JSON: must be a JSON object of the fields to override, e.g. {"github": {"owner": "octocat"}}, not null',
    );
  });

  it('names the environment variable a bad stage came from', () => {
    expect(() => loadConfig({ env: { PLAYGROUND_STAGE: 'qa' }, cwd: emptyDir() })).to.throw(
      ConfigError,
      'Invalid config: app.stage="qa": unknown stage (allowed: dev, staging, prod) (set by PLAYGROUND_STAGE)',
    );
  });

  it('says where the JSON breaks as line and column, not as a position', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'playground.config.json'), '{\n  "app": {\n    "stage": "dev",\n  }\n}\n');
    expect(() => loadConfig({ env: {}, cwd: dir })).to.throw(
      ConfigError,
      `Invalid config: ${join(dir, 'playground.config.json')}: not valid JSON (Expected double-quoted property name in JSON at line 4, column 3)`,
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
      'service.desiredCont: unknown field (did you mean service.desiredCount?)',
    ],
    [
      'unknown field with no near name',
      { app: { colour: 'blue' } },
      'app.colour: unknown field (the fields here: name, stage, stages, region, strategies)',
    ],
    [
      'wrong type',
      { cluster: { containerInsights: 'yes' } },
      'cluster.containerInsights="yes": must be true or false',
    ],
    [
      'number written as a string',
      { container: { cpu: '512' } },
      'container.cpu="512": must be a number (write 512 without quotes); Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384',
    ],
    [
      'whole number written as a string',
      { service: { desiredCount: '2' } },
      'service.desiredCount="2": must be a whole number from 1 to 100 (write 2 without quotes)',
    ],
    [
      'boolean written as a string',
      { network: { natGateways: 'true' } },
      'network.natGateways="true": must be true or false (write true without quotes)',
    ],
    [
      'section that is not an object',
      { app: 'x' },
      'app="x": must be an object with the fields name, stage, stages, region, strategies',
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
      'build compute type Service Quotas has no concurrent-build quota for on the architecture',
      { container: { architecture: 'ARM64' }, build: { computeType: 'BUILD_GENERAL1_MEDIUM' } },
      'build.computeType="BUILD_GENERAL1_MEDIUM": not with container.architecture=ARM64: Service Quotas has no concurrent-build quota for it, so the deploy\'s preflight could not check or request one (allowed: BUILD_GENERAL1_SMALL, BUILD_GENERAL1_LARGE)',
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

  it('puts one problem on one line, and lists several one per line', () => {
    expect(() => load({ service: { desiredCount: 0 } })).to.throw(
      'Invalid config: service.desiredCount=0: must be a whole number from 1 to 100',
    );
    expect(() => load({ service: { desiredCount: 0 }, container: { port: 80 } })).to.throw(
      'Invalid config:\n  - container.port=80: must be a whole number from 1024 to 65535\n  - service.desiredCount=0: must be a whole number from 1 to 100',
    );
  });
});
