/**
 * The registry stack: the ECR repository the build pushes to and every service pulls from.
 *
 * Tag policy: every image is tagged with its commit (immutable, so a tag always names the same
 * bytes and a rollback redeploys exactly what ran before). `latest` is never pushed: deploys name
 * the commit tag. The one exception is BUILD_CACHE_TAG, BuildKit's registry cache of all build
 * stages, which every gated build rewrites: it is not an image anyone runs.
 */
import { ECR, Fn, type Template } from 'cloudform';
import { BUILD_CACHE_TAG, namesFor, type PlaygroundConfig } from '../config';
import { exportedOutputs, tags, template } from './common';

export const REGISTRY = { Repository: 'Repository' } as const;

/**
 * Expire untagged images (layers of failed or superseded pushes) after a day, and keep the newest
 * `registry.keepImages` images of any tag. ECR requires the `any` rule to have the highest priority
 * number, so it is evaluated last.
 */
export function lifecyclePolicy(config: PlaygroundConfig): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: 'Untagged images are leftovers: expire them after a day',
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: 1,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the ${config.registry.keepImages} newest commit images`,
        selection: {
          tagStatus: 'any',
          countType: 'imageCountMoreThan',
          countNumber: config.registry.keepImages,
        },
        action: { type: 'expire' },
      },
    ],
  });
}

type RepositoryProperties = ECR.Repository['Properties'] & {
  EmptyOnDelete: boolean;
  ImageTagMutabilityExclusionFilters: {
    ImageTagMutabilityExclusionFilterType: 'WILDCARD';
    ImageTagMutabilityExclusionFilterValue: string;
  }[];
};

export function registryTemplate(config: PlaygroundConfig): Template {
  const names = namesFor(config);
  // EmptyOnDelete and the mutability exclusions are newer than cloudform's types (2023 spec);
  // CloudFormation and cfn-lint know them.
  const properties: RepositoryProperties = {
    RepositoryName: names.ecrRepository,
    // Commit tags never move; only the build cache tag does (see the module comment). ECR applies
    // the exclusion filters to the tags they match and immutability to every other tag:
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecr-repository-imagetagmutabilityexclusionfilter.html
    ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
    ImageTagMutabilityExclusionFilters: [
      {
        ImageTagMutabilityExclusionFilterType: 'WILDCARD',
        ImageTagMutabilityExclusionFilterValue: BUILD_CACHE_TAG,
      },
    ],
    // Basic scanning on push is free and flags known CVEs in the base image before a deploy.
    ImageScanningConfiguration: { ScanOnPush: true },
    // AES256 (S3-managed keys) encrypts at rest at no cost; a customer KMS key would add $1/month
    // plus per-pull requests and a key policy to manage, for no extra protection in a playground.
    EncryptionConfiguration: { EncryptionType: 'AES256' },
    LifecyclePolicy: { LifecyclePolicyText: lifecyclePolicy(config) },
    // `npm run destroy` deletes the stack: the repository must go with its images, not block it.
    EmptyOnDelete: true,
    Tags: tags(config),
  };
  return template(`${names.prefix} registry: the ECR repository of the service image.`, {
    Resources: { [REGISTRY.Repository]: new ECR.Repository(properties) },
    Outputs: exportedOutputs(names, 'registry', {
      RepositoryName: { value: Fn.Ref(REGISTRY.Repository), description: 'ECR repository name' },
      RepositoryArn: {
        value: Fn.GetAtt(REGISTRY.Repository, 'Arn'),
        description: 'ECR repository ARN (the execution role may pull from it)',
      },
      RepositoryUri: {
        value: Fn.GetAtt(REGISTRY.Repository, 'RepositoryUri'),
        description: 'ECR repository URI; images are <uri>:<commit>',
      },
    }),
  });
}
