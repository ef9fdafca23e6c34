/** Terraform JSON fixtures for the Azure OpenAI rules: small, readable resource bodies. */

/** Resource bodies of a Terraform JSON document, by type and name. */
export type Resources = { [type: string]: { [name: string]: object } };

export const ACCOUNT_ID = '${azurerm_cognitive_account.openai.id}';
export const WORKSPACE_ID = '${azurerm_log_analytics_workspace.audit.id}';

/** An OpenAI account as the constructs write it: keys off, public access off, customer-managed key. */
export function account(location: string, extra: object = {}): Resources {
  return {
    azurerm_cognitive_account: {
      openai: {
        name: 'acme-openai',
        location,
        resource_group_name: 'rg',
        kind: 'OpenAI',
        sku_name: 'S0',
        custom_subdomain_name: 'acme-openai',
        local_auth_enabled: false,
        public_network_access_enabled: false,
        customer_managed_key: { key_vault_key_id: '${azurerm_key_vault_key.openai.id}', identity_client_id: '${azurerm_user_assigned_identity.openai.client_id}' },
        ...extra,
      },
    },
  };
}

/** A model deployment of the account with the given deployment type (`sku.name`). */
export function deployment(skuName: unknown, accountId: string = ACCOUNT_ID): Resources {
  return {
    azurerm_cognitive_deployment: {
      chat: { name: 'chat', cognitive_account_id: accountId, model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-08-06' }, sku: { name: skuName, capacity: 10 } },
    },
  };
}

/** A Log Analytics workspace. */
export function workspace(location: string, retentionInDays: unknown = 365, name = 'audit'): Resources {
  return { azurerm_log_analytics_workspace: { [name]: { name: `law-${name}`, location, resource_group_name: 'rg', sku: 'PerGB2018', retention_in_days: retentionInDays } } };
}

/** A diagnostic setting of the account with the given enabled_log blocks. */
export function diagnosticSetting(logs: object[], destination: object = { log_analytics_workspace_id: WORKSPACE_ID }, target: string = ACCOUNT_ID): Resources {
  return { azurerm_monitor_diagnostic_setting: { openai: { name: 'openai-audit', target_resource_id: target, ...destination, enabled_log: logs, enabled_metric: [{ category: 'AllMetrics' }] } } };
}

export const FULL_LOGS = [{ category: 'Audit' }, { category: 'RequestResponse' }, { category: 'Trace' }, { category: 'AzureOpenAIRequestUsage' }];

/** Merges resource maps into one Terraform JSON document with an azurerm provider. */
export function document(...parts: Resources[]): object {
  const resource: Resources = {};
  for (const part of parts) {
    for (const [type, byName] of Object.entries(part)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  }
  return { provider: { azurerm: [{ features: [{}] }] }, resource };
}

/** A compliant EU workload: account, deployment, workspace and full diagnostic setting in `location`. */
export function workload(location = 'westeurope', skuName = 'Standard'): object {
  return document(account(location), deployment(skuName), workspace(location), diagnosticSetting(FULL_LOGS));
}
