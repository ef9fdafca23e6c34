/**
 * Providers the output shows without naming a vendor host: partner models on
 * the clouds (an Azure deployment's `model.format`, a Vertex
 * `publishers/anthropic/models/…` path, the Anthropic SDK's Vertex settings)
 * and LLM gateway configurations (LiteLLM `model_list` with `api_base`, and
 * the failovers its `fallbacks` set up, judged by LCG-PRV-007).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCliInProcess } from '../support/cli';
import { tempDir, writeJson } from '../support/synth';

interface Finding {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly found: string;
  readonly cannotVerify?: boolean;
  readonly resource: { readonly id: string };
}

function check(file: string, providers?: string): { status: number | null; findings: Finding[] } {
  const args = ['check', file, '--policy', 'eu', '--format', 'json', '--today', '2026-11-25', ...(providers ? ['--providers', providers] : [])];
  const result = runCliInProcess(args);
  // Evidence freshness (LCG-PRV-006) has its own tests at fixed dates (evidence.test.ts).
  return { status: result.status, findings: result.stdout ? (JSON.parse(result.stdout).findings as Finding[]).filter((finding) => finding.ruleId.startsWith('LCG-PRV') && finding.ruleId !== 'LCG-PRV-006') : [] };
}

function declarations(content: string): string {
  const file = path.join(tempDir('providers'), 'providers.yaml');
  fs.writeFileSync(file, content);
  return file;
}

const summary = (findings: readonly Finding[]): string[] => findings.map((finding) => `${finding.ruleId} ${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`);

describe('partner models on Azure: a deployment whose model.format names the vendor', () => {
  const azure = (format: string, shape: 'azurerm' | 'azapi') =>
    writeJson(`foundry-${shape}.tf.json`, {
      provider: { azurerm: [{ features: {} }] },
      resource:
        shape === 'azurerm'
          ? {
              azurerm_cognitive_account: { foundry: { name: 'foundry', location: 'swedencentral', resource_group_name: 'rg', kind: 'AIServices', sku_name: 'S0' } },
              azurerm_cognitive_deployment: { chat: { name: 'chat', cognitive_account_id: '${azurerm_cognitive_account.foundry.id}', model: { format, name: 'Mistral-Large-2411', version: '2' }, sku: { name: 'DataZoneStandard' } } },
            }
          : {
              azapi_resource: {
                chat: { type: 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01', name: 'chat', parent_id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/foundry', body: { sku: { name: 'DataZoneStandard', capacity: 1 }, properties: { model: { format, name: 'Cohere-command-r-plus', version: '1' } } } },
              },
            },
    });

  test.each([
    ['azurerm', 'Mistral AI', 'mistral/azure'],
    ['azapi', 'Cohere', 'cohere/azure'],
  ] as const)('GIVEN an %s deployment of format %s and no declaration THEN LCG-PRV-002 asks for the partner offering %s', (shape, format, offering) => {
    const { findings } = check(azure(format, shape));
    expect(findings.map((finding) => [finding.ruleId, finding.found, finding.message.includes(`offering ${offering}`)])).toEqual([['LCG-PRV-002', `model.format holds model.format = ${format} (a partner model on Azure)`, true]]);
  });

  test('GIVEN the Mistral deployment and Mistral declared for its own API THEN the declaration does not cover the Azure offering', () => {
    const providers = declarations('providers:\n  - { name: mistral, provider: mistral, offering: mistral/scale, dataClassification: pii }\n');
    expect(summary(check(azure('Mistral AI', 'azurerm'), providers).findings)).toContain('LCG-PRV-002 azurerm_cognitive_deployment.chat');
  });

  test('GIVEN the Mistral deployment declared as mistral/azure in Sweden Central THEN detection and residency pass', () => {
    const providers = declarations('providers:\n  - { name: mistral-on-azure, provider: mistral, offering: mistral/azure, region: swedencentral, dataClassification: pii }\n');
    expect(summary(check(azure('Mistral AI', 'azurerm'), providers).findings).filter((line) => /PRV-00[12]/.test(line))).toEqual([]);
  });

  test('GIVEN an OpenAI deployment THEN no provider is asked for: the cloud\'s own model service is judged by the Azure rules', () => {
    expect(check(azure('OpenAI', 'azurerm')).findings).toEqual([]);
  });
});

describe('partner models on Vertex AI: a publishers/anthropic path or the Anthropic SDK\'s Vertex settings', () => {
  const cloudRun = (env: { name: string; value: string }[]) =>
    writeJson('cloud-run.tf.json', {
      provider: { google: [{ project: 'acme', region: 'europe-west1' }] },
      resource: { google_cloud_run_v2_service: { chat: { name: 'chat', location: 'europe-west1', template: { containers: [{ image: 'europe-docker.pkg.dev/acme/chat/api:1', env }] } } } },
    });

  test.each([
    ['a model path', [{ name: 'MODEL', value: 'projects/acme/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5' }]],
    ['the SDK setting ANTHROPIC_VERTEX_PROJECT_ID', [{ name: 'ANTHROPIC_VERTEX_PROJECT_ID', value: 'acme' }, { name: 'CLOUD_ML_REGION', value: 'europe-west1' }]],
  ])('GIVEN %s and no declaration THEN LCG-PRV-002 asks for Claude on Vertex AI', (_, env) => {
    const { findings } = check(cloudRun(env));
    expect(findings.map((finding) => finding.message)).toEqual([expect.stringContaining('Claude on Vertex AI (Google Cloud partner model) (provider anthropic, offering anthropic/vertex)')]);
  });

  test('GIVEN Claude declared for the first-party API only THEN the Vertex offering is still undeclared', () => {
    const providers = declarations('providers:\n  - { name: claude, provider: anthropic, host: api.anthropic.com, dataClassification: pii }\n');
    expect(summary(check(cloudRun([{ name: 'ANTHROPIC_VERTEX_PROJECT_ID', value: 'acme' }]), providers).findings)).toContain('LCG-PRV-002 google_cloud_run_v2_service.chat');
  });

  test.each([
    ['europe-west1', []],
    ['global', ['LCG-PRV-001 claude-vertex']],
    ['us-east5', ['LCG-PRV-001 claude-vertex']],
  ])('GIVEN Claude on Vertex declared in %s THEN residency is judged by the region: %j', (region, expected) => {
    const providers = declarations(`providers:\n  - { name: claude-vertex, provider: anthropic, offering: anthropic/vertex, region: ${region}, dataClassification: pii }\n`);
    expect(summary(check(cloudRun([{ name: 'ANTHROPIC_VERTEX_PROJECT_ID', value: 'acme' }]), providers).findings).filter((line) => /PRV-00[12]/.test(line))).toEqual(expected);
  });
});

describe('LLM gateway configurations: api_base, partner prefixes and fallbacks', () => {
  const gateway = (config: string) =>
    writeJson('gateway.tf.json', { provider: { aws: [{ region: 'eu-central-1' }] }, resource: { aws_ssm_parameter: { litellm: { name: '/gateway/config', type: 'String', value: config } } } });
  const config = (models: [string, string, string?][], fallbacks: string) =>
    `model_list:\n${models.map(([name, model, base]) => `  - model_name: ${name}\n    litellm_params:\n      model: ${model}\n${base ? `      api_base: ${base}\n` : ''}`).join('')}router_settings:\n${fallbacks}\n`;

  const EU_OPENAI = '  - { name: chat-primary, provider: openai, host: eu.api.openai.com, dataClassification: pii, evidence: { zeroRetention: { approved: 2026-03-10, reference: ZDR-1 } } }\n';

  test('GIVEN vertex_ai/claude and azure_ai/mistral models THEN each is asked for with its partner offering', () => {
    const { findings } = check(gateway(config([['a', 'vertex_ai/claude-sonnet-4-5'], ['b', 'azure_ai/mistral-large-2411']], '  fallbacks: []')));
    expect(findings.map((finding) => finding.message.match(/offering ([\w/-]+)/)?.[1])).toEqual(['anthropic/vertex', 'mistral/azure']);
  });

  test('GIVEN openai/ models served from an OpenAI-compatible server of our own THEN it is not OpenAI but an unknown provider to declare', () => {
    const { findings } = check(gateway(config([['local', 'openai/llama-3.3-70b', 'http://vllm.internal:8000/v1']], '  fallbacks: []')));
    expect(findings.map((finding) => [finding.ruleId, finding.found])).toEqual([['LCG-PRV-002', 'value holds openai/llama-3.3-70b at http://vllm.internal:8000/v1 (an OpenAI-compatible server the catalog does not know) (LLM gateway model_list)']]);
  });

  test('GIVEN an EU OpenAI primary falling back to the Anthropic API THEN LCG-PRV-007 names the axes and both members on the gateway parameter', () => {
    const file = gateway(config([['chat', 'openai/gpt-4o', 'https://eu.api.openai.com/v1'], ['claude', 'anthropic/claude-sonnet-4-5']], '  fallbacks: [{ chat: [claude] }]'));
    const providers = declarations(`providers:\n${EU_OPENAI}  - { name: claude, provider: anthropic, host: api.anthropic.com, dataClassification: pii }\n`);
    const failover = check(file, providers).findings.filter((finding) => finding.ruleId === 'LCG-PRV-007');
    expect(failover.map((finding) => [finding.resource.id, finding.message.split(':')[0]])).toEqual([
      ['aws_ssm_parameter.litellm', 'Fallback "claude" is weaker than primary "chat-primary" (gateway fallback chat → claude in value) on jurisdiction'],
      ['aws_ssm_parameter.litellm', 'Fallback "claude" is weaker than primary "chat-primary" (gateway fallback chat → claude in value) on retention'],
    ]);
  });

  test('GIVEN the same gateway falling back to a second EU OpenAI project with the same approval THEN LCG-PRV-007 passes', () => {
    const file = gateway(config([['chat', 'openai/gpt-4o', 'https://eu.api.openai.com/v1'], ['backup', 'openai/gpt-4o-mini', 'https://eu.api.openai.com/v1']], '  fallbacks: [{ chat: [backup] }]'));
    expect(check(file, declarations(`providers:\n${EU_OPENAI}`)).findings).toEqual([]);
  });

  test('GIVEN a fallback whose provider is not declared THEN the failover cannot be verified (and LCG-PRV-002 asks for the declaration)', () => {
    const file = gateway(config([['chat', 'openai/gpt-4o', 'https://eu.api.openai.com/v1'], ['cheap', 'together_ai/meta-llama/Llama-3.3-70B']], '  default_fallbacks: [cheap]'));
    expect(summary(check(file, declarations(`providers:\n${EU_OPENAI}`)).findings)).toEqual(['LCG-PRV-002 aws_ssm_parameter.litellm', 'LCG-PRV-007 aws_ssm_parameter.litellm (cannot verify)']);
  });

  test('GIVEN a configuration that is not valid YAML THEN its model lines are still read', () => {
    const { findings } = check(gateway('model_list: [\n  { model_name: chat, litellm_params: { model: "anthropic/claude-sonnet-4-5" }\n'));
    expect(findings.map((finding) => finding.found)).toEqual(['value holds anthropic/ (LLM gateway model_list)']);
  });
});

describe('what a declaration covers, and gateway configurations as teams write them', () => {
  const gateway = (config: string) =>
    writeJson('gateway.tf.json', { provider: { aws: [{ region: 'eu-central-1' }] }, resource: { aws_ssm_parameter: { litellm: { name: '/gateway/config', type: 'String', value: config } } } });

  test('GIVEN a function calling the Anthropic API and only Claude on Vertex AI declared THEN the first-party call is still undeclared', () => {
    const file = writeJson('anthropic.tf.json', {
      provider: { aws: [{ region: 'eu-central-1' }] },
      resource: { aws_lambda_function: { chat: { function_name: 'chat', role: 'arn:aws:iam::111111111111:role/chat', handler: 'index.handler', runtime: 'nodejs22.x', filename: 'fn.zip', environment: { variables: { LLM_BASE_URL: 'https://api.anthropic.com' } } } } },
    });
    const providers = declarations('providers:\n  - { name: claude-vertex, provider: anthropic, offering: anthropic/vertex, region: europe-west4, dataClassification: pii }\n');
    expect(summary(check(file, providers).findings)).toContain('LCG-PRV-002 aws_lambda_function.chat');
  });

  test('GIVEN an EU OpenAI model falling back to the same model at the global host THEN the call and the failover name the undeclared host', () => {
    const config = 'model_list:\n  - model_name: gpt-eu\n    litellm_params: { model: openai/gpt-4o, api_base: "https://eu.api.openai.com/v1" }\n  - model_name: gpt-global\n    litellm_params: { model: openai/gpt-4o }\nrouter_settings:\n  fallbacks: [{ gpt-eu: [gpt-global] }]\n';
    const providers = declarations('providers:\n  - { name: openai-eu, provider: openai, host: eu.api.openai.com, dataClassification: pii }\n');
    const found = check(gateway(config), providers).findings;
    expect(found.map((finding) => `${finding.ruleId}${finding.cannotVerify ? ' (cannot verify)' : ''}: ${finding.message.split(/:| Found/)[0]}`)).toEqual([
      'LCG-PRV-002: aws_ssm_parameter "aws_ssm_parameter.litellm" calls OpenAI API at api.openai.com, but the app declares it only at eu.api.openai.com.',
      'LCG-PRV-007 (cannot verify): Cannot verify the gateway failover from gpt-eu to gpt-global',
    ]);
  });

  test.each([
    ['a failover to a cloud\'s own model (azure/)', 'model_list:\n  - model_name: a\n    litellm_params: { model: azure/gpt-4o-eu }\n  - model_name: b\n    litellm_params: { model: together_ai/meta-llama/Llama-3.3-70B }\nrouter_settings:\n  fallbacks: [{ a: [b] }]\n', /a \(azure\/\) is a cloud's own model/],
    ['a configuration built by an expression (not YAML)', 'model_list: ${yamlencode(local.models)}\nrouter_settings:\n  fallbacks: ${jsonencode(local.fallbacks)}\n', /not YAML the guardrail can read/],
    ['a fallback name that is not in the model_list', 'model_list:\n  - model_name: a\n    litellm_params: { model: together_ai/x }\nrouter_settings:\n  fallbacks: [{ a: [missing] }]\n', /missing is not a model of the model_list/],
  ])('GIVEN %s THEN the failover cannot be verified (never skipped)', (_, config, message) => {
    const failover = check(gateway(config)).findings.filter((finding) => finding.ruleId === 'LCG-PRV-007');
    expect(failover.map((finding) => [finding.cannotVerify, message.test(finding.message)])).toEqual([[true, true]]);
  });

  test('GIVEN a prefix the catalog does not know (gemini/) THEN it is another provider to declare; GIVEN api_base from the environment THEN the endpoint cannot be verified', () => {
    const unknown = check(gateway('model_list:\n  - model_name: g\n    litellm_params: { model: gemini/gemini-2.0-flash }\n')).findings;
    expect(unknown.map((finding) => finding.found)).toEqual(['value holds gemini/ (a provider the catalog does not know) (LLM gateway model_list)']);
    const environment = check(gateway('model_list:\n  - model_name: c\n    litellm_params: { model: anthropic/claude, api_base: os.environ/CLAUDE_BASE }\n')).findings;
    expect(environment.filter((finding) => finding.cannotVerify).map((finding) => finding.found)).toEqual(['value: model c (anthropic/claude): api_base = os.environ/claude_base']);
  });

  test('GIVEN an api_base inherited through a YAML merge key THEN the model is attributed to that host\'s provider', () => {
    const config = 'x-base: &base\n  api_base: https://api.together.xyz/v1\nmodel_list:\n  - model_name: llama\n    litellm_params:\n      <<: *base\n      model: openai/meta-llama/Llama-3-70b\n';
    expect(check(gateway(config)).findings.map((finding) => finding.message.includes('calls Together AI'))).toEqual([true]);
  });
});

describe('SageMaker data capture as the two formats write it (LCG-PRV-008)', () => {
  const tf = (capture: object, variants: object[] = [{ model_name: 'm', variant_name: 'main', instance_type: 'ml.g5.2xlarge', initial_instance_count: 1 }]) =>
    writeJson('sagemaker.tf.json', {
      provider: { aws: [{ region: 'eu-central-1' }] },
      resource: { aws_s3_bucket: { capture: { bucket: 'acme-capture' } }, aws_sagemaker_endpoint_configuration: { llama: { name: 'llama', production_variants: variants, data_capture_config: [capture] } } },
    });
  const prv008 = (file: string) => check(file).findings.filter((finding) => finding.ruleId === 'LCG-PRV-008').map((finding) => `${finding.severity}${finding.cannotVerify ? ' (cannot verify)' : ''}: ${finding.found}`);

  test('GIVEN Terraform data capture without enable_capture THEN it is off (the provider sends false)', () => {
    expect(prv008(tf({ initial_sampling_percentage: 100, destination_s3_uri: 's3://acme-capture/x', capture_options: [{ capture_mode: 'Input' }, { capture_mode: 'Output' }] }))).toEqual(['error: data_capture_config.enable_capture = (not set: the Terraform provider sends false)']);
  });

  test('GIVEN capture mode InputAndOutput THEN requests and responses are both recorded', () => {
    expect(prv008(tf({ enable_capture: true, initial_sampling_percentage: 100, destination_s3_uri: 's3://acme-capture/x', capture_options: [{ capture_mode: 'InputAndOutput' }] }))).toEqual([]);
  });

  test('GIVEN serverless variants THEN a warning says the log must be kept by the caller', () => {
    expect(prv008(tf({ enable_capture: true }, [{ model_name: 'm', variant_name: 'main', serverless_config: [{ max_concurrency: 1, memory_size_in_mb: 2048 }] }]))).toEqual(['warning: production_variants.serverless_config set']);
  });

  test('GIVEN a bucket of the template only in the key prefix under another bucket THEN the destination cannot be verified', () => {
    const file = writeJson('prefix.json', {
      Resources: {
        CaptureBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
        Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ ModelName: 'm', VariantName: 'main', InstanceType: 'ml.g5.2xlarge', InitialInstanceCount: 1 }], DataCaptureConfig: { InitialSamplingPercentage: 100, DestinationS3Uri: { 'Fn::Sub': 's3://central-capture-us-east-1/${CaptureBucket}' }, CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }] } } },
      },
    });
    expect(prv008(file)).toEqual([expect.stringMatching(/^error \(cannot verify\): DataCaptureConfig\.DestinationS3Uri = /)]);
  });
});

describe('an Azure deployment whose model format is known only at plan time', () => {
  test('GIVEN model.format from a variable THEN whose model it serves cannot be verified (it may be a partner\'s)', () => {
    const file = writeJson('format-variable.tf.json', {
      provider: { azurerm: [{ features: {} }] },
      variable: { model_format: { type: 'string' } },
      resource: {
        azurerm_cognitive_account: { foundry: { name: 'foundry', location: 'swedencentral', resource_group_name: 'rg', kind: 'AIServices', sku_name: 'S0' } },
        azurerm_cognitive_deployment: { chat: { name: 'chat', cognitive_account_id: '${azurerm_cognitive_account.foundry.id}', model: { format: '${var.model_format}', name: 'm', version: '1' }, sku: { name: 'DataZoneStandard' } } },
      },
    });
    expect(check(file).findings.map((finding) => [finding.ruleId, finding.cannotVerify, finding.found])).toEqual([['LCG-PRV-002', true, 'model.format = ${var.model_format}']]);
  });
});
