/**
 * A service stack's load balancer as the rehearsal's HAProxy serves it: its listeners, each with
 * its default action and its rules in priority order, and its target groups with their health
 * checks and deregistration delay — read from the rendered template (template.ts), never typed here.
 *
 * What an ALB does with them (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html):
 * rules are evaluated in priority order, lowest first, the default action last; a `forward` with
 * several target groups splits requests by weight (0-999, 0 gets none); `fixed-response` answers
 * itself. Conditions here: path-pattern (`*` any characters, `?` one) and http-header (the name
 * case-insensitive, the values case-insensitive with the same wildcards)
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html).
 */
import type { RenderedStack } from './template';

export interface HealthCheck {
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** The matcher's HTTP codes, e.g. `200`, `200-299`, `200,302`. */
  matcher: string;
}

export interface TargetGroupModel {
  id: string;
  name: string;
  arn: string;
  healthCheck: HealthCheck;
  deregistrationDelaySeconds: number;
  algorithm: string;
}

export type ActionModel =
  | { type: 'forward'; targets: { tg: string; weight: number }[] }
  /** To another listener of the load balancer, by its port (HTTP → HTTPS once a certificate exists). */
  | { type: 'redirect'; port: number; status: number }
  | { type: 'fixed-response'; status: number; contentType: string; body: string };

export type ConditionModel =
  | { field: 'path-pattern'; values: string[] }
  | { field: 'http-header'; header: string; values: string[] };

export interface RouteModel {
  /** The rule's logical id, or the listener's for its default action. */
  id: string;
  arn: string;
  priority?: number;
  conditions: ConditionModel[];
  action: ActionModel;
}

export interface ListenerModel {
  id: string;
  arn: string;
  port: number;
  protocol: string;
  /** Rules in priority order, then the default action (a route without conditions). */
  routes: RouteModel[];
}

export interface LoadBalancerModel {
  id: string;
  name: string;
  arn: string;
  listeners: ListenerModel[];
  targetGroups: TargetGroupModel[];
}

/** Bad or unsupported input from a template: the message names the resource and the fix. */
export class RehearsalTemplateError extends Error {
  override name = 'RehearsalTemplateError';
}

const ELB = 'AWS::ElasticLoadBalancingV2::';

export function loadBalancerOf(stack: RenderedStack): LoadBalancerModel {
  const [lbId] = stack.ofType(`${ELB}LoadBalancer`);
  if (!lbId) throw new RehearsalTemplateError(`${stack.stack}: no ${ELB}LoadBalancer in the template`);
  const props = (id: string) => stack.resolve(stack.resources[id].Properties) as Record<string, unknown>;
  const targetGroups = stack.ofType(`${ELB}TargetGroup`).map((id) => targetGroupOf(stack, id, props(id)));
  const tgByArn = new Map(targetGroups.map((t) => [t.arn, t.id]));
  const listeners = stack.ofType(`${ELB}Listener`).map((id): ListenerModel => {
    const p = props(id);
    const arn = stack.ref(id);
    const rules = stack
      .ofType(`${ELB}ListenerRule`)
      .map((ruleId) => ({ ruleId, p: props(ruleId) }))
      .filter(({ p: r }) => r.ListenerArn === arn)
      .sort((a, b) => Number(a.p.Priority) - Number(b.p.Priority))
      .map(({ ruleId, p: r }) => ({
        id: ruleId,
        arn: stack.ref(ruleId),
        priority: Number(r.Priority),
        conditions: (r.Conditions as Record<string, unknown>[]).map((c) => conditionOf(ruleId, c)),
        action: actionOf(ruleId, r.Actions, tgByArn),
      }));
    return {
      id,
      arn,
      port: Number(p.Port),
      protocol: String(p.Protocol),
      routes: [...rules, { id, arn, conditions: [], action: actionOf(id, p.DefaultActions, tgByArn) }],
    };
  });
  return { id: lbId, name: String(props(lbId).Name ?? lbId), arn: stack.ref(lbId), listeners, targetGroups };
}

function targetGroupOf(stack: RenderedStack, id: string, p: Record<string, unknown>): TargetGroupModel {
  // ALB's defaults where the template says nothing (target-group-health-checks.html).
  const attributes = new Map(
    ((p.TargetGroupAttributes as { Key: string; Value: string }[]) ?? []).map((a) => [a.Key, a.Value]),
  );
  return {
    id,
    name: String(p.Name ?? id),
    arn: stack.ref(id),
    healthCheck: {
      path: String(p.HealthCheckPath ?? '/'),
      intervalSeconds: Number(p.HealthCheckIntervalSeconds ?? 30),
      timeoutSeconds: Number(p.HealthCheckTimeoutSeconds ?? 5),
      healthyThreshold: Number(p.HealthyThresholdCount ?? 5),
      unhealthyThreshold: Number(p.UnhealthyThresholdCount ?? 2),
      matcher: String((p.Matcher as { HttpCode?: string } | undefined)?.HttpCode ?? '200'),
    },
    deregistrationDelaySeconds: Number(attributes.get('deregistration_delay.timeout_seconds') ?? 300),
    algorithm: attributes.get('load_balancing.algorithm.type') ?? 'round_robin',
  };
}

function conditionOf(ruleId: string, c: Record<string, unknown>): ConditionModel {
  if (c.Field === 'path-pattern') {
    const values = (c.PathPatternConfig as { Values?: string[] })?.Values ?? (c.Values as string[]) ?? [];
    return { field: 'path-pattern', values };
  }
  if (c.Field === 'http-header') {
    const h = c.HttpHeaderConfig as { HttpHeaderName: string; Values: string[] };
    return { field: 'http-header', header: h.HttpHeaderName, values: h.Values };
  }
  throw new RehearsalTemplateError(
    `${ruleId}: condition ${String(c.Field)} is not emulated (path-pattern and http-header are); extend scripts/rehearse/alb.ts`,
  );
}

function actionOf(owner: string, actions: unknown, tgByArn: Map<string, string>): ActionModel {
  const list = (actions as Record<string, unknown>[]) ?? [];
  // The terminal action is the last by Order; authenticate-* before it are not emulated.
  const last = [...list].sort((a, b) => Number(a.Order ?? 0) - Number(b.Order ?? 0)).at(-1);
  const tg = (arn: unknown) => {
    const id = tgByArn.get(String(arn));
    if (!id)
      throw new RehearsalTemplateError(
        `${owner}: forwards to ${String(arn)}, not a target group of this stack`,
      );
    return id;
  };
  if (last?.Type === 'forward') {
    const weighted = (last.ForwardConfig as { TargetGroups?: { TargetGroupArn: string; Weight?: number }[] })
      ?.TargetGroups;
    if (weighted?.length)
      return {
        type: 'forward',
        targets: weighted.map((t) => ({ tg: tg(t.TargetGroupArn), weight: Number(t.Weight ?? 1) })),
      };
    return { type: 'forward', targets: [{ tg: tg(last.TargetGroupArn), weight: 1 }] };
  }
  if (last?.Type === 'fixed-response') {
    const f = last.FixedResponseConfig as { StatusCode: string; ContentType?: string; MessageBody?: string };
    return {
      type: 'fixed-response',
      status: Number(f.StatusCode),
      contentType: f.ContentType ?? 'text/plain',
      body: f.MessageBody ?? '',
    };
  }
  if (last?.Type === 'redirect') {
    const r = last.RedirectConfig as { Port?: string; StatusCode?: string };
    return { type: 'redirect', port: Number(r.Port ?? 443), status: r.StatusCode === 'HTTP_302' ? 302 : 301 };
  }
  throw new RehearsalTemplateError(
    `${owner}: action ${String(last?.Type ?? '(none)')} is not emulated (forward, redirect and fixed-response are); extend scripts/rehearse/alb.ts`,
  );
}

/** ALB path/header wildcards (`*`, `?`) as an anchored regular expression. */
export function wildcardRegex(pattern: string): string {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return `^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`;
}
