/**
 * What the handler tests of both protocols share: the settings serverless.ts renders, with short
 * timeouts so failure cases stay fast (from the defaults only: never the developer's config), a
 * Lambda context, and per test fresh AWS mocks, log lines and servers that are closed afterwards.
 */
import { DEFAULT_CONFIG, hookEnvironment } from '../../../config';
import { createHandler, type HandlerDeps } from '../../../hook/handler';
import { type AwsMocks, mockAws, testClients } from '../../../scripts/bench/hook/aws';
import type { Running } from '../../../scripts/bench/hook/servers';
import { configWith } from '../../support/config';

export const NEW = 'c0ffee1';
export const OLD = 'bada55e';
export const K = DEFAULT_CONFIG.hook.probeCount;

/** Time budget of FAST_ENV, in ms. */
export const FAST_BUDGET_MS = 40_000;

export const FAST_ENV = hookEnvironment(
  configWith({
    hook: { requestTimeoutMs: 300, connectRetries: 2, timeBudgetSeconds: FAST_BUDGET_MS / 1000 },
  }),
);

/** A Lambda with a minute left. */
export const LAMBDA_CONTEXT = { getRemainingTimeInMillis: () => 60_000 };

export interface Harness {
  mocks: AwsMocks;
  lines: string[];
  /** Starts a server that is closed after the test. */
  serve<T extends Running>(server: Promise<T>): Promise<T>;
  /** The handler with FAST_ENV (plus `extraEnv`), the mocked clients, logging into `lines`. */
  handler(
    extraEnv?: Record<string, string>,
    report?: HandlerDeps['report'],
  ): ReturnType<typeof createHandler>;
}

/** Registers the before/after hooks of the enclosing describe and returns what the tests use. */
export function useHookHarness(): Harness {
  const servers: Running[] = [];
  const harness: Harness = {
    mocks: undefined as unknown as AwsMocks,
    lines: [],
    async serve(server) {
      const s = await server;
      servers.push(s);
      return s;
    },
    handler: (extraEnv = {}, report = {}) =>
      createHandler({
        env: { ...FAST_ENV, ...extraEnv },
        log: (line) => harness.lines.push(line),
        clients: testClients,
        report,
      }),
  };
  beforeEach(() => {
    harness.mocks = mockAws();
    harness.lines = [];
  });
  afterEach(async () => {
    harness.mocks.restore();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return harness;
}
