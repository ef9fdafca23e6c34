import type { GuardrailPolicy } from '../policy/policy';
import type { Violation } from '../rules/rule';
import type { Resource } from '../core/graph';
import type { LogRole } from './log-wiring';

/** How long a log store keeps entries: a number of days, forever, or unknown until deploy. */
export type Retention = { readonly days: number } | { readonly never: true } | { readonly unresolved: string };

export function describeRetention(retention: Retention): string {
  if ('days' in retention) return `${retention.days} days`;
  if ('never' in retention) return 'never expires';
  return `${retention.unresolved} (unresolved)`;
}

/**
 * Judges a log store's retention against the policy: audit stores keep at
 * least the minimum; content stores (prompts and responses) keep at most the
 * maximum. An unresolved retention fails both checks closed.
 */
export function retentionViolations(
  resource: Resource,
  roles: ReadonlySet<LogRole>,
  retention: Retention,
  policy: GuardrailPolicy,
  attribute: string,
  fix: (days: number) => string,
): Violation[] {
  const violations: Violation[] = [];
  const found = `${attribute} = ${describeRetention(retention)}`;
  const minimum = policy.minAuditLogRetentionDays;
  const maximum = policy.maxContentLogRetentionDays;
  const roleText = [...roles].sort().join(' and ');
  if ('unresolved' in retention) {
    if ((roles.has('audit') && minimum > 0) || (roles.has('content') && maximum !== undefined)) {
      violations.push({
        message: `Cannot verify the retention of ${roleText} log store ${resource.type} "${resource.id}": it is known only at deploy time.`,
        found,
        expected: expectedRange(roles, minimum, maximum),
        fix: `set ${attribute} to a literal value (${expectedRange(roles, minimum, maximum)})`,
        attribute,
      });
    }
    return violations;
  }
  if (roles.has('audit') && minimum > 0 && 'days' in retention && retention.days < minimum) {
    violations.push({
      message: `Audit log store ${resource.type} "${resource.id}" keeps logs for less than the policy minimum (${policy.minAuditLogRetentionBasis}).`,
      found,
      expected: `at least ${minimum} days`,
      fix: fix(minimum),
      attribute,
    });
  }
  if (roles.has('content') && maximum !== undefined && ('never' in retention || retention.days > maximum)) {
    violations.push({
      message: `Log store ${resource.type} "${resource.id}" holds prompt/response content longer than the policy maximum (GDPR Art. 5(1)(e) storage limitation).`,
      found,
      expected: `at most ${maximum} days`,
      fix: fix(Math.max(Math.min(maximum, Math.max(minimum, 1)), 1)),
      attribute,
    });
  }
  return violations;
}

function expectedRange(roles: ReadonlySet<LogRole>, minimum: number, maximum: number | undefined): string {
  const parts: string[] = [];
  if (roles.has('audit') && minimum > 0) parts.push(`at least ${minimum} days`);
  if (roles.has('content') && maximum !== undefined) parts.push(`at most ${maximum} days`);
  return parts.join(' and ');
}
