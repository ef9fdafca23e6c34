import { logRolesOf } from '../../../analysis/log-wiring';
import { GOOGLE_LOG_BUCKET_TYPES } from '../../../analysis/resource-types';
import { retentionViolations, storeRetention } from '../../../analysis/retention';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

/** Cloud Logging buckets keep audit logs for the policy minimum (the default is 30 days). */
export const googleLogBucketRetention: ResourceRule = {
  id: 'LCG-RET-004',
  title: 'Cloud Logging buckets keep logs for the policy retention',
  category: 'retention',
  severity: 'error',
  rationale:
    'The _Default log bucket keeps logs 30 days, short of any SOC 2 observation period; a bucket holding prompt/response content must expire it within the maximum.',
  remediation: 'Set retention_days on the google_logging_project_bucket_config within the policy range, and lock the bucket once settled.',
  clauses: [CLAUSES.soc2Evidence, CLAUSES.hipaaRetention, CLAUSES.aiActLogRetention, CLAUSES.gdprStorageLimitation],
  resourceTypes: GOOGLE_LOG_BUCKET_TYPES,
  check(resource, context) {
    const roles = logRolesOf(context, resource);
    const reading = storeRetention(context, resource);
    if (!roles || !reading) return undefined;
    return retentionViolations(resource, roles, reading, context.policy, (days) => `set retention_days = ${days}`);
  },
};
