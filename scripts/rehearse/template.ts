/**
 * The rehearsal reads the service stacks exactly as `npm run synth` renders them for the config
 * (cloudformation/stacks.ts renderAll), not a second description of the architecture. This file is
 * the one place that looks inside a rendered template: its resources by type, and the intrinsic
 * functions resolved the way CloudFormation would for one imaginary stack (a fixed account id from
 * AWS's documentation examples, loopback DNS names).
 */

import { renderAll } from '../../cloudformation/stacks';
import type { PlaygroundConfig, ServiceStackId } from '../../config';

/** AWS's documentation example account: never a real one. */
export const REHEARSAL_ACCOUNT = '123456789012';

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/**
 * A resource's properties with every intrinsic resolved: plain JSON, read by AWS's property names.
 * The one loose type of the rehearsal: the templates are typed by cloudform when written, and what
 * the control planes read back is checked by the rehearsal's own tests against the real templates.
 */
// biome-ignore lint/suspicious/noExplicitAny: resolved template JSON, read by AWS's property names (see above)
export type Props = Record<string, any>;

export interface RenderedStack {
  stack: ServiceStackId;
  resources: Record<string, CfnResource>;
  /** Resolves a property value: Ref, Fn::GetAtt, Fn::Sub, Fn::Select, Fn::Split, Fn::Join, Fn::ImportValue. */
  resolve(value: unknown): unknown;
  /** A resource's properties, resolved. */
  props(id: string): Props;
  /** The logical ids of the resources of a type, in template order. */
  ofType(type: string): string[];
  /** The ARN (or name, for what Ref names) CloudFormation's Ref gives for a logical id. */
  ref(id: string): string;
}

/** The service stacks of the config, as synth renders them. */
export function renderedServiceStacks(config: PlaygroundConfig, stackName: (s: ServiceStackId) => string) {
  const out = new Map<ServiceStackId, RenderedStack>();
  for (const rendered of renderAll(config)) {
    if (!rendered.stack.startsWith('service-')) continue;
    const stack = rendered.stack as ServiceStackId;
    const json = JSON.parse(rendered.json) as { Resources: Record<string, CfnResource> };
    out.set(stack, readStack(stack, json.Resources, config.app.region, stackName(stack)));
  }
  return out;
}

/** A deterministic id per logical id (ARNs need one; AWS's are random hex). */
function hexId(text: string, length: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < length) {
    for (const c of text + out.length) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

export function readStack(
  stack: ServiceStackId,
  resources: Record<string, CfnResource>,
  region: string,
  stackName: string,
): RenderedStack {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${region}:${REHEARSAL_ACCOUNT}:${resource}`;
  const stackId = arn('cloudformation', `stack/${stackName}/${hexId(stackName, 8)}-rehearsal`);
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': REHEARSAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::StackId': stackId,
    'AWS::StackName': stackName,
  };
  const name = (id: string) => String(resources[id]?.Properties.Name ?? id);
  const lbPath = (lbId: string) => `app/${name(lbId)}/${hexId(lbId, 16)}`;
  const ref = (id: string): string => {
    if (pseudo[id]) return pseudo[id];
    const r = resources[id];
    if (!r) return id; // a parameter: its name stands for its value
    const p = r.Properties;
    switch (r.Type) {
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        return arn('elasticloadbalancing', `loadbalancer/${lbPath(id)}`);
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        return arn('elasticloadbalancing', `targetgroup/${name(id)}/${hexId(id, 16)}`);
      case 'AWS::ElasticLoadBalancingV2::Listener': {
        const lb = (p.LoadBalancerArn as { Ref: string }).Ref;
        return arn('elasticloadbalancing', `listener/${lbPath(lb)}/${hexId(id, 16)}`);
      }
      case 'AWS::ElasticLoadBalancingV2::ListenerRule': {
        const listener = (p.ListenerArn as { Ref: string }).Ref;
        const lb = (resources[listener].Properties.LoadBalancerArn as { Ref: string }).Ref;
        return arn(
          'elasticloadbalancing',
          `listener-rule/${lbPath(lb)}/${hexId(listener, 16)}/${hexId(id, 16)}`,
        );
      }
      case 'AWS::CodeDeploy::Application':
        return String(p.ApplicationName ?? id);
      case 'AWS::CodeDeploy::DeploymentGroup':
        return String(p.DeploymentGroupName ?? id);
      case 'AWS::CloudWatch::Alarm':
        return String(p.AlarmName ?? id);
      case 'AWS::ECS::Service':
        return arn('ecs', `service/rehearsal/${String(p.ServiceName ?? id)}`);
      case 'AWS::ECS::TaskDefinition':
        return arn('ecs', `task-definition/${String(p.Family ?? id)}:1`);
      default:
        return String(p.Name ?? id);
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const r = resources[id];
    if (attribute === 'LoadBalancerFullName') return lbPath(id);
    if (attribute === 'TargetGroupFullName') return `targetgroup/${name(id)}/${hexId(id, 16)}`;
    if (attribute === 'TargetGroupName' || attribute === 'Name')
      return String(r?.Properties.Name ?? r?.Properties.ServiceName ?? id);
    if (attribute === 'DNSName') return '127.0.0.1';
    if (attribute === 'Arn') return arn('iam', `role/${id}`);
    return `${id}.${attribute}`;
  };
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return ref(String(o.Ref));
    if ('Fn::GetAtt' in o) {
      const [id, attribute] = o['Fn::GetAtt'] as [string, string];
      return getAtt(id, attribute);
    }
    if ('Fn::Sub' in o) {
      const text = String(o['Fn::Sub']);
      return text.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
        const [id, attribute] = key.split('.');
        return attribute ? getAtt(id, attribute) : ref(id);
      });
    }
    if ('Fn::Split' in o) {
      const [sep, text] = o['Fn::Split'] as [string, unknown];
      return String(resolve(text)).split(sep);
    }
    if ('Fn::Select' in o) {
      const [index, list] = o['Fn::Select'] as [number, unknown];
      return (resolve(list) as unknown[])[Number(index)];
    }
    if ('Fn::Join' in o) {
      const [sep, list] = o['Fn::Join'] as [string, unknown[]];
      return (resolve(list) as unknown[]).join(sep);
    }
    if ('Fn::ImportValue' in o) return `import:${String(resolve(o['Fn::ImportValue']))}`;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
  };
  return {
    stack,
    resources,
    resolve,
    ref,
    props: (id) => resolve(resources[id].Properties) as Props,
    ofType: (type) => Object.keys(resources).filter((id) => resources[id].Type === type),
  };
}
