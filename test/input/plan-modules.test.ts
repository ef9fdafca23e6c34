/**
 * Reading a Terraform plan (`terraform show -json`). Resources in child
 * modules: their references are the module's own (`azurerm_x.this.id`
 * inside `module.openai`), a root resource may reference a module output,
 * and a module's resources use the provider configuration the plan names
 * (`provider_config_key`), such as an aliased us-east-1 provider. Values
 * known only after apply, at the top level or inside nested blocks, are the
 * references the configuration gives them, or unresolved — never absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ResourceGraph } from '../../lib/core/graph';
import { Reference, Unresolved, Value, valueAt } from '../../lib/core/values';
import { loadInput, loadInputAsync } from '../../lib/input/load';
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { tempDir, writeJson } from '../support/synth';

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

describe('values known only after apply inside nested blocks', () => {
  /** One planned resource: its planned values, its `after_unknown`, and its configuration expressions, as `terraform show -json` writes them. */
  interface PlanItem {
    readonly address: string;
    readonly type: string;
    readonly values: object;
    readonly unknown: object;
    readonly expressions?: object;
    readonly index?: string | number;
    readonly forEach?: object;
  }
  const nameOf = (address: string) => address.replace(/\[[^\]]*\]$/, '').split('.').pop()!;

  function planOf(items: readonly PlanItem[], provider: { key: string; region: object }, extra: { resource_changes?: object[]; prior_state?: object } = {}) {
    const configured = [...new Map(items.map((item) => [item.address.replace(/\[[^\]]*\]$/, ''), item])).entries()];
    return {
      format_version: '1.2',
      terraform_version: '1.9.5',
      planned_values: { root_module: { resources: items.map((item) => ({ address: item.address, mode: 'managed', type: item.type, name: nameOf(item.address), ...(item.index !== undefined ? { index: item.index } : {}), values: item.values, sensitive_values: {} })) } },
      resource_changes: [
        ...items.map((item) => ({ address: item.address, mode: 'managed', type: item.type, name: nameOf(item.address), change: { actions: ['create'], before: null, after: item.values, after_unknown: item.unknown } })),
        ...(extra.resource_changes ?? []),
      ],
      ...(extra.prior_state ? { prior_state: extra.prior_state } : {}),
      configuration: {
        provider_config: { [provider.key]: { name: provider.key, expressions: provider.region } },
        root_module: {
          resources: configured.map(([address, item]) => ({ address, mode: 'managed', type: item.type, name: nameOf(address), provider_config_key: provider.key, expressions: item.expressions ?? {}, ...(item.forEach ? { for_each_expression: item.forEach } : {}) })),
        },
      },
    };
  }
  const references = (...texts: string[]) => ({ references: texts });

  /**
   * Bedrock invocation logging to an S3 bucket whose name is the bucket's id:
   * the plan knows it only after apply, inside logging_config[0].s3_config[0].
   * The bucket has no lifecycle rule; the trail's bucket keeps 400 days.
   */
  function bedrockPlan(options: { bucketExpression?: boolean; extra?: { resource_changes?: object[]; prior_state?: object } } = {}) {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'] }] });
    const items: PlanItem[] = [
      { address: 'aws_s3_bucket.prompts', type: 'aws_s3_bucket', values: { bucket: 'acme-bedrock-prompts', force_destroy: false, tags: null }, unknown: { id: true, arn: true }, expressions: { bucket: { constant_value: 'acme-bedrock-prompts' } } },
      {
        address: 'aws_bedrock_model_invocation_logging_configuration.this',
        type: 'aws_bedrock_model_invocation_logging_configuration',
        values: { logging_config: [{ embedding_data_delivery_enabled: true, image_data_delivery_enabled: true, text_data_delivery_enabled: true, video_data_delivery_enabled: true, cloudwatch_config: [], s3_config: [{ key_prefix: 'bedrock' }] }] },
        unknown: { id: true, logging_config: [{ cloudwatch_config: [], s3_config: [{ bucket_name: true }] }] },
        expressions: {
          logging_config: [{ s3_config: [{ ...(options.bucketExpression === false ? {} : { bucket_name: references('aws_s3_bucket.prompts.id', 'aws_s3_bucket.prompts') }), key_prefix: { constant_value: 'bedrock' } }] }],
        },
      },
      { address: 'aws_s3_bucket.trail', type: 'aws_s3_bucket', values: { bucket: 'acme-trail', force_destroy: false, tags: null }, unknown: { id: true, arn: true }, expressions: { bucket: { constant_value: 'acme-trail' } } },
      {
        address: 'aws_s3_bucket_lifecycle_configuration.trail',
        type: 'aws_s3_bucket_lifecycle_configuration',
        values: { rule: [{ id: 'expire', status: 'Enabled', filter: [{}], expiration: [{ days: 400, date: null }] }] },
        unknown: { id: true, bucket: true },
        expressions: { bucket: references('aws_s3_bucket.trail.id', 'aws_s3_bucket.trail') },
      },
      {
        address: 'aws_cloudtrail.main',
        type: 'aws_cloudtrail',
        values: { name: 'main', is_multi_region_trail: true, enable_log_file_validation: true, include_global_service_events: true, enable_logging: true },
        unknown: { id: true, arn: true, s3_bucket_name: true },
        expressions: { s3_bucket_name: references('aws_s3_bucket.trail.id', 'aws_s3_bucket.trail') },
      },
      { address: 'aws_iam_role_policy.invoke', type: 'aws_iam_role_policy', values: { role: 'app', policy }, unknown: { id: true, name: true } },
    ];
    return planOf(items, { key: 'aws', region: { region: { constant_value: 'eu-central-1' } } }, options.extra);
  }

  /** The same configuration as Terraform's own syntax, for the directory reader. */
  const BEDROCK_HCL = `
provider "aws" {
  region = "eu-central-1"
}

resource "aws_s3_bucket" "prompts" {
  bucket = "acme-bedrock-prompts"
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    embedding_data_delivery_enabled = true
    image_data_delivery_enabled     = true
    text_data_delivery_enabled      = true
    s3_config {
      bucket_name = aws_s3_bucket.prompts.id
      key_prefix  = "bedrock"
    }
  }
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-trail"
}

resource "aws_s3_bucket_lifecycle_configuration" "trail" {
  bucket = aws_s3_bucket.trail.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 400
    }
  }
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}

resource "aws_iam_role_policy" "invoke" {
  role = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["bedrock:InvokeModel"], Resource = ["arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"] }]
  })
}
`;

  /** Every finding of a run, as `<rule> <resource>` with "(cannot verify)" where the rule could not read a value. */
  function verdicts(graph: ResourceGraph, policy = 'eu'): string[] {
    return runGuardrail(graph, GuardrailPolicy.preset(policy), { today: '2026-11-25' })
      .report.findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`)
      .sort();
  }
  const loggingConfig = (graph: ResourceGraph, address = 'aws_bedrock_model_invocation_logging_configuration.this') => graph.get(`plan/${address}`)!.properties;

  test('GIVEN logging_config[0].s3_config[0].bucket_name = aws_s3_bucket.prompts.id THEN it is a reference to the bucket, beside the known key_prefix', () => {
    const { graph } = loadInput(writeJson('plan.json', bedrockPlan()));
    expect(valueAt(loggingConfig(graph), 'logging_config.s3_config.key_prefix')).toBe('bedrock');
    const bucket = valueAt(loggingConfig(graph), 'logging_config.s3_config.bucket_name');
    expect(bucket).toBeInstanceOf(Reference);
    expect(bucket).toMatchObject({ target: 'plan/aws_s3_bucket.prompts', attribute: 'id', expression: '${aws_s3_bucket.prompts.id}' });
  });

  test('GIVEN the prompt bucket, which never expires, receives invocation logs THEN LCG-RET-002 fails it, as it does for the same configuration in HCL', async () => {
    const planVerdicts = verdicts(loadInput(writeJson('plan.json', bedrockPlan())).graph);
    expect(planVerdicts).toContain('error LCG-RET-002 aws_s3_bucket.prompts');
    // Named like the plan file, so that findings on the stack name the same stack.
    const directory = path.join(tempDir('tf'), 'plan');
    fs.mkdirSync(directory);
    fs.writeFileSync(path.join(directory, 'main.tf'), BEDROCK_HCL);
    expect(verdicts((await loadInputAsync(directory)).graph)).toEqual(planVerdicts);
  });

  test('GIVEN a nested value known only after apply that the configuration does not explain THEN it is unresolved, never absent', () => {
    const { graph } = loadInput(writeJson('plan.json', bedrockPlan({ bucketExpression: false })));
    const bucket = valueAt(loggingConfig(graph), 'logging_config.s3_config.bucket_name');
    expect(bucket).toBeInstanceOf(Unresolved);
    expect(bucket).toMatchObject({ expression: '(known after apply)', reason: 'known only after apply', references: [] });
  });

  test('GIVEN a deleted object beside the resource and a prior state THEN the planned change is the one read', () => {
    const deposed = { address: 'aws_bedrock_model_invocation_logging_configuration.this', mode: 'managed', type: 'aws_bedrock_model_invocation_logging_configuration', name: 'this', deposed: '00000001', change: { actions: ['delete'], before: { logging_config: [] }, after: null, after_unknown: {} } };
    const prior = { format_version: '1.0', values: { root_module: { resources: [{ address: 'aws_bedrock_model_invocation_logging_configuration.this', mode: 'managed', type: 'aws_bedrock_model_invocation_logging_configuration', name: 'this', values: { logging_config: [{ s3_config: [{ bucket_name: 'old-bucket' }] }] } }] } } };
    const { graph } = loadInput(writeJson('plan.json', bedrockPlan({ extra: { resource_changes: [deposed], prior_state: prior } })));
    expect(valueAt(loggingConfig(graph), 'logging_config.s3_config.bucket_name')).toMatchObject({ target: 'plan/aws_s3_bucket.prompts' });
  });

  /** A Vertex AI endpoint, a BigQuery dataset and a log bucket, all encrypted with a key the plan knows only after apply. */
  function vertexPlan(options: { wholeBlockUnknown?: boolean; endpointExpression?: boolean } = {}) {
    const key = references('google_kms_crypto_key.vertex.id', 'google_kms_crypto_key.vertex');
    const items: PlanItem[] = [
      { address: 'google_kms_key_ring.vertex', type: 'google_kms_key_ring', values: { name: 'vertex', location: 'europe-west4', project: 'acme-vertex-eu' }, unknown: { id: true }, expressions: { name: { constant_value: 'vertex' }, location: references('var.region') } },
      { address: 'google_kms_crypto_key.vertex', type: 'google_kms_crypto_key', values: { name: 'vertex-cmek', rotation_period: '7776000s' }, unknown: { id: true, key_ring: true }, expressions: { name: { constant_value: 'vertex-cmek' }, key_ring: references('google_kms_key_ring.vertex.id', 'google_kms_key_ring.vertex') } },
      {
        address: 'google_bigquery_dataset.requests',
        type: 'google_bigquery_dataset',
        values: { dataset_id: 'chat_requests', location: 'europe-west4', default_partition_expiration_ms: 2592000000, default_encryption_configuration: [{}], project: 'acme-vertex-eu' },
        unknown: { id: true, default_encryption_configuration: [{ kms_key_name: true }] },
        expressions: { dataset_id: { constant_value: 'chat_requests' }, default_encryption_configuration: [{ kms_key_name: key }] },
      },
      {
        address: 'google_vertex_ai_endpoint.chat',
        type: 'google_vertex_ai_endpoint',
        values: {
          name: 'chat',
          display_name: 'chat',
          location: 'europe-west4',
          project: 'acme-vertex-eu',
          ...(options.wholeBlockUnknown ? {} : { encryption_spec: [{}] }),
          private_service_connect_config: [{ enable_private_service_connect: true, project_allowlist: ['acme-vertex-eu'] }],
          predict_request_response_logging_config: [{ enabled: true, sampling_rate: 1, bigquery_destination: [{ output_uri: 'bq://acme-vertex-eu.chat_requests' }] }],
        },
        unknown: { id: true, encryption_spec: options.wholeBlockUnknown ? true : [{ kms_key_name: true }] },
        expressions: options.endpointExpression === false ? {} : { encryption_spec: [{ kms_key_name: key }] },
      },
      {
        address: 'google_project_iam_audit_config.vertex',
        type: 'google_project_iam_audit_config',
        values: { project: 'acme-vertex-eu', service: 'aiplatform.googleapis.com', audit_log_config: ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'].map((type) => ({ log_type: type, exempted_members: [] })) },
        unknown: { id: true, etag: true },
      },
      {
        address: 'google_logging_project_bucket_config.audit',
        type: 'google_logging_project_bucket_config',
        values: { project: 'acme-vertex-eu', location: 'europe-west4', bucket_id: 'vertex-audit', retention_days: 365, cmek_settings: [{}] },
        unknown: { id: true, cmek_settings: [{ kms_key_name: true }] },
        expressions: { cmek_settings: [{ kms_key_name: key }] },
      },
      {
        address: 'google_logging_project_sink.audit',
        type: 'google_logging_project_sink',
        values: { project: 'acme-vertex-eu', name: 'vertex-audit', destination: 'logging.googleapis.com/projects/acme-vertex-eu/locations/europe-west4/buckets/vertex-audit', filter: 'protoPayload.serviceName="aiplatform.googleapis.com"', unique_writer_identity: true, disabled: false },
        unknown: { id: true, writer_identity: true },
      },
    ];
    return planOf(items, { key: 'google', region: { project: references('var.project'), region: references('var.region') } });
  }

  test('GIVEN encryption_spec[0].kms_key_name = google_kms_crypto_key.vertex.id THEN the endpoint, dataset and log bucket use that key: no Google-managed-key warning', () => {
    const { graph } = loadInput(writeJson('plan.json', vertexPlan()));
    expect(valueAt(graph.get('plan/google_vertex_ai_endpoint.chat')!.properties, 'encryption_spec.kms_key_name')).toMatchObject({ target: 'plan/google_kms_crypto_key.vertex', attribute: 'id' });
    expect(verdicts(graph).filter((verdict) => verdict.includes('LCG-ENC-050'))).toEqual([]);
  });

  test('GIVEN the whole encryption_spec block known only after apply THEN it is unresolved, naming the key it may use: not a Google-managed key', () => {
    const { graph } = loadInput(writeJson('plan.json', vertexPlan({ wholeBlockUnknown: true })));
    const spec = graph.get('plan/google_vertex_ai_endpoint.chat')!.properties.encryption_spec;
    expect(spec).toBeInstanceOf(Unresolved);
    expect(spec).toMatchObject({ expression: 'google_kms_crypto_key.vertex.id', references: ['plan/google_kms_crypto_key.vertex'] });
    expect(verdicts(graph).filter((verdict) => verdict.includes('LCG-ENC-050'))).toEqual([]);
  });

  test('GIVEN a key known only after apply that the configuration does not explain THEN LCG-ENC-050 cannot verify it, rather than call it Google-managed', () => {
    for (const wholeBlockUnknown of [false, true]) {
      const { graph } = loadInput(writeJson('plan.json', vertexPlan({ wholeBlockUnknown, endpointExpression: false })));
      expect(verdicts(graph).filter((verdict) => verdict.includes('LCG-ENC-050'))).toEqual(['warning LCG-ENC-050 google_vertex_ai_endpoint.chat (cannot verify)']);
    }
  });

  test('GIVEN endpoints by for_each whose key is google_kms_crypto_key.k[each.key].id THEN each endpoint references the key of its own instance', () => {
    const endpoint = (key: string): PlanItem => ({
      address: `google_vertex_ai_endpoint.chat["${key}"]`,
      index: key,
      type: 'google_vertex_ai_endpoint',
      values: { name: key, location: 'europe-west4', encryption_spec: [{}] },
      unknown: { id: true, encryption_spec: [{ kms_key_name: true }] },
      expressions: { encryption_spec: [{ kms_key_name: references('google_kms_crypto_key.k', 'each.key') }] },
      forEach: references('var.endpoints'),
    });
    const cryptoKey = (key: string): PlanItem => ({ address: `google_kms_crypto_key.k["${key}"]`, index: key, type: 'google_kms_crypto_key', values: { name: key }, unknown: { id: true } });
    const { graph } = loadInput(writeJson('plan.json', planOf([cryptoKey('a'), cryptoKey('b'), endpoint('a'), endpoint('b')], { key: 'google', region: {} })));
    expect(valueAt(graph.get('plan/google_vertex_ai_endpoint.chat["b"]')!.properties, 'encryption_spec.kms_key_name')).toMatchObject({ target: 'plan/google_kms_crypto_key.k["b"]' });
    expect(valueAt(graph.get('plan/google_vertex_ai_endpoint.chat["a"]')!.properties, 'encryption_spec.kms_key_name')).toMatchObject({ target: 'plan/google_kms_crypto_key.k["a"]' });
  });

  describe('several blocks of one kind', () => {
    /** Replication rules "logs" → bucket a and "prompts" → bucket b, in the order the plan lists them (a set may be sorted unlike the configuration). */
    function replicationPlan(plannedOrder: readonly string[], configuredIds: readonly [string, string] = ['logs', 'prompts']) {
      const bucket = (name: string): PlanItem => ({ address: `aws_s3_bucket.${name}`, type: 'aws_s3_bucket', values: { bucket: name }, unknown: { id: true, arn: true } });
      const destination = { logs: 'aws_s3_bucket.a', prompts: 'aws_s3_bucket.b' };
      const replication: PlanItem = {
        address: 'aws_s3_bucket_replication_configuration.this',
        type: 'aws_s3_bucket_replication_configuration',
        values: { role: 'replication', rule: plannedOrder.map((id) => ({ id, status: 'Enabled', destination: [{ storage_class: 'STANDARD' }] })) },
        unknown: { id: true, rule: plannedOrder.map(() => ({ destination: [{ bucket: true }] })) },
        expressions: {
          rule: (['logs', 'prompts'] as const).map((name, index) => ({ id: { constant_value: configuredIds[index] }, status: { constant_value: 'Enabled' }, destination: [{ bucket: references(`${destination[name]}.arn`, destination[name]) }] })),
        },
      };
      const { graph } = loadInput(writeJson('plan.json', planOf([bucket('a'), bucket('b'), replication], { key: 'aws', region: { region: { constant_value: 'eu-central-1' } } })));
      const rules = graph.get('plan/aws_s3_bucket_replication_configuration.this')!.properties.rule as { [key: string]: Value }[];
      return rules.map((rule) => valueAt(rule, 'destination.bucket'));
    }

    test('GIVEN two rules told apart by their known id THEN each rule references its own bucket, in the configuration\'s order or not', () => {
      expect(replicationPlan(['logs', 'prompts'])).toMatchObject([{ target: 'plan/aws_s3_bucket.a', attribute: 'arn' }, { target: 'plan/aws_s3_bucket.b', attribute: 'arn' }]);
      expect(replicationPlan(['prompts', 'logs'])).toMatchObject([{ target: 'plan/aws_s3_bucket.b' }, { target: 'plan/aws_s3_bucket.a' }]);
    });

    test('GIVEN two rules the known values cannot tell apart THEN each bucket is unresolved, naming both buckets it may be', () => {
      for (const bucket of replicationPlan(['same', 'same'], ['same', 'same'])) {
        expect(bucket).toBeInstanceOf(Unresolved);
        expect((bucket as Unresolved).references).toEqual(['plan/aws_s3_bucket.a', 'plan/aws_s3_bucket.b']);
      }
    });
  });

  test('GIVEN the logging configuration inside a module THEN its nested reference names the module\'s own bucket', () => {
    interface Addressed {
      readonly address: string;
    }
    const document = bedrockPlan() as unknown as { planned_values: { root_module: object }; resource_changes: Addressed[]; configuration: { root_module: object } };
    const original = bedrockPlan();
    const moved = (item: Addressed) => item.address === 'aws_bedrock_model_invocation_logging_configuration.this' || item.address === 'aws_s3_bucket.prompts';
    const inModule = (item: Addressed): Addressed => ({ ...item, address: `module.logging.${item.address}` });
    const planned: Addressed[] = original.planned_values.root_module.resources;
    document.planned_values.root_module = { resources: planned.filter((item) => !moved(item)), child_modules: [{ address: 'module.logging', resources: planned.filter(moved).map(inModule) }] };
    document.resource_changes = document.resource_changes.map((change) => (moved(change) ? inModule(change) : change));
    const configured: Addressed[] = original.configuration.root_module.resources;
    document.configuration.root_module = { resources: configured.filter((item) => !moved(item)), module_calls: { logging: { source: './logging', module: { resources: configured.filter(moved) } } } };
    const { graph } = loadInput(writeJson('plan.json', document));
    expect(valueAt(loggingConfig(graph, 'module.logging.aws_bedrock_model_invocation_logging_configuration.this'), 'logging_config.s3_config.bucket_name')).toMatchObject({ target: 'plan/module.logging.aws_s3_bucket.prompts', attribute: 'id' });
    expect(verdicts(graph)).toContain('error LCG-RET-002 module.logging.aws_s3_bucket.prompts');
  });

  test('GIVEN a role the configuration gives no inline_policy (the AWS provider computes it, known after apply) THEN no policy is unreadable; a configured one still is', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const role = (name: string, expressions: object): PlanItem => ({
      address: `aws_iam_role.${name}`,
      type: 'aws_iam_role',
      values: { name, assume_role_policy: trust, path: '/', max_session_duration: 3600 },
      unknown: { arn: true, id: true, inline_policy: true, managed_policy_arns: true, unique_id: true },
      expressions: { name: { constant_value: name }, assume_role_policy: {}, ...expressions },
    });
    const provider = { key: 'aws', region: { region: { constant_value: 'eu-central-1' } } };
    expect(errors(planOf([role('web', {})], provider), 'eu')).toEqual([]);
    const configured = errors(planOf([role('chat', { inline_policy: [{ name: { constant_value: 'bedrock' }, policy: references('data.aws_iam_policy_document.bedrock.json', 'data.aws_iam_policy_document.bedrock') }] })], provider), 'eu');
    expect(configured).toContain('LCG-RES-010 aws_iam_role.chat (cannot verify)');
  });
});
