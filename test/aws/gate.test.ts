import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ComplianceGate, GATE_REPORT_FILE } from '../../aspects/cdk';
import { BedrockAuditTrail, BedrockInvocationLogging, BedrockModelAccess } from '../../constructs/aws';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { tempDir } from '../support/synth';
import { WORKLOAD_STACK, buildWorkload } from './apps/workload';
import { errorIds, euStack, synthWithGate } from './support';

const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const WORKLOAD_APP = path.join(__dirname, 'apps', 'workload.ts');
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
  const run = (violation: boolean): { status: number | null; output: string; outdir: string } => {
    const outdir = path.join(tempDir('cli'), 'cdk.out');
    const flags = violation ? ['-c', 'llm-guardrail:example-violation=true'] : [];
    const result = spawnSync(CDK, ['synth', '--quiet', '--no-notices', '--output', outdir, ...flags], { cwd: ROOT, env: childEnvironment({}), encoding: 'utf8', timeout: 240_000 });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}`, outdir };
  };
  let passing: ReturnType<typeof run>;
  let failing: ReturnType<typeof run>;
  beforeAll(() => {
    // WHEN `cdk synth` runs each
    passing = run(false);
    failing = run(true);
  }, 480_000);

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
});

describe('running the app directly (without the CLI) fails on a violation', () => {
  const run = (violation: boolean) =>
    spawnSync(TSX, [WORKLOAD_APP], { cwd: tempDir('direct'), env: childEnvironment(violation ? { LCG_TEST_VIOLATION: '1' } : {}), encoding: 'utf8', timeout: 240_000 });

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

describe('app.synth() under jest', () => {
  test('GIVEN the violating workload WHEN synthesized THEN app.synth() throws with the rule id, path, found and expected', () => {
    const { error, report } = synthWithGate((app) => buildWorkload(app, true));
    expect(error?.message).toContain('LCG-RES-010');
    expect(error?.message).toContain(VIOLATION_PATH);
    expect(error?.message).toContain('us-east-1');
    expect(errorIds(report)).toEqual(['LCG-RES-010']);
  });

  test('GIVEN the compliant workload WHEN synthesized THEN it passes and writes the report into cdk.out', () => {
    const { error, outdir, report } = synthWithGate((app) => buildWorkload(app, false));
    expect(error).toBeUndefined();
    expect(report.summary.errors).toBe(0);
    // Only the public-path warnings remain: the workload has no private endpoint.
    expect(report.findings.map((finding) => finding.ruleId).sort()).toEqual(['LCG-NET-010', 'LCG-NET-011']);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, GATE_REPORT_FILE), 'utf8')).summary.errors).toBe(0);
  });

  test('GIVEN a cdk.out reused with confirmValidationPluginsDoNotMutate WHEN synthesized again with other findings THEN the fresh report is not taken for tampering', () => {
    const outdir = path.join(tempDir('reuse'), 'cdk.out');
    const synth = (violation: boolean): App => {
      const app = new App({ outdir, confirmValidationPluginsDoNotMutate: true });
      ComplianceGate.enable(app, { policyReference: 'eu', today: '2026-11-25' });
      buildWorkload(app, violation);
      return app;
    };
    synth(false).synth();
    expect(() => synth(true).synth()).toThrow(/LCG-RES-010/);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, GATE_REPORT_FILE), 'utf8')).summary.errors).toBe(1);
  });

  test('GIVEN the policy from cdk.json context WHEN the gate is enabled without a policy THEN it uses the context value', () => {
    const app = new App({ outdir: path.join(tempDir('ctx'), 'cdk.out'), context: { 'llm-guardrail:policy': 'us-hipaa' } });
    expect(ComplianceGate.enable(app).policy.name).toBe('us-hipaa');
  });

  test('GIVEN both a policy and a policy reference WHEN the gate is enabled THEN it refuses with one clear line', () => {
    const app = new App({ outdir: path.join(tempDir('both'), 'cdk.out') });
    expect(() => ComplianceGate.enable(app, { policy: GuardrailPolicy.preset('eu'), policyReference: 'soc2' })).toThrow('ComplianceGate: both policy and policyReference are set');
  });

  test('GIVEN an enabled gate WHEN enabled a second time on the same app THEN it refuses', () => {
    const app = new App({ outdir: path.join(tempDir('twice'), 'cdk.out') });
    ComplianceGate.enable(app, { policyReference: 'eu' });
    expect(() => ComplianceGate.enable(app, { policyReference: 'eu' })).toThrow(/already enabled/);
  });
});

describe('construct paths of findings in an app run without the CLI (templates without path metadata)', () => {
  /** A role allowed to invoke a model in us-east-1: an LCG-RES-010 finding under the eu policy. */
  const usGrant = (scope: Stack, id: string): void => {
    const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'] }));
  };

  test('GIVEN violations in a top-level stack, a stack inside a Stage and a nested stack WHEN synthesized THEN each finding names its own construct path', () => {
    const { report } = synthWithGate((app) => {
      const top = euStack(app, 'Top');
      usGrant(top, 'Caller');
      usGrant(new NestedStack(top, 'Inner'), 'Caller');
      const staged = new Stack(new Stage(app, 'Prod', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Service');
      usGrant(staged, 'Caller');
    });
    const paths = report.findings.filter((finding) => finding.ruleId === 'LCG-RES-010').map((finding) => finding.resource.path);
    expect(paths.sort()).toEqual(['Prod/Service/Caller/DefaultPolicy/Resource', 'Top/Caller/DefaultPolicy/Resource', 'Top/Inner/Caller/DefaultPolicy/Resource']);
  });
});

describe('acknowledgements', () => {
  const buildWithAcknowledgement = (acknowledge: (app: App) => void) => (app: App) => {
    buildWorkload(app, true);
    acknowledge(app);
  };

  const role = (app: App): IConstruct => app.node.findChild(WORKLOAD_STACK).node.findChild('AppRole');

  test('GIVEN ComplianceGate.acknowledge with a future expiry WHEN synthesized THEN the finding is acknowledged, reported and synthesis passes', () => {
    let acknowledged: IConstruct | undefined;
    const { error, report } = synthWithGate(
      buildWithAcknowledgement((app) => {
        acknowledged = role(app);
        ComplianceGate.acknowledge(acknowledged, { ruleId: 'LCG-RES-010', reason: 'US model approved by the DPO for the pilot', expires: '2027-01-31' });
      }),
    );
    expect(error).toBeUndefined();
    expect(report.suppressed.map((finding) => [finding.ruleId, finding.suppression.expires])).toEqual([['LCG-RES-010', '2027-01-31']]);
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain('LCG-SUP-002');
    // Recorded through the CDK's own mechanism, with the expiry in the reason.
    const recorded = acknowledged!.node.metadata.find((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(recorded?.data).toEqual({ 'llm-guardrail::LCG-RES-010': 'US model approved by the DPO for the pilot (expires 2027-01-31)' });
  });

  test('GIVEN an acknowledgement whose expiry has passed WHEN synthesized THEN synthesis fails with LCG-SUP-001 and the finding', () => {
    const { error, report } = synthWithGate(
      buildWithAcknowledgement((app) => ComplianceGate.acknowledge(role(app), { ruleId: 'LCG-RES-010', reason: 'US model approved by the DPO for the pilot', expires: '2026-10-31' })),
    );
    expect(error?.message).toContain('LCG-SUP-001');
    expect(errorIds(report)).toEqual(['LCG-RES-010', 'LCG-SUP-001']);
  });

  test('GIVEN a plain CDK acknowledgement without expiry WHEN synthesized THEN synthesis fails and says how to add one', () => {
    const { error, report } = synthWithGate(buildWithAcknowledgement((app) => Validations.of(role(app)).acknowledge({ id: 'llm-guardrail::LCG-RES-010', reason: 'approved by the DPO' })));
    expect(error?.message).toContain('has no expiry date');
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-SUP-004')?.resource.path).toBe(`${WORKLOAD_STACK}/AppRole`);
    expect(error?.message).toContain('ComplianceGate.acknowledge');
  });

  test('GIVEN a plain CDK acknowledgement whose reason ends with "(expires YYYY-MM-DD)" WHEN synthesized THEN it is honoured', () => {
    const { error, report } = synthWithGate(
      buildWithAcknowledgement((app) => Validations.of(role(app)).acknowledge({ id: 'llm-guardrail::LCG-RES-010', reason: 'US model approved by the DPO (expires 2027-03-31)' })),
    );
    expect(error).toBeUndefined();
    expect(report.suppressed[0].suppression.reason).toBe('US model approved by the DPO');
  });

  test('GIVEN a policy suppression with an expiry WHEN synthesized THEN the engine honours it', () => {
    const policy = GuardrailPolicy.fromSpec({
      extends: 'eu',
      suppressions: [{ ruleId: 'LCG-RES-010', resource: VIOLATION_PATH, reason: 'US model approved by the DPO for the pilot', expires: '2027-01-31' }],
    });
    const { error, report } = synthWithGate((app) => buildWorkload(app, true), { policy });
    expect(error).toBeUndefined();
    expect(report.suppressed).toHaveLength(1);
  });

  test('GIVEN an acknowledgement naming a category instead of a rule WHEN created THEN it is refused', () => {
    const app = new App();
    const stack = euStack(app);
    expect(() => ComplianceGate.acknowledge(stack, { ruleId: 'LCG-RES', reason: 'the whole residency category', expires: '2027-01-31' })).toThrow(/must be one rule id/);
  });
});

describe('an environment-agnostic stack fails closed', () => {
  test('GIVEN our constructs in a stack without env WHEN synthesized THEN residency cannot be verified and synthesis fails', () => {
    const { error, report } = synthWithGate((app) => {
      const { Stack } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
      const stack = new Stack(app, 'Anywhere');
      new BedrockInvocationLogging(stack, 'InvocationLogging');
      new BedrockAuditTrail(stack, 'AuditTrail');
      const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'] }).grantInvoke(role);
    });
    expect(error?.message).toContain('Cannot verify where stack "Anywhere" deploys');
    expect(errorIds(report)).toEqual(['LCG-RES-002', 'LCG-RES-010']);
    expect(report.findings.find((finding) => finding.ruleId === 'LCG-RES-010')?.message).toContain('Cannot verify where prompts');
  });
});
