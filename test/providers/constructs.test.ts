/**
 * ExternalLlmProvider for AWS CDK and for CDK for Terraform: the declaration
 * lands in the synthesized output (template Metadata, the configuration's
 * "//" comment), deploys nothing, is judged by the gate, and is read by the
 * CLI from the output; a malformed declaration is one line at construction.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App as CdkApp, Stack, aws_lambda as lambda, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { App, TerraformStack } from 'cdktf';
import { CdktfGuardrail, ExternalLlmProvider as TerraformProvider } from '../../aspects/cdktf';
import { ExternalLlmProvider, ComplianceGate } from '../../constructs/aws';
import { runCliInProcess } from '../support/cli';
import { tempDir } from '../support/synth';

const EVIDENCE = { soc2: { periodStart: '2025-07-01', periodEnd: '2026-06-30', reference: 'SOC 2 FY26' }, vendorReview: { date: '2026-10-15', reviewer: 'privacy-office' } };

function cdkApp(host: string) {
  const outdir = path.join(tempDir('provider-cdk'), 'cdk.out');
  const app = new CdkApp({ outdir });
  const gate = ComplianceGate.enable(app, { policyReference: 'eu', today: '2026-11-25' });
  const stack = new Stack(app, 'Chat', { env: { account: '111111111111', region: 'eu-central-1' } });
  const openai = new ExternalLlmProvider(stack, 'OpenAi', { provider: 'openai', host, dataClassification: 'pii', evidence: EVIDENCE, apiKey: new secretsmanager.Secret(stack, 'OpenAiKey') });
  const fn = new lambda.Function(stack, 'Chat', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  openai.configure(fn);
  let error: string | undefined;
  try {
    app.synth();
  } catch (thrown) {
    error = (thrown as Error).message;
  }
  return { outdir, error, report: gate.lastReport!, template: JSON.parse(fs.readFileSync(path.join(outdir, 'Chat.template.json'), 'utf8')), openai };
}

describe('ExternalLlmProvider (AWS CDK)', () => {
  test('GIVEN OpenAI at its EU host WHEN synthesized THEN the template Metadata holds the declaration, no resource is added for it, and no provider rule fails', () => {
    const { template, report, error } = cdkApp('eu.api.openai.com');
    expect(template.Metadata['LlmGuardrail::ExternalProviders']).toEqual([{ name: 'OpenAi', provider: 'openai', offering: 'openai/api', host: 'eu.api.openai.com', dataClassification: 'pii', evidence: EVIDENCE }]);
    expect(Object.values(template.Resources as { [id: string]: { Type: string } }).map((resource) => resource.Type)).not.toContain('LlmGuardrail::ExternalProvider');
    expect(report.findings.filter((finding) => finding.ruleId.startsWith('LCG-PRV'))).toEqual([]);
    expect(error === undefined || !error.includes('LCG-PRV')).toBe(true);
  });

  test('GIVEN configure(fn) THEN the function calls the declared host and reads the key from the secret', () => {
    const { template } = cdkApp('eu.api.openai.com');
    const fn = Object.values(template.Resources as { [id: string]: { Type: string; Properties: { Environment?: { Variables: { [name: string]: unknown } } } } }).find((resource) => resource.Type === 'AWS::Lambda::Function')!;
    expect(fn.Properties.Environment!.Variables).toMatchObject({ LLM_BASE_URL: 'https://eu.api.openai.com', LLM_API_KEY_SECRET_ARN: { Ref: expect.stringMatching(/^OpenAiKey/) } });
  });

  test('GIVEN OpenAI at its global host WHEN synthesized THEN the gate fails with LCG-PRV-001, and the CLI on the cdk.out agrees', () => {
    const { outdir, error } = cdkApp('api.openai.com');
    expect(error).toContain('LCG-PRV-001');
    const cli = runCliInProcess(['check', outdir, '--policy', 'eu', '--today', '2026-11-25', '--format', 'json']);
    expect(JSON.parse(cli.stdout).findings.map((finding: { ruleId: string; resource: { id: string } }) => `${finding.ruleId} ${finding.resource.id}`)).toContain('LCG-PRV-001 OpenAi');
  });

  test('GIVEN an unknown provider THEN the constructor refuses it in one line naming the construct and the providers', () => {
    const stack = new Stack(new CdkApp(), 'S');
    expect(() => new ExternalLlmProvider(stack, 'Llm', { provider: 'openia', dataClassification: 'pii' })).toThrow('ExternalLlmProvider at "S/Llm".provider: unknown provider "openia"');
  });
});

describe('ExternalLlmProvider (CDK for Terraform)', () => {
  function cdktfApp(host: string) {
    const app = new App({ outdir: path.join(tempDir('provider-cdktf'), 'cdktf.out') });
    const stack = new TerraformStack(app, 'chat');
    const provider = new TerraformProvider(stack, 'openai', { provider: 'openai', host, dataClassification: 'pii', evidence: EVIDENCE });
    new TerraformProvider(stack, 'reranker', { provider: 'huggingface', region: 'westeurope', dataClassification: 'internal', evidence: { soc2: EVIDENCE.soc2 } });
    const gate = CdktfGuardrail.enable(app, { policyReference: 'eu', today: '2026-11-25' });
    let error: string | undefined;
    try {
      app.synth();
    } catch (thrown) {
      error = (thrown as Error).message;
    }
    return { app, stack, provider, error, report: gate.reportFor('chat')! };
  }

  test('GIVEN two declarations WHEN synthesized THEN the configuration\'s comment holds both, and they pass', () => {
    const { stack, report, error, provider } = cdktfApp('eu.api.openai.com');
    const comment = (stack.toTerraform() as { '//': { 'llm-guardrail': { providers: { name: string }[] } } })['//']['llm-guardrail'];
    expect(comment.providers.map((declaration) => declaration.name)).toEqual(['openai', 'reranker']);
    expect(provider.baseUrl).toBe('https://eu.api.openai.com');
    expect(report.findings.filter((finding) => finding.ruleId.startsWith('LCG-PRV'))).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('GIVEN the global host THEN synthesis fails with LCG-PRV-001 on the declaration', () => {
    const { error } = cdktfApp('api.openai.com');
    expect(error).toContain('[LCG-PRV-001]');
  });

  test('GIVEN a malformed date THEN the constructor refuses it in one line', () => {
    const stack = new TerraformStack(new App(), 's');
    expect(() => new TerraformProvider(stack, 'x', { provider: 'openai', host: 'eu.api.openai.com', dataClassification: 'pii', evidence: { vendorReview: { date: 'last week', reviewer: 'x' } } })).toThrow('evidence.vendorReview.date must be a date YYYY-MM-DD');
  });
});
