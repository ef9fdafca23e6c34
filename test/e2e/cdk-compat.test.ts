/**
 * The CDK gate on the aws-cdk-lib releases teams pin, installed from the npm
 * registry into a project of their own, with the package as built (dist/):
 *
 * - 2.71.0, the first release with policy validation plugins (registered on
 *   the app's `policyValidationBeta1` list, no `Validations`, template paths only);
 * - 2.187.0, pinned by public Bedrock apps, the same plugin interface;
 * - 2.260.0, which has `Validations` but hands plugins template paths only
 *   (no `stackTemplates`); the Bedrock constructs need it at least.
 *
 * The newest release is the one every other test runs on.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPOSITORY_ROOT, assertCliBuilt } from '../support/cli';

const VERSIONS = ['2.71.0', '2.187.0', '2.260.0'] as const;

/** The app every release runs: a stack (with a nested stack) whose role may invoke a model; variants break or acknowledge the policy. */
const APP = `
const path = require('path');
const cdk = require('aws-cdk-lib');
const { ComplianceGate } = require('llm-compliance-guardrail/cdk');
const { GuardrailPolicy } = require('llm-compliance-guardrail');
const [outdir, variant] = process.argv.slice(2);
const app = new cdk.App({ outdir });
const policy = GuardrailPolicy.fromSpec({
  extends: 'eu',
  centralLogging: [{ account: '111111111111', regions: ['*'], provides: ['invocation-logging', 'trail'], evidence: 'Landing-zone logging, LZ-142 (test)' }],
});
ComplianceGate.enable(app, { policy, today: '2026-11-25' });
const stack = new cdk.Stack(app, 'Assistant', { env: { account: '111111111111', region: 'eu-central-1' } });
const region = variant === 'compliant' ? 'eu-central-1' : 'us-east-1';
const scope = variant === 'nested' ? new cdk.NestedStack(stack, 'Inner') : stack;
const role = new cdk.aws_iam.Role(scope, 'AppRole', { assumedBy: new cdk.aws_iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
role.addToPolicy(new cdk.aws_iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:' + region + '::foundation-model/amazon.nova-micro-v1:0'] }));
if (variant === 'acknowledged') {
  ComplianceGate.acknowledge(role, { ruleId: 'LCG-RES-010', reason: 'US model approved by the DPO for the pilot', expires: '2027-01-31' });
}
if (variant === 'constructs') {
  const { BedrockInvocationLogging, BedrockAuditTrail, BedrockModelAccess } = require('llm-compliance-guardrail/aws');
  new BedrockInvocationLogging(stack, 'InvocationLogging');
  new BedrockAuditTrail(stack, 'AuditTrail');
  new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'] }).grantInvoke(role);
}
app.synth();
`;

/** A project with one aws-cdk-lib release installed from the registry and the built package beside it. */
function project(version: string): string {
  const directory = path.join(os.tmpdir(), `lcg-cdk-${version}`);
  const modules = path.join(directory, 'node_modules');
  if (!fs.existsSync(path.join(modules, 'aws-cdk-lib', 'package.json'))) {
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(path.join(directory, 'package.json'), JSON.stringify({ name: `cdk-${version}`, private: true }));
    const install = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', `aws-cdk-lib@${version}`, 'constructs@10'], { cwd: directory, encoding: 'utf8', timeout: 600_000 });
    if (install.status !== 0) throw new Error(`npm install aws-cdk-lib@${version} failed: ${install.stderr}`);
  }
  // The package as users install it: its package.json and dist/, with its own dependencies beside it.
  const target = path.join(modules, 'llm-compliance-guardrail');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(REPOSITORY_ROOT, 'package.json'), path.join(target, 'package.json'));
  fs.cpSync(path.join(REPOSITORY_ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
  for (const dependency of ['yaml', 'mermaid', '@aws-sdk']) {
    const link = path.join(modules, dependency);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(REPOSITORY_ROOT, 'node_modules', dependency), link, 'dir');
  }
  fs.writeFileSync(path.join(directory, 'app.js'), APP);
  return directory;
}

function run(directory: string, variant: string): { status: number | null; stderr: string; report: { findings: { ruleId: string; resource: { stack: string } }[]; suppressed: { ruleId: string }[] } | undefined } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-compat-out-'));
  const result = spawnSync(process.execPath, ['app.js', outdir, variant], { cwd: directory, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CDK_OUTDIR: '', CDK_VALIDATION: 'false' } });
  const file = path.join(outdir, 'llm-guardrail-report.json');
  return { status: result.status, stderr: result.stderr, report: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined };
}

describe.each(VERSIONS)('the CDK gate on aws-cdk-lib %s', (version) => {
  let directory: string;
  beforeAll(() => {
    assertCliBuilt();
    directory = project(version);
  }, 600_000);

  test('GIVEN a grant on a US model WHEN the app synthesizes THEN it fails naming LCG-RES-010 and the report is written', () => {
    const { status, stderr, report } = run(directory, 'violating');
    expect(status).not.toBe(0);
    expect(stderr).toContain('LCG-RES-010');
    expect(report?.findings.map((finding) => finding.ruleId)).toContain('LCG-RES-010');
  });

  test('GIVEN the grant in a nested stack WHEN the app synthesizes THEN the nested template is judged too', () => {
    const { status, report } = run(directory, 'nested');
    expect(status).not.toBe(0);
    expect(report?.findings.filter((finding) => finding.ruleId === 'LCG-RES-010').map((finding) => finding.resource.stack)).toEqual(['Assistant/Inner']);
  });

  test('GIVEN an acknowledgement with an expiry WHEN the app synthesizes THEN the finding is acknowledged and synthesis passes', () => {
    const { status, stderr, report } = run(directory, 'acknowledged');
    expect({ status, stderr: stderr.includes('LCG-RES-010') ? 'mentions' : '' }).toMatchObject({ status: 0 });
    expect(report?.suppressed.map((finding) => finding.ruleId)).toEqual(['LCG-RES-010']);
  });

  test('GIVEN a grant on a Frankfurt model WHEN the app synthesizes THEN it passes', () => {
    const { status, report } = run(directory, 'compliant');
    expect(status).toBe(0);
    expect(report?.findings.filter((finding) => finding.ruleId.startsWith('LCG-RES'))).toEqual([]);
  });

  test('GIVEN the Bedrock constructs WHEN loaded THEN they work from 2.260.0 and say clearly in one line why not before', () => {
    const { status, stderr } = run(directory, 'constructs');
    if (version === '2.260.0') {
      expect(stderr).not.toContain('needs aws-cdk-lib');
      expect(status).not.toBe(0); // the US grant of the default variant still fails
    } else {
      expect(status).not.toBe(0);
      expect(stderr).toContain(`llm-compliance-guardrail/aws needs aws-cdk-lib 2.260.0 or later, found ${version}`);
    }
  });
});
