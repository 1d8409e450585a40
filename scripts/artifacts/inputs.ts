/**
 * What the render script needs besides the config, read from the environment CodeBuild gives it:
 * the commit (CODEBUILD_RESOLVED_SOURCE_VERSION), the region (AWS_DEFAULT_REGION, set by CodeBuild)
 * and the values the CodeBuild project imports from the registry and cluster stacks.
 */
import { BUILD_ENV, COMMIT_HASH_LENGTH } from '../../config';

export interface ImageInputs {
  /** First 7 characters of the commit: the image tag. */
  commitHash: string;
  repositoryUri: string;
}

export interface TaskDefinitionInputs {
  executionRoleArn: string;
  taskRoleArn: string;
  logGroupName: string;
  region: string;
}

export type BuildInputs = ImageInputs & TaskDefinitionInputs;

/** Missing or malformed environment; one line per variable. */
export class BuildInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Cannot render the deploy artifacts:\n  - ${problems.join('\n  - ')}`);
    this.name = 'BuildInputError';
  }
}

type Env = Record<string, string | undefined>;

interface Rule {
  pattern: RegExp;
  expected: string;
}

const RULES = {
  sourceVersion: { pattern: /^[0-9a-f]{7,64}$/, expected: 'a git commit id (7-64 lowercase hex characters)' },
  region: { pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/, expected: 'an AWS region code such as us-west-2' },
  repositoryUri: {
    pattern: /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9][a-z0-9._/-]*$/,
    expected: 'an ECR repository URI such as 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repo',
  },
  executionRoleArn: { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, expected: 'an IAM role ARN' },
  taskRoleArn: { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, expected: 'an IAM role ARN' },
  logGroupName: { pattern: /^[\w\-./#]{1,512}$/, expected: 'a CloudWatch Logs group name' },
  // config is read by the config loader; gateBucket and gateWaitSeconds by buildspec.yml's gate only.
} as const satisfies Record<
  Exclude<keyof typeof BUILD_ENV, 'config' | 'gateBucket' | 'gateWaitSeconds'>,
  Rule
>;

/** Reads the image inputs (commit and repository) and names every missing or bad variable. */
export function readImageInputs(env: Env): ImageInputs {
  const problems: string[] = [];
  const sourceVersion = read(env, 'sourceVersion', problems);
  const repositoryUri = read(env, 'repositoryUri', problems);
  if (problems.length) throw new BuildInputError(problems);
  return { commitHash: sourceVersion.slice(0, COMMIT_HASH_LENGTH), repositoryUri };
}

/** Reads everything taskdef.json needs on top of the image inputs. */
export function readBuildInputs(env: Env): BuildInputs {
  const problems: string[] = [];
  let image: ImageInputs | undefined;
  try {
    image = readImageInputs(env);
  } catch (err) {
    problems.push(...(err as BuildInputError).problems);
  }
  const executionRoleArn = read(env, 'executionRoleArn', problems);
  const taskRoleArn = read(env, 'taskRoleArn', problems);
  const logGroupName = read(env, 'logGroupName', problems);
  const region = read(env, 'region', problems);
  if (problems.length || !image) throw new BuildInputError(problems);
  return { ...image, executionRoleArn, taskRoleArn, logGroupName, region };
}

function read(env: Env, key: keyof typeof RULES, problems: string[]): string {
  const name = BUILD_ENV[key];
  const value = env[name];
  const rule: Rule = RULES[key];
  if (value === undefined || value === '') {
    problems.push(`${name} is not set (expected ${rule.expected})`);
    return '';
  }
  if (!rule.pattern.test(value)) {
    problems.push(`${name}=${JSON.stringify(value)} is not ${rule.expected}`);
    return '';
  }
  return value;
}
