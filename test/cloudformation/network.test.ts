// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected values are CloudFormation Fn::Sub strings, not JS templates
import { expect } from 'chai';
import { EXPORTS } from '../../cloudformation/common';
import { NETWORK } from '../../cloudformation/network';
import { DEFAULT_CONFIG } from '../../config';
import { CERT, generated, type Json, ofType } from './helpers';

const PORT = DEFAULT_CONFIG.container.port;
const TEST_PORT = DEFAULT_CONFIG.loadBalancer.testListenerPort;

describe('network template', () => {
  it('creates a VPC over 2 AZs with 2 public subnets and no NAT by default', () => {
    const t = generated('network');
    const subnets = ofType(t, 'AWS::EC2::Subnet');
    expect(subnets.map(([id]) => id)).to.deep.equal(['PublicSubnet1', 'PublicSubnet2']);
    expect(subnets.map(([, s]) => s.Properties.AvailabilityZone)).to.deep.equal([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
    ]);
    expect(subnets.map(([, s]) => s.Properties.CidrBlock)).to.deep.equal(['10.0.0.0/24', '10.0.1.0/24']);
    expect(ofType(t, 'AWS::EC2::NatGateway')).to.have.length(0);
    expect(t.Resources[NETWORK.PublicDefaultRoute].Properties).to.deep.include({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: { Ref: 'InternetGateway' },
    });
    expect(t.Resources[NETWORK.PublicDefaultRoute].DependsOn).to.equal('VpcGatewayAttachment');
    expect(t.Outputs.TaskAssignPublicIp.Value).to.equal('ENABLED');
    expect(t.Outputs.TaskSubnetIds.Value).to.deep.equal({
      'Fn::Join': [',', [{ Ref: 'PublicSubnet1' }, { Ref: 'PublicSubnet2' }]],
    });
  });

  it('creates private subnets behind one NAT gateway per AZ when network.natGateways is on', () => {
    const t = generated('network', { network: { natGateways: true } });
    expect(ofType(t, 'AWS::EC2::NatGateway').map(([id]) => id)).to.deep.equal(['NatGateway1', 'NatGateway2']);
    expect(t.Resources.PrivateDefaultRoute2.Properties.NatGatewayId).to.deep.equal({ Ref: 'NatGateway2' });
    expect(t.Resources.NatGateway1.Properties.SubnetId).to.deep.equal({ Ref: 'PublicSubnet1' });
    expect(t.Outputs.TaskAssignPublicIp.Value).to.equal('DISABLED');
    expect(t.Outputs.TaskSubnetIds.Value).to.deep.equal({
      'Fn::Join': [',', [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }]],
    });
  });

  it('opens the ALB security group on 80 and the test port from the internet by default', () => {
    const sg = generated('network').Resources[NETWORK.AlbSecurityGroup].Properties;
    expect(sg.SecurityGroupIngress.map((r: Json) => [r.FromPort, r.ToPort, r.CidrIp])).to.deep.equal([
      [80, 80, '0.0.0.0/0'],
      [TEST_PORT, TEST_PORT, '0.0.0.0/0'],
    ]);
  });

  it('lets the ALB security group send only to the task security group, on the container port', () => {
    const sg = generated('network', { container: { port: 3000 } }).Resources[NETWORK.AlbSecurityGroup]
      .Properties;
    // The only egress rule (an inline rule also removes AWS's default allow-all egress): no CIDR at all.
    expect(sg.SecurityGroupEgress).to.deep.equal([
      {
        IpProtocol: 'tcp',
        FromPort: 3000,
        ToPort: 3000,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [NETWORK.TaskSecurityGroup, 'GroupId'] },
        Description: 'to the tasks (container port)',
      },
    ]);
    expect(
      generated('network').Resources[NETWORK.AlbSecurityGroup].Properties.SecurityGroupEgress[0],
    ).to.include({ FromPort: PORT, ToPort: PORT });
  });

  it('adds 443 to the ALB security group when a certificate is configured', () => {
    const sg = generated('network', { loadBalancer: { certificateArn: CERT, testListenerPort: 9000 } })
      .Resources[NETWORK.AlbSecurityGroup].Properties;
    expect(sg.SecurityGroupIngress.map((r: Json) => r.FromPort)).to.deep.equal([80, 443, 9000]);
  });

  it('makes tasks reachable only from the ALB security group, on the container port', () => {
    const t = generated('network', { container: { port: 3000 } });
    // The two groups name each other, so the tasks' ingress is its own resource (inline, it would be a
    // circular dependency); the task group itself has no inline ingress rule.
    expect(t.Resources[NETWORK.TaskSecurityGroup].Properties).not.to.have.property('SecurityGroupIngress');
    expect(ofType(t, 'AWS::EC2::SecurityGroupIngress')).to.deep.equal([
      [
        NETWORK.TaskIngressFromAlb,
        {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: {
            GroupId: { 'Fn::GetAtt': [NETWORK.TaskSecurityGroup, 'GroupId'] },
            IpProtocol: 'tcp',
            FromPort: 3000,
            ToPort: 3000,
            SourceSecurityGroupId: { 'Fn::GetAtt': [NETWORK.AlbSecurityGroup, 'GroupId'] },
            Description: 'from the load balancers',
          },
        },
      ],
    ]);
    expect(ofType(t, 'AWS::EC2::SecurityGroupEgress')).to.have.length(0);
  });

  it('references the two security groups without a cycle (CloudFormation refuses one)', () => {
    const t = generated('network');
    const refs = (id: string) =>
      JSON.stringify(t.Resources[id])
        .match(/"Fn::GetAtt":\["(\w+)"/g)
        ?.map((m) => m.split('"')[3]) ?? [];
    expect(refs(NETWORK.AlbSecurityGroup)).to.deep.equal([NETWORK.TaskSecurityGroup]);
    expect(refs(NETWORK.TaskSecurityGroup)).to.deep.equal([]);
  });

  it('logs rejected traffic with the configured retention', () => {
    const t = generated('network', { logs: { retentionDays: 30 } });
    expect(t.Resources[NETWORK.FlowLog].Properties).to.deep.include({
      TrafficType: 'REJECT',
      ResourceType: 'VPC',
    });
    expect(t.Resources[NETWORK.FlowLogGroup].Properties.RetentionInDays).to.equal(30);
  });

  it('keeps the flow logs when the stack is deleted or the group replaced, under a name no later stack reuses', () => {
    const group = generated('network').Resources[NETWORK.FlowLogGroup];
    expect(group).to.deep.include({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    // The stack id's UUID is new for every created stack: a retained group never blocks a re-deploy.
    expect(group.Properties.LogGroupName).to.deep.equal({
      'Fn::Sub': [
        '/vpc/ecs-playground-dev/flow-logs/${StackUuid}',
        { StackUuid: { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] } },
      ],
    });
  });

  it('exports exactly the network keys of the contract', () => {
    const t = generated('network');
    expect(Object.keys(t.Outputs)).to.deep.equal(Object.keys(EXPORTS.network));
    expect(t.Outputs.AlbSecurityGroupId.Export).to.deep.equal({
      Name: 'ecs-playground-dev-network:AlbSecurityGroupId',
    });
  });
});
