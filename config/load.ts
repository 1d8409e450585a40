/**
 * Loads the one config: checked-in defaults ← overrides file ← environment, validated once.
 *
 * Overrides, later wins:
 * 1. `playground.config.json` in the repository root, or the file named by `PLAYGROUND_CONFIG`:
 *    any subset of the config, e.g. `{"github": {"owner": "me"}, "container": {"cpu": 512, "memory": 1024}}`.
 * 2. Environment: `PLAYGROUND_STAGE` → app.stage, `PLAYGROUND_REGION` → app.region.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { DEFAULT_CONFIG } from './defaults';
import { configSchema, type PlaygroundConfig } from './schema';

export const CONFIG_FILE_NAME = 'playground.config.json';
export const REPO_ROOT = resolve(__dirname, '..');

/** A config that breaks a rule. `problems` holds one line per bad field. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Environment to read; defaults to `process.env`. Tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Directory holding `playground.config.json`; defaults to the repository root. */
  cwd?: string;
  /** Overrides applied last, e.g. from a CLI flag or a test. */
  overrides?: unknown;
}

export function loadConfig(options: LoadOptions = {}): PlaygroundConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? REPO_ROOT;
  let merged: unknown = DEFAULT_CONFIG;

  const file = env.PLAYGROUND_CONFIG
    ? isAbsolute(env.PLAYGROUND_CONFIG)
      ? env.PLAYGROUND_CONFIG
      : join(cwd, env.PLAYGROUND_CONFIG)
    : join(cwd, CONFIG_FILE_NAME);
  if (env.PLAYGROUND_CONFIG && !existsSync(file)) {
    throw new ConfigError([`PLAYGROUND_CONFIG=${JSON.stringify(env.PLAYGROUND_CONFIG)}: file not found`]);
  }
  if (existsSync(file)) merged = deepMerge(merged, readJson(file));

  const fromEnv: Record<string, Record<string, string>> = {};
  if (env.PLAYGROUND_STAGE) fromEnv.app = { ...fromEnv.app, stage: env.PLAYGROUND_STAGE };
  if (env.PLAYGROUND_REGION) fromEnv.app = { ...fromEnv.app, region: env.PLAYGROUND_REGION };
  merged = deepMerge(merged, fromEnv);
  if (options.overrides !== undefined) merged = deepMerge(merged, options.overrides);

  return validateConfig(merged);
}

/** Validates a complete config object; throws ConfigError listing every bad field. */
export function validateConfig(candidate: unknown): PlaygroundConfig {
  const result = configSchema.safeParse(candidate);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => formatIssue(issue, candidate)));
}

/** `container.cpu=300: Fargate accepts 256, 512, …` */
function formatIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length ? `${path.join('.')}.` : '';
    return issue.keys.map((k) => `${parent}${k}: unknown field (check the spelling)`).join('; ');
  }
  const field = path.join('.') || '(config)';
  const value = valueAt(root, path);
  const shown = value === undefined ? ' is missing' : `=${JSON.stringify(value)}`;
  return `${field}${shown}: ${issue.message}`;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${file}: not valid JSON (${(err as Error).message})`]);
  }
}

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
