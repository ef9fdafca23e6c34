/**
 * External providers in the data-flow documentation: each declaration is an
 * endpoint with its posture and residency, the functions that call it reach
 * it over the public internet, and a fallback is reached from its primary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCliAsyncInProcess } from '../support/cli';
import { tempDir, writeJson } from '../support/synth';

interface FlowNode {
  id: string;
  kind: string;
  label: string;
  cloud: string;
  location?: { region: string; residency: string };
  details: string[];
}

describe('external providers in the data flow', () => {
  test('GIVEN a function calling OpenAI and Anthropic, declared with Anthropic as the fallback THEN both are endpoints with their residency, reached from the function, and the failover is a hop', async () => {
    const app = writeJson('main.tf.json', {
      provider: { aws: [{ region: 'eu-central-1' }] },
      resource: { aws_lambda_function: { chat: { function_name: 'chat', role: 'arn:aws:iam::111111111111:role/chat', handler: 'index.handler', runtime: 'nodejs22.x', filename: 'fn.zip', environment: { variables: { OPENAI_BASE_URL: 'https://eu.api.openai.com/v1', ANTHROPIC_BASE_URL: 'https://api.anthropic.com' } } } } },
    });
    const providers = path.join(tempDir('flow-providers'), 'providers.yaml');
    fs.writeFileSync(providers, 'providers:\n  - { name: chat-primary, provider: openai, host: eu.api.openai.com, dataClassification: pii, evidence: { vendorReview: { date: 2026-10-15, reviewer: privacy-office } } }\n  - { name: chat-fallback, provider: anthropic, host: api.anthropic.com, dataClassification: pii, fallbackFor: chat-primary }\n');
    const out = tempDir('flow-out');
    const result = await runCliAsyncInProcess(['docs', app, '--policy', 'eu', '--providers', providers, '--out', out, '--today', '2026-11-25']);
    expect(result.status).toBe(0);
    const model = JSON.parse(fs.readFileSync(path.join(out, 'data-flow.json'), 'utf8')) as { nodes: FlowNode[]; hops: { from: string; to: string; data: string }[] };
    const endpoints = model.nodes.filter((node) => node.kind === 'endpoint' && node.cloud === 'external');
    expect(endpoints.map((node) => [node.label, node.location?.residency])).toEqual([
      ['Anthropic API (first party) (chat-fallback)', 'outside'],
      ['OpenAI API (default project) (chat-primary)', 'inside'],
    ]);
    expect(endpoints[1].details).toContain('vendorReview stale on 2027-01-13');
    const caller = 'caller:main/aws_lambda_function.chat';
    const internet = 'network:external:public-internet';
    const hop = (from: string, to: string) => model.hops.filter((entry) => entry.from === from && entry.to === to).map((entry) => entry.data);
    expect(hop(caller, internet)).toEqual(['prompts and model responses']);
    for (const endpoint of endpoints) expect(hop(internet, endpoint.id)).toEqual(['prompts and model responses']);
    expect(hop(endpoints[1].id, endpoints[0].id)).toEqual(['prompts and model responses, when chat-primary fails (failover)']);
  });

  test('GIVEN a LiteLLM gateway falling back from Claude on Vertex to Mistral on Azure THEN the gateway reaches only the matching offerings and the failover is a hop', async () => {
    const config = 'model_list:\n  - model_name: chat\n    litellm_params: { model: vertex_ai/claude-sonnet-4-5 }\n  - model_name: backup\n    litellm_params: { model: azure_ai/mistral-large-2411 }\nrouter_settings:\n  fallbacks: [{ chat: [backup] }]\n';
    const app = writeJson('gateway.tf.json', { provider: { aws: [{ region: 'eu-central-1' }] }, resource: { aws_ssm_parameter: { litellm: { name: '/gateway/config', type: 'String', value: config } } } });
    const providers = path.join(tempDir('flow-providers'), 'providers.yaml');
    fs.writeFileSync(
      providers,
      'providers:\n  - { name: claude-api, provider: anthropic, host: api.anthropic.com, dataClassification: internal }\n  - { name: claude-vertex, provider: anthropic, offering: anthropic/vertex, region: europe-west1, dataClassification: internal }\n  - { name: mistral-azure, provider: mistral, offering: mistral/azure, region: swedencentral, dataClassification: internal }\n',
    );
    const out = tempDir('flow-out');
    const result = await runCliAsyncInProcess(['docs', app, '--policy', 'eu', '--providers', providers, '--out', out, '--today', '2026-11-25']);
    expect(result.status).toBe(0);
    const model = JSON.parse(fs.readFileSync(path.join(out, 'data-flow.json'), 'utf8')) as { nodes: FlowNode[]; hops: { from: string; to: string; data: string }[] };
    const id = (label: string) => model.nodes.find((node) => node.label.endsWith(`(${label})`))!.id;
    const internet = 'network:external:public-internet';
    const into = (to: string) => model.hops.filter((hop) => hop.to === to).map((hop) => hop.from);
    expect(into(id('claude-vertex'))).toEqual([internet]);
    expect(into(id('claude-api'))).toEqual([internet]);
    expect(model.hops.filter((hop) => hop.from === 'caller:gateway/aws_ssm_parameter.litellm').map((hop) => hop.to)).toEqual([internet]);
    const callersOfApi = model.nodes.find((node) => node.id === 'caller:external:providers');
    expect(callersOfApi?.label).toBe('Callers outside this configuration (external providers)');
    expect(model.hops.filter((hop) => hop.from === id('claude-vertex') && hop.to === id('mistral-azure')).map((hop) => hop.data)).toEqual(['prompts and model responses, when chat fails (gateway fallbacks in aws_ssm_parameter.litellm)']);
  });
});
