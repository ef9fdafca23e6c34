import { logRoles } from '../../../analysis/log-wiring';
import { Retention, retentionViolations } from '../../../analysis/retention';
import { Unresolved } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

/** The retention values CloudWatch Logs accepts. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

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
  resourceTypes: ['AWS::Logs::LogGroup', 'aws_cloudwatch_log_group'],
  check(resource, context) {
    const roles = logRoles(context).get(resource.key);
    if (!roles) return undefined;
    const cloudFormation = resource.type === 'AWS::Logs::LogGroup';
    const raw = cloudFormation ? resource.properties.RetentionInDays : resource.properties.retention_in_days;
    const attribute = cloudFormation ? 'RetentionInDays' : 'retention_in_days';
    return retentionViolations(resource, roles, toRetention(raw), context.policy, attribute, (days) => {
      const valid = CLOUDWATCH_RETENTION_DAYS.find((value) => value >= days) ?? days;
      return `set ${attribute} to ${valid} (the nearest value CloudWatch accepts)`;
    });
  },
};

function toRetention(raw: unknown): Retention {
  if (raw === undefined || raw === null || raw === 0) return { never: true };
  if (typeof raw === 'number') return { days: raw };
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw) === 0 ? { never: true } : { days: Number(raw) };
  return { unresolved: raw instanceof Unresolved ? raw.expression : String(raw) };
}
