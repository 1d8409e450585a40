import { expect } from 'chai';
import { LOG_RETENTION_CHECK, logRetentionCheck } from '../../scripts/lint/rules/log-retention';
import { S3_BUCKET_SECURITY_CHECK, s3BucketSecurityCheck } from '../../scripts/lint/rules/s3-bucket-security';
import { config, fixture, label } from './support';

describe('lint: S3 bucket security', () => {
  it('fails when a bucket lacks public-access-block flags or a TLS-only bucket policy', async () => {
    const findings = await s3BucketSecurityCheck.run({
      templates: [fixture('bucket-without-public-access-block.json')],
      config,
    });
    const template = label('bucket-without-public-access-block.json');
    expect(findings).to.deep.equal([
      {
        check: S3_BUCKET_SECURITY_CHECK,
        template,
        location: 'Resources/OpenBucket',
        message: 'bucket does not block public access: BlockPublicPolicy, RestrictPublicBuckets must be true',
      },
      {
        check: S3_BUCKET_SECURITY_CHECK,
        template,
        location: 'Resources/PlainBucket',
        message:
          'no bucket policy denies requests without TLS (Deny s3:* to "*" when aws:SecureTransport is false)',
      },
    ]);
  });
});

describe('lint: log retention', () => {
  it('fails when a log group has no retention and a function has no log group with retention', async () => {
    const findings = await logRetentionCheck.run({
      templates: [fixture('log-group-without-retention.json')],
      config,
    });
    const template = label('log-group-without-retention.json');
    expect(findings).to.deep.equal([
      {
        check: LOG_RETENTION_CHECK,
        template,
        location: 'Resources/AppLogGroup',
        message: 'log group has no RetentionInDays (logs would never expire)',
      },
      {
        check: LOG_RETENTION_CHECK,
        template,
        location: 'Resources/Hook',
        message:
          'function has no log group with RetentionInDays in this template (expected /aws/lambda/CodeDeployHook_app)',
      },
    ]);
  });
});
