/**
 * Shared test pieces for the deploy scripts: small templates on disk shaped like the generated
 * ones (parameters and resource counts), and a runtime that records instead of waiting or spawning.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_CONFIG, isServiceStack, type PlaygroundConfig, STACKS, type StackId } from '../../config';
import { createClients } from '../../scripts/deploy/aws/clients';
import type { Templates } from '../../scripts/deploy/plan';
import type { CfnTemplate } from '../../scripts/deploy/replacement';
import type { Runtime } from '../../scripts/deploy/runtime';
import { templatePath } from '../../scripts/deploy/templates';

export const REGION = DEFAULT_CONFIG.app.region;
export const ACCOUNT = '123456789012';
export const REPO_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/ecs-playground-dev`;

/** A config a real deploy accepts (the default's GitHub owner is a placeholder). */
export const REAL_CONFIG: PlaygroundConfig = {
  ...DEFAULT_CONFIG,
  github: { ...DEFAULT_CONFIG.github, owner: 'octocat' },
};

export function fixtureTemplate(stack: StackId): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    ...(isServiceStack(stack) ? { Parameters: { ImageUri: { Type: 'String' } } } : {}),
    Resources: {
      [`${stack.replace('-', '')}Topic`]: { Type: 'AWS::SNS::Topic' },
      [`${stack.replace('-', '')}Queue`]: { Type: 'AWS::SQS::Queue' },
    },
  };
}

export function fixtureTemplates(stage = 'dev'): Templates {
  return Object.fromEntries(
    STACKS.map((s) => [
      s,
      {
        path: templatePath(s, stage),
        parameters: isServiceStack(s) ? ['ImageUri'] : [],
        resourceCount: 2,
        template: fixtureTemplate(s) as CfnTemplate,
      },
    ]),
  ) as Templates;
}

/** Writes `<stack>.json` for every stack into `dir`, as synth would. */
export function writeFixtureTemplates(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const s of STACKS) writeFileSync(join(dir, `${s}.json`), JSON.stringify(fixtureTemplate(s)));
}

/** A repository root of its own, holding playground.config.json when `config` is given (synth writes the templates). */
export function fixtureRoot(config?: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'deploy-fixture-'));
  if (config !== undefined) writeFileSync(join(root, 'playground.config.json'), JSON.stringify(config));
  return root;
}

export interface Recorder {
  rt: Runtime;
  lines: string[];
  commands: { command: readonly string[]; env: Record<string, string> }[];
}

/** Real SDK clients (aws-sdk-client-mock stubs their `send`), no waiting, a clock that ticks 1 s a call. */
export function recordingRuntime(exitCode = 0): Recorder {
  const lines: string[] = [];
  const commands: Recorder['commands'] = [];
  let t = Date.parse('2026-11-26T12:00:00Z');
  const rt: Runtime = {
    clients: createClients(REGION),
    region: REGION,
    log: (line) => lines.push(line),
    sleep: async () => {},
    now: () => {
      t += 1000;
      return new Date(t);
    },
    run: async (command, env) => {
      commands.push({ command, env });
      return exitCode;
    },
    pollMs: 0,
  };
  return { rt, lines, commands };
}

// biome-ignore lint/suspicious/noExplicitAny: any constructor of an SDK client; mockClient takes the same
type ClientClass = new (...args: any[]) => Parameters<typeof mockClient>[0];

type Mocks<T extends Record<string, ClientClass>> = { [K in keyof T]: AwsClientStub<InstanceType<T[K]>> };

/**
 * Mocks the given client classes during each test of the calling `describe` only: mockClient()
 * stubs the class prototype, so mocks made at file load would fight over it with other test files.
 * A fresh mock per test (rather than reset()) also clears callsFake behaviours, which reset() keeps.
 */
export function useMocks<T extends Record<string, ClientClass>>(classes: T): Mocks<T> {
  const mocks = {} as Mocks<T>;
  beforeEach(() => {
    for (const key of Object.keys(classes) as (keyof T)[]) {
      mocks[key] = mockClient(classes[key]) as Mocks<T>[typeof key];
    }
  });
  afterEach(() => {
    for (const key of Object.keys(mocks) as (keyof T)[]) mocks[key].restore();
  });
  return mocks;
}
