/**
 * What the release-outcome check's role (serverless.ts `OutcomeRole`) may do: write its own logs,
 * read each pipeline execution's actions, read the deployments of the strategies the config runs,
 * and answer CodePipeline's jobs. Each on the narrowest resource the Service Authorization Reference
 * (SAR) allows; RESOURCE_STAR_ACTIONS (iam.ts) says why the rest is on "*".
 */
import { namesFor, type PlaygroundConfig, runs, STRATEGY_IDS, strategyPipeline } from '../config';
import { anyResourceStatement, type PolicyStatement } from './iam';
import { accountArn } from './intrinsics';

export function outcomeStatements(config: PlaygroundConfig): PolicyStatement[] {
  const names = namesFor(config);
  const ecsServices = [
    ...(runs(config, 'rolling') ? [names.rolling.service] : []),
    ...(runs(config, 'canary') ? [names.ecsCanary.service] : []),
  ].map((service) => `${names.cluster}/${service}`);
  const statements: PolicyStatement[] = [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      // No logs:CreateLogGroup: the stack creates the group (with retention).
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: accountArn('logs', `log-group:${names.outcomeLogGroup}:*`),
    },
    {
      Sid: 'FindDeployAction',
      Effect: 'Allow',
      // SAR: ListActionExecutions acts on the pipeline resource type.
      Action: 'codepipeline:ListActionExecutions',
      Resource: STRATEGY_IDS.filter((s) => runs(config, s)).map((s) =>
        accountArn('codepipeline', strategyPipeline(names, s)),
      ),
    },
    // SAR lists no resource type for the job worker calls: the job id is the only handle.
    anyResourceStatement('AnswerPipelineJobs', [
      'codepipeline:PutJobFailureResult',
      'codepipeline:PutJobSuccessResult',
    ]),
  ];
  if (ecsServices.length) {
    statements.push(
      {
        Sid: 'ReadServiceDeployments',
        Effect: 'Allow',
        // ECS's service deployment permissions: ListServiceDeployments on the service, Describe* on the
        // service deployment and the service revision
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment-permissions.html).
        Action: [
          'ecs:DescribeServiceDeployments',
          'ecs:DescribeServiceRevisions',
          'ecs:ListServiceDeployments',
        ],
        Resource: ecsServices.flatMap((s) => [
          accountArn('ecs', `service/${s}`),
          accountArn('ecs', `service-deployment/${s}/*`),
          accountArn('ecs', `service-revision/${s}/*`),
        ]),
      },
      {
        Sid: 'ReadStoppedTasks',
        Effect: 'Allow',
        // Why a failed release's tasks stopped: DescribeTasks acts on the task resource type.
        Action: 'ecs:DescribeTasks',
        Resource: accountArn('ecs', `task/${names.cluster}/*`),
      },
      anyResourceStatement('ListStoppedTasks', 'ecs:ListTasks', {
        ArnEquals: { 'ecs:cluster': accountArn('ecs', `cluster/${names.cluster}`) },
      }),
    );
  }
  if (runs(config, 'bluegreen')) {
    const { codeDeployApplication, deploymentGroup } = names.blueGreen;
    statements.push({
      Sid: 'ReadCodeDeployDeployments',
      Effect: 'Allow',
      // SAR: both act on the deploymentgroup resource type.
      Action: ['codedeploy:GetDeployment', 'codedeploy:ListDeployments'],
      Resource: accountArn('codedeploy', `deploymentgroup:${codeDeployApplication}/${deploymentGroup}`),
    });
  }
  return statements;
}
