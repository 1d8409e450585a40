/**
 * A test listener as the probes reach it: DescribeListeners for its port, protocol and load
 * balancer, DescribeLoadBalancers for that load balancer's DNS name. Both protocols' discovery use
 * it: CodeDeploy's finds the listener in the deployment group, ECS's in the test listener rule's ARN.
 */
import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DiscoveryError, type Opts } from './discovery-error';

export interface TestListener {
  listenerArn: string;
  port: number;
  loadBalancerArn: string;
  defaultActions: Action[];
}

/** The listener, or a DiscoveryError when it is gone or not plain HTTP (the hook probes HTTP only). */
export async function describeTestListener(
  elbv2: ElasticLoadBalancingV2Client,
  listenerArn: string,
  opts: Opts,
): Promise<TestListener> {
  const { Listeners } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }), opts);
  const listener = Listeners?.[0];
  if (!listener?.Port || !listener.LoadBalancerArn) {
    throw new DiscoveryError(`test listener ${listenerArn} not found`);
  }
  if (listener.Protocol !== 'HTTP') {
    throw new DiscoveryError(
      `test listener ${listenerArn} uses ${listener.Protocol}; the hook probes HTTP only`,
    );
  }
  return {
    listenerArn,
    port: listener.Port,
    loadBalancerArn: listener.LoadBalancerArn,
    defaultActions: listener.DefaultActions ?? [],
  };
}

/** `http://<DNS name>:<port>` of the listener's load balancer. */
export async function listenerBaseUrl(
  elbv2: ElasticLoadBalancingV2Client,
  listener: TestListener,
  opts: Opts,
): Promise<string> {
  const { LoadBalancers } = await elbv2.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.loadBalancerArn] }),
    opts,
  );
  const dns = LoadBalancers?.[0]?.DNSName;
  if (!dns) throw new DiscoveryError(`load balancer ${listener.loadBalancerArn} has no DNS name`);
  return `http://${dns}:${listener.port}`;
}

/**
 * The listener a rule belongs to: `…:listener-rule/app/<lb>/<lb id>/<listener id>/<rule id>` →
 * `…:listener/app/<lb>/<lb id>/<listener id>` (the ARN formats of
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html).
 */
export function listenerArnOfRule(ruleArn: string): string | undefined {
  const match =
    /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener-rule\/(app\/[^/]+\/[^/]+\/[^/]+)\/[^/]+$/.exec(
      ruleArn,
    );
  return match ? `${match[1]}listener/${match[2]}` : undefined;
}
