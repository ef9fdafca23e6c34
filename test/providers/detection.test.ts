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
