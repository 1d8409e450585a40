import {
  CodeDeployServiceException,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2ServiceException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'chai';
import { HOOK_ENV, HOOK_ENV_RANGES, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import {
  BLUE_TG,
  type Deployment,
  discoveryCalls,
  GREEN_TASK_SET,
  GREEN_TG,
  IDS,
  LISTENER_ARN,
  sentCommands,
  statusCall,
  stubDeployment,
  TOKEN,
  TOKEN_RULE_ARN,
} from '../../scripts/bench/hook/aws';
import {
  closedPort,
  startBalancer,
  startFixed,
  startGreen,
  startHang,
} from '../../scripts/bench/hook/servers';
import { K, LAMBDA_CONTEXT, NEW, OLD, useHookHarness } from './support/harness';

describe('hook handler (real app on 127.0.0.1 as green tasks, AWS mocked)', () => {
  const h = useHookHarness();
  const context = LAMBDA_CONTEXT;

  // No real backoff pauses between report retries.
  const handler = (extraEnv: Record<string, string> = {}) => h.handler(extraEnv, { sleep: async () => {} });
  const serve = h.serve;

  /** Green tasks behind a token-checking "test listener", discovered through the mocked AWS calls. */
  async function greens(versions: string[], deployment: Partial<Deployment> = {}) {
    const apps = await Promise.all(versions.map((version) => serve(startGreen({ version }))));
    const lb = await serve(
      startBalancer(
        apps.map((a) => a.port),
        TOKEN,
      ),
    );
    stubDeployment(h.mocks, { port: lb.port, imageTag: NEW, token: TOKEN, ...deployment });
    return lb;
  }

  function summary(): Record<string, unknown> {
    expect(h.lines, 'one summary line').to.have.length(1);
    return JSON.parse(h.lines[0] ?? '{}');
  }

  it('reports Succeeded when every green task serves the expected version', async () => {
    const lb = await greens([NEW, NEW]);
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Succeeded')].sort());
    // K rounds of /version and /, each on its own connection, spread evenly over both tasks.
    expect(lb.stats.connections).to.equal(2 * K);
    expect(lb.stats.perBackend).to.deep.equal([K, K]);
    expect(lb.stats.rejected).to.equal(0);
    const s = summary();
    expect(s).to.include({ level: 'info', status: 'Succeeded', expectedVersion: NEW, tokenHeader: true });
    expect(s.probes).to.deep.equal({
      requests: 2 * K,
      planned: 2 * K,
      attempts: 2 * K,
      versions: { [NEW]: K },
      statuses: { 200: 2 * K },
    });
    expect(s.report).to.deep.equal({ mode: 'codedeploy', attempts: 1 });
    expect(s.timings).to.have.keys('discoverMs', 'probeMs', 'reportMs', 'totalMs');
  });

  it('reports Failed when the green tasks serve another version', async () => {
    await greens([OLD, OLD]);
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: [`probe 1 GET /version: version "${OLD}", expected "${NEW}"`],
    });
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
    expect(summary()).to.include({ level: 'warn', status: 'Failed' });
  });

  it('reports Failed when 1 of K answers comes from an old version', async () => {
    // Round robin over K slots, one of them the old task: exactly one probe in K meets it.
    const newApp = await serve(startGreen({ version: NEW }));
    const oldApp = await serve(startGreen({ version: OLD }));
    const slots = [...Array(K - 1).fill(newApp.port), oldApp.port];
    const lb = await serve(startBalancer(slots, TOKEN));
    stubDeployment(h.mocks, { port: lb.port, imageTag: NEW, token: TOKEN });
    // Health path off so that each round is one request and the old task gets the K-th probe.
    const result = await handler({ [HOOK_ENV.healthPath]: '' })(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: [`probe ${K} GET /version: version "${OLD}", expected "${NEW}"`],
    });
    expect(summary().probes).to.deep.equal({
      requests: K,
      planned: K,
      attempts: K,
      versions: { [NEW]: K - 1, [OLD]: 1 },
      statuses: { 200: K },
    });
    expect(h.mocks.codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand)).to.have.length(1);
  });

  it('reports Failed when /version answers 500', async () => {
    const broken = await serve(startFixed(500, '{"error":"Internal Server Error"}'));
    stubDeployment(h.mocks, { port: broken.port, imageTag: NEW });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: ['probe 1 GET /version: HTTP 500, expected 200'],
    });
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
    // An answer from the app is final, 5xx included: one try, no retry.
    expect(summary().probes).to.include({ requests: 1, attempts: 1 });
  });

  it('reports Failed when the health path answers 500 (simulated unhealthy release)', async () => {
    const app = await serve(startGreen({ version: NEW, unhealthy: true }));
    stubDeployment(h.mocks, { port: app.port, imageTag: NEW });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({ status: 'Failed', reasons: ['probe 1 GET /: HTTP 500, expected 200'] });
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
    // The app's own 500 is final: /version then / once each, no retry.
    expect(summary().probes).to.include({ requests: 2, attempts: 2 });
  });

  it('reports Failed within the time budget when a server accepts and never answers', async () => {
    const hang = await serve(startHang());
    stubDeployment(h.mocks, { port: hang.port, imageTag: NEW });
    const started = Date.now();
    const result = await handler()(IDS, context);
    const elapsed = Date.now() - started;
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: ['probe 1 GET /version: no answer after 3 tries (no answer within 300 ms)'],
    });
    expect(hang.connections()).to.equal(3);
    expect(elapsed).to.be.below(10_000).and.at.least(900);
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
  });

  it('reports Failed when the time budget runs out before a verdict', async () => {
    const hang = await serve(startHang());
    stubDeployment(h.mocks, { port: hang.port, imageTag: NEW });
    const started = Date.now();
    // 30 s per request, the smallest budget the config allows (5 s): only the budget can end this.
    const [budget] = HOOK_ENV_RANGES.timeBudgetSeconds;
    const result = await handler({
      [HOOK_ENV.requestTimeoutMs]: '30000',
      [HOOK_ENV.timeBudgetSeconds]: String(budget),
    })(IDS, context);
    // Generous for a busy machine, yet decisive: without the budget one request alone would take 30 s.
    expect(Date.now() - started).to.be.below(budget * 1000 + 15_000);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: [`time budget of ${budget * 1000} ms exceeded before a verdict`],
    });
    expect(h.mocks.codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand)).to.have.length(1);
  });

  it('caps the budget by the Lambda time left minus the report reserve', async () => {
    const hang = await serve(startHang());
    stubDeployment(h.mocks, { port: hang.port, imageTag: NEW });
    const lambdaTimeLeft = { getRemainingTimeInMillis: () => 15_500 }; // reserve is 15 s → 500 ms budget
    const result = await handler({ [HOOK_ENV.requestTimeoutMs]: '30000' })(IDS, lambdaTimeLeft);
    expect(result.reasons).to.deep.equal(['time budget of 500 ms exceeded before a verdict']);
    expect(summary().budgetMs).to.equal(500);
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
  });

  it('reports Failed when the connection is refused', async () => {
    stubDeployment(h.mocks, { port: await closedPort(), imageTag: NEW });
    const result = await handler()(IDS, context);
    expect(result.status).to.equal('Failed');
    expect(result.reasons).to.have.length(1);
    expect(result.reasons[0]).to.match(
      /^probe 1 GET \/version: no answer after 3 tries \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    );
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
  });

  it('reports Succeeded for a String revision (the same AppSpec content)', async () => {
    const lb = await greens([NEW, NEW], { revisionType: 'String' });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    expect(sentCommands(h.mocks)).to.deep.equal(
      [...discoveryCalls('String'), statusCall('Succeeded')].sort(),
    );
    expect(lb.stats.perBackend).to.deep.equal([K, K]);
    expect(summary().source).to.deep.include({ revisionType: 'String', taskDefinitionFrom: 'AppSpec' });
  });

  it('reports Succeeded through the green task set when the revision carries no AppSpec', async () => {
    await greens([NEW, NEW], { revisionType: 'S3' });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls('S3'), statusCall('Succeeded')].sort());
    expect(summary().source).to.deep.include({
      revisionType: 'S3',
      taskDefinitionFrom: 'green task set (revision is of type S3)',
      greenTaskSet: GREEN_TASK_SET,
    });
  });

  it('reports Failed at once, without a single probe, when the test route forwards to blue', async () => {
    const lb = await greens([NEW, NEW], { routeTo: 'blue' });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: [
        `test listener rule ${TOKEN_RULE_ARN} (header ${TEST_LISTENER_TOKEN_HEADER}) forwards to target group "${BLUE_TG}", ` +
          `expected only the green task set's target group "${GREEN_TG}": CodeDeploy did not re-point this rule to green. ` +
          'Set loadBalancer.testListenerAccess to "open" (the test listener\'s default action then forwards, the setup AWS ' +
          'documents for CodeDeploy) and redeploy the blue/green service stack',
      ],
    });
    expect(lb.stats.connections).to.equal(0);
    expect(sentCommands(h.mocks)).to.deep.equal([...discoveryCalls(), statusCall('Failed')].sort());
    expect(summary()).to.not.have.property('probes');
  });

  it('reports Succeeded when the load balancer answers one 503 before a green task does', async () => {
    const apps = await Promise.all([NEW, NEW].map((version) => serve(startGreen({ version }))));
    const lb = await serve(
      startBalancer(
        apps.map((a) => a.port),
        undefined,
        (n) => (n === 0 ? 503 : 'forward'),
      ),
    );
    stubDeployment(h.mocks, { port: lb.port, imageTag: NEW });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    expect(lb.stats.generated).to.equal(1);
    expect(summary().probes).to.deep.include({ requests: 2 * K, attempts: 2 * K + 1 });
  });

  it('reports Failed after bounded calls when DescribeRules keeps returning the same marker', async () => {
    await greens([NEW, NEW]);
    h.mocks.elbv2.on(DescribeRulesCommand).resolves({ Rules: [], NextMarker: 'same-marker' });
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: [
        `DescribeRules(${LISTENER_ARN}) returned the marker "same-marker" a second time after 2 pages: stopped instead of looping`,
      ],
    });
    expect(h.mocks.elbv2.commandCalls(DescribeRulesCommand).map((c) => c.args[0].input)).to.deep.equal([
      { ListenerArn: LISTENER_ARN, Marker: undefined },
      { ListenerArn: LISTENER_ARN, Marker: 'same-marker' },
    ]);
    expect(
      h.mocks.codedeploy
        .commandCalls(PutLifecycleEventHookExecutionStatusCommand)
        .map((c) => c.args[0].input),
    ).to.deep.equal([{ ...lowerIds(), status: 'Failed' }]);
  });

  it('succeeds when the retry after a timed-out report finds the event already completed', async () => {
    await greens([NEW, NEW]);
    h.mocks.codedeploy
      .on(PutLifecycleEventHookExecutionStatusCommand)
      // What the SDK throws when its request timeout fires: no HTTP answer, so no $metadata status.
      .rejectsOnce(Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' }))
      .rejectsOnce(
        new LifecycleEventAlreadyCompletedException({
          $metadata: { httpStatusCode: 400 },
          message: 'The lifecycle event is already completed',
        }),
      );
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    expect(
      h.mocks.codedeploy
        .commandCalls(PutLifecycleEventHookExecutionStatusCommand)
        .map((c) => c.args[0].input),
    ).to.deep.equal([
      { ...lowerIds(), status: 'Succeeded' },
      { ...lowerIds(), status: 'Succeeded' },
    ]);
    const [info, verdictLine] = h.lines.map((l) => JSON.parse(l));
    expect(info).to.deep.equal({
      level: 'info',
      msg: 'Status report counted as delivered',
      deploymentId: IDS.DeploymentId,
      detail:
        'attempt 2 got LifecycleEventAlreadyCompletedException after attempt 1 ended without a clear answer (TimeoutError: Connection timed out after 3000 ms): that report landed',
    });
    expect(verdictLine).to.deep.include({
      level: 'info',
      status: 'Succeeded',
      report: { mode: 'codedeploy', attempts: 2, alreadyCompleted: true },
    });
  });

  it('fails the invocation when the event was already completed before its first report', async () => {
    await greens([NEW, NEW]);
    h.mocks.codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(
      new LifecycleEventAlreadyCompletedException({
        $metadata: { httpStatusCode: 400 },
        message: 'The lifecycle event is already completed',
      }),
    );
    await assertRejects(
      handler()(IDS, context),
      'PutLifecycleEventHookExecutionStatus(Succeeded) failed after 1 attempt(s), not retryable: LifecycleEventAlreadyCompletedException: The lifecycle event is already completed',
    );
    expect(summary()).to.include({ level: 'error', status: 'Succeeded' });
  });

  it('retries the status call once when it is throttled, and reports once', async () => {
    await greens([NEW, NEW]);
    h.mocks.codedeploy
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejectsOnce(
        new CodeDeployServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        }),
      )
      .resolves({ lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId });
    const result = await handler()(IDS, context);
    expect(result.status).to.equal('Succeeded');
    const calls = h.mocks.codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([
      { ...lowerIds(), status: 'Succeeded' },
      { ...lowerIds(), status: 'Succeeded' },
    ]);
    expect(summary().report).to.deep.equal({ mode: 'codedeploy', attempts: 2 });
  });

  it('fails the invocation, logs and calls nothing when the event has no ids', async () => {
    await assertRejects(
      handler()({ DeploymentId: 'd-1' }, context),
      'Malformed CodeDeploy hook event: LifecycleEventHookExecutionId is missing',
    );
    await assertRejects(
      handler()(null, context),
      'Malformed CodeDeploy hook event: DeploymentId is missing; LifecycleEventHookExecutionId is missing',
    );
    await assertRejects(
      handler()({ DeploymentId: '', LifecycleEventHookExecutionId: 7 }, context),
      'Malformed CodeDeploy hook event: DeploymentId must be a non-empty string; LifecycleEventHookExecutionId must be a non-empty string',
    );
    expect(sentCommands(h.mocks)).to.deep.equal([]);
    expect(h.lines.map((l) => JSON.parse(l))).to.deep.equal([
      {
        level: 'error',
        msg: 'Malformed CodeDeploy hook event: LifecycleEventHookExecutionId is missing',
        eventType: 'object',
        eventKeys: ['DeploymentId'],
      },
      {
        level: 'error',
        msg: 'Malformed CodeDeploy hook event: DeploymentId is missing; LifecycleEventHookExecutionId is missing',
        eventType: 'null',
        eventKeys: [],
      },
      {
        level: 'error',
        msg: 'Malformed CodeDeploy hook event: DeploymentId must be a non-empty string; LifecycleEventHookExecutionId must be a non-empty string',
        eventType: 'object',
        eventKeys: ['DeploymentId', 'LifecycleEventHookExecutionId'],
      },
    ]);
  });

  it('reports Failed once when discovery fails', async () => {
    stubDeployment(h.mocks, { port: 1, imageTag: NEW });
    h.mocks.elbv2.on(DescribeListenersCommand).rejects(
      new ElasticLoadBalancingV2ServiceException({
        name: 'ListenerNotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'One or more listeners not found',
      }),
    );
    const result = await handler()(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: ['ListenerNotFoundException: One or more listeners not found'],
    });
    expect(
      h.mocks.codedeploy
        .commandCalls(PutLifecycleEventHookExecutionStatusCommand)
        .map((c) => c.args[0].input),
    ).to.deep.equal([{ ...lowerIds(), status: 'Failed' }]);
  });

  it('reports Failed once when its own settings are broken', async () => {
    stubDeployment(h.mocks, { port: 1, imageTag: NEW });
    const result = await handler({ [HOOK_ENV.probeCount]: 'ten' })(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: ['Invalid hook settings: HOOK_PROBE_COUNT="ten": must be a whole number from 1 to 100'],
    });
    expect(sentCommands(h.mocks)).to.deep.equal([statusCall('Failed')]);
  });

  it('never reports Succeeded without answers: no probe count, no probe, Failed (even for a wrong version)', async () => {
    const lb = await greens([OLD]);
    const result = await handler({ [HOOK_ENV.probeCount]: '0' })(IDS, context);
    expect(result).to.deep.equal({
      status: 'Failed',
      reasons: ['Invalid hook settings: HOOK_PROBE_COUNT="0": must be a whole number from 1 to 100'],
    });
    expect(lb.stats.connections).to.equal(0);
    expect(sentCommands(h.mocks)).to.deep.equal([statusCall('Failed')]);
  });

  it('fails the invocation after logging when the report cannot be delivered', async () => {
    await greens([NEW, NEW]);
    h.mocks.codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(
      new CodeDeployServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized',
      }),
    );
    await assertRejects(
      handler()(IDS, context),
      'PutLifecycleEventHookExecutionStatus(Succeeded) failed after 1 attempt(s), not retryable: AccessDeniedException: not authorized',
    );
    expect(summary()).to.include({ level: 'error', status: 'Succeeded' });
  });

  it('probes the given URL and only logs the verdict with HOOK_TARGET_URL, HOOK_EXPECTED_VERSION and HOOK_REPORT=log', async () => {
    const app = await serve(startGreen({ version: NEW }));
    const result = await handler({
      [HOOK_ENV.targetUrl]: app.url,
      [HOOK_ENV.expectedVersion]: NEW,
      [HOOK_ENV.report]: 'log',
    })(IDS, context);
    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    expect(sentCommands(h.mocks)).to.deep.equal([]);
    expect(summary()).to.deep.include({
      source: 'HOOK_TARGET_URL/HOOK_EXPECTED_VERSION (discovery skipped)',
      target: app.url,
      report: { mode: 'log', note: 'HOOK_REPORT=log: verdict logged, NOT sent to CodeDeploy' },
    });
  });

  it('still reports to CodeDeploy with a local target unless HOOK_REPORT=log is set', async () => {
    const app = await serve(startGreen({ version: NEW }));
    h.mocks.codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
    await handler({ [HOOK_ENV.targetUrl]: app.url, [HOOK_ENV.expectedVersion]: NEW })(IDS, context);
    expect(sentCommands(h.mocks)).to.deep.equal([statusCall('Succeeded')]);
  });
});

function lowerIds() {
  return { deploymentId: IDS.DeploymentId, lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId };
}

async function assertRejects(promise: Promise<unknown>, message: string) {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).message).to.equal(message);
    return;
  }
  expect.fail(`expected rejection: ${message}`);
}
