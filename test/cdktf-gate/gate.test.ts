import { withoutGenerationTime } from '../../lib/docs/provenance';
import * as fs from 'fs';
import * as path from 'path';
import { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { VertexAiEndpoint } from '@cdktf/provider-google/lib/vertex-ai-endpoint';
import { App, Aspects, TerraformStack } from 'cdktf';
import { CDKTF_REPORT_FILE, CdktfGuardrail, CdktfGuardrailAspect } from '../../aspects/cdktf';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { azureStack, newEndpoint } from '../azure/support';
import { tempDir } from '../support/synth';

interface WrittenReport {
  findings: { ruleId: string; severity: string; resource: { id: string; path?: string }; message: string }[];
  suppressed: { ruleId: string }[];
  summary: { errors: number; warnings: number };
}

function newApp(context: { [key: string]: unknown } = {}): App {
  return new App({ outdir: path.join(tempDir('gate'), 'cdktf.out'), context });
}

function readReport(app: App, stack = 'azure-eu'): WrittenReport {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack, CDKTF_REPORT_FILE), 'utf8'));
}

/** The message `App.synth()` threw, or undefined when it succeeded. */
function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('CDKTF synth gate', () => {
  test('GIVEN a compliant EU Azure OpenAI workload WHEN synthesized THEN synth succeeds and an empty report is written', () => {
    const app = newApp();
    newEndpoint(azureStack(app));
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    expect(synthError(app)).toBeUndefined();
    const report = readReport(app);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'azure-eu', 'cdk.tf.json'))).toBe(true);
  });

  test('GIVEN an override nested 3,000 levels deep WHEN synthesized THEN synthesis is refused without a stack overflow (cdktf refuses trees that deep before the gate, which bounds depth as the CLI does)', () => {
    const app = newApp();
    const stack = azureStack(app);
    newEndpoint(stack);
    const raw = new CognitiveAccount(stack, 'raw', { name: 'raw', location: 'westeurope', resourceGroupName: 'rg', kind: 'OpenAI', skuName: 'S0' });
    let deep: { [key: string]: unknown } = {};
    for (let level = 0; level < 3000; level++) deep = { next: deep };
    raw.addOverride('tags', deep);
    CdktfGuardrail.enable(app, { policyReference: 'eu' });

    const message = synthError(app);
    expect(message).toMatch(/^Unable to resolve object tree|nested deeper than 256 levels/);
    expect(message).not.toMatch(/Maximum call stack/);
  });

  test('GIVEN a gated synth THEN the data-flow documentation (Markdown, JSON; HTML on request) is written next to the stack; dataFlowDocs: false turns it off', () => {
    const app = newApp();
    newEndpoint(azureStack(app));
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    app.synth();
    const directory = path.join(app.outdir, 'stacks', 'azure-eu');
    const markdown = fs.readFileSync(path.join(directory, 'data-flow.md'), 'utf8');
    expect(markdown).toContain('flowchart LR');
    expect(markdown).toMatch(/westeurope|West Europe/);
    expect(JSON.parse(fs.readFileSync(path.join(directory, 'data-flow.json'), 'utf8'))).toHaveProperty('nodes');
    expect(fs.existsSync(path.join(directory, 'data-flow.html'))).toBe(false);

    const withPage = newApp();
    newEndpoint(azureStack(withPage));
    CdktfGuardrail.enable(withPage, { policyReference: 'eu', dataFlowHtml: true });
    withPage.synth();
    expect(fs.readFileSync(path.join(withPage.outdir, 'stacks', 'azure-eu', 'data-flow.html'), 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*mermaid/);

    const quiet = newApp();
    newEndpoint(azureStack(quiet));
    CdktfGuardrail.enable(quiet, { policyReference: 'eu', dataFlowDocs: false });
    quiet.synth();
    expect(fs.existsSync(path.join(quiet.outdir, 'stacks', 'azure-eu', 'data-flow.md'))).toBe(false);
  });

  test('GIVEN a passing synth THEN the written cdk.tf.json is exactly the judged document, resolved once', () => {
    const app = newApp();
    const stack = azureStack(app);
    newEndpoint(stack);
    const gate = CdktfGuardrail.enable(app, { policyReference: 'eu' });
    const resolve = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    try {
      app.synth();
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
    expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
    const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'azure-eu', 'cdk.tf.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
    expect(gate.reportFor('azure-eu')?.summary.resources).toBe(Object.values(written.resource as object).reduce((sum: number, byName: object) => sum + Object.keys(byName).length, 0));
  });

  test('GIVEN a resource-level addOverride that moves the account to eastus THEN synth fails naming rule, construct path, found, expected and fix', () => {
    const app = newApp();
    const endpoint = newEndpoint(azureStack(app));
    endpoint.account.addOverride('location', 'eastus');
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    const message = synthError(app);
    expect(message).toMatch(/\[azure-eu\/openai\/account\] \[LCG-RES-001\] azurerm_cognitive_account "azurerm_cognitive_account\.openai_account_[0-9A-F]+" is placed outside the allowed jurisdiction\. Found: location = eastus \(East US, US\)\. Expected: .*EU.*\. Fix: move it/);
  });

  test('GIVEN a resource-level addOverride that makes a deployment GlobalStandard THEN synth fails with LCG-RES-030', () => {
    const app = newApp();
    const endpoint = newEndpoint(azureStack(app));
    endpoint.deployments[0].addOverride('sku.name', 'GlobalStandard');
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    expect(synthError(app)).toMatch(/\[azure-eu\/openai\/deployment-chat\] \[LCG-RES-030\] .*GlobalStandard is a global deployment type.* Found: sku\.name = "GlobalStandard"\. .* Fix: set sku\.name to "ProvisionedManaged" or "Standard"/);
  });

  test('GIVEN a stack-level addOverride that moves the account to uksouth THEN synth fails', () => {
    const app = newApp();
    const stack = azureStack(app);
    const endpoint = newEndpoint(stack);
    stack.addOverride(`resource.azurerm_cognitive_account.${endpoint.account.friendlyUniqueId}.location`, 'uksouth');
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    expect(synthError(app)).toMatch(/\[azure-eu\/openai\/account\] \[LCG-RES-001\] .* Found: location = uksouth \(UK South, GB\)/);
    const report = readReport(app);
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['LCG-RES-001']);
  });

  test('GIVEN a stack-level addOverride that changes the deployment type THEN synth fails', () => {
    const app = newApp();
    const stack = azureStack(app);
    const endpoint = newEndpoint(stack);
    stack.addOverride(`resource.azurerm_cognitive_deployment.${endpoint.deployments[1].friendlyUniqueId}.sku.name`, 'GlobalBatch');
    CdktfGuardrail.enable(stack, { policy: GuardrailPolicy.preset('eu') });
    expect(synthError(app)).toMatch(/\[azure-eu\/openai\/deployment-embeddings\] \[LCG-RES-030\]/);
  });

  test('GIVEN error findings WHEN synthesized twice THEN it fails both times without duplicating annotations', () => {
    const app = newApp();
    const endpoint = newEndpoint(azureStack(app));
    endpoint.deployments[0].addOverride('sku.name', 'GlobalStandard');
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    const first = synthError(app);
    const second = synthError(app);
    expect(second).toBe(first);
    expect(second!.match(/LCG-RES-030/g)).toHaveLength(1);
  });

  test('GIVEN the cdktf CLI mode (errors collected, not thrown) THEN the errors land in manifest.json for the CLI to report', () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
    try {
      const app = newApp();
      const stack = azureStack(app);
      const endpoint = newEndpoint(stack);
      endpoint.deployments[1].addOverride('sku.name', 'GlobalStandard');
      CdktfGuardrail.enable(app, { policyReference: 'eu' });
      expect(synthError(app)).toBeUndefined();
      const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
      expect(manifest.stacks['azure-eu'].annotations).toEqual([
        expect.objectContaining({ constructPath: 'azure-eu/openai/deployment-embeddings', level: '@cdktf/error', message: expect.stringMatching(/^\[LCG-RES-030\]/) }),
      ]);
      const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'azure-eu', 'cdk.tf.json'), 'utf8'));
      expect(Object.values(written.resource.azurerm_cognitive_deployment).map((body) => (body as { sku: { name: string } }).sku.name)).toEqual(['Standard', 'GlobalStandard']);
      expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  test('GIVEN a warning-only finding THEN synth succeeds and the warning is recorded', () => {
    const app = newApp();
    newEndpoint(azureStack(app), { localAuth: true });
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    expect(synthError(app)).toBeUndefined();
    expect(readReport(app).findings).toMatchObject([{ ruleId: 'LCG-IAM-030', severity: 'warning' }]);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks['azure-eu'].annotations).toEqual(
      expect.arrayContaining([expect.objectContaining({ constructPath: 'azure-eu/openai/account', level: '@cdktf/warn', message: expect.stringMatching(/^\[LCG-IAM-030\]/) })]),
    );
  });

  test('GIVEN a raw account without diagnostic settings THEN the gate judges it like any other resource', () => {
    const app = newApp();
    const stack = azureStack(app);
    new CognitiveAccount(stack, 'raw', { name: 'raw', location: 'westeurope', resourceGroupName: 'rg', kind: 'OpenAI', skuName: 'S0' });
    CdktfGuardrail.enable(app, { policyReference: 'soc2' });
    const message = synthError(app)!;
    expect(message).toMatch(/\[azure-eu\/raw\] \[LCG-LOG-030\] .*No diagnostic setting sends the logs/);
    expect(readReport(app).findings.map((finding) => `${finding.ruleId}:${finding.severity}`).sort()).toEqual(['LCG-ENC-030:warning', 'LCG-IAM-030:warning', 'LCG-LOG-030:error', 'LCG-NET-030:warning']);
  });

  test('GIVEN a mixed Azure + Google stack where only the Google side leaves the EU THEN the finding points at the Google resource', () => {
    const app = newApp();
    const stack = azureStack(app, 'mixed');
    new GoogleProvider(stack, 'google', { project: 'acme-ml', region: 'europe-west4' });
    newEndpoint(stack);
    new VertexAiEndpoint(stack, 'vertex', { name: '1234567890', displayName: 'chat', location: 'us-central1' });
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    const message = synthError(app)!;
    expect(message).toMatch(/\[mixed\/vertex\] \[LCG-RES-001\] google_vertex_ai_endpoint "google_vertex_ai_endpoint\.vertex" is placed outside the allowed jurisdiction\. Found: location = us-central1/);
    expect(message).not.toMatch(/\[mixed\/openai/);
    const errors = readReport(app, 'mixed').findings.filter((finding) => finding.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((finding) => finding.resource.path?.startsWith('mixed/vertex'))).toBe(true);
  });

  test('GIVEN the policy in the App context THEN enable() needs no policy', () => {
    const app = newApp({ 'llm-guardrail:policy': 'us-hipaa' });
    newEndpoint(azureStack(app));
    const gate = CdktfGuardrail.enable(app);
    expect(gate.policy.name).toBe('us-hipaa');
    expect(synthError(app)).toMatch(/LCG-RES-001/);
    expect(gate.reportFor('azure-eu')?.summary.errors).toBeGreaterThan(0);
  });

  test('GIVEN an acknowledgement in the policy THEN the finding is reported as suppressed and synth succeeds', () => {
    const app = newApp();
    const endpoint = newEndpoint(azureStack(app));
    endpoint.deployments[0].addOverride('sku.name', 'GlobalStandard');
    const policy = GuardrailPolicy.fromSpec({
      extends: 'eu',
      suppressions: [{ ruleId: 'LCG-RES-030', resource: 'azure-eu/openai/deployment-chat', reason: 'Global capacity during the EU quota request (TICKET-42)', expires: '2099-12-31' }],
    });
    CdktfGuardrail.enable(app, { policy });
    expect(synthError(app)).toBeUndefined();
    expect(readReport(app).suppressed.map((finding) => finding.ruleId)).toEqual(['LCG-RES-030']);
  });

  test('GIVEN the gate on one stack only THEN other stacks are not judged', () => {
    const app = newApp();
    const judged = azureStack(app, 'judged');
    newEndpoint(judged);
    const other = azureStack(app, 'other');
    new CognitiveAccount(other, 'raw', { name: 'raw', location: 'eastus', resourceGroupName: 'rg', kind: 'OpenAI', skuName: 'S0' });
    CdktfGuardrail.enable(judged, { policyReference: 'eu' });
    expect(synthError(app)).toBeUndefined();
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'other', CDKTF_REPORT_FILE))).toBe(false);
  });

  test('GIVEN no policy anywhere THEN enable() throws one line with the fix', () => {
    const app = newApp();
    const cwd = process.cwd();
    process.chdir(tempDir('no-policy'));
    try {
      expect(() => CdktfGuardrail.enable(app)).toThrow(/^App: no LLM guardrail policy given \(fix: pass \{ policyReference: 'eu' \} or \{ policy \}/);
      expect(() => CdktfGuardrail.enable(app, { policyReference: 'moon' })).toThrow(/^App: unknown policy preset "moon" \(fix: use one of: eu, us-hipaa, soc2/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('GIVEN the gate enabled twice THEN enable() throws, or synth fails when a stack gained its own gate later', () => {
    const app = newApp();
    const stack = azureStack(app);
    newEndpoint(stack);
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    expect(() => CdktfGuardrail.enable(app, { policyReference: 'eu' })).toThrow(/^App: the LLM guardrail is already enabled for it/);
    expect(() => CdktfGuardrail.enable(stack, { policyReference: 'soc2' })).toThrow(/^azure-eu: the LLM guardrail is already enabled for it \(directly or through its App\)/);

    const later = newApp();
    CdktfGuardrail.enable(later, { policyReference: 'eu' });
    const laterStack = azureStack(later);
    newEndpoint(laterStack);
    CdktfGuardrail.enable(laterStack, { policyReference: 'soc2' });
    expect(synthError(later)).toMatch(/enabled twice for stack "azure-eu"/);
  });

  test('GIVEN a construct that is neither App nor stack THEN enable() says where to enable it', () => {
    const app = newApp();
    const endpoint = newEndpoint(azureStack(app));
    expect(() => CdktfGuardrail.enable(endpoint, { policyReference: 'eu' })).toThrow(/^azure-eu\/openai: the LLM guardrail is enabled on an App or a TerraformStack/);
  });

  test('GIVEN stacks created after enable() THEN they are judged too', () => {
    const app = newApp();
    CdktfGuardrail.enable(app, { policyReference: 'eu' });
    const endpoint = newEndpoint(azureStack(app));
    endpoint.account.addOverride('location', 'northcentralus');
    expect(synthError(app)).toMatch(/\[azure-eu\/openai\/account\] \[LCG-RES-001\]/);
  });
});

describe('the CDKTF gate added as an aspect (Aspects.of(stack).add(new CdktfGuardrailAspect(...)))', () => {
  /** Every file written for the stack, with the output directory replaced. */
  function synthesizeBothWays(how: 'enable' | 'aspect', location: string, policyReference: string) {
    const app = newApp();
    const stack = azureStack(app);
    if (how === 'enable') CdktfGuardrail.enable(stack, { policyReference, today: '2026-11-25' });
    else Aspects.of(stack).add(new CdktfGuardrailAspect({ policyReference, today: '2026-11-25' }));
    newEndpoint(stack, { location });
    const error = synthError(app);
    const directory = path.join(app.outdir, 'stacks', 'azure-eu');
    // The two runs document their own generation time; the rest must be equal.
    const files = Object.fromEntries(fs.readdirSync(directory).map((file) => [file, withoutGenerationTime(fs.readFileSync(path.join(directory, file), 'utf8')).split(app.outdir).join('<out>')]));
    return { error: error?.split(app.outdir).join('<out>'), files };
  }

  test.each([
    ['a compliant EU workload under eu', 'westeurope', 'eu', undefined],
    ['a UK workload under eu', 'uksouth', 'eu', 'LCG-RES-001'],
    ['the EU workload under us-hipaa (constructs take their retention from the aspect\'s policy)', 'westeurope', 'us-hipaa', 'LCG-RES-001'],
  ])('GIVEN %s WHEN synthesized through the aspect THEN the Terraform JSON, report, data flow and outcome equal those of CdktfGuardrail.enable', (_, location, policyReference, failsWith) => {
    const enabled = synthesizeBothWays('enable', location, policyReference);
    const aspect = synthesizeBothWays('aspect', location, policyReference);
    expect(Object.keys(aspect.files)).toEqual(expect.arrayContaining([CDKTF_REPORT_FILE, 'data-flow.md', ...(failsWith ? [] : ['cdk.tf.json'])]));
    expect(aspect.files).toEqual(enabled.files);
    expect(aspect.error).toEqual(enabled.error);
    if (failsWith) expect(aspect.error).toContain(failsWith);
    else expect(aspect.error).toBeUndefined();
  });

  test('GIVEN the aspect on a stack THEN its report is available by stack id, and constructs read its policy', () => {
    const app = newApp();
    const stack = azureStack(app);
    const aspect = new CdktfGuardrailAspect({ policyReference: 'us-hipaa' });
    Aspects.of(stack).add(aspect);
    expect(CdktfGuardrail.policyOf(stack).name).toBe('us-hipaa');
    newEndpoint(stack);
    synthError(app);
    expect(aspect.reportFor('azure-eu')?.summary.errors).toBeGreaterThan(0);
  });

  test('GIVEN the aspect on a stack and CdktfGuardrail.enable on the App THEN enable refuses: the gate is enabled twice', () => {
    const app = newApp();
    Aspects.of(azureStack(app)).add(new CdktfGuardrailAspect({ policyReference: 'eu' }));
    expect(() => CdktfGuardrail.enable(app, { policyReference: 'eu' })).toThrow(/already enabled/);
  });
});
