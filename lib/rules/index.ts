/**
 * The rule registry. Ids are permanent: a retired rule is marked
 * `deprecated: true` and stays here; a test fails on duplicate ids.
 */
import { cloudWatchLogRetention } from './cloudwatch-log-retention';
import { googleCmekKeyResidency } from './google-cmek-key-residency';
import { googleCustomerManagedKeys } from './google-customer-managed-keys';
import { googleLogBucketRetention } from './google-log-bucket-retention';
import { googleVertexDataAccessLogs } from './google-vertex-data-access-logs';
import { googleVertexEndpointPrivateNetwork } from './google-vertex-endpoint-private-network';
import { locatedResourceResidency } from './located-resource-residency';
import { logAnalyticsRetention } from './log-analytics-retention';
import { referencedArnResidency } from './referenced-arn-residency';
import { Rule } from './rule';
import { s3LogBucketLifecycle } from './s3-log-bucket-lifecycle';
import { stackRegionResidency } from './stack-region-residency';

export const ALL_RULES: readonly Rule[] = [
  locatedResourceResidency,
  stackRegionResidency,
  referencedArnResidency,
  cloudWatchLogRetention,
  s3LogBucketLifecycle,
  logAnalyticsRetention,
  googleLogBucketRetention,
  googleCmekKeyResidency,
  googleVertexDataAccessLogs,
  googleCustomerManagedKeys,
  googleVertexEndpointPrivateNetwork,
];

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}

export * from './rule';
