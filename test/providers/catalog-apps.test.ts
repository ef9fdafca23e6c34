/**
 * One non-compliant and one compliant app for every provider of the posture
 * catalog, each a Terraform configuration whose function (or gateway
 * parameter, or endpoint) shows the provider it calls, with the declarations
 * file a team would write. The non-compliant app fails on the rule that
 * reflects the provider's real posture; the compliant app passes the gate.
 */
import * as fs from 'fs';
import * as path from 'path';
import { llmProviders } from '../../lib/catalogs';
import { runCliInProcess } from '../support/cli';
import { tempDir, writeJson } from '../support/synth';

const TODAY = '2026-11-25';
/** Evidence that is current on TODAY: a SOC 2 report whose period ended five months ago, a review last month. */
const CURRENT = '{ soc2: { periodStart: 2025-07-01, periodEnd: 2026-06-30, reference: SOC2-FY26 }, vendorReview: { date: 2026-10-15, reviewer: privacy-office } }';

type Resources = { [type: string]: { [name: string]: object } };

/** A function in eu-central-1 (or us-east-1) whose environment shows the provider it calls. */
function lambda(variables: { [name: string]: string }, region = 'eu-central-1'): { region: string; resources: Resources } {
  return { region, resources: { aws_lambda_function: { chat: { function_name: 'chat', role: 'arn:aws:iam::111111111111:role/chat', handler: 'index.handler', runtime: 'nodejs22.x', filename: 'fn.zip', environment: { variables } } } } };
}

/** A SageMaker endpoint serving open weights, with or without a full request log. */
function sageMaker(capture: boolean): { region: string; resources: Resources } {
  return {
    region: 'eu-central-1',
    resources: {
      aws_s3_bucket: { capture: { bucket: 'acme-llm-capture' } },
      aws_s3_bucket_lifecycle_configuration: { capture: { bucket: '${aws_s3_bucket.capture.id}', rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 90 }] }] } },
      aws_sagemaker_endpoint_configuration: {
        llama: {
          name: 'llama',
          production_variants: [{ model_name: 'llama-3-8b', variant_name: 'main', instance_type: 'ml.g5.2xlarge', initial_instance_count: 1 }],
          ...(capture ? { data_capture_config: [{ enable_capture: true, initial_sampling_percentage: 100, destination_s3_uri: 's3://acme-llm-capture/capture', capture_options: [{ capture_mode: 'Input' }, { capture_mode: 'Output' }] }] } : {}),
        },
      },
      aws_sagemaker_endpoint: { llama: { name: 'llama', endpoint_config_name: '${aws_sagemaker_endpoint_configuration.llama.name}' } },
    },
  };
}

/** A LiteLLM configuration in a parameter, routing to an OpenAI-compatible server the catalog does not know. */
function gateway(): { region: string; resources: Resources } {
  const config = 'model_list:\n  - model_name: chat\n    litellm_params: { model: openai/llama-3.3-70b, api_base: "https://llm.partner.example/v1" }\n';
  return { region: 'eu-central-1', resources: { aws_ssm_parameter: { litellm: { name: '/gateway/config', type: 'String', value: config } } } };
}

interface Case {
  readonly provider: string;
  readonly policy: string;
  readonly app: { region: string; resources: Resources };
  readonly declarations: string;
  /** The error rules the app fails on; [] for the compliant app. */
  readonly errors: readonly string[];
}

const CASES: readonly (readonly [string, Case])[] = [
  ['openai: the global host from an EU workload', { provider: 'openai', policy: 'eu', app: lambda({ OPENAI_BASE_URL: 'https://api.openai.com/v1' }), declarations: `{ name: chat, provider: openai, host: api.openai.com, dataClassification: pii, evidence: ${CURRENT} }`, errors: ['LCG-PRV-001'] }],
  ['openai: an EU project at eu.api.openai.com', { provider: 'openai', policy: 'eu', app: lambda({ OPENAI_BASE_URL: 'https://eu.api.openai.com/v1' }), declarations: `{ name: chat, provider: openai, host: eu.api.openai.com, dataClassification: pii, evidence: ${CURRENT} }`, errors: [] }],
  ['anthropic: the first-party API has no EU processing', { provider: 'anthropic', policy: 'eu', app: lambda({ ANTHROPIC_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:anthropic' }), declarations: `{ name: claude, provider: anthropic, host: api.anthropic.com, dataClassification: pii, evidence: ${CURRENT} }`, errors: ['LCG-PRV-001'] }],
  ['anthropic: internal data under SOC 2 with a current report', { provider: 'anthropic', policy: 'soc2', app: lambda({ ANTHROPIC_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:anthropic' }), declarations: `{ name: claude, provider: anthropic, host: api.anthropic.com, dataClassification: internal, evidence: ${CURRENT} }`, errors: [] }],
  ['anthropic: PHI to the first-party API without a BAA', { provider: 'anthropic', policy: 'us-hipaa', app: lambda({ ANTHROPIC_API_KEY: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:anthropic' }, 'us-east-1'), declarations: `{ name: claude, provider: anthropic, host: api.anthropic.com, dataClassification: phi, evidence: ${CURRENT} }`, errors: ['LCG-PRV-001', 'LCG-PRV-003'] }],
  ['cohere: trains on personal data unless opted out', { provider: 'cohere', policy: 'soc2', app: lambda({ CO_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:cohere' }), declarations: `{ name: rerank, provider: cohere, dataClassification: pii, evidence: ${CURRENT} }`, errors: ['LCG-PRV-004'] }],
  ['cohere: opted out of training, with a current report', { provider: 'cohere', policy: 'soc2', app: lambda({ CO_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:cohere' }), declarations: `{ name: rerank, provider: cohere, dataClassification: pii, evidence: { trainingOptOut: { date: 2026-01-10, reference: COHERE-DATA-CONTROLS }, soc2: { periodStart: 2025-07-01, periodEnd: 2026-06-30 }, vendorReview: { date: 2026-10-15, reviewer: privacy-office } } }`, errors: [] }],
  ['mistral: the free plan trains on what it receives', { provider: 'mistral', policy: 'soc2', app: lambda({ MISTRAL_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:mistral' }), declarations: `{ name: chat, provider: mistral, offering: mistral/experiment, dataClassification: confidential, evidence: ${CURRENT} }`, errors: ['LCG-PRV-004'] }],
  ['mistral: the paid plan, with a current report', { provider: 'mistral', policy: 'soc2', app: lambda({ MISTRAL_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:mistral' }), declarations: `{ name: chat, provider: mistral, offering: mistral/scale, dataClassification: confidential, evidence: ${CURRENT} }`, errors: [] }],
  ['together: no SOC 2 report under SOC 2', { provider: 'together', policy: 'soc2', app: lambda({ TOGETHER_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:together' }), declarations: '{ name: batch, provider: together, dataClassification: internal, evidence: { soc2: { periodStart: 2024-07-01, periodEnd: 2025-06-30 } } }', errors: ['LCG-PRV-006'] }],
  ['together: a stale report bridged to today', { provider: 'together', policy: 'soc2', app: lambda({ TOGETHER_API_KEY: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:together' }), declarations: '{ name: batch, provider: together, dataClassification: internal, evidence: { soc2: { periodStart: 2024-07-01, periodEnd: 2025-06-30 }, bridgeLetter: { date: 2026-07-15, coversUntil: 2026-12-31 } } }', errors: [] }],
  ['huggingface: an endpoint in us-east-1 from an EU workload', { provider: 'huggingface', policy: 'eu', app: lambda({ HF_ENDPOINT_URL: 'https://abc123.us-east-1.aws.endpoints.huggingface.cloud' }), declarations: `{ name: reranker, provider: huggingface, region: us-east-1, dataClassification: pii, evidence: ${CURRENT} }`, errors: ['LCG-PRV-001'] }],
  ['huggingface: an endpoint in Ireland', { provider: 'huggingface', policy: 'eu', app: lambda({ HF_ENDPOINT_URL: 'https://abc123.eu-west-1.aws.endpoints.huggingface.cloud' }), declarations: `{ name: reranker, provider: huggingface, region: eu-west-1, dataClassification: pii, evidence: ${CURRENT} }`, errors: [] }],
  ['self-hosted: a SageMaker endpoint with no request log', { provider: 'self-hosted', policy: 'eu', app: sageMaker(false), declarations: '{ name: llama, provider: self-hosted, region: eu-central-1, dataClassification: pii, licence: llama-3-community, evidence: { vendorReview: { date: 2026-10-15, reviewer: ml-platform } } }', errors: ['LCG-PRV-008'] }],
  ['self-hosted: the same endpoint capturing every request into an expiring bucket', { provider: 'self-hosted', policy: 'eu', app: sageMaker(true), declarations: '{ name: llama, provider: self-hosted, region: eu-central-1, dataClassification: pii, licence: llama-3-community, evidence: { vendorReview: { date: 2026-10-15, reviewer: ml-platform } } }', errors: [] }],
  ['other: personal data to an unreviewed provider', { provider: 'other', policy: 'soc2', app: gateway(), declarations: '{ name: partner, provider: other, host: llm.partner.example, dataClassification: pii, evidence: { soc2: { periodStart: 2025-07-01, periodEnd: 2026-06-30 }, trainingOptOut: { date: 2026-01-10 } } }', errors: ['LCG-PRV-006'] }],
  ['other: internal data to a provider with a current report and a training opt-out', { provider: 'other', policy: 'soc2', app: gateway(), declarations: '{ name: partner, provider: other, host: llm.partner.example, dataClassification: internal, evidence: { soc2: { periodStart: 2025-07-01, periodEnd: 2026-06-30 }, trainingOptOut: { date: 2026-01-10 } } }', errors: [] }],
];

function judge(entry: Case): { status: number | null; errors: string[]; stderr: string } {
  const directory = tempDir('provider-app');
  const app = writeJson('main.tf.json', { provider: { aws: [{ region: entry.app.region }] }, resource: entry.app.resources });
  const declarations = path.join(directory, 'providers.yaml');
  fs.writeFileSync(declarations, `providers:\n  - ${entry.declarations}\n`);
  const result = runCliInProcess(['check', app, '--policy', entry.policy, '--providers', declarations, '--format', 'json', '--today', TODAY]);
  const findings = result.stdout ? (JSON.parse(result.stdout).findings as { ruleId: string; severity: string }[]) : [];
  return { status: result.status, errors: [...new Set(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.ruleId))].sort(), stderr: result.stderr };
}

describe('a compliant and a non-compliant app for every provider of the catalog', () => {
  test('THEN every provider of the catalog has both', () => {
    const covered = (errors: boolean) => new Set(CASES.filter(([, entry]) => (entry.errors.length > 0) === errors).map(([, entry]) => entry.provider));
    const providers = llmProviders().providers.map((provider) => provider.id);
    expect([[...covered(true)].sort(), [...covered(false)].sort()]).toEqual([[...providers].sort(), [...providers].sort()]);
  });

  test.each(CASES)('GIVEN %s THEN the gate says so', (_, entry) => {
    const result = judge(entry);
    expect({ status: result.status, errors: result.errors }).toEqual({ status: entry.errors.length > 0 ? 1 : 0, errors: entry.errors });
  });
});
