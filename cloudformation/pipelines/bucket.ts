/**
 * The artifact bucket both pipelines hand their source and build output through, and its TLS-only
 * bucket policy.
 */
import { Fn, type Logs, S3 } from 'cloudform';
import { tags, withLifecycle } from '../common';
import { policyDocument } from '../iam';
import { PIPELINES_IDS, type PipelinesContext } from './context';

export function artifactBucket(ctx: PipelinesContext): Record<string, S3.Bucket | S3.BucketPolicy> {
  const { config } = ctx;
  // Deleted with the stack: artifacts are disposable (the destroy script empties the bucket first).
  const bucket = deletedWithStack(
    new S3.Bucket({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      // ACLs off: only the bucket policy and IAM decide access.
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      // Versioned, as CodePipeline documents its artifact stores ("You can use any versioned S3
      // bucket as the artifact store for CodePipeline"):
      // https://docs.aws.amazon.com/codepipeline/latest/userguide/security_iam_resource-based-policy-examples.html
      // The lifecycle below keeps the versions from piling up; `npm run destroy` deletes every
      // version and delete marker before the stack.
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-pipeline-artifacts',
            Status: 'Enabled',
            // Artifacts are only read during their own execution; old ones are cost without use.
            // In a versioned bucket expiry makes the artifact noncurrent; a day later it is gone.
            ExpirationInDays: config.pipelines.artifactExpiryDays,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
          {
            // The delete markers left once their versions expired (S3 allows this only in its own rule).
            Id: 'remove-expired-delete-markers',
            Status: 'Enabled',
            ExpiredObjectDeleteMarker: true,
          },
        ],
      },
      Tags: tags(config),
    }),
  );
  // No server access logs (cdk-nag AwsSolutions-S1): accepted with its reason in
  // scripts/lint/suppressions.ts — a second bucket for short-lived artifacts only our roles can read.

  const bucketPolicy = new S3.BucketPolicy({
    Bucket: Fn.Ref(PIPELINES_IDS.bucket),
    PolicyDocument: policyDocument([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [ctx.bucketArn, ctx.bucketObjects],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]),
  });
  return { [PIPELINES_IDS.bucket]: bucket, [PIPELINES_IDS.bucketPolicy]: bucketPolicy };
}

/**
 * Says explicitly what happens on stack deletion or replacement (cfn-lint I3011 asks for stateful
 * resources): build logs and pipeline artifacts are disposable, so they go with the stack.
 */
export function deletedWithStack<T extends Logs.LogGroup | S3.Bucket>(resource: T): T {
  return withLifecycle(resource, { onStackDelete: 'Delete', onReplace: 'Delete' });
}
