/**
 * The internet-facing ALB and its production listeners, rendered the same way for both services.
 *
 * Without a certificate: listener 80 forwards to the service. With `loadBalancer.certificateArn`:
 * listener 443 (HTTPS) forwards, and 80 redirects to it.
 */
import { ElasticLoadBalancingV2, Fn, Refs, type Value } from 'cloudform';
import { namesFor, type PlaygroundConfig, TEST_LISTENER_TOKEN_HEADER } from '../config';
import { importValue, tags } from './common';
import { sub } from './intrinsics';

/** Logical IDs of one service's load balancer and listeners (each service stack passes its own). */
export interface LoadBalancerIds {
  LoadBalancer: string;
  HttpListener: string;
  HttpsListener: string;
}

/**
 * TLS policy for the HTTPS listener: TLS 1.2+ with forward secrecy only (the ELB-recommended
 * policy family without TLS 1.0/1.1).
 */
export const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export function applicationLoadBalancer(
  config: PlaygroundConfig,
  name: string,
): ElasticLoadBalancingV2.LoadBalancer {
  const names = namesFor(config);
  return new ElasticLoadBalancingV2.LoadBalancer({
    Name: name,
    Type: 'application',
    Scheme: 'internet-facing',
    Subnets: Fn.Split(',', importValue(names, 'network', 'PublicSubnetIds')),
    SecurityGroups: [importValue(names, 'network', 'AlbSecurityGroupId')],
    LoadBalancerAttributes: [
      // The app's keep-alive timeout is derived from this one and is longer (see config/contracts/app.ts),
      // so the ALB never reuses a connection the app is closing (no sporadic 502s).
      { Key: 'idle_timeout.timeout_seconds', Value: String(config.loadBalancer.idleTimeoutSeconds) },
      // Malformed header names never reach the app (request smuggling defence).
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      // `npm run destroy` must be able to delete the stack.
      { Key: 'deletion_protection.enabled', Value: 'false' },
      // Access logs are off: they need an S3 bucket with an ELB bucket policy, and cost storage for a
      // playground whose requests are synthetic; CloudWatch metrics and the app's own logs remain.
      { Key: 'access_logs.s3.enabled', Value: 'false' },
    ],
    Tags: tags(config),
  });
}

/** The listener that carries production traffic: 443 with a certificate, else 80. */
export function productionListenerId(config: PlaygroundConfig, ids: LoadBalancerIds): string {
  return config.loadBalancer.certificateArn ? ids.HttpsListener : ids.HttpListener;
}

/** Listeners 80 (and 443): the production one forwards to `targetGroupArn`. */
export function productionListeners(
  config: PlaygroundConfig,
  ids: LoadBalancerIds,
  targetGroupArn: Value<string>,
): Record<string, ElasticLoadBalancingV2.Listener> {
  const forward = [{ Type: 'forward', TargetGroupArn: targetGroupArn }];
  const certificateArn = config.loadBalancer.certificateArn;
  if (!certificateArn) {
    return {
      [ids.HttpListener]: new ElasticLoadBalancingV2.Listener({
        LoadBalancerArn: Fn.Ref(ids.LoadBalancer),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: forward,
      }),
    };
  }
  return {
    [ids.HttpListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: Fn.Ref(ids.LoadBalancer),
      Port: 80,
      Protocol: 'HTTP',
      // Plain HTTP only redirects once a certificate exists; nothing is served unencrypted. No
      // deployment uses this listener (ECS is given the production rule on 443, CodeDeploy 443 as
      // its production route) and it has no forward, so it mixes no action types (see deadEndForward).
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
      ],
    }),
    [ids.HttpsListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: Fn.Ref(ids.LoadBalancer),
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: certificateArn }],
      SslPolicy: SSL_POLICY,
      DefaultActions: forward,
    }),
  };
}

/**
 * A test listener's token: the UUID at the end of the stack id (`arn:…:stack/<name>/<uuid>`).
 * Random per stack, free, and readable only by principals allowed elbv2:DescribeRules (the hook).
 */
export const TEST_LISTENER_TOKEN = Fn.Select(2, Fn.Split('/', Refs.StackId));

/** Priority of a test listener's token rule: the only rule on its listener. */
export const TEST_LISTENER_RULE_PRIORITY = 1;

/** The condition of a test listener's token rule: requests carrying TEST_LISTENER_TOKEN_HEADER with the token. */
export function testListenerTokenCondition() {
  return {
    Field: 'http-header',
    HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [TEST_LISTENER_TOKEN] },
  };
}

/**
 * A test listener's default action when only the token rule may reach a revision: a forward to a
 * target group that never has targets, for which the ALB itself answers 503 ("The target groups for
 * the load balancer have no registered targets",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html#http-503-issues).
 *
 * Not a fixed-response 404: ECS's guide lists as a limitation that blue/green, linear and canary
 * deployments fail on ALB listeners whose rules mix forward and non-forward actions (redirect,
 * fixed-response, authenticate) ("Limitations", in the page's current German and Portuguese editions:
 * https://docs.aws.amazon.com/de_de/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html,
 * https://docs.aws.amazon.com/pt_br/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html).
 * Every action on a listener a deployment uses is therefore a forward (lint:cfn's
 * `mixed-listener-actions` keeps it so); the CodeDeploy blue/green test listener follows suit.
 */
export function deadEndForward(targetGroupId: string) {
  return [{ Type: 'forward', TargetGroupArn: Fn.Ref(targetGroupId) }];
}

/** `http://<ALB DNS name>/version`: the URL the README and the benchmarks use. */
export function versionUrl(ids: LoadBalancerIds): Value<string> {
  return sub(`http://\${${ids.LoadBalancer}.DNSName}/version`);
}

/**
 * Deletion order for a target-group pair that a deployment controller re-points. After a blue/green
 * or canary deployment the listeners and rules forward to BOTH groups (weighted forwards), though the
 * template names one: without an explicit dependency CloudFormation may delete the other group first,
 * and "You can delete a target group if it is not referenced by any actions" (ResourceInUse
 * otherwise). A resource is deleted before the resources it DependsOn (or Refs), so every listener
 * and rule goes first. Only the groups a resource does not Ref already get a DependsOn: cfn-lint
 * W3005 flags one a Ref implies.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html
 */
export function deleteBeforeTargetGroups(
  resources: Record<string, unknown>,
  targetGroupIds: readonly string[],
): void {
  for (const resource of Object.values(resources)) {
    if (
      !(
        resource instanceof ElasticLoadBalancingV2.Listener ||
        resource instanceof ElasticLoadBalancingV2.ListenerRule
      )
    ) {
      continue;
    }
    const refs = JSON.stringify(resource.Properties);
    const missing = targetGroupIds.filter((id) => !refs.includes(JSON.stringify({ Ref: id })));
    if (!missing.length) continue;
    const existing = ([] as unknown[]).concat(resource.DependsOn ?? []).filter((d) => typeof d === 'string');
    resource.dependsOn([...(existing as string[]), ...missing]);
  }
}
