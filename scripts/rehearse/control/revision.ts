/**
 * The revision a deployment ships, registered where the hook's discovery reads it: a task definition
 * (the template's, with the image the pipeline would build, tagged with the commit the deployment
 * expects), and for the ECS canary its service revision.
 */
import { VERSIONS } from '../tasks';
import { REHEARSAL_ACCOUNT } from '../template';
import type { StrategyContext } from './context';

/** Registers the new revision of the template's task definition; its ARN. */
export function registerTaskDefinition(ctx: StrategyContext, taskDefinitionId: string): string {
  const p = ctx.stack.props(taskDefinitionId);
  const family = String(p.Family);
  const revision = 2;
  const taskDefinitionArn = `arn:aws:ecs:${ctx.config.app.region}:${REHEARSAL_ACCOUNT}:task-definition/${family}:${revision}`;
  const image = `${REHEARSAL_ACCOUNT}.dkr.ecr.${ctx.config.app.region}.amazonaws.com/${family}:${VERSIONS.new}`;
  ctx.aws.taskDefinitions.set(taskDefinitionArn, {
    taskDefinitionArn,
    family,
    revision,
    containerDefinitions: (
      p.ContainerDefinitions as { Name: string; Environment?: { Name: string; Value: string }[] }[]
    ).map((c) => ({
      name: c.Name,
      image,
      environment: (c.Environment ?? []).map((e) => ({ name: e.Name, value: e.Value })),
    })),
  });
  return taskDefinitionArn;
}
