import { logRolesOf } from '../../../analysis/log-wiring';
import { TF_AZURE } from '../../../analysis/resource-types';
import { WORKSPACE_MAX_DAYS, retentionViolations, storeRetention } from '../../../analysis/retention';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

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
  resourceTypes: [TF_AZURE.logAnalyticsWorkspace],
  check(resource, context) {
    const roles = logRolesOf(context, resource);
    const reading = storeRetention(context, resource);
    if (!roles || !reading) return undefined;
    return retentionViolations(resource, roles, reading, context.policy, (days) =>
      days <= WORKSPACE_MAX_DAYS
        ? `set retention_in_days = ${days}`
        : `keep retention_in_days at ${WORKSPACE_MAX_DAYS} and add azurerm_log_analytics_workspace_table "AzureDiagnostics" with total_retention_in_days = ${days}`,
    );
  },
};
