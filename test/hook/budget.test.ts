import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { expect } from 'chai';
import { DEFAULT_CONFIG, hookEnvironment, REPO_ROOT } from '../../config';
import {
  DISCOVERY_BUDGET_MS,
  describeWorstCase,
  hookWorstCaseMs,
  lambdaTimeoutSeconds,
  minimumTimeBudgetSeconds,
  probePlan,
  probeWorstCaseMs,
} from '../../config/hook-budget';
import { createHandler } from '../../hook/handler';
import { type AwsMocks, IDS, mockAws, stubDeployment, testClients } from '../../scripts/bench/hook/aws';
import { type Running, startBalancer, startGreen } from '../../scripts/bench/hook/servers';
import { configWith } from '../support/config';

describe('hook time budget (config/hook-budget.ts)', () => {
  const plan = probePlan(DEFAULT_CONFIG);

  it('computes the worst case from rounds, paths per round, tries and pauses', () => {
    expect(plan).to.deep.equal({ rounds: 10, pathsPerRound: 2, connectRetries: 2, requestTimeoutMs: 2000 });
    // 10 rounds × 2 paths × (3 tries × 2 s + 100 ms + 200 ms of pauses)
    expect(probeWorstCaseMs(plan)).to.equal(126_000);
    expect(hookWorstCaseMs(plan)).to.equal(DISCOVERY_BUDGET_MS + 126_000);
    expect(describeWorstCase(plan)).to.equal(
      '15 s discovery + 10 rounds × 2 paths × (3 tries × 2 s + 0.3 s of pauses) = 141 s',
    );
    expect(probeWorstCaseMs({ ...plan, pathsPerRound: 1, connectRetries: 0 })).to.equal(20_000);
  });

  it('is covered by the default budget, and the Lambda timeout adds the report reserve', () => {
    expect(DEFAULT_CONFIG.hook.timeBudgetSeconds).to.be.at.least(minimumTimeBudgetSeconds(plan));
    expect(lambdaTimeoutSeconds(DEFAULT_CONFIG)).to.equal(
      DEFAULT_CONFIG.hook.timeBudgetSeconds + DEFAULT_CONFIG.hook.reportReserveSeconds,
    );
  });

  it('is stated in docs/hook.md exactly as the code computes it', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'hook.md'), 'utf8');
    expect(doc).to.contain(describeWorstCase(plan));
    expect(doc).to.contain(`\`hook.timeBudgetSeconds\` (${DEFAULT_CONFIG.hook.timeBudgetSeconds} s)`);
    expect(doc).to.contain(
      `(${DEFAULT_CONFIG.hook.timeBudgetSeconds} + ${DEFAULT_CONFIG.hook.reportReserveSeconds} = ${lambdaTimeoutSeconds(DEFAULT_CONFIG)} s)`,
    );
  });
});

describe('hook time budget with a green that answers only on its last allowed try', function () {
  // A few seconds of real probing (hanging tries time out); generous for a busy machine.
  this.timeout(60_000);

  const NEW = 'c0ffee1';
  const hook = {
    probeCount: 2,
    requestTimeoutMs: 300,
    connectRetries: 2,
    checkHealthPath: true,
    reportReserveSeconds: 5,
  };
  const plan = probePlan({ hook: { ...DEFAULT_CONFIG.hook, ...hook } });
  /** The smallest budget the schema accepts for these settings. */
  const budgetSeconds = minimumTimeBudgetSeconds(plan);
  const config = configWith({ hook: { ...hook, timeBudgetSeconds: budgetSeconds } });
  const tries = hook.connectRetries + 1;
  const requests = plan.rounds * plan.pathsPerRound;

  let mocks: AwsMocks;
  let lines: string[];
  const servers: Running[] = [];
  beforeEach(() => {
    mocks = mockAws();
    lines = [];
  });
  afterEach(async () => {
    mocks.restore();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** The real app behind a listener that leaves the first tries of every request hanging. */
  async function slowGreen() {
    const app = await startGreen({ version: NEW });
    const lb = await startBalancer([app.port], undefined, (n) =>
      n % tries === tries - 1 ? 'forward' : 'hang',
    );
    servers.push(app, lb);
    stubDeployment(mocks, { port: lb.port, imageTag: NEW });
    return lb;
  }

  /** Runs the hook as Lambda would, with the timeout serverless.ts sets, and records the report. */
  async function invoke(env: Record<string, string>) {
    const started = Date.now();
    const lambdaTimeoutMs = lambdaTimeoutSeconds(config) * 1000;
    const context = { getRemainingTimeInMillis: () => started + lambdaTimeoutMs - Date.now() };
    const report: { atMs?: number; remainingMs?: number } = {};
    mocks.codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).callsFake(() => {
      report.atMs = Date.now() - started;
      report.remainingMs = context.getRemainingTimeInMillis();
      return { lifecycleEventHookExecutionId: IDS.LifecycleEventHookExecutionId };
    });
    const handler = createHandler({
      env,
      log: (line) => lines.push(line),
      clients: testClients,
      report: { sleep: async () => {} },
    });
    const result = await handler(IDS, context);
    return { result, report, summary: JSON.parse(lines.at(-1) ?? '{}') };
  }

  it('is the smallest budget the schema accepts for these settings', () => {
    expect(() => configWith({ hook: { ...hook, timeBudgetSeconds: budgetSeconds - 1 } })).to.throw(
      `hook.timeBudgetSeconds=${budgetSeconds - 1}: must cover the hook's worst case: ${describeWorstCase(plan)}`,
    );
  });

  it('reports Succeeded within the stated bound, before the Lambda timeout, with the report reserve intact', async () => {
    const lb = await slowGreen();
    const { result, report, summary } = await invoke(hookEnvironment(config));

    expect(result).to.deep.equal({ status: 'Succeeded', reasons: [] });
    // Every request needed all its tries: the worst case of the probing structure really ran.
    expect(summary.probes).to.deep.equal({
      requests,
      planned: requests,
      attempts: requests * tries,
      versions: { [NEW]: plan.rounds },
      statuses: { 200: requests },
    });
    expect(lb.stats).to.include({ connections: requests * tries, generated: requests * (tries - 1) });
    const hangsMs = requests * (tries - 1) * hook.requestTimeoutMs;
    expect(summary.timings.probeMs).to.be.at.least(hangsMs - 50);

    // The verdict came within the bound the schema, the docs and the handler state…
    expect(summary.worstCaseMs).to.equal(hookWorstCaseMs(plan));
    expect(report.atMs).to.be.at.most(hookWorstCaseMs(plan));
    // …so the report still had the whole reserve before the Lambda timeout.
    expect(report.remainingMs).to.be.at.least(config.hook.reportReserveSeconds * 1000);
  });
});
