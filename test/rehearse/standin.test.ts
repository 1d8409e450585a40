/**
 * The stand-in for AWS speaks the SDK's wire protocols: the real SDK v3 clients, pointed at it, read
 * back the rehearsal's load balancer (awsQuery/XML) and a task definition (awsJson1_1) in their
 * model shapes, and a modelled error arrives as the SDK's exception.
 */
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'chai';
import { namesFor } from '../../config';
import { loadBalancerOf } from '../../scripts/rehearse/alb';
import { RehearsalAws } from '../../scripts/rehearse/aws/model';
import { queryInput, type StandIn, startStandIn, toXml } from '../../scripts/rehearse/aws/standin';
import { Balancer } from '../../scripts/rehearse/balancer';
import { realClock } from '../../scripts/rehearse/clock';
import type { Haproxy } from '../../scripts/rehearse/haproxy';
import { renderedServiceStacks } from '../../scripts/rehearse/template';
import { configWith } from '../support/config';

describe('rehearsal stand-in for AWS (real SDK clients against it)', () => {
  const config = configWith();
  const aws = new RehearsalAws();
  const lb = loadBalancerOf(
    renderedServiceStacks(config, (s) => namesFor(config).stackName(s)).get('service-canary')!,
  );
  const ports = new Map(lb.listeners.map((l, i) => [l.id, 18000 + i]));
  // Describe calls read the balancer's state only; no haproxy is driven here.
  aws.balancers.push(new Balancer(lb, ports, {} as Haproxy, '', realClock(1)));
  let standIn: StandIn;
  const client = <T>(C: new (c: object) => T) =>
    new C({
      endpoint: standIn.url,
      region: 'us-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });

  before(async () => {
    standIn = await startStandIn(aws.operations());
  });
  after(() => standIn.close());

  it('answers DescribeRules, DescribeListeners and DescribeLoadBalancers in the ELBv2 model shapes', async () => {
    const elbv2 = client(ElasticLoadBalancingV2Client);
    const testRule = lb.listeners.find((l) => l.id === 'CanaryTestListener')!.routes[0];
    const { Rules } = await elbv2.send(new DescribeRulesCommand({ RuleArns: [testRule.arn] }));
    expect(Rules).to.have.length(1);
    expect(Rules![0].Conditions![0].HttpHeaderConfig!.HttpHeaderName).to.equal('X-Playground-Probe-Token');
    expect(Rules![0].Actions![0].ForwardConfig!.TargetGroups!.map((t) => t.Weight)).to.deep.equal([100, 0]);
    const listener = lb.listeners.find((l) => l.id === 'CanaryTestListener')!;
    const { Listeners } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener.arn] }));
    expect(Listeners![0]).to.include({
      Port: ports.get(listener.id),
      Protocol: 'HTTP',
      LoadBalancerArn: lb.arn,
    });
    // The dead end: a forward to the target group that never has targets, by its ARN.
    const deadEnd = lb.targetGroups.find((t) => t.id === 'CanaryTestDefaultTargetGroup')!;
    expect(Listeners![0].DefaultActions![0]).to.deep.include({
      Type: 'forward',
      TargetGroupArn: deadEnd.arn,
    });
    const { LoadBalancers } = await elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.arn] }),
    );
    expect(LoadBalancers![0].DNSName).to.equal('127.0.0.1');
    expect(standIn.calls).to.include.members(['elbv2:DescribeRules', 'elbv2:DescribeListeners']);
  });

  it('answers ECS in awsJson1_1, and a modelled error as the SDK exception', async () => {
    aws.taskDefinitions.set('arn:td:1', {
      taskDefinitionArn: 'arn:td:1',
      family: 'f',
      revision: 1,
      containerDefinitions: [{ name: 'web', image: 'repo:v2', environment: [] }],
    });
    const ecs = client(ECSClient);
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'arn:td:1' }),
    );
    expect(taskDefinition!.containerDefinitions![0]).to.include({ name: 'web', image: 'repo:v2' });
    const err = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' }))
      .catch((e: Error) => e);
    expect((err as Error).name).to.equal('ClientException');
  });

  it('reads awsQuery lists and writes them as members', () => {
    expect(
      queryInput({ Action: 'X', 'RuleArns.member.2': 'b', 'RuleArns.member.1': 'a', Marker: 'm' }),
    ).to.deep.equal({
      RuleArns: ['a', 'b'],
      Marker: 'm',
    });
    expect(toXml({ Rules: [{ Priority: '1', IsDefault: false }] })).to.equal(
      '<Rules><member><Priority>1</Priority><IsDefault>false</IsDefault></member></Rules>',
    );
  });
});
