/**
 * The network stack: a VPC over two Availability Zones, the public subnets the ALBs (and, without
 * NAT, the tasks) live in, optional private subnets behind one NAT gateway per AZ, the two
 * security groups, the VPC's default security group stripped of its rules, and flow logs of
 * rejected traffic.
 *
 * NAT is a synth-time switch (`network.natGateways`), not a CloudFormation condition: the template
 * holds exactly what is deployed, which keeps it small and its review honest.
 */
import { EC2, Fn, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { exportedOutputs, tags, template } from './common';
import { restrictDefaultSecurityGroup } from './default-security-group';
import { FLOW_LOGS, flowLogs } from './flow-logs';

/** Two AZs: survives an AZ failure with the smallest footprint (desired count 2 = one task per AZ). */
export const AZ_COUNT = 2;
const AZ_INDEXES = [0, 1] as const;

/** Logical IDs of the network stack (a contract: tests and other tools find resources by them). */
export const NETWORK = {
  Vpc: 'Vpc',
  InternetGateway: 'InternetGateway',
  GatewayAttachment: 'VpcGatewayAttachment',
  PublicRouteTable: 'PublicRouteTable',
  PublicDefaultRoute: 'PublicDefaultRoute',
  publicSubnet: (i: number) => `PublicSubnet${i + 1}`,
  publicSubnetRouteTable: (i: number) => `PublicSubnet${i + 1}RouteTableAssociation`,
  privateSubnet: (i: number) => `PrivateSubnet${i + 1}`,
  privateRouteTable: (i: number) => `PrivateRouteTable${i + 1}`,
  privateDefaultRoute: (i: number) => `PrivateDefaultRoute${i + 1}`,
  privateSubnetRouteTable: (i: number) => `PrivateSubnet${i + 1}RouteTableAssociation`,
  natAddress: (i: number) => `NatAddress${i + 1}`,
  natGateway: (i: number) => `NatGateway${i + 1}`,
  AlbSecurityGroup: 'AlbSecurityGroup',
  TaskSecurityGroup: 'TaskSecurityGroup',
  TaskIngressFromAlb: 'TaskSecurityGroupIngressFromAlb',
  FlowLogGroup: FLOW_LOGS.LogGroup,
  FlowLogRole: FLOW_LOGS.Role,
  FlowLog: FLOW_LOGS.FlowLog,
} as const;

const ANYWHERE = '0.0.0.0/0';
/** Tasks call AWS APIs (ECR, S3 layers, CloudWatch Logs) over HTTPS only. */
const HTTPS_PORT = 443;
const HTTP_PORT = 80;

/** The ports the ALBs answer on from the internet: 80, 443 with a certificate, and the test port. */
export function albIngressPorts(config: PlaygroundConfig): number[] {
  const ports = [HTTP_PORT];
  if (config.loadBalancer.certificateArn) ports.push(HTTPS_PORT);
  ports.push(config.loadBalancer.testListenerPort);
  return ports;
}

type Resources = NonNullable<Template['Resources']>;

export function networkTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  const nat = config.network.natGateways;
  const resources: Resources = {
    ...vpcAndInternetGateway(config),
    ...Object.assign({}, ...AZ_INDEXES.map((i) => availabilityZone(config, i))),
    ...securityGroups(config),
    ...restrictDefaultSecurityGroup(config, NETWORK.Vpc),
    ...flowLogs(config, NETWORK.Vpc),
  };
  const subnetList = (id: (i: number) => string) =>
    Fn.Join(
      ',',
      AZ_INDEXES.map((i) => Fn.Ref(id(i))),
    );
  return template(`${names.prefix} network: VPC over ${AZ_COUNT} AZs, subnets, security groups.`, {
    Resources: resources,
    Outputs: exportedOutputs(names, 'network', {
      VpcId: { value: Fn.Ref(NETWORK.Vpc), description: 'VPC of the tasks and load balancers' },
      TaskSubnetIds: {
        value: subnetList(nat ? NETWORK.privateSubnet : NETWORK.publicSubnet),
        description: nat
          ? 'Private subnets of the tasks (behind NAT)'
          : 'Public subnets of the tasks (no NAT: public IPs)',
      },
      PublicSubnetIds: {
        value: subnetList(NETWORK.publicSubnet),
        description: 'Public subnets of the load balancers',
      },
      TaskAssignPublicIp: {
        // Without NAT a task in a public subnet needs a public IP to reach ECR; its SG keeps it private.
        value: nat ? 'DISABLED' : 'ENABLED',
        description: 'Whether tasks get a public IP (ENABLED without NAT)',
      },
      AlbSecurityGroupId: {
        value: Fn.GetAtt(NETWORK.AlbSecurityGroup, 'GroupId'),
        description: 'Security group of both load balancers',
      },
      TaskSecurityGroupId: {
        value: Fn.GetAtt(NETWORK.TaskSecurityGroup, 'GroupId'),
        description: 'Security group of the tasks',
      },
    }),
  });
}

/** `<prefix>-<name>` Name tag, beside the app and stage tags. */
const tagged = (config: PlaygroundConfig, name: string) =>
  tags(config, { Name: `${namesFor(config).prefix}-${name}` });

function vpcAndInternetGateway(config: PlaygroundConfig): Resources {
  return {
    [NETWORK.Vpc]: new EC2.VPC({
      CidrBlock: config.network.vpcCidr,
      // Both on: the ALB, ECR and CloudWatch endpoints are resolved by name inside the VPC.
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
      Tags: tagged(config, 'vpc'),
    }),
    [NETWORK.InternetGateway]: new EC2.InternetGateway({ Tags: tagged(config, 'igw') }),
    [NETWORK.GatewayAttachment]: new EC2.VPCGatewayAttachment({
      VpcId: Fn.Ref(NETWORK.Vpc),
      InternetGatewayId: Fn.Ref(NETWORK.InternetGateway),
    }),
    [NETWORK.PublicRouteTable]: new EC2.RouteTable({
      VpcId: Fn.Ref(NETWORK.Vpc),
      Tags: tagged(config, 'public'),
    }),
    // A route through the gateway needs the attachment first, or creation races and fails.
    [NETWORK.PublicDefaultRoute]: new EC2.Route({
      RouteTableId: Fn.Ref(NETWORK.PublicRouteTable),
      DestinationCidrBlock: ANYWHERE,
      GatewayId: Fn.Ref(NETWORK.InternetGateway),
    }).dependsOn(NETWORK.GatewayAttachment),
  };
}

/** One AZ's public subnet and, with NAT, its private subnet behind its own NAT gateway. */
function availabilityZone(config: PlaygroundConfig, i: number): Resources {
  // Fn::GetAZs "" lists the stack's region's AZs (the same as Ref AWS::Region, in fewer bytes).
  const publicSubnet: Resources = {
    [NETWORK.publicSubnet(i)]: new EC2.Subnet({
      VpcId: Fn.Ref(NETWORK.Vpc),
      CidrBlock: config.network.publicSubnetCidrs[i],
      AvailabilityZone: Fn.Select(i, Fn.GetAZs()),
      // No automatic public IPs: only the tasks ask for one (TaskAssignPublicIp), and only without NAT.
      MapPublicIpOnLaunch: false,
      Tags: tagged(config, `public-${i + 1}`),
    }),
    [NETWORK.publicSubnetRouteTable(i)]: new EC2.SubnetRouteTableAssociation({
      SubnetId: Fn.Ref(NETWORK.publicSubnet(i)),
      RouteTableId: Fn.Ref(NETWORK.PublicRouteTable),
    }),
  };
  return config.network.natGateways
    ? { ...publicSubnet, ...privateSubnetBehindNat(config, i) }
    : publicSubnet;
}

function privateSubnetBehindNat(config: PlaygroundConfig, i: number): Resources {
  return {
    [NETWORK.privateSubnet(i)]: new EC2.Subnet({
      VpcId: Fn.Ref(NETWORK.Vpc),
      CidrBlock: config.network.privateSubnetCidrs[i],
      AvailabilityZone: Fn.Select(i, Fn.GetAZs()),
      MapPublicIpOnLaunch: false,
      Tags: tagged(config, `private-${i + 1}`),
    }),
    [NETWORK.natAddress(i)]: new EC2.EIP({ Domain: 'vpc', Tags: tagged(config, `nat-${i + 1}`) }).dependsOn(
      NETWORK.GatewayAttachment,
    ),
    // One NAT per AZ (~$32/month each + data): an AZ outage never cuts the other AZ's tasks off ECR.
    [NETWORK.natGateway(i)]: new EC2.NatGateway({
      AllocationId: Fn.GetAtt(NETWORK.natAddress(i), 'AllocationId'),
      SubnetId: Fn.Ref(NETWORK.publicSubnet(i)),
      Tags: tagged(config, `nat-${i + 1}`),
    }),
    [NETWORK.privateRouteTable(i)]: new EC2.RouteTable({
      VpcId: Fn.Ref(NETWORK.Vpc),
      Tags: tagged(config, `private-${i + 1}`),
    }),
    [NETWORK.privateDefaultRoute(i)]: new EC2.Route({
      RouteTableId: Fn.Ref(NETWORK.privateRouteTable(i)),
      DestinationCidrBlock: ANYWHERE,
      NatGatewayId: Fn.Ref(NETWORK.natGateway(i)),
    }),
    [NETWORK.privateSubnetRouteTable(i)]: new EC2.SubnetRouteTableAssociation({
      SubnetId: Fn.Ref(NETWORK.privateSubnet(i)),
      RouteTableId: Fn.Ref(NETWORK.privateRouteTable(i)),
    }),
  };
}

/**
 * The security groups of the load balancers and of the tasks. Each names the other: the ALBs may send
 * only to the task group, the tasks accept only the ALB group. Two groups whose inline rules name each
 * other are a circular dependency CloudFormation refuses, so one of the two rules is its own resource
 * ("use the AWS::EC2::SecurityGroupEgress and AWS::EC2::SecurityGroupIngress resources",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
 * It is the tasks' ingress: a group without inline egress rules gets AWS's allow-all egress (same
 * page), so the ALB group keeps its one egress rule inline, and a group without inline ingress
 * allows nothing in until the standalone rule exists.
 */
function securityGroups(config: PlaygroundConfig): Resources {
  const names = namesFor(config);
  const { container } = config;
  const containerPort = { IpProtocol: 'tcp', FromPort: container.port, ToPort: container.port };
  return {
    // Both ALBs share one security group: they accept the same ports from the same (whole) internet.
    // The test port is open to the internet in both test-listener modes because the hook Lambda runs
    // outside the VPC (no NAT, no VPC endpoints: $0); with `header-token` the listener itself answers
    // 404 to anyone without the per-stack token (see service-bluegreen.ts).
    [NETWORK.AlbSecurityGroup]: new EC2.SecurityGroup({
      GroupDescription: `${names.prefix} load balancers: HTTP(S) and the test port from the internet`,
      VpcId: Fn.Ref(NETWORK.Vpc),
      SecurityGroupIngress: albIngressPorts(config).map((port) => ({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        CidrIp: ANYWHERE,
        Description:
          port === config.loadBalancer.testListenerPort ? 'blue/green test listener' : `listener ${port}`,
      })),
      // The ALBs only ever talk to the tasks, on the container port (requests and health checks, which
      // use the traffic port); nothing else leaves them, not even to other addresses of the VPC.
      SecurityGroupEgress: [
        {
          ...containerPort,
          DestinationSecurityGroupId: Fn.GetAtt(NETWORK.TaskSecurityGroup, 'GroupId'),
          Description: 'to the tasks (container port)',
        },
      ],
      Tags: tagged(config, 'alb'),
    }),
    // Tasks accept the container port from the ALB security group only (TaskIngressFromAlb): with
    // public IPs (no NAT) this group is what keeps them unreachable from the internet.
    [NETWORK.TaskSecurityGroup]: new EC2.SecurityGroup({
      GroupDescription: `${names.prefix} tasks: container port from the load balancers only`,
      VpcId: Fn.Ref(NETWORK.Vpc),
      // Image pulls (ECR API + S3 layers) and CloudWatch Logs are HTTPS; DNS goes to the VPC resolver,
      // which security groups do not filter.
      SecurityGroupEgress: [
        {
          IpProtocol: 'tcp',
          FromPort: HTTPS_PORT,
          ToPort: HTTPS_PORT,
          CidrIp: ANYWHERE,
          Description: 'AWS APIs over HTTPS',
        },
      ],
      Tags: tagged(config, 'tasks'),
    }),
    [NETWORK.TaskIngressFromAlb]: new EC2.SecurityGroupIngress({
      GroupId: Fn.GetAtt(NETWORK.TaskSecurityGroup, 'GroupId'),
      ...containerPort,
      SourceSecurityGroupId: Fn.GetAtt(NETWORK.AlbSecurityGroup, 'GroupId'),
      Description: 'from the load balancers',
    }),
  };
}
