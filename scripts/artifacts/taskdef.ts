/**
 * taskdef.json: the blue/green task definition in the ECS RegisterTaskDefinition shape, rendered
 * by the same function as the service-bluegreen template's task definition (task-definition.ts),
 * so the revision CodeDeploy registers on each release cannot drift from the one the stack made.
 */

import { tags } from '../../cloudformation/common';
import { BLUEGREEN_LOG_PREFIX } from '../../cloudformation/service-bluegreen';
import { taskDefinitionProperties, toRegisterTaskDefinitionJson } from '../../cloudformation/task-definition';
import { IMAGE1_PLACEHOLDER, namesFor, type PlaygroundConfig } from '../../config';
import { json } from './image-files';
import type { TaskDefinitionInputs } from './inputs';

export function taskDefinitionJson(config: PlaygroundConfig, inputs: TaskDefinitionInputs) {
  return toRegisterTaskDefinitionJson({
    ...taskDefinitionProperties(config, {
      family: namesFor(config).blueGreen.taskFamily,
      image: `<${IMAGE1_PLACEHOLDER}>`,
      executionRoleArn: inputs.executionRoleArn,
      taskRoleArn: inputs.taskRoleArn,
      logGroupName: inputs.logGroupName,
      region: inputs.region,
      logStreamPrefix: BLUEGREEN_LOG_PREFIX,
    }),
    // The same tags as the stack's revision, so cost reports keep grouping every revision.
    Tags: tags(config),
  });
}

export function renderTaskDefinition(config: PlaygroundConfig, inputs: TaskDefinitionInputs): string {
  return json(taskDefinitionJson(config, inputs));
}
