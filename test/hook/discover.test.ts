import {
  CodeDeployClient,
  CodeDeployServiceException,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskDefinitionCommand, DescribeTaskSetsCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'chai';
import { DEFAULT_CONFIG, TEST_LISTENER_TOKEN_HEADER } from '../../config';
import { discoverTarget, imageTag, parseAppSpec, tokenFromRules } from '../../hook/discover';
import { MAX_PAGES } from '../../hook/paging';
import {
  APPLICATION,
  type AwsMocks,
  CLUSTER,
  DEPLOYMENT_GROUP,
  discoveryCalls,
  forwardAction,
  GREEN_TASK_SET,
  GREEN_TG,
  IDS,
  LISTENER_ARN,
  mockAws,
  SERVICE,
  SHA,
  sentCommands,
  stubDeployment,
  TARGET_ID,
  TASK_DEFINITION_ARN,
  TOKEN,
  TOKEN_RULE_ARN,
} from '../../scripts/bench/hook/aws';

const clients = () => ({
  codedeploy: new CodeDeployClient({ region: 'us-west-2' }),
  ecs: new ECSClient({ region: 'us-west-2' }),
  elbv2: new ElasticLoadBalancingV2Client({ region: 'us-west-2' }),
});

const source = (overrides: Record<string, unknown> = {}) => ({
  application: APPLICATION,
  deploymentGroup: DEPLOYMENT_GROUP,
  revisionType: 'AppSpecContent',
  taskDefinitionFrom: 'AppSpec',
  taskDefinition: TASK_DEFINITION_ARN,
  container: DEFAULT_CONFIG.container.name,
  versionFrom: 'image tag',
  greenTaskSet: GREEN_TASK_SET,
  testListenerArn: LISTENER_ARN,
  testRoute: 'default action',
  ...overrides,
});

const awsError = (name: string, httpStatusCode = 400) =>
  new CodeDeployServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: `${name} happened`,
  });

describe('hook discovery (AWS mocked)', () => {
  let mocks: AwsMocks;
  beforeEach(() => {
    mocks = mockAws();
  });
  afterEach(() => mocks.restore());

  it('finds URL, token, route, green target group and expected version, with exactly these calls', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', token: TOKEN });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target).to.deep.equal({
      baseUrl: 'http://127.0.0.1:8080',
      headers: { [TEST_LISTENER_TOKEN_HEADER]: TOKEN },
      expectedVersion: 'abc1234',
      route: { listenerArn: LISTENER_ARN, ruleArn: TOKEN_RULE_ARN, actions: [forwardAction(GREEN_TG)] },
      greenTargetGroup: GREEN_TG,
      source: source({ testRoute: 'token rule' }),
    });
    expect(sentCommands(mocks)).to.deep.equal(discoveryCalls());
  });

  it('takes the default action as the route of an open test listener, and sends no header', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', weighted: true });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.headers).to.deep.equal({});
    expect(target.route).to.deep.equal({
      listenerArn: LISTENER_ARN,
      actions: [forwardAction(GREEN_TG, true)],
    });
    expect(target.source.testRoute).to.equal('default action');
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

  it('reads the AppSpec of a String revision like an AppSpecContent one', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', revisionType: 'String' });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.expectedVersion).to.equal('abc1234');
    expect(target.source).to.deep.equal(source({ revisionType: 'String' }));
    expect(sentCommands(mocks)).to.deep.equal(discoveryCalls('String'));
  });

  it('uses the AppSpec content GetDeployment already carries, without GetApplicationRevision', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', revisionType: 'String' });
    mocks.codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        applicationName: APPLICATION,
        deploymentGroupName: DEPLOYMENT_GROUP,
        computePlatform: 'ECS',
        revision: {
          revisionType: 'String',
          string: { content: parseableAppSpec(), sha256: SHA },
        },
      },
    });
    expect((await discoverTarget(clients(), IDS.DeploymentId)).expectedVersion).to.equal('abc1234');
    expect(mocks.codedeploy.commandCalls(GetApplicationRevisionCommand)).to.have.length(0);
  });

  it('falls back to the green task set when the revision has no AppSpec to read (S3)', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', revisionType: 'S3' });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.expectedVersion).to.equal('abc1234');
    expect(target.source).to.deep.equal(
      source({ revisionType: 'S3', taskDefinitionFrom: 'green task set (revision is of type S3)' }),
    );
    expect(sentCommands(mocks)).to.deep.equal(discoveryCalls('S3'));
  });

  it('falls back to the green task set when the AppSpecContent revision comes back without content', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy.on(GetApplicationRevisionCommand).resolves({
      applicationName: APPLICATION,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: SHA } },
    });
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.source.taskDefinitionFrom).to.equal(
      'green task set (the AppSpecContent revision has no content)',
    );
    expect(mocks.ecs.commandCalls(DescribeTaskSetsCommand).map((c) => c.args[0].input)).to.deep.equal([
      { cluster: CLUSTER, service: SERVICE, taskSets: [GREEN_TASK_SET] },
    ]);
  });

  it('falls back to the green task set when GetApplicationRevision fails', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy.on(GetApplicationRevisionCommand).rejects(awsError('RevisionDoesNotExistException'));
    const target = await discoverTarget(clients(), IDS.DeploymentId);
    expect(target.source.taskDefinitionFrom).to.equal(
      'green task set (AppSpecContent revision unreadable: RevisionDoesNotExistException: RevisionDoesNotExistException happened)',
    );
  });

  it('fails naming both sources when neither the AppSpec nor the green task set is usable', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234', revisionType: 'S3' });
    mocks.ecs
      .on(DescribeTaskSetsCommand)
      .resolves({ taskSets: [], failures: [{ arn: GREEN_TASK_SET, reason: 'MISSING' }] });
    await expectDiscoveryError(
      `no usable AppSpec (revision is of type S3), and green task set ${GREEN_TASK_SET} of ${CLUSTER}/${SERVICE} was not found (MISSING)`,
    );
  });

  it('fails when the deployment has no Green task set', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy.on(GetDeploymentTargetCommand).resolves({
      deploymentTarget: {
        deploymentTargetType: 'ECSTarget',
        ecsTarget: {
          targetId: TARGET_ID,
          taskSetsInfo: [{ identifer: 'ecs-svc/1', taskSetLabel: 'Blue', targetGroup: { name: 'b' } }],
        },
      },
    });
    await expectDiscoveryError(
      `deployment ${IDS.DeploymentId} has no Green task set with a target group among its deployment targets (${TARGET_ID}); the replacement task set must exist before BeforeAllowTraffic`,
    );
  });

  it('finds the green task set on a later page of deployment targets', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.codedeploy
      .on(ListDeploymentTargetsCommand)
      .resolvesOnce({ targetIds: [], nextToken: 'page-2' })
      .resolvesOnce({ targetIds: [TARGET_ID] });
    expect((await discoverTarget(clients(), IDS.DeploymentId)).greenTargetGroup).to.equal(GREEN_TG);
    expect(
      mocks.codedeploy.commandCalls(ListDeploymentTargetsCommand).map((c) => c.args[0].input),
    ).to.deep.equal([
      { deploymentId: IDS.DeploymentId, nextToken: undefined },
      { deploymentId: IDS.DeploymentId, nextToken: 'page-2' },
    ]);
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

  it('stops DescribeRules paging when a marker comes back a second time', async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    mocks.elbv2.on(DescribeRulesCommand).resolves({ Rules: [], NextMarker: 'same' });
    await expectError(
      'PagingError',
      `DescribeRules(${LISTENER_ARN}) returned the marker "same" a second time after 2 pages: stopped instead of looping`,
    );
    expect(mocks.elbv2.commandCalls(DescribeRulesCommand)).to.have.length(2);
  });

  it(`stops ListDeploymentTargets paging after ${MAX_PAGES} pages of ever new markers`, async () => {
    stubDeployment(mocks, { port: 8080, imageTag: 'abc1234' });
    let n = 0;
    mocks.codedeploy
      .on(ListDeploymentTargetsCommand)
      .callsFake(() => ({ targetIds: [], nextToken: `t${++n}` }));
    await expectError(
      'PagingError',
      `ListDeploymentTargets(${IDS.DeploymentId}) still had more after ${MAX_PAGES} pages: stopped (at most ${MAX_PAGES} are read)`,
    );
    expect(mocks.codedeploy.commandCalls(ListDeploymentTargetsCommand)).to.have.length(MAX_PAGES);
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

  async function expectError(name: string, message: string) {
    try {
      await discoverTarget(clients(), IDS.DeploymentId);
    } catch (err) {
      expect((err as Error).name).to.equal(name);
      expect((err as Error).message).to.equal(message);
      return;
    }
    expect.fail(`expected ${name}: ${message}`);
  }

  const expectDiscoveryError = (message: string) => expectError('DiscoveryError', message);
});

/** The fixture AppSpec, as GetDeployment would carry it inline. */
function parseableAppSpec(): string {
  return `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: ${TASK_DEFINITION_ARN}\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n`;
}

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
