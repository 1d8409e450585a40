import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CodeDeployClient,
  CodeDeployServiceException,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { isRetryable, outcomeUnknown, REPORT_DEFAULTS, reportStatus } from '../../hook/report';

const IDS = { deploymentId: 'd-ABCDEF123', lifecycleEventHookExecutionId: 'exec-1' };
const INPUT = { ...IDS, status: 'Failed' };

const awsError = (name: string, httpStatusCode: number) =>
  new CodeDeployServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} happened`,
  });

describe('hook status report', () => {
  // Created in before(), not at load time: a stub made while mocha loads files would leak into others' tests.
  let mock: ReturnType<typeof mockClient>;
  const client = new CodeDeployClient({ region: 'us-west-2', maxAttempts: 1 });
  let delays: number[];
  const options = () => ({ ...REPORT_DEFAULTS, sleep: async (ms: number) => void delays.push(ms) });

  before(() => {
    mock = mockClient(CodeDeployClient);
  });
  beforeEach(() => {
    mock.reset();
    delays = [];
  });
  after(() => mock.restore());

  it('reports once when the first call succeeds', async () => {
    mock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
    const result = await reportStatus(client, IDS, 'Failed', options());
    expect(result.attempts).to.equal(1);
    expect(
      mock.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input),
    ).to.deep.equal([INPUT]);
    expect(delays).to.deep.equal([]);
  });

  it('retries a throttled call with growing, bounded backoff', async () => {
    mock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .rejectsOnce(awsError('InternalFailure', 500))
      .resolves({});
    const result = await reportStatus(client, IDS, 'Failed', options());
    expect(result.attempts).to.equal(3);
    expect(
      mock.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input),
    ).to.deep.equal([INPUT, INPUT, INPUT]);
    // 200 ms then 400 ms, each plus up to 100 % jitter.
    expect(delays).to.have.length(2);
    expect(delays[0]).to.be.within(200, 400);
    expect(delays[1]).to.be.within(400, 800);
  });

  it('fails after maxAttempts when the throttling never stops', async () => {
    mock.on(PutLifecycleEventHookExecutionStatusCommand).rejects(awsError('ThrottlingException', 400));
    await expectReportError(
      reportStatus(client, IDS, 'Failed', options()),
      'PutLifecycleEventHookExecutionStatus(Failed) failed after 4 attempt(s), retries exhausted: ThrottlingException: ThrottlingException happened',
    );
    expect(mock.commandCalls(PutLifecycleEventHookExecutionStatusCommand)).to.have.length(4);
  });

  it('counts LifecycleEventAlreadyCompletedException after an attempt with no answer as delivered', async () => {
    mock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .rejectsOnce(awsError('LifecycleEventAlreadyCompletedException', 400));
    const result = await reportStatus(client, IDS, 'Failed', options());
    expect(result).to.deep.include({
      attempts: 2,
      alreadyCompleted:
        'attempt 2 got LifecycleEventAlreadyCompletedException after attempt 1 ended without a clear answer (Error: socket hang up): that report landed',
    });
    expect(
      mock.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input),
    ).to.deep.equal([INPUT, INPUT]);
  });

  it('still fails on LifecycleEventAlreadyCompletedException when every earlier attempt was refused', async () => {
    mock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .rejectsOnce(awsError('LifecycleEventAlreadyCompletedException', 400));
    await expectReportError(
      reportStatus(client, IDS, 'Failed', options()),
      'PutLifecycleEventHookExecutionStatus(Failed) failed after 2 attempt(s), not retryable: LifecycleEventAlreadyCompletedException: LifecycleEventAlreadyCompletedException happened',
    );
  });

  it('fails at once on a client error that a retry cannot fix', async () => {
    mock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejects(awsError('LifecycleEventAlreadyCompletedException', 400));
    await expectReportError(
      reportStatus(client, IDS, 'Failed', options()),
      'PutLifecycleEventHookExecutionStatus(Failed) failed after 1 attempt(s), not retryable: LifecycleEventAlreadyCompletedException: LifecycleEventAlreadyCompletedException happened',
    );
    expect(mock.commandCalls(PutLifecycleEventHookExecutionStatusCommand)).to.have.length(1);
  });

  it('does not start a retry that would outlive the deadline', async () => {
    mock.on(PutLifecycleEventHookExecutionStatusCommand).rejects(awsError('ThrottlingException', 400));
    await expectReportError(
      reportStatus(client, IDS, 'Failed', { ...options(), deadline: Date.now() + 100 }),
      'PutLifecycleEventHookExecutionStatus(Failed) failed after 1 attempt(s), no time left to retry: ThrottlingException: ThrottlingException happened',
    );
  });

  it('classifies throttling, 5xx and network errors as retryable, other 4xx as final', () => {
    expect(isRetryable(awsError('ThrottlingException', 400))).to.equal(true);
    expect(isRetryable(awsError('TooManyRequestsException', 429))).to.equal(true);
    expect(isRetryable(awsError('InternalFailure', 500))).to.equal(true);
    expect(isRetryable(awsError('ServiceUnavailable', 503))).to.equal(true);
    expect(isRetryable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isRetryable(awsError('AccessDeniedException', 400))).to.equal(false);
    expect(isRetryable(awsError('InvalidDeploymentIdException', 400))).to.equal(false);
  });

  it('treats no answer and server faults as an unknown outcome, a 4xx as a refusal', () => {
    expect(outcomeUnknown(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).to.equal(
      true,
    );
    expect(outcomeUnknown(awsError('InternalFailure', 500))).to.equal(true);
    expect(outcomeUnknown(awsError('ThrottlingException', 400))).to.equal(false);
    expect(outcomeUnknown(awsError('AccessDeniedException', 400))).to.equal(false);
  });
});

describe('hook status report against a local CodeDeploy endpoint (real SDK, real HTTP)', () => {
  it('retries the real SDK error for a throttled answer and sends the same request twice', async () => {
    const seen: { target: string | undefined; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ target: req.headers['x-amz-target'] as string | undefined, body });
        if (seen.length === 1) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        } else {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ lifecycleEventHookExecutionId: IDS.lifecycleEventHookExecutionId }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const client = localClient(server);
      const result = await reportStatus(client, IDS, 'Succeeded', { ...REPORT_DEFAULTS, baseDelayMs: 10 });
      expect(result.attempts).to.equal(2);
      const expected = {
        target: 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus',
        body: JSON.stringify({ ...IDS, status: 'Succeeded' }),
      };
      expect(seen).to.deep.equal([expected, expected]);
    } finally {
      server.close();
    }
  });
});

describe('hook status report whose first answer is lost (real SDK, real HTTP)', () => {
  it('counts the report as delivered when the retry finds the event already completed', async () => {
    // CodeDeploy records the first call but its answer never arrives (the client times out); the
    // retry then gets the error CodeDeploy sends for a completed event.
    const seen: string[] = [];
    const held: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(body);
        if (seen.length === 1) {
          held.push(res); // recorded, never answered
          return;
        }
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            __type: 'LifecycleEventAlreadyCompletedException',
            message: 'The lifecycle event is already completed',
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      // As in the handler, with a short request timeout so the first call times out quickly.
      const client = localClient(server, { requestTimeout: 300, throwOnRequestTimeout: true });
      const result = await reportStatus(client, IDS, 'Succeeded', { ...REPORT_DEFAULTS, baseDelayMs: 10 });
      expect(result.attempts).to.equal(2);
      expect(result.alreadyCompleted).to.match(
        /^attempt 2 got LifecycleEventAlreadyCompletedException after attempt 1 ended without a clear answer \(.+\): that report landed$/,
      );
      const body = JSON.stringify({ ...IDS, status: 'Succeeded' });
      expect(seen).to.deep.equal([body, body]);
    } finally {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});

async function expectReportError(promise: Promise<unknown>, message: string) {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).name).to.equal('ReportError');
    expect((err as Error).message).to.equal(message);
    return;
  }
  expect.fail(`expected ReportError: ${message}`);
}

/** A CodeDeploy client talking to a local endpoint, as the handler's reporter (no SDK retries). */
function localClient(
  server: http.Server,
  requestHandler?: { requestTimeout: number; throwOnRequestTimeout: boolean },
) {
  return new CodeDeployClient({
    region: 'us-west-2',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local-test-only' },
    maxAttempts: 1, // as in the handler: report.ts is the only retry layer
    ...(requestHandler ? { requestHandler } : {}),
  });
}
