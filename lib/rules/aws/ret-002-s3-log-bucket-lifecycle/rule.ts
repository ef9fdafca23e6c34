import { logRolesOf } from '../../../analysis/log-wiring';
import { AWS_TYPES, CFN, TF_AWS } from '../../../analysis/resource-types';
import { retentionViolations, storeRetention } from '../../../analysis/retention';
import { isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

/**
 * Buckets that receive CloudTrail or Bedrock invocation logs (or are tagged as
 * log stores) expire objects within the policy range.
 */
export const s3LogBucketLifecycle: ResourceRule = {
  id: 'LCG-RET-002',
  title: 'S3 log buckets expire objects within the policy retention',
  category: 'retention',
  severity: 'error',
  rationale:
    'A lifecycle rule that expires log objects earlier than the audit minimum destroys evidence; a content log bucket without expiration (or whose old versions never expire) keeps personal data forever.',
  remediation: 'Add an enabled lifecycle rule for the whole bucket with ExpirationInDays (and NoncurrentVersionExpiration on versioned buckets) inside the policy range.',
  clauses: [CLAUSES.soc2Evidence, CLAUSES.hipaaRetention, CLAUSES.aiActLogRetention, CLAUSES.gdprStorageLimitation],
  resourceTypes: AWS_TYPES.buckets,
  check(resource, context) {
    const roles = logRolesOf(context, resource);
    const reading = storeRetention(context, resource);
    if (!roles || !reading) return undefined;
    const cloudFormation = resource.type === CFN.bucket;
    const versioned = cloudFormation && isPlainObject(resource.properties.VersioningConfiguration) && resource.properties.VersioningConfiguration.Status === 'Enabled';
    const fix = (days: number): string =>
      cloudFormation
        ? `add a lifecycle rule over the whole bucket with ExpirationInDays: ${days}${versioned ? ' and NoncurrentVersionExpiration' : ''}`
        : `add an ${TF_AWS.bucketLifecycle} for ${resource.id} with an enabled rule over the whole bucket and expiration { days = ${days} } (and noncurrent_version_expiration on versioned buckets)`;
    return retentionViolations(resource, roles, reading, context.policy, fix);
  },
};
