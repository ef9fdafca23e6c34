/**
 * Peers as a test: the example app under cdk-nag 3's AwsSolutions,
 * HIPAA.Security and NIST.800.53.R5 packs has no unacknowledged error, and
 * every acknowledgement has a reason and is listed in the README.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations, aws_s3 as s3 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { ComplianceGate, GATE_PLUGIN_NAME, GATE_REPORT_FILE } from '../../aspects/cdk';
import { buildExampleApp } from '../../bin/example-app';
import { tempDir } from '../support/synth';

const LIST = path.join(__dirname, '..', '..', 'README.md');

describe('cdk-nag packs on the example app', () => {
  let app: App;
  let stack: Stack;
  beforeAll(() => {
    app = new App({ outdir: path.join(tempDir('nag'), 'cdk.out') });
    stack = buildExampleApp(app, { account: '111111111111' });
    app.synth();
  });

  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['HIPAA.Security', () => new HIPAASecurityChecks()],
    ['NIST.800.53.R5', () => new NIST80053R5Checks()],
  ])('GIVEN the %s pack WHEN it checks the example THEN no error is left unacknowledged', (_name, pack) => {
    const report = pack().validateScope(stack);
    const errors = report.violations.filter((violation) => violation.severity === 'error').map((violation) => `${violation.ruleName} ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
  });

  test('THEN every checker acknowledgement in the app has a reason and is listed in the README', () => {
    const inCode: string[] = [];
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as { [id: string]: string })) {
          // CloudFormation-Validate acknowledgements come from the CDK itself (and one from the example, listed in prose).
          if (id.startsWith('CloudFormation-Validate::')) continue;
          expect(reason.length).toBeGreaterThanOrEqual(20);
          inCode.push(`${construct.node.path} ${id.replace(/^Annotation::/, '')} ${reason}`);
        }
      }
    }
    const listed = fs
      .readFileSync(LIST, 'utf8')
      .split('\n')
      .map((line) => /^\| `([^`]+)` \| `([^`]+)` \| (.+) \|$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map(([, constructPath, id, reason]) => `${constructPath} ${id} ${reason}`);
    expect(listed.sort()).toEqual(inCode.sort());
  });
});

describe('cdk-nag 3 and the gate in one synthesis: two validation plugins, one report, one acknowledgement mechanism', () => {
  const GRANT = 'EuLlmWorkload/ChatFunction/ServiceRole/DefaultPolicy';

  interface PluginReport {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity: string }[];
  }

  /** The example app with the violating grant and an S3 bucket cdk-nag flags, both plugins registered; `acknowledge` adds acknowledgements. */
  function synthesize(acknowledge: (parts: { grant: IConstruct; bucket: IConstruct }) => void = () => undefined) {
    const outdir = path.join(tempDir('nag-and-gate'), 'cdk.out');
    const app = new App({ outdir });
    ComplianceGate.enable(app, { policyReference: 'eu', today: '2026-11-25' });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const example = buildExampleApp(app, { account: '111111111111', violation: true });
    const bucket = new s3.Bucket(example, 'Uploads', { enforceSSL: true });
    acknowledge({ grant: example.node.findAll().find((construct) => construct.node.path === GRANT)!, bucket });
    let error: string | undefined;
    try {
      app.synth();
    } catch (thrown) {
      error = (thrown as Error).message;
    }
    const plugins = (JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')).pluginReports as PluginReport[]).map((plugin) => ({
      plugin: plugin.pluginName,
      // `fatal`: what no acknowledgement can waive (an acknowledgement without a valid expiry, LCG-SUP-004).
      errors: [...new Set(plugin.violations.filter((violation) => violation.severity === 'error' || violation.severity === 'fatal').map((violation) => violation.ruleName))].sort(),
    }));
    return { error, plugins, gateReport: JSON.parse(fs.readFileSync(path.join(outdir, GATE_REPORT_FILE), 'utf8')) };
  }

  test('GIVEN a finding of each WHEN synthesized THEN one validation report holds both plugins, each failing with its own rule', () => {
    const { error, plugins } = synthesize();
    expect(error).toBeDefined();
    expect(plugins).toEqual([
      { plugin: GATE_PLUGIN_NAME, errors: ['LCG-RES-010'] },
      { plugin: 'AwsSolutions', errors: ['AwsSolutions-S1'] },
    ]);
  });

  test('GIVEN each finding acknowledged the way its tool asks (the gate with an expiry, cdk-nag with Validations) WHEN synthesized THEN both pass and the gate lists its acknowledgement', () => {
    const { error, plugins, gateReport } = synthesize(({ grant, bucket }) => {
      ComplianceGate.acknowledge(grant, { ruleId: 'LCG-RES-010', reason: 'Global profile trial approved by the DPO, ticket PRIV-77', expires: '2027-03-31' });
      Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Uploads are logged by CloudTrail data events' });
    });
    expect(error).toBeUndefined();
    expect(plugins.every((plugin) => plugin.errors.length === 0)).toBe(true);
    expect(gateReport.suppressed.map((finding: { ruleId: string }) => finding.ruleId)).toContain('LCG-RES-010');
  });

  test('GIVEN only the gate\'s finding acknowledged WHEN synthesized THEN cdk-nag\'s finding still fails: an acknowledgement names one rule of one tool', () => {
    const { error, plugins } = synthesize(({ grant }) => ComplianceGate.acknowledge(grant, { ruleId: 'LCG-RES-010', reason: 'Global profile trial approved by the DPO, ticket PRIV-77', expires: '2027-03-31' }));
    expect(error).toBeDefined();
    expect(plugins).toEqual([
      { plugin: GATE_PLUGIN_NAME, errors: [] },
      { plugin: 'AwsSolutions', errors: ['AwsSolutions-S1'] },
    ]);
  });

  test.each([
    // The CDK hides the acknowledged finding itself; the gate then fails on the acknowledgement, which no acknowledgement can waive.
    ['without an expiry', 'Global profile trial approved by the DPO', ['LCG-SUP-004'], true],
    ['ending in "(expires YYYY-MM-DD)"', 'Global profile trial approved by the DPO (expires 2027-03-31)', [], false],
  ])('GIVEN the gate\'s finding acknowledged with cdk-nag\'s mechanism %s WHEN synthesized THEN the gate counts it only with the expiry', (_, reason, gateErrors, fails) => {
    const { error, plugins } = synthesize(({ grant, bucket }) => {
      Validations.of(grant).acknowledge({ id: `${GATE_PLUGIN_NAME}::LCG-RES-010`, reason });
      Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Uploads are logged by CloudTrail data events' });
    });
    expect(plugins.find((plugin) => plugin.plugin === GATE_PLUGIN_NAME)?.errors).toEqual(gateErrors);
    expect(error !== undefined).toBe(fails);
  });
});
