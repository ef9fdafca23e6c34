import { IConstruct } from 'constructs';
import { ComplianceGate } from '../../aspects/cdk';
import { CLOUDWATCH_RETENTION_DAYS } from '../../lib/analysis/retention';
import { GuardrailPolicy } from '../../lib/policy/policy';

/** Retention used when no policy sets a minimum: a year, the usual audit observation period. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;


/** The policy for a construct: the explicit one, else the gate's or the context's. */
export function policyFor(scope: IConstruct, explicit: GuardrailPolicy | undefined): GuardrailPolicy | undefined {
  return explicit ?? ComplianceGate.policyOf(scope);
}

/** How long a log store keeps entries, in the units each store accepts. */
export interface RetentionPlan {
  /** CloudWatch Logs retention (one of the accepted values). */
  readonly cloudWatchDays: number;
  /** S3 lifecycle: current objects expire after this many days. */
  readonly s3ExpirationDays: number;
  /** S3 lifecycle: noncurrent versions expire this many days after they become noncurrent. */
  readonly s3NoncurrentDays: number;
}

/**
 * Retention inside the policy's range: at least the audit minimum, and for
 * stores that hold prompts and responses at most the content maximum (an old
 * version of an S3 object lives for expiration + noncurrent days).
 *
 * @param requestedDays an explicit retention; one outside the range is kept
 *   as asked (the gate reports it).
 */
export function retentionPlan(policy: GuardrailPolicy | undefined, holdsContent: boolean, requestedDays: number | undefined, where: string): RetentionPlan {
  const minimum = policy?.minAuditLogRetentionDays ?? 0;
  const maximum = holdsContent ? policy?.maxContentLogRetentionDays : undefined;
  const range = `${minimum > 0 ? `at least ${minimum}` : ''}${minimum > 0 && maximum !== undefined ? ' and ' : ''}${maximum !== undefined ? `at most ${maximum}` : ''} days`;
  if (requestedDays !== undefined && (!Number.isInteger(requestedDays) || requestedDays < 1)) {
    throw new Error(`${where}: retention of ${requestedDays} days is not a whole number of days, at least 1 (fix: e.g. ${Math.max(minimum, DEFAULT_LOG_RETENTION_DAYS)}, or remove the retention setting)`);
  }
  if (requestedDays !== undefined && (requestedDays < minimum || (maximum !== undefined && requestedDays > maximum))) {
    // Outside the policy range: built as asked, and the gate's retention rules report it (with the report file and
    // acknowledgements of every finding) instead of an exception from a constructor.
    const cloudWatchDays = CLOUDWATCH_RETENTION_DAYS.find((days) => days >= requestedDays) ?? CLOUDWATCH_RETENTION_DAYS[CLOUDWATCH_RETENTION_DAYS.length - 1];
    return { cloudWatchDays, s3ExpirationDays: requestedDays, s3NoncurrentDays: 30 };
  }
  let target = requestedDays ?? Math.max(minimum, DEFAULT_LOG_RETENTION_DAYS);
  if (maximum !== undefined) target = Math.min(target, maximum);
  const cloudWatchDays =
    CLOUDWATCH_RETENTION_DAYS.find((days) => days >= target && (maximum === undefined || days <= maximum)) ??
    [...CLOUDWATCH_RETENTION_DAYS].reverse().find((days) => days >= minimum && (maximum === undefined || days <= maximum));
  if (cloudWatchDays === undefined) {
    throw new Error(`${where}: no CloudWatch Logs retention value lies in the policy range (${range}); accepted values: ${CLOUDWATCH_RETENTION_DAYS.join(', ')} (fix: widen the policy range)`);
  }
  const room = maximum === undefined ? 30 : Math.min(30, maximum - target);
  if (room < 1) {
    throw new Error(`${where}: a versioned log bucket cannot keep old versions inside the policy range (${range}) (fix: make maxContentLogRetentionDays larger than minAuditLogRetentionDays)`);
  }
  return { cloudWatchDays, s3ExpirationDays: target, s3NoncurrentDays: room };
}
