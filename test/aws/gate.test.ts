import { withoutGenerationTime } from '../../lib/docs/provenance';
import * as fs from 'fs';
import * as path from 'path';
/**
 * The CDK compliance gate in process: `app.synth()` under jest, acknowledgements,
 * construct paths. The real `cdk` CLI and directly run apps are in test/e2e/cdk-cli.test.ts.
 */
import { App, Aspects, NestedStack, Stack, Stage, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ComplianceGate, ComplianceGateAspect, GATE_REPORT_FILE } from '../../aspects/cdk';
import { BedrockAuditTrail, BedrockInvocationLogging, BedrockModelAccess } from '../../constructs/aws';
import { buildExampleApp } from '../../bin/example-app';
import type { Report } from '../../lib/engine/evaluate';
import { checkPath } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { tempDir } from '../support/synth';
import { WORKLOAD_STACK, buildWorkload } from './apps/workload';
import { errorIds, euStack, synthWithGate } from './support';

const VIOLATION_PATH = `${WORKLOAD_STACK}/AppRole/DefaultPolicy/Resource`;

describe('app.synth() under jest', () => {
  test('GIVEN the violating workload WHEN synthesized THEN app.synth() throws with the rule id, path, found and expected', () => {
    const { error, report } = synthWithGate((app) => buildWorkload(app, true));
    expect(error?.message).toContain('LCG-RES-010');
    expect(error?.message).toContain(VIOLATION_PATH);
    expect(error?.message).toContain('us-east-1');
    // The grant also lets the role invoke in us-east-1, where the app has no invocation logging.
    expect(errorIds(report)).toEqual(['LCG-LOG-010', 'LCG-RES-010']);
  });

  test('GIVEN the violating workload WHEN synthesized in process (creation traces on) THEN the gate report names the app line that created the resource', () => {
    const { outdir } = synthWithGate((app) => buildWorkload(app, true));
    const written = JSON.parse(fs.readFileSync(path.join(outdir, GATE_REPORT_FILE), 'utf8')) as Report;
    const finding = written.findings.find((candidate) => candidate.ruleId === 'LCG-RES-010')!;

    expect(finding.resource.source).toEqual({ file: expect.stringMatching(/\.ts$/), line: expect.any(Number), column: expect.any(Number) });
    expect(finding.resource.source!.file).not.toMatch(/node_modules/);
    expect(fs.readFileSync(finding.resource.source!.file, 'utf8').split('\n')[finding.resource.source!.line - 1]).toMatch(/grant|policy|role/i);
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
    expect(errorIds(JSON.parse(fs.readFileSync(path.join(outdir, GATE_REPORT_FILE), 'utf8')))).toEqual(['LCG-LOG-010', 'LCG-RES-010']);
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

describe('the app mode under the cdk CLI (CDK_OUTDIR set): a clean exit, without changing the process for anyone else', () => {
  const saved = { outdir: process.env.CDK_OUTDIR, mode: process.env.CDK_APP_MODE };
  afterEach(() => {
    for (const [name, value] of [['CDK_OUTDIR', saved.outdir], ['CDK_APP_MODE', saved.mode]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });

  function violatingApp(context: { [key: string]: string } = {}): { app: App; modes: (string | undefined)[] } {
    process.env.CDK_OUTDIR = path.join(tempDir('cli-mode'), 'cdk.out');
    const app = new App({ context });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    ComplianceGate.enable(app, { policyReference: 'eu', today: '2026-11-25' });
    buildWorkload(app, true);
    // What the CDK reads during synthesis, recorded by the validation plugins' turn.
    const modes: (string | undefined)[] = [];
    app.node.addValidation({ validate: () => (modes.push(process.env.CDK_APP_MODE), []) });
    return { app, modes };
  }

  test('GIVEN a violating app WHEN synthesized THEN the report goes to stderr with exit code 1, not a thrown stack trace, and CDK_APP_MODE is set during synth() only', () => {
    const { app, modes } = violatingApp();
    expect(process.env.CDK_APP_MODE).toBeUndefined();
    expect(() => app.synth()).not.toThrow();
    expect(process.exitCode).toBe(1);
    expect(modes).toEqual(['process']);
    expect(process.env.CDK_APP_MODE).toBeUndefined();
  });

  test('GIVEN the user chose CDK_APP_MODE=inmemory WHEN synthesized THEN their choice holds (synth throws) and stays set', () => {
    process.env.CDK_APP_MODE = 'inmemory';
    const { app } = violatingApp();
    expect(() => app.synth()).toThrow(/LCG-RES-010/);
    expect(process.env.CDK_APP_MODE).toBe('inmemory');
  });

  test('GIVEN the app mode in context WHEN synthesized THEN the context decides and the environment is untouched', () => {
    const { app, modes } = violatingApp({ '@aws-cdk/core:appMode': 'inmemory' });
    expect(() => app.synth()).toThrow(/LCG-RES-010/);
    expect(modes).toEqual([undefined]);
  });
});

describe('the gate added as an aspect (Aspects.of(app).add(new ComplianceGateAspect(...)))', () => {
  /** Creation traces name the test's own lines (which differ between the two ways) and the gate's synth() wrapper. */
  const withoutCallSites = (text: string): string =>
    text
      .split('\n')
      .filter((line) => !/aspects\/cdk\.ts:\d+:\d+/.test(line))
      .join('\n')
      .replace(/gate\.test\.ts:\d+:\d+/g, 'gate.test.ts');

  /** Synthesizes the workload with the gate enabled one way or the other; every file written, by name. */
  function synthesizeBothWays(how: 'enable' | 'aspect', violation: boolean, props: { policyReference: string }) {
    const outdir = path.join(tempDir(`gate-${how}`), 'cdk.out');
    const app = new App({ outdir });
    if (how === 'enable') ComplianceGate.enable(app, { today: '2026-11-25', ...props });
    else Aspects.of(app).add(new ComplianceGateAspect({ today: '2026-11-25', ...props }));
    buildWorkload(app, violation);
    new Stage(app, 'Replica').node.addValidation({ validate: () => [] });
    let error: Error | undefined;
    try {
      app.synth();
    } catch (thrown) {
      error = thrown as Error;
    }
    const files = Object.fromEntries(
      fs
        .readdirSync(outdir)
        .filter((file) => /\.(json|md)$/.test(file) && file !== 'tree.json' && file !== 'manifest.json')
        // The two runs document their own generation time; the rest must be equal.
        .map((file) => [file, withoutGenerationTime(withoutCallSites(fs.readFileSync(path.join(outdir, file), 'utf8'))).split(outdir).join('<cdk.out>')]),
    );
    // The CDK names its report file relative to the working directory: the two runs' differ.
    return { error: error?.message.split(outdir).join('<cdk.out>').replace(/(A copy of this report can be found in: ).*/g, '$1<report>'), files };
  }

  test.each([
    ['a violating app under eu', true, 'eu', 'LCG-RES-010'],
    ['a compliant app under eu', false, 'eu', undefined],
    ['the EU app under us-hipaa (constructs take their retention from the aspect\'s policy)', false, 'us-hipaa', 'LCG-RES-010'],
  ])('GIVEN %s WHEN synthesized through the aspect THEN the templates, report, data flow and outcome equal those of ComplianceGate.enable', (_, violation, policyReference, failsWith) => {
    const enabled = synthesizeBothWays('enable', violation, { policyReference });
    const aspect = synthesizeBothWays('aspect', violation, { policyReference });
    expect(Object.keys(aspect.files).sort()).toEqual(Object.keys(enabled.files).sort());
    expect(Object.keys(aspect.files)).toEqual(expect.arrayContaining([GATE_REPORT_FILE, 'data-flow.md', `${WORKLOAD_STACK}.template.json`]));
    expect(aspect.files).toEqual(enabled.files);
    expect(aspect.error).toEqual(enabled.error);
    if (failsWith) expect(aspect.error).toContain(failsWith);
    else expect(aspect.error).toBeUndefined();
  });

  test('GIVEN the aspect under us-hipaa WHEN a construct reads the policy before synthesis THEN it gets the aspect\'s policy', () => {
    const app = new App({ outdir: path.join(tempDir('aspect-policy'), 'cdk.out') });
    Aspects.of(app).add(new ComplianceGateAspect({ policyReference: 'us-hipaa' }));
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(ComplianceGate.policyOf(stack)?.name).toBe('us-hipaa');
  });

  test('GIVEN the aspect and ComplianceGate.enable on one app WHEN synthesized THEN it refuses: the gate is enabled twice', () => {
    const app = new App({ outdir: path.join(tempDir('aspect-twice'), 'cdk.out') });
    ComplianceGate.enable(app, { policyReference: 'eu' });
    Aspects.of(app).add(new ComplianceGateAspect({ policyReference: 'eu' }));
    buildWorkload(app, false);
    expect(() => app.synth()).toThrow(/already enabled/);
  });

  test('GIVEN the aspect under the cdk CLI (CDK_OUTDIR set) WHEN a violating app is synthesized THEN exit code 1 without a thrown stack trace, and CDK_APP_MODE is gone once synth() has returned', async () => {
    const saved = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = path.join(tempDir('aspect-cli'), 'cdk.out');
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const app = new App();
      Aspects.of(app).add(new ComplianceGateAspect({ policyReference: 'eu', today: '2026-11-25' }));
      buildWorkload(app, true);
      expect(() => app.synth()).not.toThrow();
      expect(process.exitCode).toBe(1);
      await Promise.resolve();
      expect(process.env.CDK_APP_MODE).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = saved;
      process.exitCode = undefined;
      jest.restoreAllMocks();
    }
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

describe('the CLI reads exactly what the gate judged (one loader)', () => {
  /** Findings as `rule stack/id path`, sorted: what both must agree on. */
  const keys = (report: Report): string[] => report.findings.map((finding) => `${finding.ruleId} ${finding.resource.stack}/${finding.resource.id} ${finding.resource.path ?? ''}`).sort();
  const usGrant = (scope: Stack, id: string): void => {
    const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'] }));
  };
  const apps: [string, (app: App) => void][] = [
    ['the violating workload', (app) => buildWorkload(app, true)],
    ['the example app of cdk.json', (app) => buildExampleApp(app, { account: '111111111111', violation: true })],
    [
      'nested stacks two levels deep and a stack in a stage',
      (app) => {
        const top = euStack(app, 'Top');
        usGrant(top, 'Caller');
        const inner = new NestedStack(top, 'Inner');
        usGrant(inner, 'Caller');
        usGrant(new NestedStack(inner, 'Deeper'), 'Caller');
        usGrant(new Stack(new Stage(app, 'Prod', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Service'), 'Caller');
      },
    ],
  ];
  apps.push([
    'two stacks deployed under one name in two regions',
    (app) => {
      for (const [id, region] of [['ApiEu', 'eu-central-1'], ['ApiUs', 'us-east-1']]) usGrant(new Stack(app, id, { stackName: 'Api', env: { account: '111111111111', region } }), 'Caller');
    },
  ]);
  for (const [name, build] of apps) {
    test(`GIVEN ${name} WHEN the CLI checks the cdk.out the gate wrote THEN it reads the same stacks and resources and finds the same`, () => {
      const { report, outdir } = synthWithGate(build);
      const cli = checkPath(outdir, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
      expect({ stacks: cli.summary.stacks, resources: cli.summary.resources }).toEqual({ stacks: report.summary.stacks, resources: report.summary.resources });
      expect(keys(cli)).toEqual(keys(report));
    });
  }

  test('GIVEN two stacks deployed under one stackName WHEN judged THEN each keeps its own resources, named by construct path, in the gate and in the CLI', () => {
    const { report, outdir } = synthWithGate((app) => {
      for (const [id, region] of [['ApiEu', 'eu-central-1'], ['ApiUs', 'us-east-1']]) usGrant(new Stack(app, id, { stackName: 'Api', env: { account: '111111111111', region } }), 'Caller');
    });
    const cli = checkPath(outdir, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
    for (const judged of [report, cli]) {
      expect(judged.summary.stacks).toBe(2);
      // The stack in us-east-1 is outside the EU; the one in eu-central-1 is not.
      expect([...new Set(judged.findings.filter((finding) => finding.ruleId === 'LCG-RES-002').map((finding) => finding.resource.stack))]).toEqual(['ApiUs']);
      expect([...new Set(judged.checks.map((check) => check.resource.stack))].sort()).toEqual(['ApiEu', 'ApiUs']);
    }
  });

  test('GIVEN a nested stack granting a US model WHEN the CLI checks the cdk.out THEN it reads the nested template and fails too', () => {
    const { outdir } = synthWithGate((app) => usGrant(new NestedStack(euStack(app, 'Top'), 'Inner'), 'Caller'));
    const cli = checkPath(outdir, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
    expect(cli.findings.filter((finding) => finding.ruleId === 'LCG-RES-010').map((finding) => finding.resource.stack)).toEqual(['Top/Inner']);
  });
});

describe('acknowledgements', () => {
  // The US model also needs invocation logging in us-east-1, which the platform team runs outside this app.
  const buildWithAcknowledgement = (acknowledge: (app: App) => void) => (app: App) => {
    const stack = buildWorkload(app, true);
    ComplianceGate.acknowledge(stack, { ruleId: 'LCG-LOG-010', reason: 'us-east-1 invocation logging is run by the platform team (PLAT-7)', expires: '2027-01-31' });
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
    expect(report.suppressed.map((finding) => [finding.ruleId, finding.suppression.expires])).toEqual([
      ['LCG-LOG-010', '2027-01-31'],
      ['LCG-RES-010', '2027-01-31'],
    ]);
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
    expect(report.suppressed.find((finding) => finding.ruleId === 'LCG-RES-010')!.suppression.reason).toBe('US model approved by the DPO');
  });

  test('GIVEN a policy suppression with an expiry WHEN synthesized THEN the engine honours it', () => {
    const policy = GuardrailPolicy.fromSpec({
      extends: 'eu',
      suppressions: [{ ruleId: 'LCG-RES-010', resource: VIOLATION_PATH, reason: 'US model approved by the DPO for the pilot', expires: '2027-01-31' }],
      centralLogging: [{ account: '111111111111', regions: ['us-east-1'], provides: ['invocation-logging', 'trail'], evidence: 'us-east-1 logging run from the log-archive account (PLAT-7)' }],
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
