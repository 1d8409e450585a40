import { expect } from 'chai';
import { toRegisterTaskDefinitionJson } from '../../cloudformation/task-definition';
import { DEFAULT_CONFIG } from '../../config';
import { taskDefinitionJson } from '../../scripts/artifacts/taskdef';
import { generated } from '../cloudformation/helpers';
import { SAMPLE_ENV } from './sample';

/**
 * The values the sample build environment stands for, by the intrinsic that gives them in the
 * service-bluegreen template. Every intrinsic in the task definition must be listed here.
 */
const RESOLVED: Record<string, string> = {
  '{"Fn::ImportValue":"ecs-playground-dev-cluster:ExecutionRoleArn"}': SAMPLE_ENV.EXECUTION_ROLE_ARN,
  '{"Fn::ImportValue":"ecs-playground-dev-cluster:TaskRoleArn"}': SAMPLE_ENV.TASK_ROLE_ARN,
  '{"Fn::ImportValue":"ecs-playground-dev-cluster:LogGroupName"}': SAMPLE_ENV.LOG_GROUP_NAME,
  '{"Ref":"AWS::Region"}': SAMPLE_ENV.AWS_DEFAULT_REGION,
  // The stack's image parameter is where CodeDeployToECS puts Image1.
  '{"Ref":"ImageUri"}': '<IMAGE1_NAME>',
};

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const key = JSON.stringify(value);
    if (!(key in RESOLVED)) throw new Error(`no sample value for ${key}`);
    return RESOLVED[key];
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
}

/** `path → leaf value` of a JSON value, so a difference names its field. */
function leaves(value: unknown, path = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      leaves(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, out);
  } else {
    out[path] = value;
  }
  return out;
}

describe('taskdef.json against the service-bluegreen template', () => {
  const template = generated('service-bluegreen');
  const [id, resource] = Object.entries(
    template.Resources as Record<string, { Type: string; Properties: object }>,
  ).find(([, r]) => r.Type === 'AWS::ECS::TaskDefinition')!;
  const fromTemplate = leaves(toRegisterTaskDefinitionJson(resolve(resource.Properties) as never));
  const fromBuild = leaves(
    taskDefinitionJson(DEFAULT_CONFIG, {
      executionRoleArn: SAMPLE_ENV.EXECUTION_ROLE_ARN,
      taskRoleArn: SAMPLE_ENV.TASK_ROLE_ARN,
      logGroupName: SAMPLE_ENV.LOG_GROUP_NAME,
      region: SAMPLE_ENV.AWS_DEFAULT_REGION,
    }),
  );

  it(`has exactly the fields of ${id}, with intrinsics resolved to the sample build values`, () => {
    expect(Object.keys(fromBuild)).to.deep.equal(Object.keys(fromTemplate));
  });

  it('matches it field by field: family, roles, cpu/memory, architecture, port, stop timeout, awslogs, tags', () => {
    for (const [field, value] of Object.entries(fromTemplate))
      expect(fromBuild[field], field).to.equal(value);
    // The fields the issue names, spelled out so a rename cannot make this test vacuous.
    expect(fromBuild).to.include({
      '.family': 'ecs-playground-dev-bluegreen',
      '.executionRoleArn': SAMPLE_ENV.EXECUTION_ROLE_ARN,
      '.taskRoleArn': SAMPLE_ENV.TASK_ROLE_ARN,
      '.cpu': '256',
      '.memory': '512',
      '.runtimePlatform.cpuArchitecture': 'X86_64',
      '.containerDefinitions[0].image': '<IMAGE1_NAME>',
      '.containerDefinitions[0].portMappings[0].containerPort': DEFAULT_CONFIG.container.port,
      '.containerDefinitions[0].stopTimeout': 30,
      '.containerDefinitions[0].logConfiguration.logDriver': 'awslogs',
      '.containerDefinitions[0].logConfiguration.options.awslogs-stream-prefix': 'bluegreen',
    });
  });
});
