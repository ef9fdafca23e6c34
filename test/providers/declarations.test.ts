/**
 * Declaring the external LLM providers an app calls, in a declarations file
 * (`--providers`), the way an app without our constructs does: the
 * declaration is judged (LCG-PRV-001) and satisfies detection (LCG-PRV-002);
 * a malformed declaration is one line and exit 2.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCliInProcess } from '../support/cli';
import { tempDir, writeJson } from '../support/synth';

/** A Terraform configuration in eu-central-1 whose function calls `host`. */
function app(host: string): string {
  return writeJson('main.tf.json', {
    provider: { aws: [{ region: 'eu-central-1' }] },
    resource: {
      aws_lambda_function: {
        chat: { function_name: 'chat', role: 'arn:aws:iam::111111111111:role/chat', handler: 'index.handler', runtime: 'nodejs22.x', filename: 'fn.zip', environment: { variables: { OPENAI_BASE_URL: `https://${host}/v1` } } },
      },
    },
  });
}

function declarations(content: string): string {
  const file = path.join(tempDir('providers'), 'providers.yaml');
  fs.writeFileSync(file, content);
  return file;
}

const EU_OPENAI = `providers:
  - name: chat-fallback
    provider: openai
    host: eu.api.openai.com
    dataClassification: pii
    evidence:
      dpa: { signed: 2026-02-01, reference: DPA-OPENAI-2026 }
      soc2: { periodStart: 2025-07-01, periodEnd: 2026-06-30, reference: OpenAI SOC 2 Type 2 FY26 }
      vendorReview: { date: 2026-10-15, reviewer: privacy-office }
`;

function errors(args: string[]): { status: number | null; rules: string[]; stderr: string } {
  const result = runCliInProcess(['check', ...args, '--policy', 'eu', '--format', 'json', '--today', '2026-11-25']);
  const rules = result.stdout ? (JSON.parse(result.stdout).findings as { ruleId: string; severity: string; resource: { id: string } }[]).filter((finding) => finding.severity === 'error').map((finding) => `${finding.ruleId} ${finding.resource.id}`) : [];
  return { status: result.status, rules, stderr: result.stderr };
}

describe('a declarations file passed with --providers', () => {
  test('GIVEN a function calling OpenAI and no declaration THEN LCG-PRV-002 names the function', () => {
    expect(errors([app('eu.api.openai.com')])).toMatchObject({ status: 1, rules: ['LCG-PRV-002 aws_lambda_function.chat'] });
  });

  test('GIVEN the same app and OpenAI declared at its EU host THEN detection is satisfied and the declaration passes residency', () => {
    expect(errors([app('eu.api.openai.com'), '--providers', declarations(EU_OPENAI)])).toEqual({ status: 0, rules: [], stderr: '' });
  });

  test('GIVEN OpenAI declared at its global host THEN LCG-PRV-001 names the declaration', () => {
    expect(errors([app('api.openai.com'), '--providers', declarations(EU_OPENAI.replace('eu.api.openai.com', 'api.openai.com'))])).toMatchObject({ status: 1, rules: ['LCG-PRV-001 chat-fallback'] });
  });

  test.each([
    ['an unknown provider', EU_OPENAI.replace('provider: openai', 'provider: openia'), 'unknown provider "openia" (fix: use one of: openai, anthropic, cohere, mistral, together, huggingface, self-hosted, other'],
    ['an offering a provider with several needs', EU_OPENAI.replace('provider: openai', 'provider: mistral'), 'mistral has several offerings (fix: use one of: mistral/experiment, mistral/scale, mistral/azure, mistral/vertex)'],
    ['a date that is not one', EU_OPENAI.replace('2026-10-15', '15/10/2026'), 'evidence.vendorReview.date must be a date YYYY-MM-DD'],
    ['an unknown evidence document', EU_OPENAI.replace('dpa:', 'nda:'), 'evidence: unknown document "nda"'],
    ['an unknown key', EU_OPENAI.replace('host:', 'hostname:'), 'unknown key "hostname"'],
    ['a classification that is not one', EU_OPENAI.replace('dataClassification: pii', 'dataClassification: secret'), 'dataClassification: "secret" is not a classification'],
    ['two declarations with one name', `${EU_OPENAI}  - name: chat-fallback\n    provider: anthropic\n    dataClassification: pii\n`, 'a second declaration named "chat-fallback"'],
    ['a file that is not YAML', 'providers: [\n', 'not valid YAML or JSON'],
    ['a self-hosted model without its licence', 'providers:\n  - { name: tgi, provider: self-hosted, region: eu-central-1, dataClassification: internal }\n', "a self-hosted model's declaration names its licence (fix: e.g. licence: apache-2.0"],
  ])('GIVEN %s THEN exit 2 with one line saying what and how to fix it', (_, content, message) => {
    const result = errors([app('eu.api.openai.com'), '--providers', declarations(content)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the declarations file the README shows', () => {
  test('THEN the README block is the shipped policy/providers.yaml, and it declares OpenAI in the EU and a Hugging Face endpoint in Ireland, both passing', () => {
    const root = path.join(__dirname, '..', '..');
    const shipped = fs.readFileSync(path.join(root, 'policy', 'providers.yaml'), 'utf8');
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`\`\`\`yaml\n${shipped}\`\`\``);
    expect(errors([app('eu.api.openai.com'), '--providers', path.join(root, 'policy', 'providers.yaml')])).toEqual({ status: 0, rules: [], stderr: '' });
  });
});

describe('a declarations file named by the policy (providers: <file>, beside it)', () => {
  test('GIVEN a policy naming a file that declares OpenAI at its global host THEN check judges the declarations with the app: LCG-PRV-001', () => {
    const directory = tempDir('policy-providers');
    fs.writeFileSync(path.join(directory, 'providers.yaml'), EU_OPENAI.replace('eu.api.openai.com', 'api.openai.com'));
    fs.writeFileSync(path.join(directory, 'policy.yaml'), 'extends: eu\nproviders: providers.yaml\n');
    const result = runCliInProcess(['check', app('api.openai.com'), '--policy', path.join(directory, 'policy.yaml'), '--format', 'json', '--today', '2026-11-25']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((finding: { ruleId: string; resource: { id: string } }) => `${finding.ruleId} ${finding.resource.id}`)).toEqual(['LCG-PRV-001 chat-fallback']);
  });

  test('GIVEN a policy naming a file that does not exist THEN the policy is refused in one line', () => {
    const directory = tempDir('policy-providers');
    fs.writeFileSync(path.join(directory, 'policy.yaml'), 'extends: eu\nproviders: missing.yaml\n');
    const result = runCliInProcess(['check', app('eu.api.openai.com'), '--policy', path.join(directory, 'policy.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"providers" names');
  });
});

describe('providers named by an LLM gateway configuration (LiteLLM model_list)', () => {
  test('GIVEN an SSM parameter holding a model_list with Anthropic and Together models THEN LCG-PRV-002 asks for both declarations', () => {
    const config = 'model_list:\n  - model_name: chat\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n  - model_name: cheap\n    litellm_params:\n      model: together_ai/meta-llama/Llama-3.3-70B\nrouter_settings:\n  fallbacks: [{ chat: [cheap] }]\n';
    const file = writeJson('gateway.tf.json', { provider: { aws: [{ region: 'eu-central-1' }] }, resource: { aws_ssm_parameter: { litellm: { name: '/gateway/config', type: 'String', value: config } } } });
    const result = runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json', '--today', '2026-11-25']);
    const found = (JSON.parse(result.stdout).findings as { ruleId: string; found: string }[]).filter((finding) => finding.ruleId === 'LCG-PRV-002').map((finding) => finding.found);
    expect(found).toEqual(['value holds anthropic/ (LLM gateway model_list)', 'value holds together_ai/ (LLM gateway model_list)']);
  });
});

describe('self-hosted open-weight models are providers too', () => {
  const ecs = (image: string, environment: object[]) => writeJson('serving.tf.json', {
    provider: { aws: [{ region: 'eu-central-1' }] },
    resource: { aws_ecs_task_definition: { tgi: { family: 'tgi', container_definitions: JSON.stringify([{ name: 'tgi', image, environment }]) } } },
  });

  test.each([
    ['a text-generation-inference container with HF_MODEL_ID', ecs('ghcr.io/huggingface/text-generation-inference:2.4', [{ name: 'HF_MODEL_ID', value: 'mistralai/Mistral-7B-Instruct-v0.3' }])],
    ['a vLLM container', ecs('vllm/vllm-openai:v0.6.4', [])],
  ])('GIVEN %s and no declaration THEN LCG-PRV-002 asks for a self-hosted declaration', (_, file) => {
    const result = runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json', '--today', '2026-11-25']);
    expect((JSON.parse(result.stdout).findings as { ruleId: string; message: string }[]).filter((finding) => finding.ruleId === 'LCG-PRV-002').map((finding) => finding.message)).toEqual([expect.stringContaining('calls Self-hosted open-weight models')]);
  });

  test('GIVEN the container declared as self-hosted with its region and licence THEN it passes', () => {
    const providers = declarations('providers:\n  - { name: tgi, provider: self-hosted, region: eu-central-1, dataClassification: internal, licence: apache-2.0 }\n');
    const file = ecs('ghcr.io/huggingface/text-generation-inference:2.4', [{ name: 'HF_MODEL_ID', value: 'mistralai/Mistral-7B-Instruct-v0.3' }]);
    const result = runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json', '--today', '2026-11-25', '--providers', providers]);
    expect((JSON.parse(result.stdout).findings as { ruleId: string }[]).filter((finding) => finding.ruleId.startsWith('LCG-PRV'))).toEqual([]);
  });
});

describe('provider hosts in values known only at plan time', () => {
  test('GIVEN an endpoint built from a variable around the OpenAI host THEN LCG-PRV-002 still sees the host and asks for its declaration', () => {
    const file = writeJson('interpolated.tf.json', {
      provider: { aws: [{ region: 'eu-central-1' }] },
      variable: { api_version: { type: 'string' } },
      resource: { aws_lambda_function: { chat: { function_name: 'chat', role: 'arn:aws:iam::111111111111:role/chat', handler: 'index.handler', runtime: 'nodejs22.x', filename: 'fn.zip', environment: { variables: { CHAT_ENDPOINT: 'https://api.openai.com/${var.api_version}' } } } } },
    });
    expect(errors([file])).toMatchObject({ status: 1, rules: ['LCG-PRV-002 aws_lambda_function.chat'] });
  });
});

describe('declarations files are read as strictly as policy files', () => {
  test.each([
    ['a tag outside the core schema', `${EU_OPENAI}  - name: x\n    provider: !!js/function "openai"\n    dataClassification: pii\n`],
    ['a duplicate key', EU_OPENAI.replace('    dataClassification: pii\n', '    dataClassification: pii\n    dataClassification: phi\n')],
    ['two documents', `${EU_OPENAI}---\nproviders: []\n`],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nproviders: [*c]\n`],
  ])('GIVEN %s THEN exit 2 with one line', (_, content) => {
    const result = errors([app('eu.api.openai.com'), '--providers', declarations(content)]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
