/**
 * Every S3 bucket blocks public access (all four PublicAccessBlockConfiguration flags true) and has
 * a bucket policy in the same template that denies any request without TLS
 * (`Deny` `s3:*` to every principal when `aws:SecureTransport` is `false`).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
import type { Check, Finding, Json, JsonObject, LintContext, LintTemplate } from '../types';
import { finding } from '../types';
import { asList, isObject, referencedId, resourcesOf } from '../walk';

export const S3_BUCKET_SECURITY_CHECK = 's3-bucket-security';

export const PUBLIC_ACCESS_FLAGS = [
  'BlockPublicAcls',
  'BlockPublicPolicy',
  'IgnorePublicAcls',
  'RestrictPublicBuckets',
] as const;

/** True for the standard "deny non-TLS" statement. */
export function deniesInsecureTransport(statement: Json): boolean {
  if (!isObject(statement) || statement.Effect !== 'Deny') return false;
  const principal = statement.Principal;
  const everyone = principal === '*' || (isObject(principal) && asList(principal.AWS).includes('*'));
  const actions = asList(statement.Action);
  const allActions = actions.includes('s3:*') || actions.includes('*');
  const bool = isObject(statement.Condition) ? statement.Condition.Bool : undefined;
  const secure = isObject(bool) ? bool['aws:SecureTransport'] : undefined;
  const insecure = secure === false || (typeof secure === 'string' && secure.toLowerCase() === 'false');
  return everyone && allActions && insecure;
}

function bucketFindings(t: LintTemplate, id: string, props: JsonObject): Finding[] {
  const findings: Finding[] = [];
  const where = `Resources/${id}`;
  const block = props.PublicAccessBlockConfiguration;
  const missing = PUBLIC_ACCESS_FLAGS.filter((f) => !isObject(block) || block[f] !== true);
  if (missing.length) {
    findings.push(
      finding(
        S3_BUCKET_SECURITY_CHECK,
        t,
        where,
        `bucket does not block public access: ${missing.join(', ')} must be true`,
      ),
    );
  }
  const policies = resourcesOf(t.template, 'AWS::S3::BucketPolicy').filter(
    ([, p]) => referencedId(p.Properties?.Bucket) === id,
  );
  const denies = policies.some(([, p]) =>
    asList(isObject(p.Properties?.PolicyDocument) ? p.Properties.PolicyDocument.Statement : undefined).some(
      deniesInsecureTransport,
    ),
  );
  if (!denies) {
    findings.push(
      finding(
        S3_BUCKET_SECURITY_CHECK,
        t,
        where,
        'no bucket policy denies requests without TLS (Deny s3:* to "*" when aws:SecureTransport is false)',
      ),
    );
  }
  return findings;
}

export const s3BucketSecurityCheck: Check = {
  name: S3_BUCKET_SECURITY_CHECK,
  description: 'S3 buckets block public access (all four flags) and deny requests without TLS',
  run: (ctx: LintContext) =>
    ctx.templates.flatMap((t) =>
      resourcesOf(t.template, 'AWS::S3::Bucket').flatMap(([id, b]) =>
        bucketFindings(t, id, b.Properties ?? {}),
      ),
    ),
};
