/**
 * The Azure OpenAI rules on the three shapes real code declares an account
 * in — `azurerm_cognitive_account`, `azurerm_ai_services` and `azapi_resource`
 * of type `Microsoft.CognitiveServices/accounts` (what Microsoft's Verified
 * Module emits) — and deployments as `azurerm_cognitive_deployment` (with
 * azurerm 4's `sku` or 3.x's `scale`) or azapi `…/accounts/deployments`.
 * Each shape: non-compliant, compliant, and unresolvable (fails closed).
 */
import { GuardrailPolicy } from '../../lib/policy/policy';
import { runGuardrail } from '../../lib/gate/run';
import { findings, passes, tfGraph } from '../support/rules';
import * as fs from 'fs';
import * as path from 'path';
import { runCliInProcess } from '../support/cli';
import { tempDir } from '../support/synth';

const VARIABLE = '${var.setting}';

function azapiAccount(properties: object, extra: object = {}): object {
  return {
    resource: {
      azapi_resource: {
        account: { type: 'Microsoft.CognitiveServices/accounts@2024-10-01', name: 'oai', parent_id: '/subscriptions/0/resourceGroups/rg', location: 'westeurope', body: { kind: 'OpenAI', sku: { name: 'S0' }, properties }, ...extra },
      },
    },
  };
}

function aiServices(body: object): object {
  return { resource: { azurerm_ai_services: { hub: { name: 'ais', location: 'westeurope', resource_group_name: 'rg', sku_name: 'S0', ...body } } } };
}

const ACCOUNT = 'azapi_resource.account';
const AI_SERVICES = 'azurerm_ai_services.hub';

describe('LCG-NET-030 public network access', () => {
  test.each([
    ['azapi publicNetworkAccess "Enabled"', azapiAccount({ publicNetworkAccess: 'Enabled' }), ACCOUNT, 'body.properties.publicNetworkAccess = "Enabled"', false],
    ['azapi publicNetworkAccess unset', azapiAccount({}), ACCOUNT, 'body.properties.publicNetworkAccess not set (defaults to Enabled)', false],
    ['azapi publicNetworkAccess from a variable with no value', azapiAccount({ publicNetworkAccess: VARIABLE }), ACCOUNT, 'body.properties.publicNetworkAccess = ${var.setting}', true],
    ['azurerm_ai_services public_network_access unset', aiServices({}), AI_SERVICES, 'public_network_access not set (defaults to Enabled)', false],
  ])('GIVEN %s THEN it is a finding', (_, document, id, found, cannotVerify) => {
    expect(findings('LCG-NET-030', tfGraph(document)).map((finding) => [finding.resource.id, finding.found, finding.cannotVerify])).toEqual([[id, found, cannotVerify]]);
  });

  test.each([
    ['azapi publicNetworkAccess "Disabled"', azapiAccount({ publicNetworkAccess: 'Disabled' }), ACCOUNT],
    ['azurerm_ai_services public_network_access "Disabled"', aiServices({ public_network_access: 'Disabled' }), AI_SERVICES],
  ])('GIVEN %s THEN it passes', (_, document, id) => {
    expect(passes('LCG-NET-030', tfGraph(document))).toEqual([id]);
  });
});

describe('an azapi account whose API version comes from a variable', () => {
  test('GIVEN type "Microsoft.CognitiveServices/accounts@${var.api_version}" THEN it is still an account, judged by every rule', () => {
    const document = azapiAccount({ publicNetworkAccess: 'Enabled' }, { type: 'Microsoft.CognitiveServices/accounts@${var.api_version}', location: 'eastus' });
    const graph = tfGraph(document);
    expect(findings('LCG-NET-030', graph).map((finding) => finding.resource.id)).toEqual([ACCOUNT]);
    expect(findings('LCG-RES-001', graph).map((finding) => finding.resource.id)).toEqual([ACCOUNT]);
  });

  test('GIVEN a type that is all a variable THEN the account is not inspected, and fails the gate as an AI resource', () => {
    const report = runGuardrail(tfGraph(azapiAccount({}, { type: '${var.type}' })), GuardrailPolicy.preset('eu')).report;
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-COV-001').map((finding) => [finding.resource.id, finding.severity])).toEqual([[ACCOUNT, 'error']]);
  });
});

describe('LCG-IAM-030 key authentication', () => {
  test.each([
    ['azapi disableLocalAuth false', azapiAccount({ disableLocalAuth: false }), ACCOUNT, 'body.properties.disableLocalAuth = false', false],
    ['azapi disableLocalAuth unset', azapiAccount({}), ACCOUNT, 'body.properties.disableLocalAuth not set (defaults to false)', false],
    ['azapi disableLocalAuth from a variable with no value', azapiAccount({ disableLocalAuth: VARIABLE }), ACCOUNT, 'body.properties.disableLocalAuth = ${var.setting}', true],
    ['azurerm_ai_services local_authentication_enabled true', aiServices({ local_authentication_enabled: true }), AI_SERVICES, 'local_authentication_enabled = true', false],
  ])('GIVEN %s THEN it is a finding', (_, document, id, found, cannotVerify) => {
    expect(findings('LCG-IAM-030', tfGraph(document)).map((finding) => [finding.resource.id, finding.found, finding.cannotVerify])).toEqual([[id, found, cannotVerify]]);
  });

  test.each([
    ['azapi disableLocalAuth true', azapiAccount({ disableLocalAuth: true }), ACCOUNT],
    ['azurerm_ai_services local_authentication_enabled false', aiServices({ local_authentication_enabled: false }), AI_SERVICES],
  ])('GIVEN %s THEN it passes', (_, document, id) => {
    expect(passes('LCG-IAM-030', tfGraph(document))).toEqual([id]);
  });
});

describe('LCG-ENC-030 customer-managed keys', () => {
  const keyVault = { keySource: 'Microsoft.KeyVault', keyVaultProperties: { keyVaultUri: 'https://kv-eu.vault.azure.net/', keyName: 'cmk', identityClientId: '1111' } };

  test.each([
    ['azapi without encryption', azapiAccount({}), 'no body.properties.encryption', false],
    ['azapi with Microsoft-managed keys', azapiAccount({ encryption: { keySource: 'Microsoft.CognitiveServices' } }), 'body.properties.encryption.keySource = "Microsoft.CognitiveServices"', false],
    ['azapi encryption from a variable with no value', azapiAccount({ encryption: VARIABLE }), 'body.properties.encryption = ${var.setting}', true],
  ])('GIVEN %s THEN it is a finding', (_, document, found, cannotVerify) => {
    expect(findings('LCG-ENC-030', tfGraph(document)).map((finding) => [finding.found, finding.cannotVerify])).toEqual([[found, cannotVerify]]);
  });

  test.each([
    ['azapi encryption with a Key Vault key', azapiAccount({ encryption: keyVault }), ACCOUNT],
    ['azapi 1.x body = jsonencode({…}) with a Key Vault key', azapiAccount({}, { body: JSON.stringify({ kind: 'OpenAI', properties: { encryption: keyVault } }) }), ACCOUNT],
    ['azurerm_ai_services with a managed HSM key', aiServices({ customer_managed_key: [{ managed_hsm_key_id: 'https://hsm.managedhsm.azure.net/keys/cmk', identity_client_id: '1111' }] }), AI_SERVICES],
  ])('GIVEN %s THEN it passes', (_, document, id) => {
    expect(passes('LCG-ENC-030', tfGraph(document))).toEqual([id]);
  });
});

describe('LCG-LOG-030 diagnostic settings of azapi accounts', () => {
  const withSetting = (categories: string[]): object => {
    const document = azapiAccount({}) as { resource: { [type: string]: object } };
    return {
      resource: {
        ...document.resource,
        azurerm_log_analytics_workspace: { logs: { name: 'law', location: 'westeurope', resource_group_name: 'rg', retention_in_days: 365 } },
        azurerm_monitor_diagnostic_setting: { logs: { name: 'd', target_resource_id: '${azapi_resource.account.id}', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.logs.id}', enabled_log: categories.map((category) => ({ category })) } },
      },
    };
  };

  test('GIVEN an azapi account with Audit and RequestResponse sent to an EU workspace THEN it passes', () => {
    expect(passes('LCG-LOG-030', tfGraph(withSetting(['Audit', 'RequestResponse'])))).toEqual([ACCOUNT]);
  });

  test('GIVEN an azapi account with no diagnostic setting THEN it is a finding', () => {
    expect(findings('LCG-LOG-030', tfGraph(azapiAccount({}))).map((finding) => finding.resource.id)).toEqual([ACCOUNT]);
  });

  test('GIVEN a diagnostic setting whose target is known only at plan time THEN the azapi account cannot be verified', () => {
    const document = withSetting(['Audit', 'RequestResponse']) as { resource: { azurerm_monitor_diagnostic_setting: { logs: { target_resource_id: string } } } };
    document.resource.azurerm_monitor_diagnostic_setting.logs.target_resource_id = '${coalesce(var.target, azapi_resource.account.id)}';
    expect(findings('LCG-LOG-030', tfGraph(document)).map((finding) => [finding.resource.id, finding.cannotVerify])).toEqual([[ACCOUNT, true]]);
  });
});

describe('LCG-RES-030 deployment types in every shape', () => {
  const azapiDeployment = (sku: unknown): object => ({
    resource: {
      azapi_resource: {
        ...(azapiAccount({}) as { resource: { azapi_resource: object } }).resource.azapi_resource,
        chat: { type: 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01', name: 'chat', parent_id: '${azapi_resource.account.id}', body: { sku: { name: sku, capacity: 10 }, properties: { model: { format: 'OpenAI', name: 'gpt-4o' } } } },
      },
    },
  });
  const azurermDeployment = (accountType: 'azurerm_ai_services' | 'azurerm_cognitive_account', deployment: object): object => ({
    resource: {
      [accountType]: { hub: { name: 'ais', location: 'westeurope', resource_group_name: 'rg', sku_name: 'S0', kind: 'OpenAI' } },
      azurerm_cognitive_deployment: { chat: { name: 'chat', cognitive_account_id: `\${${accountType}.hub.id}`, model: [{ format: 'OpenAI', name: 'gpt-4o' }], ...deployment } },
    },
  });

  test.each([
    ['an azapi deployment of type GlobalStandard', azapiDeployment('GlobalStandard'), 'azapi_resource.chat', 'body.sku.name = "GlobalStandard"', false],
    ['an azapi deployment whose type is known only at plan time', azapiDeployment(VARIABLE), 'azapi_resource.chat', 'body.sku.name = ${var.setting}', true],
    ['an azurerm 3.x deployment with scale { type = "GlobalStandard" }', azurermDeployment('azurerm_cognitive_account', { scale: [{ type: 'GlobalStandard' }] }), 'azurerm_cognitive_deployment.chat', 'scale.type = "GlobalStandard"', false],
  ])('GIVEN %s THEN it is a finding', (_, document, id, found, cannotVerify) => {
    expect(findings('LCG-RES-030', tfGraph(document)).map((finding) => [finding.resource.id, finding.found, finding.cannotVerify])).toEqual([[id, found, cannotVerify]]);
  });

  test.each([
    ['an azapi deployment of type Standard', azapiDeployment('Standard'), 'azapi_resource.chat'],
    ['an azurerm 3.x deployment with scale { type = "Standard" }', azurermDeployment('azurerm_cognitive_account', { scale: [{ type: 'Standard' }] }), 'azurerm_cognitive_deployment.chat'],
    ['a Standard deployment on an azurerm_ai_services account (its account is part of the configuration)', azurermDeployment('azurerm_ai_services', { sku: [{ name: 'Standard' }] }), 'azurerm_cognitive_deployment.chat'],
  ])('GIVEN %s THEN it passes', (_, document, id) => {
    expect(passes('LCG-RES-030', tfGraph(document))).toEqual([id]);
  });
});

describe('coverage of azapi resources', () => {
  test('GIVEN an azapi Cognitive Services account and an azapi Machine Learning workspace THEN the account is judged, and the workspace is not inspected (LCG-COV-001)', () => {
    const document = azapiAccount({ publicNetworkAccess: 'Disabled', disableLocalAuth: true }) as { resource: { azapi_resource: { [name: string]: object } } };
    document.resource.azapi_resource.ml = { type: 'Microsoft.MachineLearningServices/workspaces@2024-04-01', name: 'ml', parent_id: '/subscriptions/0/resourceGroups/rg', location: 'westeurope', body: {} };
    const { report } = runGuardrail(tfGraph(document), GuardrailPolicy.preset('soc2'), { today: '2026-11-25' });
    expect(report.notInspected.map((entry) => entry.resource.id)).toEqual(['azapi_resource.ml']);
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-COV-001').map((finding) => finding.resource.id)).toEqual(['azapi_resource.ml']);
  });
});

describe('Azure AI Foundry hubs and projects', () => {
  const foundry = (location: string): object => ({
    resource: {
      azurerm_ai_foundry: { hub: { name: 'hub', location, resource_group_name: 'rg', storage_account_id: '/s', key_vault_id: '/k', identity: [{ type: 'SystemAssigned' }] } },
      azurerm_ai_foundry_project: { chat: { name: 'chat', location, ai_services_hub_id: '${azurerm_ai_foundry.hub.id}' } },
    },
  });

  test('GIVEN a hub and a project in uksouth THEN both fail residency under eu', () => {
    expect(findings('LCG-RES-001', tfGraph(foundry('uksouth'))).map((finding) => finding.resource.id).sort()).toEqual(['azurerm_ai_foundry.hub', 'azurerm_ai_foundry_project.chat']);
  });

  test('GIVEN a hub and a project in swedencentral THEN both pass and are read (not left uninspected)', () => {
    const graph = tfGraph(foundry('swedencentral'));
    expect(passes('LCG-RES-001', graph)).toEqual(['azurerm_ai_foundry.hub', 'azurerm_ai_foundry_project.chat']);
    expect(runGuardrail(graph, GuardrailPolicy.preset('soc2'), { today: '2026-11-25' }).report.notInspected).toEqual([]);
  });

  test('GIVEN a hub whose location is known only at plan time THEN it cannot be verified', () => {
    expect(findings('LCG-RES-001', tfGraph(foundry('${var.location}'))).map((finding) => [finding.resource.id, finding.cannotVerify]).sort()).toEqual([
      ['azurerm_ai_foundry.hub', true],
      ['azurerm_ai_foundry_project.chat', true],
    ]);
  });
});

describe('a diagnostic setting whose target is a literal resource id', () => {
  /** An EU account in resource group `rg` with everything but its diagnostic setting, which targets `targetId`. */
  function configuration(targetId: string, resourceGroup: string | { ref: string } = 'rg'): string {
    const file = path.join(tempDir('literal-target'), 'main.tf.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        provider: { azurerm: [{ features: {} }] },
        resource: {
          ...(typeof resourceGroup === 'object' ? { azurerm_resource_group: { rg: { name: resourceGroup.ref, location: 'westeurope' } } } : {}),
          azurerm_cognitive_account: { a: { name: 'a', location: 'westeurope', resource_group_name: typeof resourceGroup === 'object' ? '${azurerm_resource_group.rg.name}' : resourceGroup, kind: 'OpenAI', sku_name: 'S0', public_network_access_enabled: false, local_auth_enabled: false } },
          azurerm_log_analytics_workspace: { w: { name: 'w', location: 'westeurope', resource_group_name: 'rg', retention_in_days: 365 } },
          azurerm_monitor_diagnostic_setting: { d: { name: 'd', target_resource_id: targetId, log_analytics_workspace_id: '${azurerm_log_analytics_workspace.w.id}', enabled_log: [{ category: 'Audit' }, { category: 'RequestResponse' }] } },
        },
      }),
    );
    return file;
  }
  const logging = (file: string) => {
    const result = runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json']);
    return (JSON.parse(result.stdout) as { findings: { ruleId: string; cannotVerify: boolean; message: string }[] }).findings.filter((finding) => finding.ruleId === 'LCG-LOG-030');
  };
  const id = (group: string) => `/subscriptions/0000/resourceGroups/${group}/providers/Microsoft.CognitiveServices/accounts/a`;

  test('GIVEN the account\'s name in another resource group THEN it is another account: no diagnostic setting covers this one', () => {
    expect(logging(configuration(id('OTHER'))).map((finding) => finding.message).join()).toContain('No diagnostic setting sends the logs of azurerm_cognitive_account.a');
  });

  test('GIVEN the account\'s own resource group, written literally or by a resource group of the configuration (in any case) THEN it covers the account', () => {
    expect(logging(configuration(id('rg')))).toEqual([]);
    expect(logging(configuration(id('RG'), { ref: 'rg' }))).toEqual([]);
  });

  test('GIVEN an account whose resource group is known only at plan time THEN whether the setting targets it cannot be verified', () => {
    const file = configuration(id('rg'), 'rg');
    const text = fs.readFileSync(file, 'utf8').replace('"resource_group_name":"rg","kind"', '"resource_group_name":"${var.rg}","kind"');
    fs.writeFileSync(file, text);
    expect(logging(file).map((finding) => finding.cannotVerify)).toEqual([true]);
  });
});
