import { logRolesOf } from '../../../analysis/log-wiring';
import { AWS_TYPES } from '../../../analysis/resource-types';
import { CLOUDWATCH_RETENTION_DAYS, retentionViolations, storeRetention } from '../../../analysis/retention';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

/** Audit and content log groups (CloudTrail, Bedrock invocation logging, tagged) keep logs as long as the policy says. */
export const cloudWatchLogRetention: ResourceRule = {
  id: 'LCG-RET-001',
  title: 'CloudWatch log groups holding audit or prompt logs have policy retention',
  category: 'retention',
  severity: 'error',
  rationale:
    'Audit logs must cover the observation period (SOC 2), six years of documentation (HIPAA) or six months (EU AI Act); logs with prompts and responses hold personal data and must not be kept forever (GDPR storage limitation). A log group without RetentionInDays never expires.',
  remediation: 'Set RetentionInDays (retention on the LogGroup construct) within the policy range.',
  clauses: [CLAUSES.soc2Evidence, CLAUSES.hipaaRetention, CLAUSES.aiActLogRetention, CLAUSES.gdprStorageLimitation],
  resourceTypes: AWS_TYPES.logGroups,
  check(resource, context) {
    const roles = logRolesOf(context, resource);
    const reading = storeRetention(context, resource);
    if (!roles || !reading) return undefined;
    return retentionViolations(resource, roles, reading, context.policy, (days) => {
      const valid = CLOUDWATCH_RETENTION_DAYS.find((value) => value >= days) ?? days;
      return `set ${reading.attribute} to ${valid} (the nearest value CloudWatch accepts)`;
    });
  },
};
