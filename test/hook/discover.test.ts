import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'chai';
import { DEFAULT_CONFIG, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { discoverTarget, imageTag, parseAppSpec, tokenFromRules } from '../../hook/discover';
import {
  APPLICATION,
  type AwsMocks,
  DEPLOYMENT_GROUP,
  discoveryCalls,
  IDS,
  LISTENER_ARN,
  mockAws,
  sentCommands,
  stubDeployment,
  TASK_DEFINITION_ARN,
  TOKEN,
} from '../../scripts/bench/hook/aws';

const clients = () => ({
  codedeploy: new CodeDeployClient({ region: 'us-west-2' }),
  ecs: new ECSClient({ region: 'us-west-2' }),
  elbv2: new ElasticLoadBalancingV2Client({ region: 'us-west-2' }),
});

describe('hook discovery (AWS mocked)', () => {
  let mocks: AwsMocks;
  beforeEach(() => {
    mocks = mockAws();
  });
  afterEach(() => mocks.restore());

  it('finds URL, token and expected version from the deployment, with exactly these calls', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', token: TOKEN });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target).to.deep.equal({
      baseUrl: 'http://127.0.0.1:8080',
      headers: { [TEST_LISTENER_TOKEN_HEADER]: TOKEN },
      expectedVersion: 'abc1234',
      source: {
        application: APPLICATION,
        deploymentGroup: DEPLOYMENT_GROUP,
        taskDefinition: TASK_DEFINITION_ARN,
        container: DEFAULT_CONFIG.container.name,
        versionFrom: 'image tag',
        testListenerArn: LISTENER_ARN,
      },
    });
    expect(sentCommands(mocks)).to.deep.equal(discoveryCalls().sort());
  });

  it('matches the token header name case-insensitively', async () => {
    stubDeployment(mocks, {
      port: 8080,
      imageTag: 'abc1234',
      token: TOKEN,
      tokenHeaderName: 'x-playground-probe-token',
    });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.headers).to.deep.equal({ [TEST_LISTENER_TOKEN_HEADER]: TOKEN });
  });

  it('sends no header when the test listener is open (no token rule)', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    expect((await discoverTarget(clients(), IDS.DeploymentId)).headers).to.deep.equal({});
  });

  it('reads the token from a later page of listener rules', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.elbv2
      .on(DescribeRulesCommand)
      .resolvesOnce({
        Rules: [{ RuleArn: 'r-default', IsDefault: true, Conditions: [] }],
        NextMarker: 'page-2',
      })
      .resolvesOnce({
        Rules: [
          {
            RuleArn: 'r-token',
            Conditions: [
              {
                Field: 'http-header',
                HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [TOKEN] },
              },
            ],
          },
        ],
      });
    expect((await discoverTarget(clients(), IDS.DeploymentId)).headers).to.deep.equal({
      [TEST_LISTENER_TOKEN_HEADER]: TOKEN,
    });
    expect(mocks.elbv2.commandCalls(DescribeRulesCommand).map((c) => c.args[0].input)).to.deep.equal([
      { ListenerArn: LISTENER_ARN, Marker: undefined },
      { ListenerArn: LISTENER_ARN, Marker: 'page-2' },
    ]);
  });

  it('prefers the container CODE_VERSION over the image tag', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'latest', codeVersionEnv: 'f00d' });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.expectedVersion).to.equal('f00d');
    expect(target.source.versionFrom).to.equal('CODE_VERSION');
  });

  it('fails when the image has no tag and no CODE_VERSION', async () => {
    stubDeployment(mocks, { port: 8080 });
    await expectDiscoveryError(
      `container web image "123456789012.dkr.ecr.us-west-2.amazonaws.com/ecs-playground-dev" has no tag and no CODE_VERSION`,
    );
  });

  it('fails when the revision is not AppSpecContent', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        applicationName: APPLICATION,
        deploymentGroupName: DEPLOYMENT_GROUP,
        computePlatform: 'ECS',
        revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'appspec.yml', bundleType: 'YAML' } },
      },
    });
    await expectDiscoveryError(
      `deployment ${IDS.DeploymentId} revision is of type S3; the hook reads AppSpecContent revisions (what CodePipeline’s CodeDeployToECS action creates)`,
    );
  });

  it('fails when the deployment is not on ECS', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        applicationName: APPLICATION,
        deploymentGroupName: DEPLOYMENT_GROUP,
        computePlatform: 'Lambda',
      },
    });
    await expectDiscoveryError(`deployment ${IDS.DeploymentId} is on compute platform Lambda, not ECS`);
  });

  it('fails when the deployment group has no test listener', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy
      .on(GetDeploymentGroupCommand)
      .resolves({ deploymentGroupInfo: { loadBalancerInfo: {} } });
    await expectDiscoveryError(
      `deployment group ${APPLICATION}/${DEPLOYMENT_GROUP} has no test traffic route listener`,
    );
  });

  it('fails when the test listener is not plain HTTP', async () => {
    stubDeployment(mocks, { port: 8443, imageTag: 'abc1234' });
    mocks.elbv2.on(DescribeListenersCommand).resolves({
      Listeners: [{ ListenerArn: LISTENER_ARN, LoadBalancerArn: 'lb', Port: 8443, Protocol: 'HTTPS' }],
    });
    await expectDiscoveryError(`test listener ${LISTENER_ARN} uses HTTPS; the hook probes HTTP only`);
  });

  it('fails when the AppSpec container is not in the task definition', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.ecs
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { containerDefinitions: [{ name: 'other' }] } });
    await expectDiscoveryError(`task definition ${TASK_DEFINITION_ARN} has no container web`);
  });

  async function expectDiscoveryError(message: string) {
    try {
      await discoverTarget(clients(), IDS.DeploymentId);
    } catch (err) {
      expect((err as Error).name).to.equal('DiscoveryError');
      expect((err as Error).message).to.equal(message);
      return;
    }
    expect.fail(`expected DiscoveryError: ${message}`);
  }
});

describe('hook discovery helpers', () => {
  it('parses the ECS AppSpec in YAML and in JSON', () => {
    const json = JSON.stringify({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: 'arn:td:3',
              LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    expect(parseAppSpec(json)).to.deep.equal({ taskDefinition: 'arn:td:3', containerName: 'web' });
    expect(
      parseAppSpec(
        'version: 0.0\nResources:\n  - S:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: arn:td:4\n        LoadBalancerInfo: {ContainerName: api, ContainerPort: 80}\n',
      ),
    ).to.deep.equal({
      taskDefinition: 'arn:td:4',
      containerName: 'api',
    });
  });

  it('fails when the AppSpec has no ECS service', () => {
    expect(() => parseAppSpec('version: 0.0\nResources: []\n')).to.throw(
      'AppSpec has no AWS::ECS::Service resource',
    );
    expect(() => parseAppSpec('version: 0.0\n')).to.throw('AppSpec has no Resources list');
    expect(() => parseAppSpec('Resources: [{S: {Type: AWS::ECS::Service, Properties: {}}}]')).to.throw(
      'AppSpec AWS::ECS::Service resource lacks TaskDefinition or LoadBalancerInfo.ContainerName',
    );
  });

  it('reads the tag of every image reference form', () => {
    expect(imageTag('123456789012.dkr.ecr.us-west-2.amazonaws.com/app:4f2a9c1')).to.equal('4f2a9c1');
    expect(imageTag('localhost:5000/app:v2')).to.equal('v2');
    expect(imageTag('localhost:5000/app')).to.equal(undefined);
    expect(imageTag('app:abc@sha256:0123')).to.equal('abc');
    expect(imageTag('app@sha256:0123')).to.equal(undefined);
    expect(imageTag('app:')).to.equal(undefined);
  });

  it('ignores rules on other headers and conditions without values', () => {
    expect(
      tokenFromRules([
        {
          Conditions: [
            { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Other', Values: ['no'] } },
          ],
        },
        { Conditions: [{ Field: 'path-pattern', Values: ['/x'] }] },
        {
          Conditions: [
            {
              Field: 'http-header',
              HttpHeaderConfig: { HttpHeaderName: TEST_LISTENER_TOKEN_HEADER, Values: [] },
            },
          ],
        },
      ]),
    ).to.equal(undefined);
  });
});
