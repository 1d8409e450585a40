import { DescribeServiceRevisionsCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { DEFAULT_CONFIG, HOOK_ENV, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { DISCOVERY_BUDGET_MS } from '../../config/hook-budget';
import { PROGRESS_KEY } from '../../hook/ecs-event';
import { sentCommands, TOKEN } from '../../scripts/bench/hook/aws';
import {
  CANARY_TEST_RULE_ARN,
  type CanaryDeployment,
  canaryDiscoveryCalls,
  ecsPayload,
  NEW_TG,
  OLD_TG,
  SERVICE_DEPLOYMENT_ARN,
  stubCanaryDeployment,
  TARGET_REVISION_ARN,
} from '../../scripts/bench/hook/ecs-aws';
import { type BalancerStep, startBalancer, startGreen, startHang } from '../../scripts/bench/hook/servers';
import { FAST_BUDGET_MS, K, LAMBDA_CONTEXT, NEW, OLD, useHookHarness } from './support/harness';

describe('hook ECS lifecycle protocol (real app on 127.0.0.1 as the new revision, AWS mocked)', function () {
  this.timeout(30_000);
  const h = useHookHarness();
  const BUDGET_MS = FAST_BUDGET_MS;
  const context = LAMBDA_CONTEXT;

  const handler = (extraEnv: Record<string, string> = {}) => h.handler(extraEnv);
  const serve = h.serve;

  /** The new revision's tasks behind the token-checking test rule, discovered through the mocked calls. */
  async function revision(
    versions: string[],
    deployment: Partial<CanaryDeployment> = {},
    script?: (request: number) => BalancerStep,
  ) {
    const apps = await Promise.all(versions.map((version) => serve(startGreen({ version }))));
    const lb = await serve(
      startBalancer(
        apps.map((a) => a.port),
        TOKEN,
        script,
      ),
    );
    stubCanaryDeployment(h.mocks, { port: lb.port, imageTag: NEW, token: TOKEN, ...deployment });
    return lb;
  }

  /** The one summary line of each invocation so far. */
  function summaries(): Record<string, unknown>[] {
    return h.lines.map((l) => JSON.parse(l));
  }

  it('answers SUCCEEDED when every new task serves the expected version', async () => {
    const lb = await revision([NEW, NEW]);
    const result = await handler()(ecsPayload(), context);
    expect(result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(sentCommands(h.mocks)).to.deep.equal(canaryDiscoveryCalls());
    // K rounds of /version and /, each on its own connection, spread evenly over both tasks.
    expect(lb.stats.perBackend).to.deep.equal([K, K]);
    expect(lb.stats.rejected).to.equal(0);
    const [s] = summaries();
    expect(s).to.deep.include({
      level: 'info',
      msg: 'ECS lifecycle hook verdict',
      hookStatus: 'SUCCEEDED',
      reasons: [],
      serviceDeploymentArn: SERVICE_DEPLOYMENT_ARN,
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      targetServiceRevisionArn: TARGET_REVISION_ARN,
      expectedVersion: NEW,
      tokenHeader: true,
    });
    expect(s?.source).to.deep.include({ testListenerRule: CANARY_TEST_RULE_ARN, targetGroup: NEW_TG });
    expect(s?.probes).to.deep.equal({
      requests: 2 * K,
      planned: 2 * K,
      attempts: 2 * K,
      versions: { [NEW]: K },
      statuses: { 200: 2 * K },
    });
    expect(s?.timings).to.have.keys('discoverMs', 'probeMs', 'totalMs');
  });

  it('answers FAILED when the new tasks serve another version', async () => {
    await revision([OLD, OLD]);
    expect(await handler()(ecsPayload(), context)).to.deep.equal({ hookStatus: 'FAILED' });
    expect(sentCommands(h.mocks)).to.deep.equal(canaryDiscoveryCalls());
    expect(summaries()[0]).to.deep.include({
      level: 'warn',
      hookStatus: 'FAILED',
      reasons: [`probe 1 GET /version: version "${OLD}", expected "${NEW}"`],
    });
  });

  it('answers FAILED when the new revision answers 500 (simulated unhealthy release)', async () => {
    const app = await serve(startGreen({ version: NEW, unhealthy: true }));
    const lb = await serve(startBalancer([app.port], TOKEN));
    stubCanaryDeployment(h.mocks, { port: lb.port, imageTag: NEW, token: TOKEN });
    expect(await handler()(ecsPayload(), context)).to.deep.equal({ hookStatus: 'FAILED' });
    expect(summaries()[0]?.reasons).to.deep.equal(['probe 1 GET /: HTTP 500, expected 200']);
  });

  it('answers FAILED within the time budget when the new revision accepts and never answers', async () => {
    const hang = await serve(startHang());
    stubCanaryDeployment(h.mocks, { port: hang.port, imageTag: NEW, token: TOKEN });
    const started = Date.now();
    expect(await handler()(ecsPayload(), context)).to.deep.equal({ hookStatus: 'FAILED' });
    expect(Date.now() - started).to.be.below(BUDGET_MS);
    expect(hang.connections()).to.equal(3);
    expect(summaries()[0]?.reasons).to.deep.equal([
      'probe 1 GET /version: no answer after 3 tries (no answer within 300 ms)',
    ]);
  });

  it('answers IN_PROGRESS with callBackDelay and its progress when a slow revision outlasts one invocation, then the verdict on the next', async () => {
    // Every answer takes 200 ms (within the 300 ms request timeout) and an invocation probes for 1 s:
    // at most 5 of the 2 × K answers fit, however fast the machine.
    let slow = true;
    const lb = await revision([NEW, NEW], {}, () => (slow ? { delayMs: 200 } : 'forward'));
    const first = await handler({ [HOOK_ENV.ecsInvocationSeconds]: '1' })(ecsPayload(), context);
    const progress = progressOf(first);
    expect(first).to.deep.equal({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: DEFAULT_CONFIG.hook.ecsCallBackDelaySeconds,
      hookDetails: { [PROGRESS_KEY]: { ...progress, invocations: 1 } },
    });
    expect(progress.passedRounds).to.be.within(0, 2);
    slow = false;
    // ECS hands hookDetails back with the next invocation; now the revision answers at once.
    const second = await handler()(ecsPayload({ hookDetails: first.hookDetails }), context);
    expect(second).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    const [s1, s2] = summaries();
    expect(s1).to.deep.include({ level: 'info', hookStatus: 'IN_PROGRESS', reasons: [], sliceMs: 1000 });
    expect(s2).to.deep.include({ hookStatus: 'SUCCEEDED', reasons: [] });
    // The second invocation goes on from the rounds the first one passed.
    const left = 2 * (K - (progress.passedRounds as number));
    expect(s2?.probes).to.deep.include({ requests: left, planned: left });
    expect(lb.stats.generated).to.equal(0);
  });

  it('goes on from the rounds an earlier invocation passed', async () => {
    await revision([NEW]);
    const passed = { passedRounds: K - 2, probedMs: 1200, invocations: 3 };
    const result = await handler()(ecsPayload({ hookDetails: { [PROGRESS_KEY]: passed } }), context);
    expect(result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(summaries()[0]?.probes).to.deep.include({ requests: 4, planned: 4 });
  });

  it('answers FAILED without probing, naming the field, when the progress handed back has no round left (stale or hand-written hookDetails)', async () => {
    // A revision serving the wrong version: a resumed check that planned 0 rounds would pass it.
    const lb = await revision([OLD]);
    const fix =
      "the hook hands it back only with IN_PROGRESS; remove probeProgress from the service's LifecycleHooks[].HookDetails if it was configured there";
    for (const passedRounds of [K, K + 5]) {
      const stale = { passedRounds, probedMs: 0, invocations: 1 };
      const result = await handler()(ecsPayload({ hookDetails: { [PROGRESS_KEY]: stale } }), context);
      expect(result).to.deep.equal({ hookStatus: 'FAILED' });
      expect(summaries().at(-1)?.reasons).to.deep.equal([
        `hookDetails.probeProgress.passedRounds=${passedRounds} is out of bounds: must be below hook.probeCount (${K}), ` +
          `since rounds are left whenever the hook answers IN_PROGRESS; ${fix}`,
      ]);
    }
    const never = { passedRounds: 0, probedMs: 0, invocations: 0 };
    expect(await handler()(ecsPayload({ hookDetails: { [PROGRESS_KEY]: never } }), context)).to.deep.equal({
      hookStatus: 'FAILED',
    });
    expect(summaries().at(-1)?.reasons).to.deep.equal([
      `hookDetails.probeProgress.invocations=0 is out of bounds: must be at least 1 (the invocation that wrote it); ${fix}`,
    ]);
    expect(lb.stats.connections).to.equal(0);
    expect(sentCommands(h.mocks)).to.deep.equal([]);
  });

  it('answers FAILED without probing when earlier invocations spent the whole probing budget', async () => {
    const lb = await revision([NEW]);
    const spent = { passedRounds: 3, probedMs: BUDGET_MS - DISCOVERY_BUDGET_MS, invocations: 25 };
    const result = await handler()(ecsPayload({ hookDetails: { [PROGRESS_KEY]: spent } }), context);
    expect(result).to.deep.equal({ hookStatus: 'FAILED' });
    expect(lb.stats.connections).to.equal(0);
    expect(sentCommands(h.mocks)).to.deep.equal([]);
    expect(summaries()[0]?.reasons).to.deep.equal([
      `no verdict after ${BUDGET_MS - DISCOVERY_BUDGET_MS} ms of probing over 25 invocation(s): the probing budget is ` +
        `${BUDGET_MS - DISCOVERY_BUDGET_MS} ms (hook.timeBudgetSeconds less ${DISCOVERY_BUDGET_MS} ms of discovery)`,
    ]);
  });

  it('answers FAILED at once, without a probe, when the test rule still forwards to the old revision', async () => {
    const lb = await revision([NEW, NEW], { routeTo: 'old' });
    expect(await handler()(ecsPayload(), context)).to.deep.equal({ hookStatus: 'FAILED' });
    expect(lb.stats.connections).to.equal(0);
    expect(summaries()[0]?.reasons).to.deep.equal([
      `test listener rule ${CANARY_TEST_RULE_ARN} (header ${TEST_LISTENER_TOKEN_HEADER}) forwards to target groups ` +
        `"${OLD_TG}" (weight 100), "${NEW_TG}" (weight 0), expected only the target service revision's target group ` +
        `"${NEW_TG}": ECS routes test traffic through the service's test listener rule before POST_TEST_TRAFFIC_SHIFT: ` +
        "check that this rule is the service's AdvancedConfiguration.TestListenerRule, that the hook runs at " +
        'POST_TEST_TRAFFIC_SHIFT, and that nothing changed the rule since (redeploying the canary service stack recreates it)',
    ]);
  });

  it('lets the probes decide, and says so, when the revision has no resolved target group', async () => {
    await revision([NEW, NEW], { resolved: false });
    expect(await handler()(ecsPayload(), context)).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(summaries()[0]?.source).to.deep.include({
      targetGroup: 'not checked: the service revision has no resolvedConfiguration target group',
    });
  });

  it('answers FAILED at a stage where the test rule does not route to the new revision yet', async () => {
    expect(await handler()(ecsPayload({ lifecycleStage: 'PRE_SCALE_UP' }), context)).to.deep.equal({
      hookStatus: 'FAILED',
    });
    expect(sentCommands(h.mocks)).to.deep.equal([]);
    expect(summaries()[0]?.reasons).to.deep.equal([
      'invoked at lifecycle stage PRE_SCALE_UP: the hook probes the new revision through the test listener rule, ' +
        'which routes to it from POST_TEST_TRAFFIC_SHIFT on; configure the hook at POST_TEST_TRAFFIC_SHIFT',
    ]);
  });

  it('answers FAILED with the reason, never throwing, when the payload is malformed', async () => {
    const cases: [unknown, string][] = [
      [
        { executionDetails: {}, lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' },
        'executionDetails.serviceArn is missing; executionDetails.targetServiceRevisionArn is missing',
      ],
      [
        { executionDetails: 'x', lifecycleStage: 7 },
        'executionDetails must be an object; lifecycleStage must be a non-empty string',
      ],
      [
        ecsPayload({ hookDetails: { [PROGRESS_KEY]: { passedRounds: -1 } } }),
        `hookDetails.${PROGRESS_KEY}={"passedRounds":-1}: must be {passedRounds, probedMs, invocations} (whole numbers ≥ 0), as the hook returned it with IN_PROGRESS`,
      ],
    ];
    for (const [payload, problems] of cases) {
      expect(await handler()(payload, context)).to.deep.equal({ hookStatus: 'FAILED' });
      expect(JSON.parse(h.lines.at(-1) ?? '{}')).to.deep.include({
        level: 'error',
        hookStatus: 'FAILED',
        reasons: [`Malformed ECS lifecycle hook payload: ${problems}`],
      });
    }
    const badArn = ecsPayload();
    badArn.executionDetails.targetServiceRevisionArn = 'service-revision/x';
    expect(await handler()(badArn, context)).to.deep.equal({ hookStatus: 'FAILED' });
    expect(sentCommands(h.mocks)).to.deep.equal([]);
  });

  it('answers FAILED when discovery fails, naming what is missing', async () => {
    h.mocks.ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [],
      failures: [{ arn: TARGET_REVISION_ARN, reason: 'MISSING' }],
    });
    expect(await handler()(ecsPayload(), context)).to.deep.equal({ hookStatus: 'FAILED' });
    expect(summaries()[0]?.reasons).to.deep.equal([
      `service revision ${TARGET_REVISION_ARN} was not found (MISSING)`,
    ]);
  });

  it('answers FAILED, not an exception, when its own settings are broken', async () => {
    expect(
      await handler({ [HOOK_ENV.ecsCallBackDelaySeconds]: 'soon' })(ecsPayload(), context),
    ).to.deep.equal({
      hookStatus: 'FAILED',
    });
    expect(summaries()[0]?.reasons).to.deep.equal([
      'Invalid hook settings: HOOK_ECS_CALLBACK_DELAY_SECONDS="soon": must be a whole number from 1 to 300',
    ]);
  });

  it('probes the given URL with HOOK_TARGET_URL and HOOK_EXPECTED_VERSION (local use)', async () => {
    const app = await serve(startGreen({ version: NEW }));
    const result = await handler({ [HOOK_ENV.targetUrl]: app.url, [HOOK_ENV.expectedVersion]: NEW })(
      ecsPayload(),
      context,
    );
    expect(result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(sentCommands(h.mocks)).to.deep.equal([]);
    expect(summaries()[0]).to.deep.include({
      source: 'HOOK_TARGET_URL/HOOK_EXPECTED_VERSION (discovery skipped)',
    });
  });
});

function progressOf(result: { hookDetails?: Record<string, unknown> }): Record<string, unknown> {
  const progress = result.hookDetails?.[PROGRESS_KEY] as Record<string, unknown> | undefined;
  expect(progress?.probedMs, JSON.stringify(result)).to.be.a('number');
  expect(progress?.passedRounds).to.be.a('number');
  return progress ?? {};
}
