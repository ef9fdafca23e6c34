import { GuardrailPolicy } from '../../lib/policy/policy';
import { euWithKeys, findings, hipaaPrivate, passes, tfGraph } from '../support/rules';
import { ACCOUNT_ID, FULL_LOGS, WORKSPACE_ID, account, deployment, diagnosticSetting, document, workload, workspace } from './fixtures';

const REGIONAL = ['Standard', 'ProvisionedManaged'];
const DATA_ZONE = ['DataZoneStandard', 'DataZoneProvisionedManaged', 'DataZoneBatch'];
const GLOBAL = ['GlobalStandard', 'GlobalProvisionedManaged', 'GlobalBatch', 'DeveloperTier'];

describe('LCG-RES-030 Azure OpenAI deployment type vs jurisdiction', () => {
  const RULE = 'LCG-RES-030';

  describe.each(REGIONAL)('Compliance: regional type %s', (skuName) => {
    test('GIVEN an account in westeurope under eu THEN prompts stay in the account region', () => {
      const graph = tfGraph(workload('westeurope', skuName));
      expect(findings(RULE, graph, 'eu')).toEqual([]);
      expect(passes(RULE, graph, 'eu')).toEqual(['azurerm_cognitive_deployment.chat']);
    });

    test('GIVEN an account in eastus under us-hipaa THEN it passes', () => {
      expect(findings(RULE, tfGraph(workload('eastus', skuName)), 'us-hipaa')).toEqual([]);
    });
  });

  describe.each(DATA_ZONE)('data-zone type %s', (skuName) => {
    test('Compliance: under eu, the EU data zone lies inside the EU (catalog: EU member states only)', () => {
      const graph = tfGraph(workload('westeurope', skuName));
      expect(findings(RULE, graph, 'eu')).toEqual([]);
      expect(passes(RULE, graph, 'eu')).toHaveLength(1);
    });

    test('Compliance: under us-hipaa, the US data zone lies inside US', () => {
      const graph = tfGraph(workload('eastus2', skuName));
      expect(findings(RULE, graph, 'us-hipaa')).toEqual([]);
      expect(passes(RULE, graph, 'us-hipaa')).toHaveLength(1);
    });

    test('Noncompliance: under a Germany-only policy, the EU data zone reaches other member states', () => {
      const policy = GuardrailPolicy.fromSpec({ extends: 'eu', jurisdiction: 'DE' });
      const [finding] = findings(RULE, tfGraph(workload('germanywestcentral', skuName)), policy);
      expect(finding).toMatchObject({ ruleId: RULE, severity: 'error', found: `sku.name = "${skuName}"`, attribute: 'sku.name' });
      expect(finding.message).toMatch(/anywhere in the European Union data zone, which includes AT, BE, .* outside DE/);
      expect(finding.fix).toBe('set sku.name to "ProvisionedManaged" or "Standard"');
    });
  });

  describe.each(GLOBAL)('global type %s', (skuName) => {
    test.each([
      ['eu', 'westeurope'],
      ['us-hipaa', 'eastus'],
    ])('Noncompliance: under %s (account in %s) prompts may go to any region', (policy, location) => {
      const [finding] = findings(RULE, tfGraph(workload(location, skuName)), policy);
      expect(finding.message).toMatch(new RegExp(`processes prompts outside the allowed jurisdiction: ${skuName} is a global deployment type`));
      expect(finding.expected).toMatch(/^a regional deployment type \(ProvisionedManaged, Standard\)/);
    });

    test('Compliance: a policy without residency (soc2) allows it', () => {
      expect(findings(RULE, tfGraph(workload('eastus', skuName)), 'soc2')).toEqual([]);
    });
  });

  test.each(['uksouth', 'switzerlandnorth'])('Noncompliance: under eu an account in %s is outside the EU (LCG-RES-001) and its DataZone deployment cannot be placed', (location) => {
    const graph = tfGraph(workload(location, 'DataZoneStandard'));
    const [accountFinding] = findings('LCG-RES-001', graph, 'eu').filter((finding) => finding.resource.type === 'azurerm_cognitive_account');
    expect(accountFinding.message).toMatch(/placed outside the allowed jurisdiction/);
    expect(accountFinding.found).toMatch(new RegExp(`location = ${location} \\(`));
    const [deploymentFinding] = findings(RULE, graph, 'eu');
    expect(deploymentFinding.message).toMatch(new RegExp(`Cannot verify .*"${location}" belongs to no Azure OpenAI data zone`));
  });

  test('Noncompliance: a data-zone type under a region allow-list that the zone exceeds', () => {
    const policy = GuardrailPolicy.fromSpec({ extends: 'us-hipaa', regions: { azure: ['eastus', 'eastus2'] } });
    const [finding] = findings(RULE, tfGraph(workload('eastus', 'DataZoneStandard')), policy);
    expect(finding.message).toMatch(/including regions the policy does not list \(centralus/);
    expect(finding.expected).toMatch(/covers only regions eastus, eastus2/);
  });

  test('Unresolved: sku.name from a Terraform variable fails closed', () => {
    const graph = tfGraph(document(account('westeurope'), deployment('${var.deployment_type}')));
    const [finding] = findings(RULE, graph, 'eu');
    expect(finding.message).toMatch(/^Cannot verify where deployment azurerm_cognitive_deployment.chat .* sku.name is known only at plan time/);
    expect(finding.found).toBe('sku.name = ${var.deployment_type}');
  });

  test('Unresolved: a data-zone type on an account whose location is a variable fails closed', () => {
    const [finding] = findings(RULE, tfGraph(document(account('${var.location}'), deployment('DataZoneStandard'))), 'us-hipaa');
    expect(finding.message).toMatch(/account location \(\$\{var.location\}\) is known only at plan time/);
  });

  test('Unresolved: a regional deployment on an account read from a data source fails closed', () => {
    const [finding] = findings(RULE, tfGraph(document(deployment('Standard', '${data.azurerm_cognitive_account.shared.id}'))), 'eu');
    expect(finding.message).toMatch(/its account is not part of this configuration/);
    expect(finding.fix).toMatch(/declare the account in the same configuration/);
  });

  test('Unresolved: a deployment type the catalog does not know fails closed', () => {
    const [finding] = findings(RULE, tfGraph(workload('westeurope', 'SuperRegional')), 'eu');
    expect(finding.message).toMatch(/"SuperRegional" is not a deployment type the catalog knows/);
  });
});

describe('LCG-LOG-030 Azure OpenAI diagnostic setting', () => {
  const RULE = 'LCG-LOG-030';

  test('Noncompliance: no diagnostic setting targets the account', () => {
    const [finding] = findings(RULE, tfGraph(document(account('westeurope'), workspace('westeurope'))));
    expect(finding).toMatchObject({ severity: 'error', resource: { id: 'azurerm_cognitive_account.openai' } });
    expect(finding.found).toBe('no azurerm_monitor_diagnostic_setting with target_resource_id = azurerm_cognitive_account.openai.id');
    expect(finding.expected).toBe('a diagnostic setting with Audit and RequestResponse (or category group allLogs) sent to a destination in EU');
  });

  test('Noncompliance: a diagnostic setting without RequestResponse', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope'), diagnosticSetting([{ category: 'Audit' }, { category: 'Trace' }])));
    const [finding] = findings(RULE, graph);
    expect(finding.message).toMatch(/^The diagnostic settings of azurerm_cognitive_account.openai do not send RequestResponse logs to an in-jurisdiction destination\. Found: /);
    expect(finding.found).toBe('categories sent: audit, trace');
    expect(finding.fix).toMatch(/^add enabled_log \{ category = "RequestResponse" \}/);
  });

  test('Noncompliance: the audit category group covers Audit only', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope'), diagnosticSetting([{ category_group: 'audit' }])));
    expect(findings(RULE, graph)[0].message).toMatch(/do not send RequestResponse logs/);
  });

  test('Compliance: category_group "allLogs" with the empty category a plan writes beside it', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope'), diagnosticSetting([{ category: '', category_group: 'allLogs' }])));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toHaveLength(1);
  });

  test('Noncompliance: logs sent to a workspace in eastus under eu do not count', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('eastus'), diagnosticSetting(FULL_LOGS)));
    const [finding] = findings(RULE, graph);
    expect(finding.message).toMatch(/do not send Audit and RequestResponse logs/);
    expect(finding.found).toMatch(/log_analytics_workspace_id points to azurerm_log_analytics_workspace.audit in eastus \(East US, US\), outside the jurisdiction/);
  });

  test('Compliance: Audit, RequestResponse, Trace and AzureOpenAIRequestUsage to an in-jurisdiction workspace', () => {
    const graph = tfGraph(workload('westeurope'));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['azurerm_cognitive_account.openai']);
  });

  test('Compliance: the allLogs category group, on an AIServices account', () => {
    const graph = tfGraph(document(account('swedencentral', { kind: 'AIServices' }), workspace('swedencentral'), diagnosticSetting([{ category_group: 'allLogs' }])));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toHaveLength(1);
  });

  test('Compliance: a literal target resource id that names the account', () => {
    const target = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acme-openai';
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope'), diagnosticSetting(FULL_LOGS, undefined, target)));
    expect(findings(RULE, graph)).toEqual([]);
  });

  test('Compliance and noncompliance: among several accounts each setting counts for the account it targets only', () => {
    const second = (name: string) => ({ ...account('westeurope').azurerm_cognitive_account.openai, name });
    const setting = (target: string) => ({ name: 'audit', target_resource_id: target, log_analytics_workspace_id: WORKSPACE_ID, enabled_log: FULL_LOGS });
    const graph = tfGraph(
      document(account('westeurope'), workspace('westeurope'), {
        azurerm_cognitive_account: { byLiteral: second('Acme-Literal'), computed: second('acme-computed'), bare: second('acme-bare') },
        azurerm_monitor_diagnostic_setting: {
          openai: setting(ACCOUNT_ID),
          byLiteral: setting('/subscriptions/0000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acme-literal'),
          computed: setting('${replace(azurerm_cognitive_account.computed.id, "x", "y")}'),
        },
      }),
    );
    expect(passes(RULE, graph).sort()).toEqual(['azurerm_cognitive_account.byLiteral', 'azurerm_cognitive_account.openai']);
    const byResource = new Map(findings(RULE, graph).map((finding) => [finding.resource.id, finding]));
    expect([...byResource.keys()].sort()).toEqual(['azurerm_cognitive_account.bare', 'azurerm_cognitive_account.computed']);
    expect(byResource.get('azurerm_cognitive_account.bare')!.found).toBe('no azurerm_monitor_diagnostic_setting with target_resource_id = azurerm_cognitive_account.bare.id');
    expect(byResource.get('azurerm_cognitive_account.computed')!.found).toMatch(/^azurerm_monitor_diagnostic_setting.computed: target_resource_id .* is computed at plan time/);
  });

  test('Not applicable: a cognitive account that hosts no OpenAI models', () => {
    const graph = tfGraph(document(account('westeurope', { kind: 'TextAnalytics' })));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual([]);
  });

  test('Unresolved: a destination given as a literal id cannot be placed and fails closed', () => {
    const graph = tfGraph(document(account('westeurope'), diagnosticSetting(FULL_LOGS, { log_analytics_workspace_id: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/central' })));
    const [finding] = findings(RULE, graph);
    expect(finding.found).toMatch(/is not a resource of this configuration with a location, so its location cannot be verified/);
  });

  test('Unresolved: a category from a variable fails closed', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope'), diagnosticSetting([{ category: 'Audit' }, { category: '${var.second_category}' }])));
    const [finding] = findings(RULE, graph);
    expect(finding.found).toMatch(/enabled_log category \$\{var.second_category\} is known only at plan time/);
  });
});

describe('LCG-RET-003 workspace retention for Azure OpenAI logs (fixtures of the Azure issue)', () => {
  const RULE = 'LCG-RET-003';

  test('Noncompliance: the diagnostic workspace keeps logs 30 days under eu (SOC 2: 365)', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope', 30), diagnosticSetting(FULL_LOGS)));
    const [finding] = findings(RULE, graph);
    expect(finding.found).toBe('retention_in_days = 30 days');
    expect(finding.expected).toBe('at least 365 days');
  });

  test('Compliance: under us-hipaa a 730-day workspace with AzureDiagnostics total retention of 2190 days', () => {
    const table = { azurerm_log_analytics_workspace_table: { diagnostics: { name: 'AzureDiagnostics', workspace_id: '${azurerm_log_analytics_workspace.audit.id}', total_retention_in_days: 2190 } } };
    const graph = tfGraph(document(account('eastus'), workspace('eastus', 730), table, diagnosticSetting(FULL_LOGS)));
    expect(findings(RULE, graph, 'us-hipaa')).toEqual([]);
  });

  const archive = (immutability: object, tables: string[] = ['AzureDiagnostics']) => ({
    azurerm_storage_account: { archive: { name: 'stauditarchive', location: 'eastus', resource_group_name: 'rg', account_tier: 'Standard', account_replication_type: 'ZRS', immutability_policy: immutability } },
    azurerm_log_analytics_data_export_rule: {
      archive: { name: 'archive', resource_group_name: 'rg', workspace_resource_id: '${azurerm_log_analytics_workspace.audit.id}', destination_resource_id: '${azurerm_storage_account.archive.id}', table_names: tables, enabled: true },
    },
  });

  test('Compliance: under us-hipaa a 730-day workspace archived to storage locked for 2190 days', () => {
    const graph = tfGraph(document(account('eastus'), workspace('eastus', 730), archive({ period_since_creation_in_days: 2190, state: 'Locked', allow_protected_append_writes: true }), diagnosticSetting(FULL_LOGS)));
    expect(findings(RULE, graph, 'us-hipaa')).toEqual([]);
    expect(passes(RULE, graph, 'us-hipaa')).toEqual(['azurerm_log_analytics_workspace.audit']);
  });

  test('Noncompliance: an archive whose immutability is disabled, or that exports other tables, does not count', () => {
    const disabled = tfGraph(document(account('eastus'), workspace('eastus', 730), archive({ period_since_creation_in_days: 2190, state: 'Disabled', allow_protected_append_writes: true }), diagnosticSetting(FULL_LOGS)));
    expect(findings(RULE, disabled, 'us-hipaa')[0].found).toBe('retention_in_days = 730 days');
    const otherTables = tfGraph(document(account('eastus'), workspace('eastus', 730), archive({ period_since_creation_in_days: 2190, state: 'Locked', allow_protected_append_writes: true }, ['Heartbeat']), diagnosticSetting(FULL_LOGS)));
    expect(findings(RULE, otherTables, 'us-hipaa')).toHaveLength(1);
  });

  test('Unresolved: an archive period from a variable does not count, so the workspace fails closed on its own retention', () => {
    const graph = tfGraph(document(account('eastus'), workspace('eastus', 730), archive({ period_since_creation_in_days: '${var.days}', state: 'Locked', allow_protected_append_writes: true }), diagnosticSetting(FULL_LOGS)));
    expect(findings(RULE, graph, 'us-hipaa')[0].expected).toBe('at least 2190 days');
  });

  test('Unresolved: retention from a variable fails closed', () => {
    const graph = tfGraph(document(account('westeurope'), workspace('westeurope', '${var.retention}'), diagnosticSetting(FULL_LOGS)));
    expect(findings(RULE, graph)[0].message).toMatch(/^Cannot verify the retention/);
  });
});

describe('LCG-IAM-030 Azure OpenAI key authentication', () => {
  const RULE = 'LCG-IAM-030';

  test('Noncompliance: local_auth_enabled absent (defaults to true) is a warning under eu', () => {
    const [finding] = findings(RULE, tfGraph(document(account('westeurope', { local_auth_enabled: undefined }))));
    expect(finding).toMatchObject({ severity: 'warning', found: 'local_auth_enabled not set (defaults to true)', expected: 'local_auth_enabled = false' });
  });

  test('Noncompliance: local_auth_enabled true is an error when HIPAA is in force', () => {
    const [finding] = findings(RULE, tfGraph(document(account('eastus', { local_auth_enabled: true }))), 'us-hipaa');
    expect(finding).toMatchObject({ severity: 'error', found: 'local_auth_enabled = true' });
  });

  test('Compliance: local_auth_enabled false', () => {
    const graph = tfGraph(document(account('westeurope')));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['azurerm_cognitive_account.openai']);
  });

  test('Unresolved: local_auth_enabled from a variable fails closed', () => {
    const [finding] = findings(RULE, tfGraph(document(account('westeurope', { local_auth_enabled: '${var.keys}' }))));
    expect(finding.message).toMatch(/^Cannot verify that azurerm_cognitive_account.openai refuses account keys/);
  });
});

describe('LCG-NET-030 Azure OpenAI public network access', () => {
  const RULE = 'LCG-NET-030';

  test('Noncompliance: public access absent (defaults to true) is a warning under eu', () => {
    const [finding] = findings(RULE, tfGraph(document(account('westeurope', { public_network_access_enabled: undefined }))));
    expect(finding).toMatchObject({ severity: 'warning', found: 'public_network_access_enabled not set (defaults to true)' });
  });

  test('Noncompliance: public access on is an error when the policy requires private networking, a warning under us-hipaa (HIPAA asks for encryption in transit)', () => {
    const graph = tfGraph(document(account('eastus', { public_network_access_enabled: true })));
    expect(findings(RULE, graph, hipaaPrivate())[0]).toMatchObject({ severity: 'error', found: 'public_network_access_enabled = true', expected: 'public_network_access_enabled = false' });
    expect(findings(RULE, graph, 'us-hipaa')[0]).toMatchObject({ severity: 'warning' });
  });

  test('Compliance: public access off', () => {
    expect(findings(RULE, tfGraph(document(account('eastus'))), 'us-hipaa')).toEqual([]);
    expect(passes(RULE, tfGraph(document(account('eastus'))), 'us-hipaa')).toHaveLength(1);
  });

  test('Unresolved: public access from a variable fails closed', () => {
    const [finding] = findings(RULE, tfGraph(document(account('eastus', { public_network_access_enabled: '${var.public}' }))), hipaaPrivate());
    expect(finding).toMatchObject({ severity: 'error', cannotVerify: true });
    expect(finding.message).toMatch(/^Cannot verify/);
  });
});

describe('LCG-ENC-030 Azure OpenAI customer-managed key', () => {
  const RULE = 'LCG-ENC-030';

  test('Noncompliance: no customer-managed key is an error when the policy requires one, a warning under eu', () => {
    const graph = tfGraph(document(account('westeurope', { customer_managed_key: undefined })));
    expect(findings(RULE, graph, euWithKeys())[0]).toMatchObject({ severity: 'error', found: 'no customer_managed_key block and no azurerm_cognitive_account_customer_managed_key for it' });
    expect(findings(RULE, graph)[0]).toMatchObject({ severity: 'warning' });
  });

  test('Compliance: an inline customer_managed_key block', () => {
    expect(findings(RULE, tfGraph(document(account('westeurope'))))).toEqual([]);
    expect(passes(RULE, tfGraph(document(account('westeurope'))))).toHaveLength(1);
  });

  test('Compliance: a separate azurerm_cognitive_account_customer_managed_key resource', () => {
    const separate = { azurerm_cognitive_account_customer_managed_key: { cmk: { cognitive_account_id: ACCOUNT_ID, key_vault_key_id: '${azurerm_key_vault_key.openai.id}' } } };
    expect(findings(RULE, tfGraph(document(account('westeurope', { customer_managed_key: undefined }), separate)))).toEqual([]);
  });

  test('Warning: a policy that does not require customer-managed keys (soc2) still hears of platform-managed keys', () => {
    const graph = tfGraph(document(account('westeurope', { customer_managed_key: undefined })));
    expect(findings(RULE, graph, 'soc2').map((finding) => finding.severity)).toEqual(['warning']);
  });

  test('Unresolved: a key resource whose account id is a variable makes the key of every account unverifiable; one built around the account counts', () => {
    const byVariable = { azurerm_cognitive_account_customer_managed_key: { cmk: { cognitive_account_id: '${var.account_id}', key_vault_key_id: 'k' } } };
    const [finding] = findings(RULE, tfGraph(document(account('westeurope', { customer_managed_key: undefined }), byVariable)), euWithKeys());
    expect(finding).toMatchObject({ severity: 'error', cannotVerify: true });
    expect(finding.found).toContain('azurerm_cognitive_account_customer_managed_key.cmk.cognitive_account_id = ${var.account_id}');
    const aroundAccount = { azurerm_cognitive_account_customer_managed_key: { cmk: { cognitive_account_id: '${lower(azurerm_cognitive_account.openai.id)}', key_vault_key_id: 'k' } } };
    expect(findings(RULE, tfGraph(document(account('westeurope', { customer_managed_key: undefined }), aroundAccount)))).toEqual([]);
  });
});

describe('LCG-RET-030 Azure storage accounts holding logs', () => {
  const RULE = 'LCG-RET-030';
  const STORAGE_ID = '${azurerm_storage_account.logs.id}';
  const storage = (extra: object = {}) => ({
    azurerm_storage_account: { logs: { name: 'stlogs', location: 'westeurope', resource_group_name: 'rg', account_tier: 'Standard', account_replication_type: 'ZRS', ...extra } },
  });
  const lifecycle = (baseBlob: object, extra: object = {}) => ({
    azurerm_storage_management_policy: { logs: { storage_account_id: STORAGE_ID, rule: [{ name: 'expire', enabled: true, filters: { blob_types: ['appendBlob'] }, actions: { base_blob: baseBlob }, ...extra }] } },
  });
  const toStorage = diagnosticSetting(FULL_LOGS, { storage_account_id: STORAGE_ID });

  test('Noncompliance: a diagnostic storage destination deletes audit logs after 90 days under eu (SOC 2: 365)', () => {
    const graph = tfGraph(document(account('westeurope'), storage(), lifecycle({ delete_after_days_since_creation_greater_than: 90 }), toStorage));
    const [finding] = findings(RULE, graph);
    expect(finding).toMatchObject({ resource: { id: 'azurerm_storage_account.logs' }, found: 'azurerm_storage_management_policy delete actions = 90 days', expected: 'at least 365 days' });
    expect(finding.fix).toMatch(/deleting base blobs after 365 days, or an immutability_policy/);
  });

  test('Noncompliance: a storage account tagged as a content log store that never deletes', () => {
    const graph = tfGraph(document(storage({ tags: { 'llm-guardrail-log-role': 'content' } })));
    expect(findings(RULE, graph)[0]).toMatchObject({ found: 'azurerm_storage_management_policy delete actions = never expires', expected: 'at most 400 days' });
  });

  test('Compliance: an audit destination without deletion, or whose immutability outlasts an early delete rule', () => {
    expect(findings(RULE, tfGraph(document(account('westeurope'), storage(), toStorage)))).toEqual([]);
    const immutable = tfGraph(
      document(account('westeurope'), storage({ immutability_policy: { period_since_creation_in_days: 400, state: 'Locked', allow_protected_append_writes: true } }), lifecycle({ delete_after_days_since_creation_greater_than: 30 }), toStorage),
    );
    expect(findings(RULE, immutable)).toEqual([]);
    expect(passes(RULE, immutable)).toEqual(['azurerm_storage_account.logs']);
  });

  test('Compliance: a content store deleting within the maximum, versions included', () => {
    const graph = tfGraph(
      document(storage({ tags: { 'llm-guardrail-log-role': 'audit-content' }, blob_properties: { versioning_enabled: true } }), lifecycle({ delete_after_days_since_creation_greater_than: 380 }, {}), {
        azurerm_storage_management_policy: {
          logs: { storage_account_id: STORAGE_ID, rule: [{ name: 'expire', enabled: true, filters: { blob_types: ['blockBlob'] }, actions: { base_blob: { delete_after_days_since_creation_greater_than: 380 }, version: { delete_after_days_since_creation: 10 } } }] },
        },
      }),
    );
    expect(findings(RULE, graph)).toEqual([]);
  });

  test('Not applicable: a storage account that holds no logs', () => {
    const graph = tfGraph(document(storage()));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual([]);
  });

  test('Unresolved: a delete action from a variable fails closed', () => {
    const graph = tfGraph(document(account('westeurope'), storage(), lifecycle({ delete_after_days_since_creation_greater_than: '${var.days}' }), toStorage));
    expect(findings(RULE, graph)[0].message).toMatch(/^Cannot verify the retention of audit log store azurerm_storage_account "azurerm_storage_account.logs"/);
  });
});
