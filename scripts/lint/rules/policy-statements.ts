/**
 * Every IAM policy statement in a template, identity-based (roles, policies, users, groups) or
 * resource-based (bucket, repository, key policies…), found wherever a `Statement` appears, so a
 * new resource type with a policy is covered without touching the rules.
 */
import type { JsonObject, LintTemplate } from '../types';
import { asList, isObject, walk } from '../walk';

/** Resource types whose policies grant permissions to the principal they are attached to. */
const IDENTITY_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
]);

export interface PolicyStatement {
  /** Logical id of the resource holding the policy. */
  resource: string;
  /** `Resources/<id>/Properties/.../Statement/<i>` */
  path: string[];
  statement: JsonObject;
  /** An identity-based permission policy (not a trust policy, not a resource policy). */
  identity: boolean;
}

export function policyStatements(t: LintTemplate): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const [id, resource] of Object.entries(t.template.Resources ?? {})) {
    walk(resource.Properties, ['Resources', id, 'Properties'], (node, path) => {
      if (!isObject(node) || !('Statement' in node)) return;
      const trust = path.includes('AssumeRolePolicyDocument');
      asList(node.Statement).forEach((statement, i) => {
        if (!isObject(statement)) return;
        out.push({
          resource: id,
          path: [...path, 'Statement', ...(Array.isArray(node.Statement) ? [String(i)] : [])],
          statement,
          identity: IDENTITY_TYPES.has(resource.Type) && !trust,
        });
      });
    });
  }
  return out;
}

/** An Allow statement (Effect is required; anything else grants nothing). */
export function allows(statement: JsonObject): boolean {
  return statement.Effect === 'Allow';
}

/** The statement's actions as literal strings (intrinsics are kept out: they cannot be judged). */
export function actionsOf(statement: JsonObject): string[] {
  return asList(statement.Action).filter((a): a is string => typeof a === 'string');
}

/** True for `*` and `service:*`, the two forms that grant every action (of a service). */
export function isFullWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}
