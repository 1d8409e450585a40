/**
 * The Fargate task definition, rendered once for both services and for the blue/green
 * pipeline's `taskdef.json`, so the template and the build artifact cannot drift.
 *
 * `taskDefinitionProperties` gives CloudFormation's shape (PascalCase); `toRegisterTaskDefinitionJson`
 * turns it into the ECS API shape (camelCase) that CodeDeployToECS reads from `taskdef.json`.
 */
import type { ECS, Value } from 'cloudform';
import { appEnvironment, type PlaygroundConfig } from '../config';

type TaskDefinitionProperties = ECS.TaskDefinition['Properties'];

export interface TaskDefinitionInputs {
  family: string;
  /** Image URI: a template parameter, or `<IMAGE1_NAME>` in taskdef.json. */
  image: Value<string>;
  executionRoleArn: Value<string>;
  taskRoleArn: Value<string>;
  logGroupName: Value<string>;
  region: Value<string>;
  /** awslogs stream prefix: streams are `<prefix>/<container>/<task id>`. */
  logStreamPrefix: string;
}

export function taskDefinitionProperties(
  config: PlaygroundConfig,
  inputs: TaskDefinitionInputs,
): TaskDefinitionProperties {
  const { container } = config;
  return {
    Family: inputs.family,
    // Fargate requires awsvpc: each task gets its own ENI, and the target groups register task IPs.
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: String(container.cpu),
    Memory: String(container.memory),
    RuntimePlatform: { CpuArchitecture: container.architecture, OperatingSystemFamily: 'LINUX' },
    ExecutionRoleArn: inputs.executionRoleArn,
    TaskRoleArn: inputs.taskRoleArn,
    ContainerDefinitions: [
      {
        Name: container.name,
        Image: inputs.image,
        Essential: true,
        PortMappings: [{ ContainerPort: container.port, Protocol: 'tcp' }],
        // Not secrets: ports and timeouts rendered from the config (see config/contracts/app.ts).
        Environment: Object.entries(appEnvironment(config)).map(([Name, Value]) => ({ Name, Value })),
        // Seconds between SIGTERM and SIGKILL; the app drains well within it.
        StopTimeout: container.stopTimeoutSeconds,
        // The app writes nothing to disk; a read-only root file system removes a class of attacks.
        ReadonlyRootFilesystem: true,
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {
            'awslogs-group': inputs.logGroupName,
            'awslogs-region': inputs.region,
            'awslogs-stream-prefix': inputs.logStreamPrefix,
            // non-blocking: a slow CloudWatch Logs API never stalls the app's stdout writes;
            // the 25 MiB buffer absorbs bursts (lines beyond it are dropped, not the request).
            mode: 'non-blocking',
            'max-buffer-size': '25m',
          },
        },
      },
    ],
  };
}

/** Keys whose children are user-chosen names, not API fields: never re-cased. */
const VERBATIM_MAPS = new Set(['Options', 'DockerLabels']);

/** CloudFormation's PascalCase task definition → the ECS RegisterTaskDefinition JSON shape. */
export function toRegisterTaskDefinitionJson(props: TaskDefinitionProperties): Record<string, unknown> {
  return camelCase(props) as Record<string, unknown>;
}

function camelCase(value: unknown, verbatim = false): unknown {
  if (Array.isArray(value)) return value.map((v) => camelCase(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('Fn::') || key === 'Ref') {
      throw new Error(`taskdef.json needs literal values, found ${key} at ${JSON.stringify(value)}`);
    }
    const name = verbatim ? key : key.charAt(0).toLowerCase() + key.slice(1);
    out[name] = verbatim ? child : camelCase(child, VERBATIM_MAPS.has(key));
  }
  return out;
}
