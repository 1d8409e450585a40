/**
 * The target group both services use (once for rolling, twice for blue/green), so the health check
 * and draining behaviour cannot differ between the two deployment styles being compared.
 */
import { ElasticLoadBalancingV2, type Value } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { importValue, tags } from './common';

export function targetGroup(config: PlaygroundConfig, name: string): ElasticLoadBalancingV2.TargetGroup {
  const { healthCheck, loadBalancer, container } = config;
  const names = namesFor(config);
  const vpcId: Value<string> = importValue(names, 'network', 'VpcId');
  return new ElasticLoadBalancingV2.TargetGroup({
    Name: name,
    // awsvpc tasks are registered by IP; the ALB talks plain HTTP to the container port.
    TargetType: 'ip',
    Protocol: 'HTTP',
    Port: container.port,
    VpcId: vpcId,
    HealthCheckEnabled: true,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPath: healthCheck.path,
    // Interval, timeout and thresholds come from the config; config/defaults.ts says why each is
    // what it is (10 s × 2 puts a task in service in ~20 s instead of 150 s with ALB defaults).
    HealthCheckIntervalSeconds: healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: healthCheck.timeoutSeconds,
    HealthyThresholdCount: healthCheck.healthyThresholdCount,
    UnhealthyThresholdCount: healthCheck.unhealthyThresholdCount,
    // Only 200 is healthy: a redirect or a 404 on the health path is a broken release.
    Matcher: { HttpCode: '200' },
    TargetGroupAttributes: [
      // Draining time of a deregistered task; 30 s by default instead of the ALB's 300 s.
      { Key: 'deregistration_delay.timeout_seconds', Value: String(loadBalancer.deregistrationDelaySeconds) },
      { Key: 'load_balancing.algorithm.type', Value: loadBalancer.algorithm },
    ],
    Tags: tags(config),
  });
}
