import { block, logRoles } from '../../../analysis/log-wiring';
import { Retention, retentionViolations } from '../../../analysis/retention';
import { Unresolved, Value } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

/** Interactive retention Log Analytics accepts for a workspace. */
const WORKSPACE_MAX_DAYS = 730;

/**
 * Log Analytics workspaces keep audit logs for the policy minimum, through
 * workspace retention, the total (interactive + long-term) retention of the
 * diagnostics tables, or an export of the diagnostics table to a storage
 * account whose immutability policy keeps blobs at least that long.
 */
export const logAnalyticsRetention: ResourceRule = {
  id: 'LCG-RET-003',
  title: 'Log Analytics workspaces keep audit logs for the policy minimum',
  category: 'retention',
  severity: 'error',
  rationale:
    'Azure Monitor keeps workspace data 30 days unless told otherwise, far short of SOC 2 or HIPAA. A workspace accepts at most 730 days of interactive retention; longer minimums need a table total retention (long-term retention) on the diagnostics tables, or an archive: a data export of the AzureDiagnostics table to a storage account with an immutability policy.',
  remediation: `Set retention_in_days (30–${WORKSPACE_MAX_DAYS}) to the minimum, or add azurerm_log_analytics_workspace_table resources for AzureDiagnostics with total_retention_in_days at the minimum, or export AzureDiagnostics (azurerm_log_analytics_data_export_rule) to a storage account whose immutability_policy keeps blobs at least the minimum.`,
  clauses: [CLAUSES.soc2Evidence, CLAUSES.hipaaRetention, CLAUSES.aiActLogRetention],
  resourceTypes: ['azurerm_log_analytics_workspace'],
  check(resource, context) {
    const roles = logRoles(context).get(resource.key);
    if (!roles) return undefined;
    const retention = effectiveRetention(resource.key, resource.properties.retention_in_days, context);
    return retentionViolations(resource, roles, retention.value, context.policy, retention.attribute, (days) =>
      days <= WORKSPACE_MAX_DAYS
        ? `set retention_in_days = ${days}`
        : `keep retention_in_days at ${WORKSPACE_MAX_DAYS} and add azurerm_log_analytics_workspace_table "AzureDiagnostics" with total_retention_in_days = ${days}`,
    );
  },
};

function effectiveRetention(key: string, raw: Value | undefined, context: Parameters<ResourceRule['check']>[1]): { value: Retention; attribute: string } {
  let workspace: Retention;
  if (raw === undefined || raw === null) workspace = { days: 30 };
  else if (typeof raw === 'number') workspace = { days: raw };
  else workspace = { unresolved: raw instanceof Unresolved ? raw.expression : String(raw) };
  let best = { value: workspace, attribute: 'retention_in_days' };
  for (const table of context.graph.referrers(key)) {
    if (table.type !== 'azurerm_log_analytics_workspace_table' || table.properties.name !== 'AzureDiagnostics') continue;
    const total = table.properties.total_retention_in_days;
    if (typeof total === 'number' && 'days' in best.value && total > best.value.days) {
      best = { value: { days: total }, attribute: `${table.id}.total_retention_in_days` };
    }
  }
  for (const archive of archivesOf(key, context)) {
    if ('days' in best.value && archive.days > best.value.days) best = { value: { days: archive.days }, attribute: archive.attribute };
  }
  return best;
}

/**
 * Archives of the workspace's diagnostics table: enabled data export rules
 * to a storage account whose immutability policy (Unlocked or Locked) keeps
 * every blob for a number of days after creation.
 */
function archivesOf(key: string, context: Parameters<ResourceRule['check']>[1]): { days: number; attribute: string }[] {
  const out: { days: number; attribute: string }[] = [];
  for (const exportRule of context.graph.referrers(key)) {
    if (exportRule.type !== 'azurerm_log_analytics_data_export_rule' || exportRule.properties.enabled === false) continue;
    if (context.graph.target(exportRule.properties.workspace_resource_id)?.key !== key) continue;
    const tables = exportRule.properties.table_names;
    if (!Array.isArray(tables) || !tables.some((table) => typeof table === 'string' && table.toLowerCase() === 'azurediagnostics')) continue;
    const storage = context.graph.target(exportRule.properties.destination_resource_id);
    if (storage?.type !== 'azurerm_storage_account') continue;
    const immutability = block(storage.properties.immutability_policy);
    const days = immutability?.period_since_creation_in_days;
    const state = immutability?.state;
    if (typeof days !== 'number' || (state !== 'Unlocked' && state !== 'Locked')) continue;
    out.push({ days, attribute: `${storage.id}.immutability_policy.period_since_creation_in_days (archive by ${exportRule.id})` });
  }
  return out;
}
