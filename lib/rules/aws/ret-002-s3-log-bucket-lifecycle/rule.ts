import type { AnalysisContext } from '../../../analysis/context';
import { logRolesOf } from '../../../analysis/log-wiring';
import { resolveResource } from '../../../analysis/resolve';
import { AWS_TYPES, CFN, TF_AWS } from '../../../analysis/resource-types';
import { retentionViolations, storeRetention } from '../../../analysis/retention';
import type { Resource } from '../../../core/graph';
import { Value, asList, block, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

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
    return [...retentionViolations(resource, roles, reading, context.policy, fix), ...replicaViolations(context, resource)];
  },
};

/**
 * A log bucket that replicates copies every object (prompts, responses,
 * audit records) into the destination bucket, which keeps them by its own
 * lifecycle and in its own region: a destination the app does not define
 * cannot be shown to keep them as the policy requires.
 */
function replicaViolations(context: AnalysisContext, bucket: Resource): Violation[] {
  const destinations: [Value | undefined, string][] = [];
  if (bucket.type === CFN.bucket) {
    const rules = block(bucket.properties.ReplicationConfiguration)?.Rules;
    asList(rules).forEach((rule, index) => {
      const entry = block(rule);
      if (entry && entry.Status === 'Disabled') return;
      destinations.push([block(entry?.Destination)?.Bucket, `ReplicationConfiguration.Rules[${index}].Destination.Bucket`]);
    });
  } else {
    for (const configuration of context.graph.ofType(TF_AWS.bucketReplication)) {
      const source = resolveResource(context, configuration.properties.bucket, AWS_TYPES.buckets);
      if (source !== bucket) continue;
      asList(configuration.properties.rule).forEach((rule, index) => {
        const entry = block(rule);
        if (entry?.status === 'Disabled') return;
        destinations.push([block(entry?.destination)?.bucket, `${configuration.id}.rule[${index}].destination.bucket`]);
      });
    }
  }
  return destinations.flatMap(([destination, attribute]): Violation[] =>
    resolveResource(context, destination, AWS_TYPES.buckets)
      ? []
      : [
          {
            message: `Cannot verify where and how long the replica of log bucket ${bucket.type} "${bucket.id}" keeps its logs: it replicates to ${describeValue(destination)}, a bucket the app does not define.`,
            found: `${attribute} = ${describeValue(destination)}`,
            expected: 'replication only to buckets defined in the app, whose region and lifecycle the rules judge',
            fix: 'define the destination bucket in the app (with its lifecycle), or acknowledge this finding naming where its region and lifecycle are set',
            attribute,
            cannotVerify: true,
          },
        ],
  );
}
