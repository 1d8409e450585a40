/** The pure checks (no child process), in the order they are printed. cfn-lint and cdk-nag run separately. */
import { referencesCheck } from './cross-stack/imports';
import { parametersCheck } from './cross-stack/parameters';
import { iamTrustGuardCheck } from './rules/iam-trust-guard';
import { iamWildcardActionCheck } from './rules/iam-wildcard-action';
import { iamWildcardResourceCheck } from './rules/iam-wildcard-resource';
import { logRetentionCheck } from './rules/log-retention';
import { mixedListenerActionsCheck } from './rules/mixed-listener-actions';
import { nameLengthsCheck } from './rules/name-lengths';
import { openTaskPortCheck } from './rules/open-task-port';
import { resourceCountCheck } from './rules/resource-count';
import { s3BucketSecurityCheck } from './rules/s3-bucket-security';
import { templateSizeCheck } from './rules/template-size';
import type { Check } from './types';

export const PURE_CHECKS: readonly Check[] = [
  referencesCheck,
  parametersCheck,
  iamWildcardActionCheck,
  iamWildcardResourceCheck,
  iamTrustGuardCheck,
  openTaskPortCheck,
  mixedListenerActionsCheck,
  s3BucketSecurityCheck,
  logRetentionCheck,
  templateSizeCheck,
  resourceCountCheck,
  nameLengthsCheck,
];
