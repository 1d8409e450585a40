/**
 * THE config loader: every command (synth, deploy, destroy, render:artifacts, sls, lint) resolves
 * its config here, in one documented order, so that the build's `render:artifacts` and a local
 * `npm run synth` can never disagree. Later wins:
 *
 * 1. The checked-in defaults (config/defaults.ts).
 * 2. ONE overrides document (any subset of the config), the first of:
 *    a. `PLAYGROUND_CONFIG_JSON`: the document itself, as JSON. The CodeBuild project sets it to the
 *       whole config its stack was synthesized from (playground.config.json is git-ignored, so the
 *       build has no file); `PLAYGROUND_CONFIG_JSON='{}'` means "the defaults, whatever file exists".
 *    b. `PLAYGROUND_CONFIG`: path of a JSON file (relative to the repository root).
 *    c. `playground.config.json` in the repository root, when it exists.
 * 3. `PLAYGROUND_STAGE` → app.stage, `PLAYGROUND_REGION` → app.region.
 * 4. Overrides of the command line (`npm run deploy -- --stage prod`).
 *
 * Callers name the environment and the directory they read (`env`, `cwd`): nothing here falls back to
 * `process.env`, so a test can only read the developer's config by asking for it explicitly.
 */

import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { CONFIG_ENV } from './contracts/config';
import { DEFAULT_CONFIG } from './defaults';
import { configSchema, type PlaygroundConfig } from './schema';
import { closestName } from './suggest';
import { timeoutProblems } from './timeouts';

export const CONFIG_FILE_NAME = 'playground.config.json';
export const REPO_ROOT = resolve(__dirname, '..');

export { CONFIG_ENV } from './contracts/config';

/** A config that breaks a rule. `problems` holds one line per bad field. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    // One problem stays on one line (a CLI prints it as one line); several are listed.
    super(
      problems.length === 1
        ? `Invalid config: ${problems[0]}`
        : `Invalid config:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** The environment to read (entry points pass `process.env`; tests pass their own). */
  env: Record<string, string | undefined>;
  /** The directory holding `playground.config.json` (entry points pass REPO_ROOT). */
  cwd: string;
  /** Overrides applied last, e.g. from a CLI flag or a test. */
  overrides?: unknown;
}

export interface ResolvedConfig {
  config: PlaygroundConfig;
  /**
   * Where the overrides came from, for the user: `PLAYGROUND_CONFIG_JSON`, a file path, or
   * `defaults`, plus the environment variables that applied, e.g. `playground.config.json + PLAYGROUND_STAGE`.
   */
  source: string;
}

export function loadConfig(options: LoadOptions): PlaygroundConfig {
  return resolveConfig(options).config;
}

/** The config and a one-line description of where it came from. */
export function resolveConfig({ env, cwd, overrides }: LoadOptions): ResolvedConfig {
  const sources: string[] = [];
  let merged: unknown = DEFAULT_CONFIG;

  const document = overridesDocument(env, cwd);
  if (document) {
    merged = deepMerge(merged, document.value);
    sources.push(document.source);
  }

  const fromEnv: Record<string, string> = {};
  if (env[CONFIG_ENV.stage]) {
    fromEnv.stage = env[CONFIG_ENV.stage] as string;
    sources.push(CONFIG_ENV.stage);
  }
  if (env[CONFIG_ENV.region]) {
    fromEnv.region = env[CONFIG_ENV.region] as string;
    sources.push(CONFIG_ENV.region);
  }
  if (Object.keys(fromEnv).length) merged = deepMerge(merged, { app: fromEnv });
  if (overrides !== undefined) {
    merged = deepMerge(merged, overrides);
    sources.push('command line');
  }

  return { config: validateConfig(merged, env), source: sources.length ? sources.join(' + ') : 'defaults' };
}

/** Step 2 of the order: the first overrides document present, or undefined. */
function overridesDocument(
  env: Record<string, string | undefined>,
  cwd: string,
): { value: unknown; source: string } | undefined {
  const json = env[CONFIG_ENV.json];
  if (json !== undefined && json !== '') {
    return { value: overridesIn(json, CONFIG_ENV.json), source: CONFIG_ENV.json };
  }
  const named = env[CONFIG_ENV.file];
  if (named) {
    const file = isAbsolute(named) ? named : join(cwd, named);
    if (!existsSync(file)) {
      throw new ConfigError([`${CONFIG_ENV.file}=${JSON.stringify(named)}: file not found`]);
    }
    return { value: overridesIn(readFileSync(file, 'utf8'), file), source: named };
  }
  const file = join(cwd, CONFIG_FILE_NAME);
  if (!existsSync(file)) return undefined;
  return { value: overridesIn(readFileSync(file, 'utf8'), file), source: CONFIG_FILE_NAME };
}

/** An overrides document: JSON, and an object (a top-level `[]` would replace the whole config). */
function overridesIn(text: string, where: string): Record<string, unknown> {
  const value = parseJson(text, where);
  if (isPlainObject(value)) return value;
  const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  throw new ConfigError([
    `${where}: must be a JSON object of the fields to override, e.g. {"github": {"owner": "octocat"}}, not ${got}`,
  ]);
}

/**
 * `base` without any PLAYGROUND_* variable, plus the variables that make a child process (synth, sls,
 * render:artifacts) load exactly `config`: its JSON first in the order, and its stage and region so
 * that a caller merging this over another environment cannot let an inherited PLAYGROUND_STAGE win.
 */
export function envWithConfig(
  base: Record<string, string | undefined>,
  config: PlaygroundConfig,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && !k.startsWith('PLAYGROUND_')) out[k] = v;
  }
  out[CONFIG_ENV.json] = JSON.stringify(config);
  out[CONFIG_ENV.stage] = config.app.stage;
  out[CONFIG_ENV.region] = config.app.region;
  return out;
}

/**
 * Validates a complete config object; throws ConfigError listing every bad field. With `env`, a bad
 * app.stage or app.region that came from the environment says so.
 */
export function validateConfig(
  candidate: unknown,
  env: Record<string, string | undefined> = {},
): PlaygroundConfig {
  const result = configSchema.safeParse(candidate);
  if (result.success) {
    const problems = timeoutProblems(result.data);
    if (problems.length) throw new ConfigError(problems);
    return result.data;
  }
  throw new ConfigError(result.error.issues.map((issue) => formatIssue(issue, candidate, env)));
}

/** Fields earlier versions had, and what replaced them. */
const DERIVED =
  'no longer a setting: the timeout is derived from the release model (config/timeouts.ts; `npm run plan` prints it), remove it';
const RETIRED_FIELDS: Record<string, string> = {
  rolling: `${DERIVED} (rolling.deploymentTimeoutMinutes was its only field)`,
  'ecsCanary.deploymentTimeoutMinutes': DERIVED,
  'build.timeoutMinutes': DERIVED,
};

/** `container.cpu=300: Fargate accepts 256, 512, …` */
function formatIssue(
  issue: z.core.$ZodIssue,
  root: unknown,
  env: Record<string, string | undefined>,
): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length ? `${path.join('.')}.` : '';
    const known = Object.keys((valueAt(DEFAULT_CONFIG, path) as object | undefined) ?? {});
    return issue.keys
      .map((k) => {
        const retired = RETIRED_FIELDS[`${parent}${k}`];
        if (retired) return `${parent}${k}: ${retired}`;
        const near = closestName(k, known);
        return `${parent}${k}: unknown field (${near ? `did you mean ${parent}${near}?` : `the fields here: ${known.join(', ')}`})`;
      })
      .join('; ');
  }
  const field = path.join('.') || '(config)';
  const value = valueAt(root, path);
  const shown = value === undefined ? ' is missing' : `=${JSON.stringify(value)}`;
  const fromEnv =
    field === 'app.stage' && env[CONFIG_ENV.stage]
      ? ` (set by ${CONFIG_ENV.stage})`
      : field === 'app.region' && env[CONFIG_ENV.region]
        ? ` (set by ${CONFIG_ENV.region})`
        : '';
  const message =
    issue.code === 'invalid_type' ? typeProblem(issue.expected, issue.message, value, path) : issue.message;
  return `${field}${shown}: ${message}${fromEnv}`;
}

/** zod's own wording ("Invalid input: expected …"), as opposed to a rule's message from schema.ts. */
const LIBRARY_MESSAGE = /^Invalid input/;

/**
 * A value of the wrong JSON type, said as what to write: `must be a number (write 512 without
 * quotes); Fargate accepts …`, `must be an object with the fields name, stage, …`.
 */
function typeProblem(expected: string, message: string, value: unknown, path: readonly string[]): string {
  const rule = LIBRARY_MESSAGE.test(message) ? '' : message;
  if (expected === 'object') {
    const fields = Object.keys((valueAt(DEFAULT_CONFIG, path) as object | undefined) ?? {});
    return `must be an object${fields.length ? ` with the fields ${fields.join(', ')}` : ''}`;
  }
  const kind =
    expected === 'number'
      ? 'a number'
      : expected === 'boolean'
        ? 'true or false'
        : expected === 'array' || expected === 'tuple'
          ? 'a list'
          : `a ${expected}`;
  // "512" for 512, "true" for true: the value is right, the quotes are not.
  const literal = typeof value === 'string' ? parsedLiteral(value) : undefined;
  const hint = literal !== undefined && typeof literal === expected ? ` (write ${value} without quotes)` : '';
  if (rule.startsWith('must be')) return `${rule}${hint}`;
  return `must be ${kind}${hint}${rule ? `; ${rule}` : ''}`;
}

function parsedLiteral(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${where}: not valid JSON (${jsonProblem((err as Error).message, text)})`]);
  }
}

/**
 * V8's message with its `at position N` said as line and column, where an editor goes:
 * `Expected double-quoted property name in JSON at line 4, column 3`.
 */
function jsonProblem(message: string, text: string): string {
  const at = /at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1])).split('\n');
  const place = `at line ${before.length}, column ${before[before.length - 1].length + 1}`;
  return message.replace(at[0], place);
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
