/**
 * The three kinds of Bedrock app of test/aws/apps/real-apps.ts, synthesized
 * through the gate under the eu policy: every defect they carry is named by
 * the rule that owns it, and the fixed versions pass.
 */
import { GuardrailPolicy } from '../../lib/policy/policy';
import { agentApp, genAiApp, ragApp } from './apps/real-apps';
import { errorIds, synthWithGate } from './support';

// aws-cdk-lib prints its validation report to the console on every synthesis; the report is asserted here instead.
let quiet: jest.SpyInstance;
beforeAll(() => {
  quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => quiet.mockRestore());

const byRule = (report: { findings: readonly { ruleId: string; resource: { id: string }; cannotVerify: boolean }[] }, ruleId: string): string[] =>
  report.findings.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.resource.id);

describe('a RAG backend with a knowledge base on OpenSearch Serverless', () => {
  test('GIVEN the app as written WHEN synthesized under eu THEN the US parsing model, the AWS-owned and public vector store and the never-expiring function logs are found', () => {
    const { error, report } = synthWithGate((app) => ragApp(app, false));
    expect(error).toBeDefined();
    expect(byRule(report, 'LCG-RES-013')).toEqual([expect.stringMatching(/^DocumentsSource/)]);
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-RES-013')!.message).toMatch(/us\.anthropic.*United States/);
    expect(byRule(report, 'LCG-ENC-011')).toEqual([expect.stringMatching(/^Chunks/)]);
    expect(byRule(report, 'LCG-NET-012')).toEqual([expect.stringMatching(/^Chunks/)]);
    expect(byRule(report, 'LCG-RET-010')).toHaveLength(6);
    // The AWS-owned key of the vector store is a warning: eu asks for encryption, not for customer-managed keys.
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-ENC-011').map((finding) => finding.severity)).toEqual(['warning']);
    expect(errorIds(report)).toEqual(['LCG-RES-013', 'LCG-RET-010']);
  });

  test('GIVEN the fixed app WHEN synthesized under eu THEN it passes', () => {
    const { error, report } = synthWithGate((app) => ragApp(app, true));
    expect(errorIds(report)).toEqual([]);
    expect(error).toBeUndefined();
  });
});

describe('a generative-AI app of fifty functions choosing models through environment variables', () => {
  test('GIVEN the app as written WHEN synthesized under eu THEN the US profile in MODEL_IDS, the us-east-1 calls logged nowhere, the chat history kept forever and the implicit log groups are found', () => {
    const { error, report } = synthWithGate((app) => genAiApp(app, false));
    expect(error).toBeDefined();
    expect(byRule(report, 'LCG-RES-014')).toHaveLength(50 + 5);
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-LOG-010').map((finding) => finding.message)).toEqual([expect.stringContaining('111111111111/us-east-1')]);
    expect(byRule(report, 'LCG-RET-011')).toEqual([expect.stringMatching(/^ChatHistory/)]);
    expect(byRule(report, 'LCG-RET-010')).toHaveLength(50);
    expect(errorIds(report)).toEqual(['LCG-LOG-010', 'LCG-RES-014', 'LCG-RET-010', 'LCG-RET-011']);
  });

  test('GIVEN the fixed app WHEN synthesized under eu THEN it passes', () => {
    const { error, report } = synthWithGate((app) => genAiApp(app, true));
    expect(errorIds(report)).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('GIVEN the app under soc2 (no residency) WHEN synthesized THEN only the calls logged nowhere fail: logging follows the invocation region', () => {
    const { report } = synthWithGate((app) => genAiApp(app, false, 10), { policy: GuardrailPolicy.preset('soc2') });
    expect(errorIds(report)).toEqual(['LCG-LOG-010']);
  });
});

describe('an agent with an imported service role', () => {
  test('GIVEN the app as written WHEN synthesized under eu THEN the global profile of the agent and the US guardrail profile are found although no IAM statement names them', () => {
    const { error, report } = synthWithGate((app) => agentApp(app, false));
    expect(error).toBeDefined();
    expect(byRule(report, 'LCG-RES-013').sort()).toEqual([expect.stringMatching(/^Agent/), expect.stringMatching(/^Guardrail/)]);
    expect(byRule(report, 'LCG-RET-010')).toEqual([]);
    expect(errorIds(report)).toEqual(['LCG-RES-013']);
  });

  test('GIVEN the fixed app WHEN synthesized under eu THEN it passes', () => {
    const { error, report } = synthWithGate((app) => agentApp(app, true));
    expect(errorIds(report)).toEqual([]);
    expect(error).toBeUndefined();
  });
});
