import { LogRole, logRoles } from '../../../analysis/log-wiring';
import { Retention, retentionViolations } from '../../../analysis/retention';
import { Unresolved, Value, isPlainObject } from '../../../core/values';
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
  resourceTypes: ['AWS::S3::Bucket'],
  check(resource, context) {
    const roles = logRoles(context).get(resource.key);
    if (!roles) return undefined;
    const fix = (days: number): string => `add a lifecycle rule over the whole bucket with ExpirationInDays: ${days}${isVersioned(resource.properties.VersioningConfiguration) ? ' and NoncurrentVersionExpiration' : ''}`;
    const { earliest, latest } = bucketRetention(resource.properties);
    if ('unresolved' in earliest) return retentionViolations(resource, roles, earliest, context.policy, 'LifecycleConfiguration', fix);
    // Audit logs must survive until the minimum (the earliest expiry counts);
    // content must be gone by the maximum (the latest expiry counts).
    const only = (role: LogRole): ReadonlySet<LogRole> => new Set([...roles].filter((item) => item === role));
    return [
      ...retentionViolations(resource, only('audit'), earliest, context.policy, 'LifecycleConfiguration', fix),
      ...retentionViolations(resource, only('content'), latest, context.policy, 'LifecycleConfiguration', fix),
    ];
  },
};

/**
 * `earliest`: the shortest expiration of any enabled rule (some objects may go
 * that early). `latest`: how long a whole-bucket rule lets any object live;
 * versioned buckets keep old versions until NoncurrentVersionExpiration
 * removes them.
 */
function bucketRetention(properties: { readonly [key: string]: Value }): { earliest: Retention; latest: Retention } {
  const lifecycle = properties.LifecycleConfiguration;
  if (lifecycle instanceof Unresolved) return { earliest: { unresolved: lifecycle.expression }, latest: { unresolved: lifecycle.expression } };
  const rules = isPlainObject(lifecycle) && Array.isArray(lifecycle.Rules) ? lifecycle.Rules : [];
  let shortest: number | undefined;
  let wholeBucket: number | undefined;
  for (const rule of rules) {
    if (!isPlainObject(rule)) continue;
    if (rule.Status instanceof Unresolved || rule.ExpirationInDays instanceof Unresolved) {
      const unresolved = { unresolved: 'lifecycle rule set at deploy time' };
      return { earliest: unresolved, latest: unresolved };
    }
    if (rule.Status !== 'Enabled' || typeof rule.ExpirationInDays !== 'number') continue;
    let days = rule.ExpirationInDays;
    if (isVersioned(properties.VersioningConfiguration)) {
      const noncurrent = isPlainObject(rule.NoncurrentVersionExpiration) ? rule.NoncurrentVersionExpiration.NoncurrentDays : rule.NoncurrentVersionExpirationInDays;
      days = typeof noncurrent === 'number' ? days + noncurrent : Number.POSITIVE_INFINITY;
    }
    shortest = Math.min(shortest ?? Number.POSITIVE_INFINITY, rule.ExpirationInDays);
    const scoped = rule.Prefix !== undefined || (isPlainObject(rule.Filter) ? Object.keys(rule.Filter).length > 0 : rule.Filter !== undefined);
    if (!scoped) wholeBucket = Math.min(wholeBucket ?? Number.POSITIVE_INFINITY, days);
  }
  return {
    earliest: shortest === undefined ? { never: true } : { days: shortest },
    latest: wholeBucket === undefined || wholeBucket === Number.POSITIVE_INFINITY ? { never: true } : { days: wholeBucket },
  };
}

function isVersioned(value: Value | undefined): boolean {
  return isPlainObject(value) && value.Status === 'Enabled';
}
