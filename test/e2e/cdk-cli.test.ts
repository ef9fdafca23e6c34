/**
 * The compliance gate as users run it: the real `cdk` CLI (aws-cdk 2.1148) on
 * the example app of cdk.json, and the app run directly with tsx. Only these
 * show the exit codes and the printed report a CI log gets; every other gate
 * behaviour is tested in process (test/aws/gate.test.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GATE_REPORT_FILE } from '../../aspects/cdk';
import { tempDir } from '../support/synth';
import { WORKLOAD_STACK } from '../aws/apps/workload';

const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const WORKLOAD_APP = path.join(__dirname, '..', 'aws', 'apps', 'workload.ts');
const VIOLATION_PATH = `${WORKLOAD_STACK}/AppRole/DefaultPolicy/Resource`;
const EXAMPLE_POLICY_PATH = 'EuLlmWorkload/ChatFunction/ServiceRole/DefaultPolicy/Resource';

/** Environment for child processes: no AWS credential lookups (none exist here), no test mode. */
function childEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: '1', ...extra };
  delete env.NODE_ENV;
  delete env.JEST_WORKER_ID;
  return env;
}

describe('the real cdk CLI (aws-cdk 2.1148) on the example app of cdk.json', () => {
  // GIVEN the example app as the README runs it, compliant and with the documented violation flag
  // The compliant run keeps aws-cdk-lib's CloudFormation schema validation on, as users have it (and so shows the example
  // app is schema-valid); the violating run turns it off: it costs ~10 s a process and is not what that run shows.
  const run = (flags: string[]): { status: number | null; output: string; outdir: string } => {
    const outdir = path.join(tempDir('cli'), 'cdk.out');
    const env = childEnvironment(flags.length > 0 ? { CDK_VALIDATION: 'false' } : {});
    const result = spawnSync(CDK, ['synth', '--quiet', '--no-notices', '--output', outdir, ...flags], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}`, outdir };
  };
  let passing: ReturnType<typeof run>;
  let failing: ReturnType<typeof run>;
  let otherPolicy: ReturnType<typeof run>;
  beforeAll(() => {
    // WHEN `cdk synth` runs each, and once more under another policy, as the README shows
    passing = run([]);
    failing = run(['-c', 'llm-guardrail:example-violation=true']);
    otherPolicy = run(['-c', 'llm-guardrail:policy=us-hipaa']);
  }, 720_000);

  test('THEN `npx cdk synth` passes (exit 0) with no finding, and the findings report lands in cdk.out', () => {
    expect({ status: passing.status, output: passing.status === 0 ? '' : passing.output }).toEqual({ status: 0, output: '' });
    const report = JSON.parse(fs.readFileSync(path.join(passing.outdir, GATE_REPORT_FILE), 'utf8'));
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, stacks: 1 });
    expect(passing.output).not.toContain('llm-guardrail');
  });

  test('THEN the data-flow documentation (Markdown and JSON) lands in cdk.out: the chat function calls the Frankfurt model through the private endpoint', () => {
    const markdown = fs.readFileSync(path.join(passing.outdir, 'data-flow.md'), 'utf8');
    expect(markdown).toContain('flowchart LR');
    expect(markdown).toContain('bedrock-runtime');
    expect(markdown).toMatch(/eu-central-1/);
    expect(markdown).not.toContain('public internet');
    expect(JSON.parse(fs.readFileSync(path.join(passing.outdir, 'data-flow.json'), 'utf8')).nodes.length).toBeGreaterThan(3);
    // The HTML page (Mermaid inlined, ~3.6 MB) is written on request only: dataFlowHtml, or `llm-guardrail docs`.
    expect(fs.existsSync(path.join(passing.outdir, 'data-flow.html'))).toBe(false);
  });

  test('THEN the violation flag makes it fail with exit code 1, naming rule, construct path, found, expected and fix', () => {
    expect(failing.status).toBe(1);
    expect(failing.output).toContain('LCG-RES-010');
    expect(failing.output).toContain(`${EXAMPLE_POLICY_PATH}: AWS::IAM::Policy`);
    expect(failing.output).toContain('global inference profile "global.anthropic.claude-sonnet-4-5-20250929-v1:0"');
    expect(failing.output).toContain('Found: PolicyDocument.Statement[1].Resource = "arn:aws:bedrock:eu-central-1:111111111111:inference-profile/global.');
    expect(failing.output).toContain('Expected: models and inference profiles whose every processing region is in jurisdiction EU');
    expect(failing.output).toMatch(/Suggested fix: use a foundation model in jurisdiction EU/);
    // A clean exit: the report, no JavaScript stack trace.
    expect(failing.output).not.toMatch(/^\s+at .*\(.*\.ts:\d+:\d+\)$/m);
    const report = JSON.parse(fs.readFileSync(path.join(failing.outdir, GATE_REPORT_FILE), 'utf8'));
    expect([...new Set(report.findings.filter((finding: { severity: string }) => finding.severity === 'error').map((finding: { ruleId: string }) => finding.ruleId))]).toEqual(['LCG-RES-010']);
  });
  test('THEN under -c llm-guardrail:policy=us-hipaa the Frankfurt app fails through the gate (report, rule ids, exit 1), never with a constructor\'s stack trace', () => {
    expect(otherPolicy.status).toBe(1);
    expect(otherPolicy.output).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
    expect(otherPolicy.output).not.toContain('is not allowed by policy');
    expect(otherPolicy.output).toContain(`${EXAMPLE_POLICY_PATH}: AWS::IAM::Policy`);
    const report = JSON.parse(fs.readFileSync(path.join(otherPolicy.outdir, GATE_REPORT_FILE), 'utf8'));
    expect(report.policy.name).toBe('us-hipaa');
    const ruleIds = new Set(report.findings.filter((finding: { severity: string }) => finding.severity === 'error').map((finding: { ruleId: string }) => finding.ruleId));
    for (const ruleId of ['LCG-RES-002', 'LCG-RES-010', 'LCG-RES-012']) expect(ruleIds).toContain(ruleId);
  });
});

describe('running the app directly (without the CLI) fails on a violation', () => {
  const run = (violation: boolean) =>
    spawnSync(TSX, [WORKLOAD_APP], { cwd: tempDir('direct'), env: childEnvironment({ CDK_VALIDATION: 'false', ...(violation ? { LCG_TEST_VIOLATION: '1' } : {}) }), encoding: 'utf8', timeout: 240_000 });

  test('GIVEN the violating app WHEN run with tsx THEN it exits non-zero and prints the finding', () => {
    const result = run(true);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('LCG-RES-010');
    expect(result.stderr).toContain(VIOLATION_PATH);
  });

  test('GIVEN the compliant app WHEN run with tsx THEN it exits 0', () => {
    const result = run(false);
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

