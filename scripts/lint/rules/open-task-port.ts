/**
 * No security group may open the container port (config.container.port) to the internet
 * (0.0.0.0/0 or ::/0): tasks must only be reachable through their load balancer.
 *
 * One exception, decided from the templates rather than from names: a security group attached ONLY
 * to load balancers (followed across stacks through its export) may open that port number, because
 * there it is a listener port (the blue/green test listener may use the same number), not the
 * task's port. A group attached to nothing, or to anything else, is checked.
 */
import type { Check, Finding, Json, JsonObject, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { asList, importedName, isObject, pathString, referencedId, resourcesOf, walk } from '../walk';

export const OPEN_TASK_PORT_CHECK = 'open-task-port';

const INTERNET = new Set(['0.0.0.0/0', '::/0']);
const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
/** Properties that attach security groups to a resource (ALB, ECS service, Lambda, CodeBuild…). */
const ATTACHING_KEYS = new Set(['SecurityGroups', 'SecurityGroupIds']);

interface OpenRule {
  template: LintTemplate;
  group: string;
  path: string[];
  cidr: string;
}

/** Does an ingress rule let `port` in from the internet? Returns the CIDR when it does. */
export function opensToInternet(rule: JsonObject, port: number): string | undefined {
  const cidr = [rule.CidrIp, rule.CidrIpv6].find(
    (c): c is string => typeof c === 'string' && INTERNET.has(c),
  );
  if (!cidr) return undefined;
  const protocol = String(rule.IpProtocol ?? '');
  if (protocol === '-1' || protocol.toLowerCase() === 'all') return cidr;
  if (protocol.toLowerCase() !== 'tcp' && protocol !== '6') return undefined;
  const from = Number(rule.FromPort);
  const to = Number(rule.ToPort);
  return from <= port && port <= to ? cidr : undefined;
}

function openRules(t: LintTemplate, port: number): OpenRule[] {
  const out: OpenRule[] = [];
  for (const [id, sg] of resourcesOf(t.template, 'AWS::EC2::SecurityGroup')) {
    asList(sg.Properties?.SecurityGroupIngress).forEach((rule, i) => {
      const cidr = isObject(rule) ? opensToInternet(rule, port) : undefined;
      if (cidr)
        out.push({
          template: t,
          group: id,
          path: ['Resources', id, 'Properties', 'SecurityGroupIngress', String(i)],
          cidr,
        });
    });
  }
  for (const [id, ingress] of resourcesOf(t.template, 'AWS::EC2::SecurityGroupIngress')) {
    const cidr = ingress.Properties ? opensToInternet(ingress.Properties, port) : undefined;
    if (!cidr) continue;
    const group = referencedId(ingress.Properties?.GroupId) ?? `(${id}: group not in this template)`;
    out.push({ template: t, group, path: ['Resources', id, 'Properties'], cidr });
  }
  return out;
}

/** Types of the resources a security group is attached to, in its own stack and through its exports. */
export function attachments(
  templates: readonly LintTemplate[],
  owner: LintTemplate,
  group: string,
): string[] {
  const exportNames = Object.values(owner.template.Outputs ?? {})
    .filter((o) => referencedId(o.Value) === group && typeof o.Export?.Name === 'string')
    .map((o) => o.Export?.Name as string);
  const types: string[] = [];
  for (const t of templates) {
    for (const [id, resource] of resourcesOf(t.template)) {
      walk(resource.Properties, [], (node: Json, path) => {
        if (!path.some((p) => ATTACHING_KEYS.has(p))) return;
        const local = t === owner && referencedId(node) === group;
        const imported = exportNames.includes(importedName(node) ?? '');
        if (local || imported) types.push(`${resource.Type} ${id}`);
      });
    }
  }
  return types;
}

export function checkOpenTaskPort(templates: readonly LintTemplate[], port: number): Finding[] {
  const findings: Finding[] = [];
  for (const t of templates) {
    for (const rule of openRules(t, port)) {
      const attached = attachments(templates, t, rule.group);
      if (attached.length && attached.every((a) => a.startsWith(`${LOAD_BALANCER} `))) continue;
      const to = attached.length ? `attached to ${attached.join(', ')}` : 'attached to no load balancer';
      findings.push(
        finding(
          OPEN_TASK_PORT_CHECK,
          t,
          pathString(rule.path),
          `security group ${rule.group} opens the container port ${port} to ${rule.cidr} (${to})`,
        ),
      );
    }
  }
  return findings;
}

export const openTaskPortCheck: Check = {
  name: OPEN_TASK_PORT_CHECK,
  description:
    'no security group (other than a load balancer-only one) opens the container port to the internet',
  run: (ctx: LintContext) => checkOpenTaskPort(ctx.templates, ctx.config.container.port),
};
