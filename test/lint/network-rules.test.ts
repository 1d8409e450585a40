import { expect } from 'chai';
import {
  OPEN_TASK_PORT_CHECK,
  opensToInternet,
  openTaskPortCheck,
} from '../../scripts/lint/rules/open-task-port';
import { config, fixture, label } from './support';

describe('lint: open task port', () => {
  it('fails when the tasks security group opens the container port to 0.0.0.0/0 or ::/0', async () => {
    expect(config.container.port).to.equal(8080);
    const findings = await openTaskPortCheck.run({ templates: [fixture('open-task-port.json')], config });
    expect(findings).to.deep.equal([
      {
        check: OPEN_TASK_PORT_CHECK,
        template: label('open-task-port.json'),
        location: 'Resources/TaskSecurityGroup/Properties/SecurityGroupIngress/0',
        message:
          'security group TaskSecurityGroup opens the container port 8080 to 0.0.0.0/0 (attached to AWS::ECS::Service Service)',
      },
      {
        check: OPEN_TASK_PORT_CHECK,
        template: label('open-task-port.json'),
        location: 'Resources/TaskIpv6Ingress/Properties',
        message:
          'security group TaskSecurityGroup opens the container port 8080 to ::/0 (attached to AWS::ECS::Service Service)',
      },
    ]);
  });

  it('fails for a group open on the port that no load balancer uses', async () => {
    const t = fixture('open-task-port.json');
    const {
      LoadBalancer: _lb,
      Service: _svc,
      TaskIpv6Ingress: _ing,
      TaskSecurityGroup: _sg,
      ...rest
    } = t.template.Resources ?? {};
    const findings = await openTaskPortCheck.run({
      templates: [{ ...t, template: { ...t.template, Resources: rest } }],
      config,
    });
    expect(findings.map((f) => f.message)).to.deep.equal([
      'security group AlbSecurityGroup opens the container port 8080 to 0.0.0.0/0 (attached to no load balancer)',
    ]);
  });

  it('reads port ranges and protocols the way EC2 does', () => {
    expect(
      opensToInternet({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }, 8080),
    ).to.equal(undefined);
    expect(
      opensToInternet({ IpProtocol: 'udp', FromPort: 0, ToPort: 65535, CidrIp: '0.0.0.0/0' }, 8080),
    ).to.equal(undefined);
    expect(
      opensToInternet({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '10.0.0.0/16' }, 8080),
    ).to.equal(undefined);
    expect(
      opensToInternet({ IpProtocol: '6', FromPort: 8080, ToPort: 8080, CidrIp: '0.0.0.0/0' }, 8080),
    ).to.equal('0.0.0.0/0');
    expect(opensToInternet({ IpProtocol: '-1', CidrIpv6: '::/0' }, 8080)).to.equal('::/0');
  });
});
