/**
 * `npm run deploy` against live stacks that a config change cannot update in place (network.natGateways
 * toggled): the real templates, an in-memory CloudFormation behind aws-sdk-client-mock, and the safe
 * order only after an explicit yes.
 */
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type Parameter,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { STACKS } from '../../config';
import { deployMain, type Io } from '../../scripts/deploy/cli';
import { renderedTemplates } from '../../scripts/deploy/docs';
import { main as synthMain } from '../../scripts/synth/cli';
import { configWith } from '../support/config';
import { ACCOUNT, fixtureRoot, REGION, REPO_URI, recordingRuntime, useMocks } from './fixtures';

const OWNER = { github: { owner: 'octocat' } };
const RUNNING = `${REPO_URI}:aaaaaaa`;

interface LiveStack {
  status: StackStatus;
  parameters: Parameter[];
  template: string;
}

describe('deploy: a change CloudFormation cannot apply in place (network.natGateways toggled)', () => {
  const m = useMocks({
    cfn: CloudFormationClient,
    ecs: ECSClient,
    ecr: ECRClient,
    sts: STSClient,
    connections: CodeStarConnectionsClient,
    codedeploy: CodeDeployClient,
    quotas: ServiceQuotasClient,
  });
  let stacks: Map<string, LiveStack>;
  let order: string[];

  beforeEach(() => {
    // Everything deployed from the defaults (no NAT); the services run RUNNING.
    const before = renderedTemplates(configWith(OWNER)).templates;
    stacks = new Map(
      STACKS.map((s) => [
        `ecs-playground-dev-${s}`,
        {
          status: 'UPDATE_COMPLETE' as StackStatus,
          parameters: s.startsWith('service-') ? [{ ParameterKey: 'ImageUri', ParameterValue: RUNNING }] : [],
          template: JSON.stringify(before[s]!.template),
        },
      ]),
    );
    order = [];
    const pending = new Map<string, { type: string; parameters: Parameter[]; template: string }>();
    m.sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: 'arn:aws:iam::123456789012:user/dev' });
    m.cfn.on(DescribeStacksCommand).callsFake(({ StackName }: { StackName: string }) => {
      const name = StackName.replace(/^arn:stack\//, '');
      const live = stacks.get(name);
      if (!live) {
        if (StackName.startsWith('arn:')) {
          return { Stacks: [{ StackName: name, StackStatus: 'DELETE_COMPLETE', CreationTime: new Date() }] };
        }
        throw new CloudFormationServiceException({
          name: 'ValidationError',
          $fault: 'client',
          message: `Stack with id ${StackName} does not exist`,
          $metadata: {},
        });
      }
      return {
        Stacks: [
          {
            StackName: name,
            StackId: `arn:stack/${name}`,
            StackStatus: live.status,
            CreationTime: new Date(),
            Parameters: live.parameters,
            Outputs: name.endsWith('-pipelines')
              ? [
                  {
                    OutputKey: 'ConnectionArn',
                    OutputValue: 'arn:aws:codestar-connections:us-west-2:1:connection/x',
                  },
                ]
              : [],
          },
        ],
      };
    });
    m.cfn.on(GetTemplateCommand).callsFake(({ StackName }: { StackName: string }) => ({
      TemplateBody: stacks.get(StackName)?.template,
    }));
    m.cfn.on(DeleteStackCommand).callsFake(({ StackName }: { StackName: string }) => {
      order.push(`delete ${StackName}`);
      stacks.delete(StackName);
      return {};
    });
    m.cfn
      .on(CreateChangeSetCommand)
      .callsFake(
        (input: {
          StackName: string;
          ChangeSetType: string;
          Parameters: Parameter[];
          TemplateBody: string;
        }) => {
          pending.set(input.StackName, {
            type: input.ChangeSetType,
            parameters: input.Parameters,
            template: input.TemplateBody,
          });
          order.push(`${input.ChangeSetType} ${input.StackName}`);
          return {};
        },
      );
    m.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE' });
    m.cfn.on(ExecuteChangeSetCommand).callsFake(({ StackName }: { StackName: string }) => {
      const change = pending.get(StackName)!;
      stacks.set(StackName, {
        status: change.type === 'CREATE' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE',
        parameters: change.parameters,
        template: change.template,
      });
      return {};
    });
    m.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    m.ecs.on(DescribeServicesCommand).callsFake(({ services }: { services: string[] }) => ({
      services: [
        {
          serviceName: services[0],
          status: 'ACTIVE',
          taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${services[0]}:3`,
        },
      ],
    }));
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { containerDefinitions: [{ name: 'web', image: RUNNING }] },
    });
    m.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO_URI }] });
    m.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [] });
    m.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    m.quotas.on(ListServiceQuotasCommand).resolves({
      Quotas: [
        {
          QuotaName: 'Concurrently running builds for Linux/Small environment',
          QuotaCode: 'L-9D07B6EF',
          Value: 2,
        },
      ],
    });
    m.connections.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'AVAILABLE' } });
  });

  async function deploy(argv: string[], opts: { interactive?: boolean; answer?: string } = {}) {
    const root = fixtureRoot({ ...OWNER, network: { natGateways: true } });
    const recorder = recordingRuntime();
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      interactive: opts.interactive ?? false,
      ask: async () => opts.answer ?? '',
      synth: async (env, dir) => {
        const [log, error] = [console.log, console.error];
        console.log = () => {};
        console.error = () => {};
        try {
          expect(synthMain(['--out', dir], env, root)).to.equal(0);
        } finally {
          console.log = log;
          console.error = error;
        }
      },
      runtime: () => recorder.rt,
      root,
    };
    return { code: await deployMain(argv, io), out, err, lines: recorder.lines };
  }

  it('stops before any change without a terminal and without --yes, saying why', async () => {
    const r = await deploy([]);
    expect(r.code).to.equal(2);
    expect(r.err).to.deep.equal([
      'error: ecs-playground-dev-service-canary, ecs-playground-dev-service-bluegreen and ecs-playground-dev-service-rolling must be deleted and created again ' +
        '(see the plan above): the services stop serving until they are re-created, with new load balancer URLs; no terminal ' +
        'to ask in: pass --yes to confirm (nothing was changed)',
    ]);
    expect(r.out).to.include(
      '       because ecs-playground-dev-network: its export ecs-playground-dev-network:TaskSubnetIds would change, and CloudFormation cannot change an export that service-rolling, service-bluegreen, service-canary import',
    );
    expect(order).to.deep.equal([]);
  });

  it('changes nothing when the typed stage name does not match', async () => {
    const r = await deploy([], { interactive: true, answer: 'prod' });
    expect(r.code).to.equal(1);
    expect(r.err).to.deep.equal(['error: you typed "prod", not "dev": nothing was changed']);
    expect(order).to.deep.equal([]);
  });

  it('with --yes: deletes the importers, updates the network, re-creates the services with the images they ran', async () => {
    const r = await deploy(['--yes']);
    expect(r.err).to.deep.equal([]);
    expect(r.code).to.equal(0);
    // Unchanged stacks (registry, cluster) are skipped: only what must change, in a safe order. (The
    // pipelines stack changes too: its CodeBuild project carries the whole config as JSON.)
    expect(order).to.deep.equal([
      'delete ecs-playground-dev-service-canary',
      'delete ecs-playground-dev-service-bluegreen',
      'delete ecs-playground-dev-service-rolling',
      'UPDATE ecs-playground-dev-network',
      'UPDATE ecs-playground-dev-pipelines',
      'CREATE ecs-playground-dev-service-rolling',
      'CREATE ecs-playground-dev-service-bluegreen',
      'CREATE ecs-playground-dev-service-canary',
    ]);
    for (const service of ['service-rolling', 'service-bluegreen', 'service-canary']) {
      expect(stacks.get(`ecs-playground-dev-${service}`)?.parameters).to.deep.equal([
        { ParameterKey: 'ImageUri', ParameterValue: RUNNING },
      ]);
    }
    // The network now exports the private subnets.
    const network = JSON.parse(stacks.get('ecs-playground-dev-network')!.template);
    expect(network.Outputs.TaskAssignPublicIp.Value).to.equal('DISABLED');
  });
});
