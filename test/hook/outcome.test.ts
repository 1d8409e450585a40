/**
 * The release-outcome check (hook/outcome/): every AWS call through the real SDK clients under
 * aws-sdk-client-mock, with exact commands and inputs; responses in the SDK models' shapes.
 */
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  ListActionExecutionsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { renderOutcomeParameters } from '../../config';
import { createOutcomeHandler, type JobEvent } from '../../hook/outcome/handler';

const ARN =
  'arn:aws:ecs:us-west-2:111122223333:service-deployment/ecs-playground-dev/ecs-playground-dev-rolling/AbC123';
const REVISION =
  'arn:aws:ecs:us-west-2:111122223333:service-revision/ecs-playground-dev/ecs-playground-dev-rolling/999';
const TASK_DEF = 'arn:aws:ecs:us-west-2:111122223333:task-definition/ecs-playground-dev-rolling:7';
const STARTED = new Date('2026-12-07T08:00:00Z');
const ECS_TARGET = {
  kind: 'ecs',
  cluster: 'ecs-playground-dev',
  service: 'ecs-playground-dev-rolling',
} as const;
const CD_TARGET = {
  kind: 'codedeploy',
  application: 'ecs-playground-dev',
  deploymentGroup: 'ecs-playground-dev-bluegreen',
} as const;

function job(target: typeof ECS_TARGET | typeof CD_TARGET, continuationToken?: string): JobEvent {
  const UserParameters = renderOutcomeParameters({
    pipeline: 'ecs-playground-dev-rolling',
    execution: 'exec-1',
    deployAction: 'Deploy',
    target,
  });
  return {
    'CodePipeline.job': {
      id: 'job-1',
      data: {
        actionConfiguration: { configuration: { UserParameters } },
        ...(continuationToken ? { continuationToken } : {}),
      },
    },
  };
}

describe('release outcome check (CodePipeline Lambda invoke action)', () => {
  // Instances, not classes: mockClient(Class) would replace send() of every client of that class in
  // this mocha worker, other files' included, until restored.
  const clients = {
    codepipeline: new CodePipelineClient({ region: 'us-west-2' }),
    ecs: new ECSClient({ region: 'us-west-2' }),
    codedeploy: new CodeDeployClient({ region: 'us-west-2' }),
  };
  const cp = mockClient(clients.codepipeline);
  const ecs = mockClient(clients.ecs);
  const cd = mockClient(clients.codedeploy);
  const logs: string[] = [];
  const handler = createOutcomeHandler({ clients: () => clients, log: (l) => logs.push(l) });

  after(() => {
    cp.restore();
    ecs.restore();
    cd.restore();
  });

  beforeEach(() => {
    cp.reset();
    ecs.reset();
    cd.reset();
    logs.length = 0;
    cp.on(ListActionExecutionsCommand, {
      pipelineName: 'ecs-playground-dev-rolling',
      filter: { pipelineExecutionId: 'exec-1' },
    }).resolves({
      actionExecutionDetails: [
        { actionName: 'Deploy', stageName: 'Deploy', startTime: STARTED, status: 'Succeeded' },
        {
          actionName: 'Build',
          stageName: 'Build',
          startTime: new Date('2026-12-07T07:55:00Z'),
          status: 'Succeeded',
        },
      ],
    });
    ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: `${ARN}-later`,
          createdAt: new Date('2026-12-07T08:09:00Z'),
          status: 'PENDING',
        },
        { serviceDeploymentArn: ARN, createdAt: new Date('2026-12-07T08:00:05Z'), status: 'IN_PROGRESS' },
      ],
    });
  });

  const describes = (d: ServiceDeployment) =>
    ecs
      .on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [ARN] })
      .resolves({ serviceDeployments: [d] });

  it('fails the action with the reasons when ECS rolled the release back (circuit breaker, stopped tasks)', async () => {
    describes({
      serviceDeploymentArn: ARN,
      status: 'ROLLBACK_SUCCESSFUL',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      targetServiceRevision: { arn: REVISION },
      rollback: {
        reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
      },
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
      alarms: { status: 'MONITORING', alarmNames: ['a'], triggeredAlarmNames: [] },
    });
    ecs
      .on(DescribeServiceRevisionsCommand, { serviceRevisionArns: [REVISION] })
      .resolves({ serviceRevisions: [{ taskDefinition: TASK_DEF }] });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['t1', 't2'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: 't1',
          taskDefinitionArn: TASK_DEF,
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'web', exitCode: 1 }],
        },
        {
          taskArn: 't2',
          taskDefinitionArn: 'arn:old:6',
          stoppedReason: 'Scaling activity initiated by deployment',
        },
      ],
    });
    await handler(job(ECS_TARGET));
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input).to.deep.equal({
      cluster: 'ecs-playground-dev',
      service: 'ecs-playground-dev-rolling',
      createdAt: { after: STARTED },
      nextToken: undefined,
    });
    expect(ecs.commandCalls(ListTasksCommand)[0].args[0].input).to.deep.equal({
      cluster: 'ecs-playground-dev',
      serviceName: 'ecs-playground-dev-rolling',
      desiredStatus: 'STOPPED',
      maxResults: 100,
    });
    expect(ecs.commandCalls(DescribeTasksCommand)[0].args[0].input).to.deep.equal({
      cluster: 'ecs-playground-dev',
      tasks: ['t1', 't2'],
    });
    expect(cp.commandCalls(PutJobSuccessResultCommand)).to.have.length(0);
    expect(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input).to.deep.equal({
      jobId: 'job-1',
      failureDetails: {
        type: 'JobFailed',
        externalExecutionId: ARN,
        message:
          'the release did not deploy: ECS service deployment ROLLBACK_SUCCESSFUL - ECS deployment circuit breaker: tasks failed to start. | ' +
          'rollback: Service deployment rolled back because the circuit breaker threshold was exceeded. | ' +
          'circuit breaker tripped: 3 failed tasks of a threshold of 3 | new tasks stopped: Essential container in task exited, web exited 1 ' +
          `(${ARN})`,
      },
    });
  });

  it('names the alarms and the failed lifecycle hook of a rolled-back canary', async () => {
    describes({
      serviceDeploymentArn: ARN,
      status: 'ROLLBACK_IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      alarms: { triggeredAlarmNames: ['ecs-playground-dev-canary-a-target-5xx'] },
      lifecycleHookDetails: [
        {
          status: 'FAILED',
          targetArn: 'arn:aws:lambda:us-west-2:111122223333:function:CodeDeployHook_ecs-playground-dev',
        },
      ],
    });
    await handler(job(ECS_TARGET));
    const message = cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails?.message;
    expect(message).to.equal(
      'the release did not deploy: ECS service deployment ROLLBACK_IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT - alarms in ALARM: ecs-playground-dev-canary-a-target-5xx | ' +
        "lifecycle hook FAILED (arn:aws:lambda:us-west-2:111122223333:function:CodeDeployHook_ecs-playground-dev; its verdict's reasons are in its log) " +
        `(${ARN})`,
    );
  });

  it('answers in progress with the deployment as continuation token, then succeeds on the next invocation', async () => {
    describes({ serviceDeploymentArn: ARN, status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    await handler(job(ECS_TARGET));
    expect(cp.commandCalls(PutJobSuccessResultCommand)[0].args[0].input).to.deep.equal({
      jobId: 'job-1',
      continuationToken: ARN,
      executionDetails: {
        summary: 'ECS service deployment IN_PROGRESS at BAKE_TIME',
        externalExecutionId: ARN,
      },
    });
    cp.resetHistory();
    ecs.resetHistory();
    describes({ serviceDeploymentArn: ARN, status: 'SUCCESSFUL' });
    await handler(job(ECS_TARGET, ARN));
    // The token names the deployment: no second look-up.
    expect(cp.commandCalls(ListActionExecutionsCommand)).to.have.length(0);
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).to.have.length(0);
    expect(cp.commandCalls(PutJobSuccessResultCommand)[0].args[0].input).to.deep.equal({
      jobId: 'job-1',
      executionDetails: { summary: `ECS service deployment SUCCESSFUL: ${ARN}`, externalExecutionId: ARN },
    });
  });

  it('fails a CodeDeploy deployment that rolled back, with its error and rollback message', async () => {
    cd.on(ListDeploymentsCommand, {
      applicationName: 'ecs-playground-dev',
      deploymentGroupName: 'ecs-playground-dev-bluegreen',
      createTimeRange: { start: STARTED },
      nextToken: undefined,
    }).resolves({ deployments: ['d-NEWER', 'd-OURS'] });
    cd.on(GetDeploymentCommand, { deploymentId: 'd-NEWER' }).resolves({
      deploymentInfo: {
        deploymentId: 'd-NEWER',
        createTime: new Date('2026-12-07T08:30:00Z'),
        status: 'InProgress',
      },
    });
    cd.on(GetDeploymentCommand, { deploymentId: 'd-OURS' }).resolves({
      deploymentInfo: {
        deploymentId: 'd-OURS',
        createTime: new Date('2026-12-07T08:00:10Z'),
        status: 'Failed',
        errorInformation: {
          code: 'ALARM_ACTIVE',
          message: 'One or more alarms have been activated: ecs-playground-dev-bluegreen-green-target-5xx',
        },
        rollbackInfo: { rollbackMessage: 'Rolled back to the original task set' },
      },
    });
    await handler(job(CD_TARGET));
    expect(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input).to.deep.equal({
      jobId: 'job-1',
      failureDetails: {
        type: 'JobFailed',
        externalExecutionId: 'd-OURS',
        message:
          'the release did not deploy: CodeDeploy deployment Failed - ALARM_ACTIVE: One or more alarms have been activated: ' +
          'ecs-playground-dev-bluegreen-green-target-5xx | rollback: Rolled back to the original task set (d-OURS)',
      },
    });
  });

  it('fails with a message naming the fix when the parameters are malformed or no deployment exists', async () => {
    const bad: JobEvent = {
      'CodePipeline.job': {
        id: 'job-1',
        data: { actionConfiguration: { configuration: { UserParameters: '{"pipeline":"p"}' } } },
      },
    };
    await handler(bad);
    expect(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails?.message).to.equal(
      'UserParameters lacks execution, deployAction, target: the pipeline template renders them, re-deploy the pipelines stack',
    );
    cp.resetHistory();
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    await handler(job(ECS_TARGET));
    expect(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails?.message).to.equal(
      "no deployment of ECS service ecs-playground-dev-rolling was created after the Deploy action started (2026-12-07T08:00:00.000Z): read that action's details",
    );
  });

  it('fails, naming the call, when a listing repeats its marker instead of paging on for ever', async () => {
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [], nextToken: 'again' });
    await handler(job(ECS_TARGET));
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).to.have.length(2);
    expect(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails?.message).to.equal(
      'the outcome check could not read the deployment: ListServiceDeployments(ecs-playground-dev-rolling) returned the marker "again" a second time after 2 pages: stopped instead of looping',
    );
  });

  it('reports an AWS error (AccessDenied) as the failure, and refuses an event that is not a job', async () => {
    const denied = Object.assign(new Error('not authorized to perform ecs:ListServiceDeployments'), {
      name: 'AccessDeniedException',
    });
    ecs.on(ListServiceDeploymentsCommand).rejects(denied);
    await handler(job(ECS_TARGET));
    expect(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails?.message).to.equal(
      'the outcome check could not read the deployment: AccessDeniedException: not authorized to perform ecs:ListServiceDeployments',
    );
    let thrown: unknown;
    await handler({} as JobEvent).catch((e) => {
      thrown = e;
    });
    expect((thrown as Error).message).to.equal(
      'not a CodePipeline job event (no "CodePipeline.job".id): invoke it from the pipeline',
    );
  });
});
