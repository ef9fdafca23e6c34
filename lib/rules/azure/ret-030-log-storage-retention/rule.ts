import { logRolesOf } from '../../../analysis/log-wiring';
import { TF_AZURE } from '../../../analysis/resource-types';
import { retentionViolations, storeRetention } from '../../../analysis/retention';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule } from '../../rule';

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
  resourceTypes: [TF_AZURE.storageAccount],
  check(resource, context) {
    const roles = logRolesOf(context, resource);
    const reading = storeRetention(context, resource);
    if (!roles || !reading) return undefined;
    const fix = (days: number): string =>
      `add an ${TF_AZURE.storageManagementPolicy} for ${resource.id} with a rule deleting base blobs after ${days} days${roles.has('audit') ? ', or an immutability_policy of at least the audit minimum' : ''}`;
    return retentionViolations(resource, roles, reading, context.policy, fix);
  },
};
