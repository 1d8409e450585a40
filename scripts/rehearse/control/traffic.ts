/**
 * A CodeDeploy ECS deployment configuration's traffic shifts, from the deployment group's
 * DeploymentConfigName (a predefined `CodeDeployDefault.ECS…` name) or the template's own
 * AWS::CodeDeploy::DeploymentConfig (TrafficRoutingConfig)
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html#deployment-configuration-ecs).
 */
import type { RenderedStack } from '../template';

export interface Shift {
  /** Percent of production on the replacement after this step. */
  percent: number;
  /** Minutes this step lasts before the next one. */
  minutes: number;
}

export function trafficSteps(stack: RenderedStack, configName: unknown): Shift[] {
  let type = 'AllAtOnce';
  let percent = 100;
  let minutes = 0;
  const custom = stack.ofType('AWS::CodeDeploy::DeploymentConfig').find((id) => stack.ref(id) === configName);
  if (custom) {
    const t = stack.props(custom).TrafficRoutingConfig;
    type = t?.Type ?? 'AllAtOnce';
    const c = t?.TimeBasedCanary ?? t?.TimeBasedLinear;
    if (c)
      [percent, minutes] = [
        Number(c.CanaryPercentage ?? c.LinearPercentage),
        Number(c.CanaryInterval ?? c.LinearInterval),
      ];
  } else {
    const m = /ECS(Canary|Linear)(\d+)Percent(?:Every)?(\d+)Minutes?/.exec(String(configName));
    if (m)
      [type, percent, minutes] = [
        m[1] === 'Canary' ? 'TimeBasedCanary' : 'TimeBasedLinear',
        Number(m[2]),
        Number(m[3]),
      ];
  }
  if (type === 'TimeBasedCanary')
    return [
      { percent, minutes },
      { percent: 100, minutes: 0 },
    ];
  if (type === 'TimeBasedLinear') {
    const steps: Shift[] = [];
    for (let p = percent; p < 100; p += percent) steps.push({ percent: p, minutes });
    return [...steps, { percent: 100, minutes: 0 }];
  }
  return [{ percent: 100, minutes: 0 }];
}
