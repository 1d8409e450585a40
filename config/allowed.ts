/**
 * Values AWS accepts, kept in one place so that validation messages can list them.
 * Each list cites the AWS page it comes from.
 */

/**
 * Fargate task sizes: CPU units → allowed memory (MiB).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** CloudWatch Logs `RetentionInDays` values (AWS::Logs::LogGroup). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * CodeDeploy's predefined deployment configurations for the ECS compute platform.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html#deployment-configurations-predefined-ecs
 */
export const ECS_PREDEFINED_DEPLOYMENT_CONFIGS = [
  'CodeDeployDefault.ECSAllAtOnce',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
  'CodeDeployDefault.ECSCanary10Percent5Minutes',
  'CodeDeployDefault.ECSCanary10Percent15Minutes',
] as const;

/** Target group `LoadBalancingAlgorithm.Type` values usable with ECS targets. */
export const LOAD_BALANCING_ALGORITHMS = ['round_robin', 'least_outstanding_requests'] as const;

/** Fargate `RuntimePlatform.CpuArchitecture` values. */
export const CPU_ARCHITECTURES = ['X86_64', 'ARM64'] as const;

/** CodeBuild compute types that can run Docker builds on both architectures. */
export const CODEBUILD_COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
] as const;

/**
 * The Service Quotas name (service code `codebuild`) of the concurrent-build quota of each compute
 * type on each architecture's build image (LINUX_CONTAINER for X86_64, ARM_CONTAINER for ARM64),
 * as CodeBuild's quotas page lists them ("Concurrently running builds for ARM/Large environment", …):
 * https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html
 * ARM Medium is an on-demand compute type
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-compute-types.html) but the
 * quotas page and Service Quotas list no "ARM/Medium" quota: the preflight could neither read nor
 * request it, so the config refuses that pair (config/schema.ts) instead of guessing a name.
 */
export const CODEBUILD_BUILD_QUOTAS: Readonly<
  Record<
    (typeof CPU_ARCHITECTURES)[number],
    Partial<Record<(typeof CODEBUILD_COMPUTE_TYPES)[number], string>>
  >
> = {
  X86_64: {
    BUILD_GENERAL1_SMALL: 'Concurrently running builds for Linux/Small environment',
    BUILD_GENERAL1_MEDIUM: 'Concurrently running builds for Linux/Medium environment',
    BUILD_GENERAL1_LARGE: 'Concurrently running builds for Linux/Large environment',
  },
  ARM64: {
    BUILD_GENERAL1_SMALL: 'Concurrently running builds for ARM/Small environment',
    BUILD_GENERAL1_LARGE: 'Concurrently running builds for ARM/Large environment',
  },
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
