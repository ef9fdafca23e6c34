import { App, TerraformVariable } from 'cdktf';
import { AzureAuditWorkspace, AzureOpenAiAccountKind, AzureOpenAiEndpoint, AzureOpenAiEndpointProps } from '../../constructs/azure';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { euWithKeys, findings, gateErrors, hipaaPrivate, passes, tfGraph } from '../support/rules';
import { CUSTOMER_MANAGED_KEY, azureStack, euEndpointProps, newEndpoint, only, resources } from './support';

const app = () => new App({ outdir: require('os').tmpdir(), skipValidation: true });

describe('AzureOpenAiEndpoint', () => {
  test('GIVEN the eu policy WHEN built with defaults THEN the account is locked down and pinned', () => {
    const stack = azureStack(app());
    newEndpoint(stack);
    const account = only(stack, 'azurerm_cognitive_account');
    expect(account).toMatchObject({
      kind: 'OpenAI',
      location: 'westeurope',
      custom_subdomain_name: 'acme-openai-eu',
      local_auth_enabled: false,
      public_network_access_enabled: false,
      identity: { type: 'SystemAssigned, UserAssigned', identity_ids: [CUSTOMER_MANAGED_KEY.userAssignedIdentityId] },
      customer_managed_key: { key_vault_key_id: CUSTOMER_MANAGED_KEY.keyVaultKeyId, identity_client_id: CUSTOMER_MANAGED_KEY.identityClientId },
    });
    expect(only(stack, 'azurerm_private_endpoint')).toMatchObject({ location: 'westeurope', private_service_connection: { subresource_names: ['account'], is_manual_connection: false } });
  });

  test('THEN deployments are regional by default and created one after the other', () => {
    const stack = azureStack(app());
    newEndpoint(stack);
    const deployments = Object.entries(resources(stack).azurerm_cognitive_deployment);
    expect(deployments.map(([, body]) => (body.sku as { name: string }).name)).toEqual(['Standard', 'Standard']);
    const [[chatName], [, embeddings]] = deployments;
    expect(embeddings.depends_on).toEqual([`azurerm_cognitive_deployment.${chatName}`]);
  });

  test('THEN a diagnostic setting sends every OpenAI log category and metrics to an audit workspace kept a year', () => {
    const stack = azureStack(app());
    newEndpoint(stack);
    const setting = only(stack, 'azurerm_monitor_diagnostic_setting');
    expect(setting.enabled_log).toEqual([{ category: 'Audit' }, { category: 'RequestResponse' }, { category: 'Trace' }, { category: 'AzureOpenAIRequestUsage' }]);
    expect(setting.enabled_metric).toEqual([{ category: 'AllMetrics' }]);
    expect(setting.target_resource_id).toMatch(/^\$\{azurerm_cognitive_account\.openai_account_[0-9A-F]+\.id\}$/);
    const workspace = only(stack, 'azurerm_log_analytics_workspace');
    expect(workspace).toMatchObject({ location: 'westeurope', retention_in_days: 365, tags: { [LOG_ROLE_TAG]: 'audit' } });
    expect(resources(stack).azurerm_log_analytics_workspace_table).toBeUndefined();
  });

  test('GIVEN us-hipaa WHEN the minimum exceeds 730 days THEN the AzureDiagnostics table keeps logs six years', () => {
    const stack = azureStack(app());
    newEndpoint(stack, { location: 'eastus2', policy: GuardrailPolicy.preset('us-hipaa'), deployments: [{ name: 'chat', modelName: 'gpt-4o', deploymentType: 'DataZoneStandard' }] });
    expect(only(stack, 'azurerm_log_analytics_workspace').retention_in_days).toBe(730);
    expect(only(stack, 'azurerm_log_analytics_workspace_table')).toMatchObject({ name: 'AzureDiagnostics', retention_in_days: 730, total_retention_in_days: 2190 });
    expect((only(stack, 'azurerm_cognitive_deployment').sku as { name: string }).name).toBe('DataZoneStandard');
  });

  test('GIVEN an AIServices account and a shared workspace THEN both are used', () => {
    const stack = azureStack(app());
    const workspace = new AzureAuditWorkspace(stack, 'shared-audit', { name: 'law-shared-eu', resourceGroupName: 'rg', location: 'swedencentral', policy: GuardrailPolicy.preset('eu') });
    newEndpoint(stack, { kind: AzureOpenAiAccountKind.AI_SERVICES, auditWorkspace: workspace });
    expect(only(stack, 'azurerm_cognitive_account').kind).toBe('AIServices');
    expect(only(stack, 'azurerm_monitor_diagnostic_setting').log_analytics_workspace_id).toMatch(/azurerm_log_analytics_workspace\.shared-audit_workspace_[0-9A-F]+\.id/);
  });

  describe('a policy breach is built as asked and reported by the gate, with its rule id and construct path', () => {
    const errors = (overrides: Partial<AzureOpenAiEndpointProps>, policy: GuardrailPolicy | string = 'eu'): string[] => {
      const stack = azureStack(app());
      newEndpoint(stack, overrides);
      return gateErrors(tfGraph(stack.toTerraform()), policy);
    };

    test('Compliance: the eu endpoint has no error finding', () => {
      expect(errors({})).toEqual([]);
    });

    test.each(['uksouth', 'switzerlandnorth', 'eastus'])('Noncompliance: account location %s under eu is LCG-RES-001 on each resource placed there, and LCG-LOG-030 for logs sent there', (location) => {
      expect(errors({ location })).toEqual([
        'LCG-LOG-030 azure-eu/openai/account',
        'LCG-RES-001 azure-eu/openai/account',
        'LCG-RES-001 azure-eu/openai/audit/workspace',
        'LCG-RES-001 azure-eu/openai/private-endpoint',
      ]);
    });

    test.each(['GlobalStandard', 'GlobalProvisionedManaged', 'GlobalBatch'])('Noncompliance: deployment type %s under eu is LCG-RES-030', (deploymentType) => {
      expect(errors({ deployments: [{ name: 'chat', modelName: 'gpt-4o', deploymentType }] })).toEqual(['LCG-RES-030 azure-eu/openai/deployment-chat']);
    });

    test('Unresolved: a deployment type the catalog does not know cannot be verified (LCG-RES-030 fails closed)', () => {
      const stack = azureStack(app());
      newEndpoint(stack, { deployments: [{ name: 'chat', modelName: 'gpt-4o', deploymentType: 'Turbo' }] });
      const [finding] = findings('LCG-RES-030', tfGraph(stack.toTerraform()));
      expect(finding).toMatchObject({ cannotVerify: true, found: expect.stringContaining('Turbo') });
    });

    test('Noncompliance: no customer-managed key while the policy requires one is LCG-ENC-030 (eu alone does not)', () => {
      expect(errors({ customerManagedKey: undefined }, euWithKeys())).toEqual(['LCG-ENC-030 azure-eu/openai/account']);
      expect(errors({ customerManagedKey: undefined })).toEqual([]);
    });

    test('Noncompliance: keys under us-hipaa are LCG-IAM-030; public access is LCG-NET-030 when the policy requires private paths', () => {
      const hipaa = { location: 'eastus' };
      expect(errors({ ...hipaa, publicNetworkAccess: true }, hipaaPrivate())).toContain('LCG-NET-030 azure-eu/openai/account');
      expect(errors({ ...hipaa, publicNetworkAccess: true }, 'us-hipaa')).not.toContain('LCG-NET-030 azure-eu/openai/account');
      expect(errors({ ...hipaa, localAuth: true }, 'us-hipaa')).toContain('LCG-IAM-030 azure-eu/openai/account');
    });
  });

  describe('argument validation', () => {
    test('Noncompliance: duplicate deployment names, bad subdomain, bad capacity', () => {
      expect(() => newEndpoint(azureStack(app()), { deployments: [{ name: 'a', modelName: 'm' }, { name: 'a', modelName: 'n' }] })).toThrow(/deployment name "a" is used twice/);
      expect(() => newEndpoint(azureStack(app()), { customSubdomainName: 'Not_Valid' })).toThrow(/custom subdomain "Not_Valid"/);
      expect(() => newEndpoint(azureStack(app()), { deployments: [{ name: 'a', modelName: 'm', capacity: 0 }] })).toThrow(/capacity 0 must be a whole number/);
    });

    test('Unresolved: a location from a Terraform variable is left to the synth gate', () => {
      const stack = azureStack(app());
      const location = new TerraformVariable(stack, 'location', { type: 'string' });
      const endpoint = new AzureOpenAiEndpoint(stack, 'openai', euEndpointProps({ location: location.stringValue, deployments: [{ name: 'chat', modelName: 'gpt-4o' }] }));
      expect(endpoint.deployments).toHaveLength(1);
      expect(only(stack, 'azurerm_cognitive_account').location).toBe('${var.location}');
    });
  });
});

describe('AzureAuditWorkspace', () => {
  test('GIVEN soc2 THEN retention is 365 days and the log role is tagged', () => {
    const stack = azureStack(app());
    const workspace = new AzureAuditWorkspace(stack, 'audit', { name: 'law-audit', resourceGroupName: 'rg', location: 'eastus', policy: GuardrailPolicy.preset('soc2'), tags: { team: 'ml' } });
    expect(workspace.totalRetentionInDays).toBe(365);
    expect(only(stack, 'azurerm_log_analytics_workspace')).toMatchObject({ retention_in_days: 365, sku: 'PerGB2018', tags: { team: 'ml', [LOG_ROLE_TAG]: 'audit' } });
  });

  test('Noncompliance: retention outside what Azure accepts throws one line', () => {
    const props = { name: 'law-audit', resourceGroupName: 'rg', location: 'westeurope', policy: GuardrailPolicy.preset('eu') };
    expect(() => new AzureAuditWorkspace(azureStack(app()), 'a', { ...props, retentionInDays: 1000 })).toThrow(/retentionInDays 1000 is outside the 30–730 days/);
    expect(() => new AzureAuditWorkspace(azureStack(app()), 'a', { ...props, totalRetentionInDays: 5000 })).toThrow(/totalRetentionInDays 5000 must be a whole number between/);
  });

  test('Noncompliance: retention below the policy minimum, or a location outside it, is built as asked and reported by the gate', () => {
    const props = { name: 'law-audit', resourceGroupName: 'rg', location: 'westeurope', policy: GuardrailPolicy.preset('eu') };
    const short = azureStack(app());
    expect(new AzureAuditWorkspace(short, 'a', { ...props, retentionInDays: 30, totalRetentionInDays: 200 }).totalRetentionInDays).toBe(200);
    expect(findings('LCG-RET-003', tfGraph(short.toTerraform()))).toEqual([expect.objectContaining({ found: expect.stringContaining('200') })]);
    const london = azureStack(app());
    new AzureAuditWorkspace(london, 'a', { ...props, location: 'uksouth' });
    expect(gateErrors(tfGraph(london.toTerraform()))).toContain('LCG-RES-001 azure-eu/a/workspace');
  });

  test('GIVEN us-hipaa and an archive THEN the diagnostics table is exported to storage kept immutable six years, and LCG-RET-003 accepts it', () => {
    const stack = azureStack(app());
    const policy = GuardrailPolicy.preset('us-hipaa');
    const workspace = new AzureAuditWorkspace(stack, 'a', { name: 'law-audit', resourceGroupName: 'rg', location: 'eastus', policy, archive: { storageAccountName: 'stauditarchive', locked: true } });
    expect(workspace.totalRetentionInDays).toBe(2190);
    expect(resources(stack).azurerm_log_analytics_workspace_table).toBeUndefined();
    expect(only(stack, 'azurerm_storage_account')).toMatchObject({
      location: 'eastus',
      account_replication_type: 'ZRS',
      blob_properties: { versioning_enabled: true },
      immutability_policy: { period_since_creation_in_days: 2190, state: 'Locked', allow_protected_append_writes: true },
      tags: { [LOG_ROLE_TAG]: 'audit' },
    });
    expect(only(stack, 'azurerm_log_analytics_data_export_rule')).toMatchObject({ table_names: ['AzureDiagnostics'], enabled: true });
    const graph = tfGraph(stack.toTerraform());
    expect(findings('LCG-RET-003', graph, policy)).toEqual([]);
    expect(passes('LCG-RET-003', graph, policy)).toHaveLength(1);
  });

  test('Noncompliance: a bad archive storage account name', () => {
    expect(
      () => new AzureAuditWorkspace(azureStack(app()), 'a', { name: 'law-audit', resourceGroupName: 'rg', location: 'eastus', policy: GuardrailPolicy.preset('us-hipaa'), archive: { storageAccountName: 'Audit_Archive' } }),
    ).toThrow(/archive storage account name "Audit_Archive" must be 3–24 lower-case letters and digits/);
  });

  test('Compliance: a 30-day workspace is extended to the policy minimum by table total retention', () => {
    const stack = azureStack(app());
    new AzureAuditWorkspace(stack, 'a', { name: 'law-audit', resourceGroupName: 'rg', location: 'westeurope', policy: GuardrailPolicy.preset('eu'), retentionInDays: 30 });
    expect(only(stack, 'azurerm_log_analytics_workspace_table')).toMatchObject({ name: 'AzureDiagnostics', retention_in_days: 30, total_retention_in_days: 365 });
  });
});
