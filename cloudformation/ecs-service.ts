/**
 * Pieces both service stacks share: the ImageUri parameter, the task definition resource and the
 * tasks' network placement, all from the network and cluster stacks' exports.
 */
import { ECS, Fn, Refs, type Template } from 'cloudform';
import { namesFor, type PlaygroundConfig } from '../config';
import { importValue, tags } from './common';
import { taskDefinitionProperties } from './task-definition';

/** The one parameter of each service stack. */
export const IMAGE_PARAMETER = 'ImageUri';

export const imageParameter: NonNullable<Template['Parameters']> = {
  [IMAGE_PARAMETER]: {
    Type: 'String',
    // The deploy script passes the image currently running, so a stack update never rolls a service
    // back to an older image; the first deploy passes the image the first build pushed.
    Description:
      'Full image URI with its commit tag, e.g. <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<commit>',
    MinLength: 1,
  },
};

export function taskDefinition(
  config: PlaygroundConfig,
  family: string,
  logStreamPrefix: string,
): ECS.TaskDefinition {
  const names = namesFor(config);
  return new ECS.TaskDefinition({
    ...taskDefinitionProperties(config, {
      family,
      image: Fn.Ref(IMAGE_PARAMETER),
      executionRoleArn: importValue(names, 'cluster', 'ExecutionRoleArn'),
      taskRoleArn: importValue(names, 'cluster', 'TaskRoleArn'),
      logGroupName: importValue(names, 'cluster', 'LogGroupName'),
      region: Refs.Region,
      logStreamPrefix,
    }),
    Tags: tags(config),
  });
}

/** awsvpc placement: the network stack decides the subnets and whether tasks get a public IP. */
export function taskNetworkConfiguration(config: PlaygroundConfig) {
  const names = namesFor(config);
  return {
    AwsvpcConfiguration: {
      Subnets: Fn.Split(',', importValue(names, 'network', 'TaskSubnetIds')),
      SecurityGroups: [importValue(names, 'network', 'TaskSecurityGroupId')],
      AssignPublicIp: importValue(names, 'network', 'TaskAssignPublicIp'),
    },
  };
}
