import { logRoles } from '../../../analysis/log-wiring';
import { Retention, retentionViolations } from '../../../analysis/retention';
import { Unresolved } from '../../../core/values';
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
  resourceTypes: ['google_logging_project_bucket_config', 'google_logging_organization_bucket_config', 'google_logging_folder_bucket_config', 'google_logging_billing_account_bucket_config'],
  check(resource, context) {
    const roles = logRoles(context).get(resource.key) ?? new Set(['audit' as const]);
    const raw = resource.properties.retention_days;
    let retention: Retention;
    if (raw === undefined || raw === null) retention = { days: 30 };
    else if (typeof raw === 'number') retention = { days: raw };
    else retention = { unresolved: raw instanceof Unresolved ? raw.expression : String(raw) };
    return retentionViolations(resource, roles, retention, context.policy, 'retention_days', (days) => `set retention_days = ${days}`);
  },
};
