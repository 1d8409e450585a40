/**
 * The cluster stack: the ECS cluster, the app's log group, and the two roles every task uses.
 */
import { ECS, Fn, IAM, Logs, type Template } from 'cloudform';
import { type Names, namesFor, type PlaygroundConfig } from '../config';
import { exportedOutputs, importValue, tags, template, withLifecycle } from './common';
import { anyResourceStatement, type PolicyStatement, policyDocument, trustPolicy } from './iam';
import { accountArn } from './intrinsics';

export const CLUSTER = {
  Cluster: 'Cluster',
  LogGroup: 'AppLogGroup',
  ExecutionRole: 'TaskExecutionRole',
  TaskRole: 'TaskRole',
} as const;

/**
 * Lets a role pass the two task roles, and only to `passedTo` (ECS tasks unless said otherwise):
 * whoever registers their task definitions.
 */
export function passTaskRoles(
  names: Names,
  sid?: string,
  passedTo: string | string[] = 'ecs-tasks.amazonaws.com',
): PolicyStatement {
  return {
    ...(sid ? { Sid: sid } : {}),
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: [
      importValue(names, 'cluster', 'ExecutionRoleArn'),
      importValue(names, 'cluster', 'TaskRoleArn'),
    ],
    Condition: { StringEquals: { 'iam:PassedToService': passedTo } },
  };
}

/** Only ECS tasks of this account and region may assume these roles (no per-cluster ARN: see iam.ts). */
const ecsTasksTrust = () => trustPolicy('ecs-tasks.amazonaws.com', { sourceArn: accountArn('ecs', '*') });

export function clusterTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  const resources: NonNullable<Template['Resources']> = {
    [CLUSTER.Cluster]: new ECS.Cluster({
      ClusterName: names.cluster,
      ClusterSettings: [
        // Per-task CPU/memory/network metrics; billed as custom metrics, hence a config switch.
        { Name: 'containerInsights', Value: config.cluster.containerInsights ? 'enabled' : 'disabled' },
      ],
      Tags: tags(config),
    }),
    // Deleted with the stack, and on replacement: its fixed name (`/ecs/<app>-<stage>`, what the task
    // definitions and taskdef.json log to) must be free again when `npm run destroy` is followed by a
    // deploy, and a retained group of that name would make the next create fail ("already exists").
    // The app's logs live and die with the playground, like the build's and the hook's.
    [CLUSTER.LogGroup]: withLifecycle(
      new Logs.LogGroup({
        LogGroupName: names.appLogGroup,
        RetentionInDays: config.logs.retentionDays,
      }),
      { onStackDelete: 'Delete', onReplace: 'Delete' },
    ),
    // Used by the ECS agent (not the app) to pull the image and ship logs: exactly those rights.
    [CLUSTER.ExecutionRole]: new IAM.Role({
      Description: `ECS agent of ${names.prefix}: pull the image, write the app's logs`,
      AssumeRolePolicyDocument: ecsTasksTrust(),
      Policies: [
        {
          PolicyName: 'pull-image-write-logs',
          PolicyDocument: policyDocument([
            // GetAuthorizationToken is account-wide (it returns a registry login, not access to a
            // repository) and supports no resource-level permission: IAM requires "*".
            anyResourceStatement('EcrLogin', 'ecr:GetAuthorizationToken'),
            {
              Sid: 'PullThisRepository',
              Effect: 'Allow',
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
              Resource: importValue(names, 'registry', 'RepositoryArn'),
            },
            {
              Sid: 'WriteThisLogGroup',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              // The log group's Arn attribute ends in ":*", which covers its streams.
              Resource: Fn.GetAtt(CLUSTER.LogGroup, 'Arn'),
            },
          ]),
        },
      ],
      Tags: tags(config),
    }),
    // The app's own identity. It needs no AWS access today, so it has no policy; it exists so that
    // the task definition (and taskdef.json) names a stable role that rights can be granted to
    // later without touching the pipelines, and so the app never falls back to other credentials.
    [CLUSTER.TaskRole]: new IAM.Role({
      Description: `The ${names.prefix} app's identity (no permissions: the app calls no AWS API)`,
      AssumeRolePolicyDocument: ecsTasksTrust(),
      Tags: tags(config),
    }),
  };
  return template(`${names.prefix} cluster: ECS cluster, task roles, log group.`, {
    Resources: resources,
    Outputs: exportedOutputs(names, 'cluster', {
      ClusterName: { value: Fn.Ref(CLUSTER.Cluster), description: 'ECS cluster name' },
      ClusterArn: { value: Fn.GetAtt(CLUSTER.Cluster, 'Arn'), description: 'ECS cluster ARN' },
      ExecutionRoleArn: {
        value: Fn.GetAtt(CLUSTER.ExecutionRole, 'Arn'),
        description: 'Task execution role (image pull, logs)',
      },
      TaskRoleArn: { value: Fn.GetAtt(CLUSTER.TaskRole, 'Arn'), description: "The app's task role" },
      LogGroupName: { value: Fn.Ref(CLUSTER.LogGroup), description: "The app's log group" },
    }),
  });
}
