import { ACCOUNT_TYPES, accountCustomerManagedKey, hostsOpenAiModels } from '../../../analysis/azure';
import { TF_AZURE } from '../../../analysis/resource-types';
import { CLAUSES } from '../../../policy/frameworks';
import { customerManagedKeySeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

const SEPARATE_KEY_RESOURCE = TF_AZURE.cognitiveAccountCustomerManagedKey;

/**
 * (An error when the policy requires customer-managed keys, a warning
 * otherwise.) Azure OpenAI accounts
 * encrypt their stored data (files, fine-tuning data, stored completions)
 * with a Key Vault key: an inline `customer_managed_key` block or an
 * `azurerm_cognitive_account_customer_managed_key` resource.
 */
export const azureOpenAiCustomerManagedKey: ResourceRule = {
  id: 'LCG-ENC-030',
  title: 'Azure OpenAI accounts use a customer-managed key',
  category: 'encryption',
  severity: 'error',
  rationale:
    'With Microsoft-managed keys the customer cannot revoke access to stored prompts, uploaded files and fine-tuning data, nor show key custody to an auditor. An error when the policy sets requireCustomerManagedKeys, a warning otherwise: the frameworks ask for encryption, not for who holds the key.',
  remediation:
    'Give the account a managed identity with access to a Key Vault key in the jurisdiction, and set customer_managed_key { key_vault_key_id, identity_client_id } (or add an azurerm_cognitive_account_customer_managed_key).',
  clauses: [CLAUSES.hipaaEncryption, CLAUSES.soc2Encryption, CLAUSES.gdprSecurity],
  resourceTypes: [...ACCOUNT_TYPES],
  severityUnder: customerManagedKeySeverity,
  check(resource, context) {
    const required = context.policy.requireCustomerManagedKeys;
    if (!hostsOpenAiModels(resource)) return undefined;
    const key = accountCustomerManagedKey(context, resource);
    if (key && 'key' in key) return COMPLIANT;
    if (key && 'unresolved' in key) {
      return [
        {
          message: `Cannot verify that ${resource.id} encrypts stored data with a customer-managed key: its key is known only at plan time.`,
          found: key.unresolved,
          expected: 'customer_managed_key { key_vault_key_id = <a Key Vault key> }, or a literal azurerm_cognitive_account_customer_managed_key for the account',
          fix: `write customer_managed_key (or the azurerm_cognitive_account_customer_managed_key's cognitive_account_id) without plan-time values for ${resource.id}`,
          attribute: 'customer_managed_key',
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message: `${resource.id} encrypts stored data with Microsoft-managed keys${required ? ', but the policy requires customer-managed keys' : ': the customer cannot revoke access to it or show key custody'}.`,
        found: key ? key.incomplete : resource.type === 'azapi_resource' ? 'no body.properties.encryption' : `no customer_managed_key block and no ${SEPARATE_KEY_RESOURCE} for it`,
        expected: 'customer_managed_key { key_vault_key_id = <a Key Vault key> } (LCG-RES-001 judges where the vault is)',
        fix: `set customer_managed_key { key_vault_key_id, identity_client_id } on ${resource.id}, with a user-assigned identity that can use the key`,
        attribute: 'customer_managed_key',
      },
    ];
  },
};
