/**
 * A Terraform plan (`terraform show -json`) whose resources live in child
 * modules: their references are the module's own (`azurerm_x.this.id`
 * inside `module.openai`), a root resource may reference a module output,
 * and a module's resources use the provider configuration the plan names
 * (`provider_config_key`), such as an aliased us-east-1 provider.
 */
import { loadInput } from '../../lib/input/load';
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { writeJson } from '../support/synth';

const after = (values: object, unknown: string[] = []) => ({ values, unknown: Object.fromEntries(unknown.map((key) => [key, true])) });

/** A plan with one module "openai" (account, deployment, diagnostic setting) and one module "logs" (a log group on the provider the plan names). */
function plan(options: { diagnosticsInModule: boolean; logsProvider: string; diagnosticsTarget?: 'module-output' }) {
  const accountValues = { name: 'oai', location: 'westeurope', kind: 'OpenAI', sku_name: 'S0', resource_group_name: 'rg', public_network_access_enabled: false, local_auth_enabled: false };
  const openai = [
    { address: 'module.openai.azurerm_cognitive_account.this', type: 'azurerm_cognitive_account', name: 'this', ...after(accountValues, ['id']) },
    { address: 'module.openai.azurerm_cognitive_deployment.chat', type: 'azurerm_cognitive_deployment', name: 'chat', ...after({ name: 'chat', sku: [{ name: 'Standard' }], model: [{ format: 'OpenAI', name: 'gpt-4o' }] }, ['cognitive_account_id']) },
    { address: 'module.openai.azurerm_log_analytics_workspace.audit', type: 'azurerm_log_analytics_workspace', name: 'audit', ...after({ name: 'law', location: 'westeurope', resource_group_name: 'rg', retention_in_days: 365 }, ['id']) },
    ...(options.diagnosticsInModule
      ? [{ address: 'module.openai.azurerm_monitor_diagnostic_setting.this', type: 'azurerm_monitor_diagnostic_setting', name: 'this', ...after({ name: 'logs', enabled_log: [{ category: 'Audit' }, { category: 'RequestResponse' }] }, ['target_resource_id', 'log_analytics_workspace_id']) }]
      : []),
  ];
  const root = options.diagnosticsTarget === 'module-output' ? [{ address: 'azurerm_monitor_diagnostic_setting.root', type: 'azurerm_monitor_diagnostic_setting', name: 'root', ...after({ name: 'root-logs', enabled_log: [{ category: 'Audit' }, { category: 'RequestResponse' }] }, ['target_resource_id', 'log_analytics_workspace_id']) }] : [];
  const logs = [{ address: 'module.logs.aws_cloudwatch_log_group.prompts', type: 'aws_cloudwatch_log_group', name: 'prompts', ...after({ name: '/llm/prompts', retention_in_days: 365 }) }];
  const all = [...root, ...openai, ...logs];
  const planned = (item: (typeof all)[number]) => ({ address: item.address, mode: 'managed', type: item.type, name: item.name, provider_name: 'registry.terraform.io/hashicorp/azurerm', values: item.values });
  const reference = (...references: string[]) => ({ references });
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: {
      root_module: {
        resources: root.map(planned),
        child_modules: [
          { address: 'module.openai', resources: openai.map(planned) },
          { address: 'module.logs', resources: logs.map(planned) },
        ],
      },
    },
    resource_changes: all.map((item) => ({ address: item.address, type: item.type, name: item.name, change: { actions: ['create'], after: item.values, after_unknown: item.unknown } })),
    configuration: {
      provider_config: {
        azurerm: { name: 'azurerm', full_name: 'registry.terraform.io/hashicorp/azurerm', expressions: {} },
        aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'eu-central-1' } } },
        'aws.us': { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', alias: 'us', expressions: { region: { constant_value: 'us-east-1' } } },
      },
      root_module: {
        resources: root.map((item) => ({
          address: item.address,
          type: item.type,
          name: item.name,
          provider_config_key: 'azurerm',
          expressions: { target_resource_id: reference('module.openai.account_id', 'module.openai'), log_analytics_workspace_id: reference('module.openai.workspace_id', 'module.openai') },
        })),
        module_calls: {
          openai: {
            source: './modules/openai',
            module: {
              outputs: {
                account_id: { expression: reference('azurerm_cognitive_account.this.id', 'azurerm_cognitive_account.this') },
                workspace_id: { expression: reference('azurerm_log_analytics_workspace.audit.id', 'azurerm_log_analytics_workspace.audit') },
              },
              resources: [
                { address: 'azurerm_cognitive_account.this', type: 'azurerm_cognitive_account', name: 'this', provider_config_key: 'azurerm', expressions: {} },
                { address: 'azurerm_cognitive_deployment.chat', type: 'azurerm_cognitive_deployment', name: 'chat', provider_config_key: 'azurerm', expressions: { cognitive_account_id: reference('azurerm_cognitive_account.this.id', 'azurerm_cognitive_account.this') } },
                { address: 'azurerm_log_analytics_workspace.audit', type: 'azurerm_log_analytics_workspace', name: 'audit', provider_config_key: 'azurerm', expressions: {} },
                {
                  address: 'azurerm_monitor_diagnostic_setting.this',
                  type: 'azurerm_monitor_diagnostic_setting',
                  name: 'this',
                  provider_config_key: 'azurerm',
                  expressions: { target_resource_id: reference('azurerm_cognitive_account.this.id', 'azurerm_cognitive_account.this'), log_analytics_workspace_id: reference('azurerm_log_analytics_workspace.audit.id', 'azurerm_log_analytics_workspace.audit') },
                },
              ],
            },
          },
          logs: { source: './modules/logs', module: { resources: [{ address: 'aws_cloudwatch_log_group.prompts', type: 'aws_cloudwatch_log_group', name: 'prompts', provider_config_key: options.logsProvider, expressions: {} }] } },
        },
      },
    },
  };
}

function errors(document: object, policy = 'soc2'): string[] {
  const { graph } = loadInput(writeJson('plan.json', document));
  return runGuardrail(graph, GuardrailPolicy.preset(policy), { today: '2026-11-25' })
    .report.findings.filter((finding) => finding.severity === 'error')
    .map((finding) => `${finding.ruleId} ${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`);
}

describe('a plan whose resources live in child modules', () => {
  test('GIVEN a diagnostic setting and a deployment inside the module, referencing the module\'s own account THEN both are tied to it: nothing fails', () => {
    expect(errors(plan({ diagnosticsInModule: true, logsProvider: 'aws' }))).toEqual([]);
  });

  test('GIVEN the module without its diagnostic setting THEN LCG-LOG-030 names the account at its module address', () => {
    expect(errors(plan({ diagnosticsInModule: false, logsProvider: 'aws' }))).toEqual(['LCG-LOG-030 module.openai.azurerm_cognitive_account.this']);
  });

  test('GIVEN a root diagnostic setting that targets the module\'s output THEN the output is followed to the account inside the module', () => {
    expect(errors(plan({ diagnosticsInModule: false, logsProvider: 'aws', diagnosticsTarget: 'module-output' }))).toEqual([]);
  });

  test('GIVEN a log group in a module on the aliased us-east-1 provider THEN it is placed in us-east-1 and fails residency under eu', () => {
    expect(errors(plan({ diagnosticsInModule: true, logsProvider: 'aws.us' }), 'eu')).toContain('LCG-RES-001 module.logs.aws_cloudwatch_log_group.prompts');
    expect(errors(plan({ diagnosticsInModule: true, logsProvider: 'aws' }), 'eu')).not.toContain('LCG-RES-001 module.logs.aws_cloudwatch_log_group.prompts');
  });

  test('GIVEN a provider key the plan does not define THEN the log group\'s region cannot be verified', () => {
    expect(errors(plan({ diagnosticsInModule: true, logsProvider: 'aws.missing' }), 'eu')).toContain('LCG-RES-001 module.logs.aws_cloudwatch_log_group.prompts (cannot verify)');
  });
});

describe('references to resources with count or for_each', () => {
  /** Two accounts by for_each (chat: OpenAI, speech: SpeechServices) and diagnostic settings whose target the plan knows only after apply. */
  function instancesPlan(diagnostics: { address: string; index?: string; target: string[]; forEach?: string[] }[]) {
    const account = (key: string, kind: string) => ({ address: `azurerm_cognitive_account.this["${key}"]`, index: key, type: 'azurerm_cognitive_account', name: 'this', values: { name: key, location: 'westeurope', kind, sku_name: 'S0', resource_group_name: 'rg', public_network_access_enabled: false, local_auth_enabled: false }, unknown: ['id'] });
    const workspace = { address: 'azurerm_log_analytics_workspace.audit', type: 'azurerm_log_analytics_workspace', name: 'audit', values: { name: 'law', location: 'westeurope', resource_group_name: 'rg', retention_in_days: 400 }, unknown: ['id'] };
    const settings = diagnostics.map((setting) => ({ address: setting.address, index: setting.index, type: 'azurerm_monitor_diagnostic_setting', name: 'this', values: { name: 'logs', enabled_log: [{ category: 'Audit' }, { category: 'RequestResponse' }] }, unknown: ['target_resource_id', 'log_analytics_workspace_id'] }));
    const all = [account('chat', 'OpenAI'), account('speech', 'SpeechServices'), workspace, ...settings];
    const [first] = diagnostics;
    return {
      format_version: '1.2',
      planned_values: { root_module: { resources: all.map((item) => ({ address: item.address, mode: 'managed', type: item.type, name: item.name, ...('index' in item && item.index !== undefined ? { index: item.index } : {}), values: item.values })) } },
      resource_changes: all.map((item) => ({ address: item.address, type: item.type, name: item.name, change: { actions: ['create'], after: item.values, after_unknown: Object.fromEntries(item.unknown.map((key) => [key, true])) } })),
      configuration: {
        provider_config: { azurerm: { name: 'azurerm', expressions: {} } },
        root_module: {
          resources: [
            { address: 'azurerm_cognitive_account.this', type: 'azurerm_cognitive_account', name: 'this', provider_config_key: 'azurerm', expressions: {} },
            { address: 'azurerm_log_analytics_workspace.audit', type: 'azurerm_log_analytics_workspace', name: 'audit', provider_config_key: 'azurerm', expressions: {} },
            {
              address: 'azurerm_monitor_diagnostic_setting.this',
              type: 'azurerm_monitor_diagnostic_setting',
              name: 'this',
              provider_config_key: 'azurerm',
              expressions: { target_resource_id: { references: first.target }, log_analytics_workspace_id: { references: ['azurerm_log_analytics_workspace.audit.id', 'azurerm_log_analytics_workspace.audit'] } },
              ...(first.forEach ? { for_each_expression: { references: first.forEach } } : {}),
            },
          ],
        },
      },
    };
  }
  const unlogged = (document: object) => {
    const file = writeJson('plan.json', document);
    const { report } = runGuardrail(loadInput(file).graph, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
    return report.findings.filter((finding) => finding.ruleId === 'LCG-LOG-030').map((finding) => `${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`);
  };

  test('GIVEN a setting per account key, only for speech ([each.key]) THEN the OpenAI account "chat" has none', () => {
    expect(unlogged(instancesPlan([{ address: 'azurerm_monitor_diagnostic_setting.this["speech"]', index: 'speech', target: ['azurerm_cognitive_account.this', 'each.key'] }]))).toEqual(['azurerm_cognitive_account.this["chat"]']);
    expect(unlogged(instancesPlan([{ address: 'azurerm_monitor_diagnostic_setting.this["chat"]', index: 'chat', target: ['azurerm_cognitive_account.this', 'each.key'] }]))).toEqual([]);
  });

  test('GIVEN a literal index THEN the setting targets that instance, not the first', () => {
    expect(unlogged(instancesPlan([{ address: 'azurerm_monitor_diagnostic_setting.this', target: ['azurerm_cognitive_account.this["speech"].id', 'azurerm_cognitive_account.this["speech"]', 'azurerm_cognitive_account.this'] }]))).toEqual(['azurerm_cognitive_account.this["chat"]']);
  });

  test('GIVEN each.value.id under for_each = the accounts THEN each setting targets the account of its own key', () => {
    expect(unlogged(instancesPlan([{ address: 'azurerm_monitor_diagnostic_setting.this["chat"]', index: 'chat', target: ['each.value.id', 'each.value'], forEach: ['azurerm_cognitive_account.this'] }]))).toEqual([]);
  });

  test('GIVEN a reference to every instance without an index THEN which one it names cannot be verified', () => {
    expect(unlogged(instancesPlan([{ address: 'azurerm_monitor_diagnostic_setting.this', target: ['azurerm_cognitive_account.this'] }]))).toEqual(['azurerm_cognitive_account.this["chat"] (cannot verify)']);
  });
});
