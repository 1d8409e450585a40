/**
 * Test helpers: templates as CloudFormation reads them (the rendered JSON, parsed back), for the
 * checked-in defaults or defaults with overrides. Never reads playground.config.json or the env.
 */

import { renderTemplate, STACK_TEMPLATES } from '../../cloudformation/stacks';
import type { StackId } from '../../config';
import { configWith } from '../support/config';

export { configWith };

// biome-ignore lint/suspicious/noExplicitAny: templates are arbitrary JSON navigated by tests.
export type Json = any;

/** The parsed JSON template of one stack. */
export function generated(stack: StackId, overrides: unknown = {}): Json {
  return JSON.parse(renderTemplate(STACK_TEMPLATES[stack](configWith(overrides))));
}

/** Resources of a given type, as [logicalId, resource] pairs. */
export function ofType(template: Json, type: string): [string, Json][] {
  return Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
}

/**
 * The listeners and listener rules of a template, each with the target groups CloudFormation could
 * delete before it (neither a Ref nor a DependsOn on them): deleteBeforeTargetGroups() leaves none.
 */
export function routesDeletedAfter(template: Json, targetGroups: readonly string[]): [string, string[]][] {
  const routing = Object.entries(template.Resources as Record<string, Json>).filter(([, r]) =>
    ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule'].includes(r.Type),
  );
  return routing.map(([id, r]) => {
    const refs = JSON.stringify(r.Properties);
    const ordered = (group: string) =>
      refs.includes(JSON.stringify({ Ref: group })) || (r.DependsOn ?? []).includes(group);
    return [id, targetGroups.filter((group) => !ordered(group))];
  });
}

/** Target group attributes as a key → value map. */
export function attributes(list: { Key: string; Value: string }[]): Record<string, string> {
  return Object.fromEntries(list.map((a) => [a.Key, a.Value]));
}

export const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f2e4c3a-1111-2222-3333-444455556666';

/**
 * A role's trust statements as trustPolicy() must render them: `service` only, on behalf of this
 * account, and with `resource` (`<service>:<resource>` in this account and region) as aws:SourceArn.
 */
export function guardedTrust(service: string, arn?: { service: string; resource: string }): Json[] {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, not a JS template
  const account = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:';
  return [
    {
      Sid: 'AssumedByService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ...(arn
          ? { ArnLike: { 'aws:SourceArn': { 'Fn::Sub': account.replace('%s', arn.service) + arn.resource } } }
          : {}),
      },
    },
  ];
}

/** A trust statement without a confused-deputy condition, for a service that documents none. */
export function unguardedTrust(service: string): Json[] {
  return [
    { Sid: 'AssumedByService', Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' },
  ];
}

/** Config variants that change which resources exist (NAT, HTTPS, open test listener, custom deployment). */
export const CONFIG_VARIANTS: Record<string, unknown> = {
  defaults: {},
  'NAT, certificate, header-token test listener, custom deployment config, existing connection, ARM64, prod':
    {
      network: { natGateways: true },
      loadBalancer: { certificateArn: CERT, testListenerAccess: 'header-token' },
      blueGreen: {
        deploymentConfig: { name: 'pg-canary', type: 'TimeBasedCanary', percentage: 20, intervalMinutes: 3 },
      },
      github: {
        connectionArn:
          'arn:aws:codeconnections:us-west-2:111122223333:connection/8e1f2b3c-aaaa-bbbb-cccc-0123456789ab',
      },
      container: { architecture: 'ARM64', cpu: 512, memory: 1024 },
      app: { stage: 'prod' },
    },
};
