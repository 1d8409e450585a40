/**
 * The shapes every check shares: a template as the gate sees it, a finding, and a check.
 * Checks are pure functions of the templates (plus the config); only cfn-lint, `sls package` and
 * cdk-nag do real work outside this process, and each lives in its own module.
 */
import type { PlaygroundConfig, StackId } from '../../config';

/** A JSON value as found in a template. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface CfnResource {
  Type: string;
  Properties?: JsonObject;
  DependsOn?: string | string[];
  Condition?: string;
  Metadata?: JsonObject;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, JsonObject>;
  Conditions?: JsonObject;
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value?: Json; Export?: { Name?: Json }; Description?: string }>;
}

/** Our six generated stacks, plus the hook's Serverless stack. */
export type LintStackId = StackId | 'hook';

/** One template under check. */
export interface LintTemplate {
  /** Stack id (`network`, …, `hook`): how findings and suppressions name the template. */
  id: LintStackId;
  /** File path as shown in findings (relative to the repository root when inside it). */
  label: string;
  /** Absolute path of the file: cfn-lint and CfnInclude read it. */
  file: string;
  /** The file's text, exactly as written. */
  body: string;
  template: CfnTemplate;
}

export interface Finding {
  /** Name of the check that found it, e.g. `cfn-lint`. */
  check: string;
  /** Template label (file path), or `-` for findings about the gate itself. */
  template: string;
  /** Where inside the template, e.g. `Resources/TaskRole/Properties/Policies/0`; empty when global. */
  location: string;
  message: string;
}

export interface LintContext {
  templates: readonly LintTemplate[];
  config: PlaygroundConfig;
}

export interface Check {
  /** Short, stable name printed at the start of the check's line. */
  name: string;
  /** What it checks, for `--help` and docs. */
  description: string;
  run(ctx: LintContext): Finding[] | Promise<Finding[]>;
}

/** Convenience to build a finding of one check. */
export function finding(
  check: string,
  template: LintTemplate | string,
  location: string,
  message: string,
): Finding {
  return { check, template: typeof template === 'string' ? template : template.label, location, message };
}

/** `check template location: message`, the one format every finding is printed in. */
export function formatFinding(f: Finding): string {
  const where = f.location ? `${f.template} ${f.location}` : f.template;
  return `${where}: ${f.message}`;
}
