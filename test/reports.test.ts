/**
 * The report formats as the compiled CLI writes them: SARIF checked against
 * the official 2.1.0 schema, JUnit read by a strict XML reader, terminal text
 * grouped by resource, and acknowledgements visible in every format.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { GuardrailPolicy } from '../lib/policy/policy';
import { runGuardrail } from '../lib/gate/run';
import { renderReport } from '../lib/reports';
import { findRule } from '../lib/rules';
import { exampleGraph, examplePolicy, ruleExamples } from '../lib/rules/examples';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import Ajv, { ValidateFunction } from 'ajv';
import type { Finding, Report } from '../lib/engine/evaluate';
import { renderJunit } from '../lib/reports/junit';
import { renderText } from '../lib/reports/text';
import { AZURE_RESOURCE_GROUP, AZURE_STACK, AZURE_WORKSPACE, AZURE_WORKSPACE_PATH, synthAwsApp, synthTerraformApp, writePolicyFile } from './support/apps';
import { CLI_PATH, CliResult, REPOSITORY_ROOT, assertCliBuilt, runCliInProcess as runCli } from './support/cli';
import { tempDir } from './support/synth';
import { XmlElement, XmlSyntaxError, findAll, parseXml } from './support/xml';

const SARIF_SCHEMA = path.join(__dirname, '..', 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const ANSI_ESCAPE = '\u001b[';

const ACKNOWLEDGEMENT = {
  ruleId: 'LCG-RET-003',
  resource: AZURE_WORKSPACE,
  reason: 'Retention moves to the central SIEM workspace with change CHG-2211',
  expires: '2026-12-31',
};
const UNUSED_ACKNOWLEDGEMENT = {
  ruleId: 'LCG-RET-003',
  resource: 'azurerm_log_analytics_workspace.decommissioned',
  reason: 'Workspace removed in the next release; kept until then',
  expires: '2026-12-31',
};
const BEFORE_EXPIRY = '2026-06-30';
const AFTER_EXPIRY = '2027-01-01';

/**
 * The official SARIF 2.1.0 schema is draft-04 JSON Schema. Ajv reads it as
 * draft-07 once the draft-04 `id` is spelt `$id`; the two drafts agree on
 * every other keyword the schema uses. One pattern in it (`language`) is not
 * valid as a Unicode regular expression, hence `unicodeRegExp: false`.
 */
function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')) as { [key: string]: unknown };
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    unicodeRegExp: false,
    formats: {
      uri: (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && URL.canParse(value),
      'uri-reference': (value: string) => URL.canParse(value, 'file:///base/') && !/[\s\\]/.test(value),
      'date-time': (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
    },
  });
  return ajv.compile(schema);
}

/** The validator's errors in one readable string, so a failing test shows what is wrong. */
function schemaErrors(validate: ValidateFunction, log: unknown): string {
  return validate(log) ? '' : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('\n');
}

/** Runs the CLI on a real pseudo-terminal (util-linux `script`), where colours are allowed. */
function runInTerminal(args: readonly string[], env: { [name: string]: string } = {}): CliResult {
  assertCliBuilt();
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI_PATH, ...args].map(quote).join(' ');
  const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr };
}

let mixedApp: string;
let compliantApp: string;
let londonApp: string;
let acknowledgingPolicy: string;

beforeAll(() => {
  // uksouth breaks residency (two findings); 30 days breaks retention (acknowledged).
  mixedApp = synthTerraformApp({ azure: { location: 'uksouth', retentionInDays: 30 } });
  compliantApp = synthTerraformApp({ azure: { location: 'westeurope', retentionInDays: 365 }, google: { location: 'europe-west4', retentionDays: 365 } });
  londonApp = synthAwsApp({ region: 'eu-west-2' });
  acknowledgingPolicy = writePolicyFile('acknowledging.json', { extends: 'eu', suppressions: [ACKNOWLEDGEMENT, UNUSED_ACKNOWLEDGEMENT] });
});

const cliRuns = new Map<string, CliResult>();

/** Runs `check` once per distinct command line; the CLI is deterministic, so tests share the result. */
function check(format: string, today: string = BEFORE_EXPIRY, input: string = mixedApp, policy: string = acknowledgingPolicy): CliResult {
  const args = ['check', input, '--policy', policy, '--format', format, '--today', today];
  const key = args.join('\u0000');
  if (!cliRuns.has(key)) cliRuns.set(key, runCli(args));
  return cliRuns.get(key)!;
}

describe('SARIF report', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = sarifValidator();
  });

  test('GIVEN findings and an acknowledged finding WHEN rendered as SARIF THEN the log is valid SARIF 2.1.0', () => {
    const result = check('sarif');

    expect(result.status).toBe(1);
    expect(schemaErrors(validate, JSON.parse(result.stdout))).toBe('');
  });

  test('GIVEN findings WHEN rendered as SARIF THEN each result names its rule, level, resource and document', () => {
    const log = JSON.parse(check('sarif').stdout);
    const [run] = log.runs;
    const residency = run.results.filter((result: { ruleId: string }) => result.ruleId === 'LCG-RES-001');

    expect(log.version).toBe('2.1.0');
    expect(residency.map((result: { locations: { logicalLocations: { name: string }[] }[] }) => result.locations[0].logicalLocations[0].name).sort()).toEqual(
      [AZURE_RESOURCE_GROUP, AZURE_WORKSPACE].sort(),
    );
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    }
    // Relative to %SRCROOT%, the directory the check ran in, which the run names.
    const root = run.originalUriBaseIds['%SRCROOT%'].uri as string;
    expect(root).toBe(`${pathToFileURL(REPOSITORY_ROOT).href}/`);
    for (const result of [...residency, ...run.results.filter((result: { ruleId: string }) => result.ruleId === 'LCG-RET-003')]) {
      const { uri, uriBaseId } = result.locations[0].physicalLocation.artifactLocation as { uri: string; uriBaseId: string };
      expect(uriBaseId).toBe('%SRCROOT%');
      expect(uri).not.toMatch(/^file:/);
      expect(uri).toMatch(/\/stacks\/azure-assistant\/cdk\.tf\.json$/);
      expect(fs.existsSync(fileURLToPath(new URL(uri, root)))).toBe(true);
    }
    const workspace = residency.find((result: { locations: { logicalLocations: { name: string }[] }[] }) => result.locations[0].logicalLocations[0].name === AZURE_WORKSPACE);
    expect(workspace).toEqual(
      expect.objectContaining({
        level: 'error',
        message: { text: expect.stringMatching(/Found: location = uksouth .*Expected: .*Fix: /) },
        properties: expect.objectContaining({ category: 'residency', resourceType: 'azurerm_log_analytics_workspace', stack: AZURE_STACK, found: 'location = uksouth (UK South, GB)' }),
      }),
    );
    expect(workspace.locations[0].logicalLocations[0].fullyQualifiedName).toBe(AZURE_WORKSPACE_PATH);
  });

  test('GIVEN an acknowledged finding WHEN rendered as SARIF THEN its result carries an accepted suppression with the reason and the expiry', () => {
    const [run] = JSON.parse(check('sarif').stdout).runs;
    const acknowledged = run.results.filter((result: { suppressions?: unknown[] }) => result.suppressions !== undefined);

    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0].ruleId).toBe('LCG-RET-003');
    expect(acknowledged[0].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: `${ACKNOWLEDGEMENT.reason} (until ${ACKNOWLEDGEMENT.expires})` }]);
  });

  test('GIVEN the acknowledgement has expired WHEN rendered as SARIF THEN the log is valid and holds an LCG-SUP-001 error and the unsuppressed finding', () => {
    const result = check('sarif', AFTER_EXPIRY);
    const log = JSON.parse(result.stdout);
    const results = log.runs[0].results as { ruleId: string; level: string; suppressions?: unknown }[];

    expect(result.status).toBe(1);
    expect(schemaErrors(validate, log)).toBe('');
    expect(results).toContainEqual(expect.objectContaining({ ruleId: 'LCG-SUP-001', level: 'error' }));
    expect(results.filter((entry) => entry.ruleId === 'LCG-RET-003' && entry.suppressions === undefined)).toHaveLength(1);
  });

  test('GIVEN a compliant input WHEN rendered as SARIF THEN the log is valid with no results and lists every rule', () => {
    const result = check('sarif', BEFORE_EXPIRY, compliantApp, 'eu');
    const log = JSON.parse(result.stdout);

    expect(result.status).toBe(0);
    expect(schemaErrors(validate, log)).toBe('');
    expect(log.runs[0].results).toEqual([]);
    const ruleIds = log.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    expect(ruleIds).toEqual(expect.arrayContaining(['LCG-RES-001', 'LCG-RES-002', 'LCG-RET-003']));
  });

  test.each([
    ['a result level SARIF does not define', (log: SarifLog) => (log.runs[0].results[0].level = 'fatal')],
    ['a tool without a driver name', (log: SarifLog) => delete log.runs[0].tool.driver.name],
    ['a version other than 2.1.0', (log: SarifLog) => (log.version = '2.0.0')],
    ['a suppression of an unknown kind', (log: SarifLog) => (log.runs[0].results[0].suppressions = [{ kind: 'ignored' }])],
    ['an artifact URI that is not a URI', (log: SarifLog) => (log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'C:\\stacks\\cdk.tf.json')],
  ])('GIVEN a log with %s WHEN validated THEN the schema check rejects it (the validator can fail)', (_label, breakIt) => {
    const log = JSON.parse(check('sarif').stdout) as SarifLog;
    expect(schemaErrors(validate, log)).toBe('');

    breakIt(log);

    expect(schemaErrors(validate, log)).not.toBe('');
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- mutating a parsed SARIF log on purpose */
interface SarifLog {
  version: string;
  runs: any[];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('JUnit report', () => {
  const testCases = (root: XmlElement): { suite: string; testCase: XmlElement }[] =>
    findAll(root, 'testsuite').flatMap((suite) => findAll(suite, 'testcase').map((testCase) => ({ suite: suite.attributes.name, testCase })));
  const caseFor = (root: XmlElement, ruleId: string, name: string): XmlElement => {
    const matches = testCases(root).filter((entry) => entry.suite.startsWith(`${ruleId} `) && entry.testCase.attributes.name === name);
    expect(matches).toHaveLength(1);
    return matches[0].testCase;
  };
  const failuresOf = (testCase: XmlElement): XmlElement[] => testCase.children.filter((child) => child.name === 'failure');
  const outputOf = (testCase: XmlElement): string => testCase.children.find((child) => child.name === 'system-out')?.text ?? '';

  test('GIVEN a report WHEN rendered as JUnit THEN it is well-formed XML with one test case per rule × resource', () => {
    const junit = check('junit');
    const { summary } = JSON.parse(check('json').stdout);

    const root = parseXml(junit.stdout);
    const cases = testCases(root);

    expect(junit.status).toBe(1);
    expect(root.name).toBe('testsuites');
    // Every evaluated rule × resource, plus the acknowledgement that matched nothing.
    expect(cases).toHaveLength(summary.checks + 1);
    expect(new Set(cases.map(({ suite, testCase }) => `${suite}|${testCase.attributes.name}`)).size).toBe(cases.length);
    expect(Number(root.attributes.tests)).toBe(cases.length);
  });

  test('GIVEN error findings WHEN rendered as JUnit THEN exactly those test cases fail and the counts agree', () => {
    const root = parseXml(check('junit').stdout);
    const failing = testCases(root).filter(({ testCase }) => failuresOf(testCase).length > 0);

    expect(failing.map(({ testCase }) => testCase.attributes.name).sort()).toEqual([`${AZURE_STACK}/assistant`, AZURE_WORKSPACE_PATH].sort());
    expect(failing.every(({ suite }) => suite.startsWith('LCG-RES-001 '))).toBe(true);
    expect(Number(root.attributes.failures)).toBe(2);
    for (const suite of findAll(root, 'testsuite')) {
      const suiteCases = findAll(suite, 'testcase');
      expect(Number(suite.attributes.tests)).toBe(suiteCases.length);
      expect(Number(suite.attributes.failures)).toBe(suiteCases.filter((testCase) => failuresOf(testCase).length > 0).length);
    }
    const [failure] = failuresOf(caseFor(root, 'LCG-RES-001', AZURE_WORKSPACE_PATH));
    expect(failure.attributes.type).toBe('LCG-RES-001');
    expect(failure.attributes.message).toMatch(/Found: location = uksouth .*Expected: .*Fix: /);
  });

  test('GIVEN an acknowledged finding and an unused acknowledgement WHEN rendered as JUnit THEN both pass and show the acknowledgement as output', () => {
    const root = parseXml(check('junit').stdout);

    const acknowledged = caseFor(root, 'LCG-RET-003', AZURE_WORKSPACE_PATH);
    expect(failuresOf(acknowledged)).toEqual([]);
    expect(outputOf(acknowledged)).toContain(`[acknowledged until ${ACKNOWLEDGEMENT.expires}] ${ACKNOWLEDGEMENT.reason}`);
    const unused = caseFor(root, 'LCG-SUP-002', UNUSED_ACKNOWLEDGEMENT.resource);
    expect(failuresOf(unused)).toEqual([]);
    expect(outputOf(unused)).toMatch(/^\[warning\] Acknowledgement of LCG-RET-003 .* matches no finding\./);
  });

  test('GIVEN the acknowledgement has expired WHEN rendered as JUnit THEN the finding and LCG-SUP-001 fail', () => {
    const root = parseXml(check('junit', AFTER_EXPIRY).stdout);

    expect(failuresOf(caseFor(root, 'LCG-RET-003', AZURE_WORKSPACE_PATH))).toHaveLength(1);
    expect(failuresOf(caseFor(root, 'LCG-SUP-001', ACKNOWLEDGEMENT.resource))).toHaveLength(1);
    expect(failuresOf(caseFor(root, 'LCG-SUP-001', UNUSED_ACKNOWLEDGEMENT.resource))).toHaveLength(1);
    // Two residency findings, the retention finding, and both expired acknowledgements.
    expect(Number(root.attributes.failures)).toBe(5);
  });

  test('GIVEN a compliant input WHEN rendered as JUnit THEN every test case passes', () => {
    const result = check('junit', BEFORE_EXPIRY, compliantApp, 'eu');
    const root = parseXml(result.stdout);

    expect(result.status).toBe(0);
    expect(testCases(root).length).toBeGreaterThan(0);
    expect(testCases(root).filter(({ testCase }) => failuresOf(testCase).length > 0)).toEqual([]);
    expect(root.attributes.failures).toBe('0');
  });

  test('GIVEN messages with XML special and control characters WHEN rendered as JUnit THEN the XML stays well-formed and the text survives', () => {
    const nasty = 'Tag <b>&amp;</b> "quoted" \'single\' \u0001bell';
    const junit = renderJunit(syntheticReport({ message: nasty, resourcePath: 'Stack/<Weird & "Name">' }));

    const root = parseXml(junit);
    const [testCase] = findAll(root, 'testcase');

    expect(testCase.attributes.name).toBe('Stack/<Weird & "Name">');
    expect(failuresOf(testCase)[0].text).toBe(nasty.replace('\u0001', '\\u{1}'));
  });

  test.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['a bare ampersand', '<a>Fish & chips</a>'],
    ['an unquoted attribute', '<a name=x/>'],
    ['two root elements', '<a/><b/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['an unclosed element', '<testsuites><testsuite>'],
    ['a control character', '<a>\u0001</a>'],
  ])('GIVEN XML with %s WHEN read THEN the reader rejects it (the well-formedness check can fail)', (_label, text) => {
    expect(() => parseXml(text)).toThrow(XmlSyntaxError);
  });
});

describe('text report', () => {
  /** Resource header lines and the finding lines under each, from a text report. */
  const groups = (text: string): Map<string, string[]> => {
    const result = new Map<string, string[]>();
    let current: string[] | undefined;
    for (const line of text.split('\n')) {
      if (/^(PASS|FAIL) /.test(line) || line === 'Acknowledged findings' || line === 'Acknowledgements') current = undefined;
      else if (line === '') continue;
      else if (!line.startsWith(' ')) {
        expect(result.has(line)).toBe(false);
        result.set(line, (current = []));
      } else current?.push(line.trim());
    }
    return result;
  };

  test('GIVEN findings on two resources WHEN rendered as text THEN each resource is a header once, with its findings indented under it', () => {
    const result = check('text');
    const grouped = groups(result.stdout);

    expect([...grouped.keys()]).toEqual(
      expect.arrayContaining([
        `${AZURE_STACK}/assistant (azurerm_resource_group, ${AZURE_RESOURCE_GROUP})`,
        `${AZURE_WORKSPACE_PATH} (azurerm_log_analytics_workspace, ${AZURE_WORKSPACE})`,
      ]),
    );
    for (const [header, lines] of grouped) {
      if (header.includes('(acknowledgement')) continue;
      expect(lines.length).toBeGreaterThan(0);
      const [, id] = /, ([^,)]+)\)$/.exec(header) ?? [];
      for (const line of lines) expect(line).toContain(`"${id}"`);
    }
    expect(result.stdout).toMatch(/^FAIL 2 error\(s\), 1 warning\(s\), 1 acknowledged — 2 resource\(s\) in 1 stack\(s\): 2 judged, 0 out of scope, 0 not inspected; \d+ rule\(s\), policy eu$/m);
  });

  test('GIVEN stdout is not a terminal WHEN rendered as text THEN there are no ANSI escape codes', () => {
    const result = check('text');

    expect(result.stdout.length).toBeGreaterThan(0);
    expect(result.stdout).not.toContain(ANSI_ESCAPE);
  });

  test('GIVEN stdout is a terminal WHEN rendered as text THEN errors are coloured, and NO_COLOR turns colour off', () => {
    const args = ['check', londonApp, '--policy', 'eu'];

    const coloured = runInTerminal(args);
    const plain = runInTerminal(args, { NO_COLOR: '1' });

    expect(coloured.status).toBe(1);
    expect(coloured.stdout).toContain(`${ANSI_ESCAPE}31merror`);
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain('LCG-RES-002');
    expect(plain.stdout).not.toContain(ANSI_ESCAPE);
  });

  test('GIVEN --output to a file WHEN run on a terminal THEN the file has no ANSI escape codes', () => {
    const output = path.join(tempDir('text'), 'report.txt');

    runInTerminal(['check', londonApp, '--policy', 'eu', '--output', output]);

    expect(fs.readFileSync(output, 'utf8')).toContain('LCG-RES-002');
    expect(fs.readFileSync(output, 'utf8')).not.toContain(ANSI_ESCAPE);
  });

  test('GIVEN the colour option WHEN rendering in-process THEN the same report is coloured and otherwise identical', () => {
    const report = syntheticReport({ message: 'Something is wrong. Found: a. Expected: b. Fix: c', resourcePath: 'Stack/Thing' });

    const coloured = renderText(report, { color: true });
    const plain = renderText(report);

    expect(coloured).toContain(ANSI_ESCAPE);
    // eslint-disable-next-line no-control-regex -- matching the ANSI escape character is the point
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('acknowledgements appear in every format', () => {
  const formats = ['text', 'json', 'sarif', 'junit'];

  test.each(formats)('GIVEN an active acknowledgement WHEN rendered as %s THEN its rule, reason and expiry are in the report', (format) => {
    const result = check(format);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain(ACKNOWLEDGEMENT.reason);
    expect(result.stdout).toContain(ACKNOWLEDGEMENT.expires);
    expect(result.stdout).toContain(ACKNOWLEDGEMENT.ruleId);
  });

  test.each(formats)('GIVEN an expired acknowledgement WHEN rendered as %s THEN exit 1 and LCG-SUP-001 is in the report', (format) => {
    const result = check(format, AFTER_EXPIRY);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('LCG-SUP-001');
    expect(result.stdout).toContain(`expired on ${ACKNOWLEDGEMENT.expires}`);
  });

  test('GIVEN an active and an unused acknowledgement WHEN rendered as JSON THEN both are listed with status and match count, and the finding is under "suppressed"', () => {
    const report = JSON.parse(check('json').stdout);

    expect(report.suppressions).toEqual([
      { ...ACKNOWLEDGEMENT, status: 'active', matched: 1 },
      { ...UNUSED_ACKNOWLEDGEMENT, status: 'unused', matched: 0 },
    ]);
    expect(report.suppressed).toEqual([expect.objectContaining({ ruleId: 'LCG-RET-003', resource: expect.objectContaining({ id: AZURE_WORKSPACE }), suppression: ACKNOWLEDGEMENT })]);
    expect(report.findings.map((finding: Finding) => finding.ruleId)).not.toContain('LCG-RET-003');
    expect(report.summary).toEqual(expect.objectContaining({ errors: 2, warnings: 1, suppressed: 1 }));
  });

  test('GIVEN an active acknowledgement WHEN rendered as text THEN it is listed under "Acknowledged findings" with its resource', () => {
    const text = check('text').stdout;

    expect(text).toContain(`Acknowledged findings\n  ack     LCG-RET-003 ${AZURE_WORKSPACE_PATH}: ${ACKNOWLEDGEMENT.reason} (until ${ACKNOWLEDGEMENT.expires})`);
  });
});

/** A one-finding report built by hand, for renderer edge cases no real input produces. */
function syntheticReport(options: { message: string; resourcePath: string }): Report {
  const resource = { id: 'Thing1234', type: 'AWS::Logs::LogGroup', path: options.resourcePath, stack: 'Stack', file: 'cdk.out/Stack.template.json' };
  const finding: Finding = {
    ruleId: 'LCG-RET-001',
    title: 'CloudWatch log groups holding audit or prompt logs have policy retention',
    severity: 'error',
    category: 'retention',
    resource,
    message: options.message,
    found: 'a',
    expected: 'b',
    fix: 'c',
    frameworks: [],
    cannotVerify: false,
  };
  return {
    policy: { ...GuardrailPolicy.preset('soc2').toJSON(), name: 'synthetic' },
    findings: [finding],
    suppressed: [],
    suppressions: [],
    checks: [{ ruleId: finding.ruleId, resource, status: 'fail' }],
    summary: { errors: 1, warnings: 0, suppressed: 0, stacks: 1, resources: 1, rules: 1, checks: 1, cannotVerify: 0, judged: 1, outOfScope: 0, notInspected: 0 },
    notInspected: [],
  };
}

describe('findings that could not be decided', () => {
  test('GIVEN a value known only at deploy time WHEN reported THEN text, JSON and SARIF say "cannot verify" as data, not only in words', () => {
    const [example] = ruleExamples(findRule('LCG-RES-010')!).filter((candidate) => candidate.expectation === 'unresolvable');
    const { report } = runGuardrail(exampleGraph(example), examplePolicy(example), { rules: [findRule('LCG-RES-010')!], today: BEFORE_EXPIRY });
    expect(report.summary.cannotVerify).toBe(1);
    expect(renderReport(report, 'text')).toMatch(/^FAIL 1 error\(s\), 0 warning\(s\), 0 acknowledged, 1 could not be verified — /m);
    expect(JSON.parse(renderReport(report, 'json')).findings[0]).toMatchObject({ ruleId: 'LCG-RES-010', cannotVerify: true });
    expect(JSON.parse(renderReport(report, 'sarif')).runs[0].results[0].properties).toMatchObject({ cannotVerify: true });
  });
});

describe('text report: one root cause, one entry', () => {
  const graph = exampleGraph({
    description: 'nine roles with one statement shape',
    stacks: [
      {
        format: 'cloudformation',
        document: {
          Resources: Object.fromEntries(
            Array.from({ length: 9 }, (_, index) => [
              `Worker${index}Policy`,
              { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' }] } } },
            ]),
          ),
        },
      },
    ],
  });
  const { report } = runGuardrail(graph, GuardrailPolicy.preset('eu'), { rules: [findRule('LCG-RES-010')!], today: '2026-11-25' });

  test('GIVEN the same statement in nine policies WHEN rendered as text THEN it is one entry naming the resources, while the JSON keeps nine findings', () => {
    const text = renderText(report);
    expect(report.findings).toHaveLength(9);
    expect(text.match(/LCG-RES-010 on 9 resources \(AWS::IAM::ManagedPolicy\)/g)).toHaveLength(1);
    expect(text.match(/^ {2}error {3}LCG-RES-010 /gm)).toHaveLength(1);
    expect(text).toContain('the same finding on: App/Worker0Policy, App/Worker1Policy');
    expect(text).toMatch(/^FAIL 9 error\(s\)/m);
  });

  test('GIVEN two findings of one shape WHEN rendered THEN they stay separate (a group needs three)', () => {
    const two = { ...report, findings: report.findings.slice(0, 2) };
    expect(renderText(two)).not.toContain('on 2 resources');
  });
});
