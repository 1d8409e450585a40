import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { HOOK_ENV, HOOK_FUNCTION_KEY, REPO_ROOT } from '../../config';
import { type Running, startGreen } from '../../scripts/bench/hook/servers';
import { offlineEnv } from './support/offline-env';

const run = promisify(execFile);

/** The CodeDeploy event docs/hook.md invokes the hook with. */
const CODEDEPLOY_EVENT = { DeploymentId: 'd-LOCAL', LifecycleEventHookExecutionId: 'local-run' };

/** The sample ECS lifecycle hook payload docs/hook.md invokes the hook with. */
const SAMPLE_ECS_PAYLOAD = {
  executionDetails: {
    serviceArn: 'arn:aws:ecs:us-west-2:123456789012:service/local/local',
    targetServiceRevisionArn: 'arn:aws:ecs:us-west-2:123456789012:service-revision/local/local/1',
  },
  lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
};

/**
 * `npx sls invoke local` against the real app on 127.0.0.1, exactly as docs/hook.md shows it: one
 * run per protocol, a smoke test of the real command (each costs ~6 s of CPU: Serverless, ts-node,
 * esbuild). Every verdict, Failed and FAILED ones included, is tested in-process by handler.test.ts
 * (CodeDeploy) and ecs.test.ts (ECS).
 */
function invokeLocal(vars: Record<string, string>, event: unknown = CODEDEPLOY_EVENT) {
  const args = ['sls', 'invoke', 'local', '-f', HOOK_FUNCTION_KEY, '--data', JSON.stringify(event)];
  for (const [k, v] of Object.entries(vars)) args.push('-e', `${k}=${v}`);
  return run('npx', args, { cwd: REPO_ROOT, env: offlineEnv() });
}

function summaryOf(stdout: string, msg = 'BeforeAllowTraffic verdict'): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
  expect(line, stdout).to.be.a('string');
  return JSON.parse(line!.slice(line!.indexOf('{')));
}

describe('hook via npx sls invoke local (real app on 127.0.0.1)', function () {
  this.timeout(120_000);
  let app: Running;
  before(async () => {
    app = await startGreen({ version: 'abc1234' });
  });
  after(() => app.close());

  it('reports Succeeded in the log when the local app serves the expected version', async () => {
    const { stdout } = await invokeLocal({
      [HOOK_ENV.targetUrl]: app.url,
      [HOOK_ENV.expectedVersion]: 'abc1234',
      [HOOK_ENV.report]: 'log',
    });
    const summary = summaryOf(stdout);
    expect(summary).to.deep.include({
      status: 'Succeeded',
      reasons: [],
      expectedVersion: 'abc1234',
      target: app.url,
      report: { mode: 'log', note: 'HOOK_REPORT=log: verdict logged, NOT sent to CodeDeploy' },
    });
    expect(summary.probes).to.deep.equal({
      requests: 20,
      planned: 20,
      attempts: 20,
      versions: { abc1234: 10 },
      statuses: { 200: 20 },
    });
    expect(stdout).to.contain('"status": "Succeeded"');
  });

  it('answers SUCCEEDED to a sample ECS lifecycle hook payload when the local app serves the expected version', async () => {
    const { stdout } = await invokeLocal(
      { [HOOK_ENV.targetUrl]: app.url, [HOOK_ENV.expectedVersion]: 'abc1234' },
      SAMPLE_ECS_PAYLOAD,
    );
    expect(summaryOf(stdout, 'ECS lifecycle hook verdict')).to.deep.include({
      hookStatus: 'SUCCEEDED',
      reasons: [],
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      target: app.url,
    });
    // What ECS reads: the function's result, which sls prints.
    expect(stdout).to.contain('"hookStatus": "SUCCEEDED"');
  });

  it('answers FAILED to the sample ECS payload when the local app answers 500 on / (SIMULATE_UNHEALTHY=true)', async () => {
    // README's "Learn it locally": the broken release, as ECS would read it.
    const broken = await startGreen({ version: 'abc1234', unhealthy: true });
    try {
      const { stdout } = await invokeLocal(
        { [HOOK_ENV.targetUrl]: broken.url, [HOOK_ENV.expectedVersion]: 'abc1234' },
        SAMPLE_ECS_PAYLOAD,
      );
      const summary = summaryOf(stdout, 'ECS lifecycle hook verdict');
      expect(summary.hookStatus).to.equal('FAILED');
      expect(JSON.stringify(summary.reasons)).to.include('500');
      expect(stdout).to.contain('"hookStatus": "FAILED"');
    } finally {
      await broken.close();
    }
  });

  it('is the payload docs/hook.md shows for the ECS protocol', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'hook.md'), 'utf8');
    expect(doc).to.contain(`--data '${JSON.stringify(SAMPLE_ECS_PAYLOAD)}'`);
    // README's "Learn it locally" shows the same two invocations.
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).to.contain(`--data '${JSON.stringify(SAMPLE_ECS_PAYLOAD)}'`);
    expect(readme).to.contain(`--data '{"DeploymentId":"d-LOCAL","LifecycleEventHookExecutionId":"local"}'`);
  });
});
