import { expect } from 'chai';
import { DEFAULT_CONFIG, namesFor, STACKS } from '../../config';

describe('names', () => {
  const names = namesFor(DEFAULT_CONFIG);

  it('prefixes every stack with app and stage, in deployment order', () => {
    expect(STACKS.map(names.stackName)).to.deep.equal([
      'ecs-playground-dev-network',
      'ecs-playground-dev-registry',
      'ecs-playground-dev-cluster',
      'ecs-playground-dev-pipelines',
      'ecs-playground-dev-service-rolling',
      'ecs-playground-dev-service-bluegreen',
      'ecs-playground-dev-service-canary',
    ]);
    expect(names.exportName('network', 'VpcId')).to.equal('ecs-playground-dev-network:VpcId');
  });

  it('names the hook so AWSCodeDeployRoleForECSLimited may invoke it', () => {
    expect(names.hookFunction).to.equal('CodeDeployHook_ecs-playground-dev');
    expect(names.hookStackName).to.equal('ecs-playground-hook-dev');
  });

  it('keeps load balancer and target group names within 32 characters for the longest app and stage', () => {
    const longest = namesFor({
      ...DEFAULT_CONFIG,
      app: { ...DEFAULT_CONFIG.app, name: 'a23456789012345', stage: 'b2345678', stages: ['b2345678'] },
    });
    const elbNames = [
      longest.rolling.loadBalancer,
      longest.rolling.targetGroup,
      longest.blueGreen.loadBalancer,
      longest.blueGreen.blueTargetGroup,
      longest.blueGreen.greenTargetGroup,
      longest.ecsCanary.loadBalancer,
      longest.ecsCanary.primaryTargetGroup,
      longest.ecsCanary.alternateTargetGroup,
    ];
    for (const n of elbNames) expect(n.length, n).to.be.at.most(32);
    expect(longest.hookFunction.length).to.be.at.most(64);
  });
});
