import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { CDKTF_REPORT_FILE, CdktfGuardrail } from '../../aspects/cdktf';
import { checkPath } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { EuOpenAiStack } from '../../examples/azure/workload';
import { tempDir } from '../support/synth';

describe('EU Azure OpenAI example (examples/azure)', () => {
  test('GIVEN the example under eu WHEN synthesized through the gate THEN it passes, and the CLI agrees on cdktf.out', () => {
    const app = new App({ outdir: path.join(tempDir('azure-example'), 'cdktf.out'), context: { 'llm-guardrail:policy': 'eu' } });
    new EuOpenAiStack(app, 'llm-eu');
    CdktfGuardrail.enable(app);
    app.synth();
    const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'llm-eu', CDKTF_REPORT_FILE), 'utf8'));
    expect(written.summary).toMatchObject({ errors: 0, warnings: 0 });
    const report = checkPath(app.outdir, GuardrailPolicy.preset('eu'));
    expect(report.kind).toBe('cdktf-output');
    expect(report.findings).toEqual([]);
  });

  test('GIVEN the failing variant (stack-level override to GlobalStandard) THEN synth fails on the chat deployment', () => {
    const app = new App({ outdir: path.join(tempDir('azure-example'), 'cdktf.out'), context: { 'llm-guardrail:policy': 'eu' } });
    const stack = new EuOpenAiStack(app, 'llm-eu');
    stack.addOverride(`resource.azurerm_cognitive_deployment.${stack.endpoint.deployments[0].friendlyUniqueId}.sku.name`, 'GlobalStandard');
    CdktfGuardrail.enable(app);
    expect(() => app.synth()).toThrow(/\[llm-eu\/openai\/deployment-chat\] \[LCG-RES-030\]/);
  });

  test('GIVEN the example moved to uksouth THEN the gate, not a constructor, fails the synth with LCG-RES-001 and writes the report; acknowledgements apply', () => {
    const outdir = path.join(tempDir('azure-example'), 'cdktf.out');
    const app = new App({ outdir, context: { 'llm-guardrail:policy': 'eu' } });
    new EuOpenAiStack(app, 'llm-uk', { location: 'uksouth' });
    CdktfGuardrail.enable(app);
    expect(() => app.synth()).toThrow(/\[llm-uk\/openai\/account\] \[LCG-RES-001\] .*uksouth \(UK South, GB\)/);
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'llm-uk', CDKTF_REPORT_FILE), 'utf8'));
    const ruleIds: string[] = [...new Set<string>(written.findings.map((finding: { ruleId: string }) => finding.ruleId))].sort();
    expect(ruleIds).toEqual(['LCG-LOG-030', 'LCG-RES-001']);

    const acknowledged = new App({ outdir: path.join(tempDir('azure-example'), 'cdktf.out'), context: { 'llm-guardrail:policy': 'eu' } });
    const moved = new EuOpenAiStack(acknowledged, 'llm-uk', { location: 'uksouth' });
    const reason = 'UK South approved by the DPO under the UK adequacy decision';
    for (const ruleId of ruleIds) CdktfGuardrail.acknowledge(moved, { ruleId, reason, expires: '2099-12-31' });
    CdktfGuardrail.enable(acknowledged);
    expect(() => acknowledged.synth()).not.toThrow();
    expect(fs.existsSync(path.join(acknowledged.outdir, 'stacks', 'llm-uk', 'cdk.tf.json'))).toBe(true);
  });
});
