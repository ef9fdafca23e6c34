import type { Resource, ResourceGraph } from '../../../core/graph';
import { LogRole, block, logRoles } from '../../../analysis/log-wiring';
import { Retention, retentionViolations } from '../../../analysis/retention';
import { Unresolved, Value, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

const MANAGEMENT_POLICY = 'azurerm_storage_management_policy';
/** Lifecycle actions that delete a base blob after a number of days. */
const DELETE_AFTER = ['delete_after_days_since_creation_greater_than', 'delete_after_days_since_modification_greater_than', 'delete_after_days_since_last_access_time_greater_than'];

/**
 * Storage accounts that receive Azure diagnostic logs (or are tagged as log
 * stores) keep them within the policy range: lifecycle deletion no earlier
 * than the audit minimum (an immutability policy protects blobs for its
 * period), and, for content logs, deletion no later than the maximum.
 */
export const azureLogStorageRetention: ResourceRule = {
  id: 'LCG-RET-030',
  title: 'Azure storage accounts holding logs delete them within the policy retention',
  category: 'retention',
  severity: 'error',
  rationale:
    'A diagnostic setting or a workspace archive may write audit logs to a storage account. A lifecycle rule that deletes them before the audit minimum destroys evidence; an account holding prompt/response content without a deletion rule keeps personal data forever. An immutability policy keeps every blob for its period whatever the lifecycle rules say.',
  remediation:
    'Give the account an azurerm_storage_management_policy whose delete actions fall inside the policy range, or an immutability_policy (Unlocked or Locked) whose period_since_creation_in_days covers the audit minimum.',
  clauses: [CLAUSES.soc2Evidence, CLAUSES.hipaaRetention, CLAUSES.aiActLogRetention, CLAUSES.gdprStorageLimitation],
  resourceTypes: ['azurerm_storage_account'],
  check(resource, context) {
    const roles = logRoles(context).get(resource.key);
    if (!roles) return undefined;
    const { earliest, latest } = storageRetention(resource, context.graph);
    const attribute = `${MANAGEMENT_POLICY} delete actions`;
    const fix = (days: number): string => `add an ${MANAGEMENT_POLICY} for ${resource.id} with a rule deleting base blobs after ${days} days${roles.has('audit') ? ', or an immutability_policy of at least the audit minimum' : ''}`;
    if ('unresolved' in earliest) return retentionViolations(resource, roles, earliest, context.policy, attribute, fix);
    // Audit logs must survive until the minimum; content must be gone by the maximum.
    const only = (role: LogRole): ReadonlySet<LogRole> => new Set([...roles].filter((item) => item === role));
    return [
      ...retentionViolations(resource, only('audit'), earliest, context.policy, attribute, fix),
      ...retentionViolations(resource, only('content'), latest, context.policy, attribute, fix),
    ];
  },
};

/**
 * `earliest`: the first day any blob may be deleted (the shortest delete
 * action, held back by the immutability period). `latest`: how long a rule
 * covering the whole account lets blobs (and, when versioning is on, their
 * old versions) live.
 */
function storageRetention(account: Resource, graph: ResourceGraph): { earliest: Retention; latest: Retention } {
  const unresolved = (expression: string): { earliest: Retention; latest: Retention } => ({ earliest: { unresolved: expression }, latest: { unresolved: expression } });
  const immutability = block(account.properties.immutability_policy);
  let protectedDays = 0;
  if (immutability && (immutability.state === 'Unlocked' || immutability.state === 'Locked')) {
    const period = immutability.period_since_creation_in_days;
    if (period instanceof Unresolved) return unresolved(period.expression);
    if (typeof period === 'number') protectedDays = period;
  }
  const versioned = block(account.properties.blob_properties)?.versioning_enabled === true;

  let shortest: number | undefined;
  let wholeAccount: number | undefined;
  const policies = graph.referrers(account.key).filter((other) => other.type === MANAGEMENT_POLICY && graph.target(other.properties.storage_account_id)?.key === account.key);
  for (const policy of policies) {
    const rules = policy.properties.rule;
    if (rules instanceof Unresolved) return unresolved(rules.expression);
    for (const rule of Array.isArray(rules) ? rules : rules === undefined || rules === null ? [] : [rules]) {
      if (!isPlainObject(rule) || rule.enabled === false) continue;
      const actions = block(rule.actions);
      const days = deleteDays(block(actions?.base_blob));
      if (days instanceof Unresolved) return unresolved(days.expression);
      if (days === undefined) continue;
      shortest = Math.min(shortest ?? Number.POSITIVE_INFINITY, days);
      const prefixes = block(rule.filters)?.prefix_match;
      if (Array.isArray(prefixes) && prefixes.length > 0) continue;
      const versions = block(actions?.version)?.delete_after_days_since_creation;
      const lifetime = !versioned ? days : typeof versions === 'number' ? days + versions : Number.POSITIVE_INFINITY;
      wholeAccount = Math.min(wholeAccount ?? Number.POSITIVE_INFINITY, lifetime);
    }
  }
  const earliest: Retention = shortest === undefined ? { never: true } : { days: Math.max(shortest, protectedDays) };
  const latest: Retention = wholeAccount === undefined || wholeAccount === Number.POSITIVE_INFINITY ? { never: true } : { days: Math.max(wholeAccount, protectedDays) };
  return { earliest, latest };
}

/** The shortest delete action of a base_blob block, `Unresolved` when one is computed, undefined when none deletes. */
function deleteDays(baseBlob: { [key: string]: Value } | undefined): number | Unresolved | undefined {
  if (!baseBlob) return undefined;
  let days: number | undefined;
  for (const key of DELETE_AFTER) {
    const value = baseBlob[key];
    if (value instanceof Unresolved) return value;
    if (typeof value === 'number') days = Math.min(days ?? Number.POSITIVE_INFINITY, value);
  }
  return days;
}
