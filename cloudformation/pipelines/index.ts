/**
 * The pipelines stack: the artifact bucket, the GitHub connection, one CodeBuild project and one
 * CodePipeline (V2) per strategy the config runs (app.strategies), each deploying every push to the
 * configured branch:
 *   1. Source → Build → Deploy (provider ECS): the ECS rolling update, guarded by the circuit breaker;
 *   2. Source → Build → Deploy (provider CodeDeployToECS): CodeDeploy blue/green with a canary,
 *      guarded by the BeforeAllowTraffic hook and the CloudWatch alarms;
 *   3. Source → Build → Deploy (provider ECS): ECS's own canary on the canary service, guarded by the
 *      same hook (as an ECS lifecycle hook), the alarms and the circuit breaker.
 *
 * This stack deploys BEFORE the service stacks (their first deployment needs an image that only
 * the first build pushes), so it imports nothing from them: the ECS services and the CodeDeploy
 * application/deployment group are named with `namesFor(config)`, the same names those stacks give.
 * It imports from the registry (repository) and cluster (cluster, task roles, log group) stacks only.
 *
 * One file per concern: context.ts (ids, shared values), bucket.ts, connection.ts, build.ts (the
 * CodeBuild project), policies.ts (the pipeline roles' permissions as data), pipeline.ts (stages,
 * roles, deploy actions). A new deployment strategy is one more entry of DEPLOY_PIPELINES.
 */
import { Fn, type Template } from 'cloudform';
import { type OutcomeTarget, type PlaygroundConfig, runs, type StrategyId } from '../../config';
import { exportedOutputs, template } from '../common';
import type { PolicyStatement } from '../iam';
import { artifactBucket } from './bucket';
import { build } from './build';
import { gitHubConnection } from './connection';
import { PIPELINES_IDS, type PipelinesContext, pipelinesContext } from './context';
import {
  type ActionDeclaration,
  blueGreenDeployAction,
  canaryDeployAction,
  pipeline,
  pipelineRole,
  rollingDeployAction,
} from './pipeline';
import { blueGreenStatements, canaryStatements, rollingStatements } from './policies';

export { BUILD_IMAGES } from './build';
export { PIPELINE_ARTIFACTS, PIPELINE_STAGES, PIPELINES_IDS } from './context';

/** One pipeline per deployment strategy: its role, its deploy action and what that action may do. */
interface DeployPipeline {
  /** The strategy it deploys: the pipeline exists only when app.strategies names it. */
  strategy: StrategyId;
  roleId: string;
  pipelineId: string;
  name: (ctx: PipelinesContext) => string;
  description: string;
  statements: (ctx: PipelinesContext) => PolicyStatement[];
  deploy: (ctx: PipelinesContext) => ActionDeclaration;
  /** Where the release-outcome check finds the deployment the deploy action started. */
  outcome: (ctx: PipelinesContext) => OutcomeTarget;
}

const ecsOutcome = (ctx: PipelinesContext, service: string): OutcomeTarget => ({
  kind: 'ecs',
  cluster: ctx.names.cluster,
  service,
});

const DEPLOY_PIPELINES: readonly DeployPipeline[] = [
  {
    strategy: 'rolling',
    roleId: PIPELINES_IDS.rollingRole,
    pipelineId: PIPELINES_IDS.rollingPipeline,
    name: (ctx) => ctx.names.rolling.pipeline,
    description: 'ECS rolling deploy',
    statements: rollingStatements,
    deploy: rollingDeployAction,
    outcome: (ctx) => ecsOutcome(ctx, ctx.names.rolling.service),
  },
  {
    strategy: 'bluegreen',
    roleId: PIPELINES_IDS.blueGreenRole,
    pipelineId: PIPELINES_IDS.blueGreenPipeline,
    name: (ctx) => ctx.names.blueGreen.pipeline,
    description: 'CodeDeploy blue/green deploy',
    statements: blueGreenStatements,
    deploy: blueGreenDeployAction,
    outcome: (ctx) => ({
      kind: 'codedeploy',
      application: ctx.names.blueGreen.codeDeployApplication,
      deploymentGroup: ctx.names.blueGreen.deploymentGroup,
    }),
  },
  {
    strategy: 'canary',
    roleId: PIPELINES_IDS.canaryRole,
    pipelineId: PIPELINES_IDS.canaryPipeline,
    name: (ctx) => ctx.names.ecsCanary.pipeline,
    description: 'ECS canary deploy',
    statements: canaryStatements,
    deploy: canaryDeployAction,
    outcome: (ctx) => ecsOutcome(ctx, ctx.names.ecsCanary.service),
  },
];

export function pipelinesTemplate(config: PlaygroundConfig): Template {
  const ctx = pipelinesContext(config);
  const deployed = DEPLOY_PIPELINES.filter((p) => runs(config, p.strategy));
  const pipelines = deployed.flatMap((p) => [
    [p.roleId, pipelineRole(ctx, `Pipeline ${p.name(ctx)}: ${p.description}`, p.statements(ctx))],
    [p.pipelineId, pipeline(ctx, p.name(ctx), p.roleId, p.deploy(ctx), p.outcome(ctx))],
  ]);
  return template(
    `Pipelines of ${ctx.names.prefix}: artifact bucket, GitHub connection, CodeBuild, ${deployed.map((p) => p.description.replace(/ deploy$/, '')).join(', ')} pipelines.`,
    {
      Resources: {
        ...artifactBucket(ctx),
        ...gitHubConnection(ctx),
        ...build(ctx),
        ...Object.fromEntries(pipelines),
      },
      Outputs: exportedOutputs(ctx.names, 'pipelines', {
        ArtifactBucketName: {
          value: Fn.Ref(PIPELINES_IDS.bucket),
          description: 'Pipeline artifact bucket (the destroy script empties it before deleting the stack)',
        },
        ConnectionArn: {
          value: ctx.connectionArn,
          description:
            'GitHub connection of the pipelines; a new one is PENDING until approved in the console',
        },
      }),
    },
  );
}
