/**
 * What the guardrail writes cannot be turned against its readers: names from
 * the input cannot rewrite a terminal or CI log, cannot run as HTML in a
 * Markdown preview, SARIF points at files relative to the checkout (and at
 * the app line that created a resource), documentation is written as one
 * set, and a policy file's problems are named without printing its content.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { CfnResource, Stack, Tags } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { printable } from '../../lib/core/printable';
import { markdownText } from '../../lib/docs/markdown';
import { LOCK_NAME, writeFileSet } from '../../lib/docs/file-set';
import { writeGateOutputs } from '../../lib/gate/options';
import { runGuardrail } from '../../lib/gate/run';
import { ResourceGraph } from '../../lib/core/graph';
import { InputError } from '../../lib/core/errors';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { runCliInProcess } from '../support/cli';
import { synthCdk, tempDir, writeJson } from '../support/synth';
import { writePolicyFile } from '../support/apps';

const HOSTILE_PATH = 'App/\u001b[2K\r\u001b[32mPASS 0 error(s)\u001b[0m\n::error::forged\u202eevil';

/** A template whose AI resource (judged: its type is unknown) carries a hostile construct path and logical id. */
function hostileTemplate(): string {
  return writeJson('hostile.template.json', {
    Resources: {
      'Future\u001b]0;title\u0007': { Type: 'AWS::Bedrock::FutureThing', Metadata: { 'aws:cdk:path': HOSTILE_PATH } },
      'Agent<script>alert(1)</script>[click](javascript:alert(1))': { Type: 'AWS::Bedrock::FutureAgent' },
    },
  });
}

describe('text output', () => {
  test('GIVEN construct paths and ids with ESC, CR, LF and bidi overrides WHEN checked as text THEN none reaches the output raw and no line is forged', () => {
    const result = runCliInProcess(['check', hostileTemplate(), '--policy', 'eu']);

    expect(result.status).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('PASS') || line.startsWith('::error::'))).toEqual([]);
    expect(result.stdout).toContain('\\u{1b}[2K\\u{d}\\u{1b}[32mPASS 0 error(s)');
    expect(result.stdout).toMatch(/^FAIL /m);
  });

  test('GIVEN an input path with an ESC sequence that cannot be read THEN the one error line shows it escaped', () => {
    const result = runCliInProcess(['check', path.join(tempDir('missing'), 'cdk\u001b[2J.out'), '--policy', 'eu']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cdk\\u{1b}[2J.out');
    expect(result.stderr).not.toContain('\u001b');
  });

  test('printable keeps ordinary text, including non-Latin scripts, as it is', () => {
    expect(printable('Zürich 東京 eu-central-1 — ok')).toBe('Zürich 東京 eu-central-1 — ok');
    expect(printable('a\u0000b\u009bc\u2028d\u2066e')).toBe('a\\u{0}b\\u{9b}c\\u{2028}d\\u{2066}e');
  });
});

describe('Markdown data-flow documentation', () => {
  test('GIVEN resource names holding HTML and link syntax WHEN documented THEN the Markdown holds them as text only', () => {
    const out = tempDir('docs');
    const result = runCliInProcess(['docs', hostileTemplate(), '--policy', 'eu', '--out', out]);
    const markdown = fs.readFileSync(path.join(out, 'data-flow.md'), 'utf8');

    expect(result.status).toBe(0);
    expect(markdown).toContain('Agent&lt;script&gt;alert(1)&lt;/script&gt;[click\\](javascript:alert(1))');
    expect(markdown).not.toMatch(/<(script|img)\b/i);
    expect(markdown).not.toMatch(/[^\\]\]\(javascript:/);
    // eslint-disable-next-line no-control-regex
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });

  test.each([
    ['<b>bold</b>', '&lt;b&gt;bold&lt;/b&gt;'],
    ['[x](javascript:alert(1))', '[x\\](javascript:alert(1))'],
    ['![x](https://tracker.example/p.gif)', '![x\\](https://tracker.example/p.gif)'],
    ['\\](x)', '\\\\\\](x)'],
    ['line\nbreak', 'line break'],
    ['Statement[0].Resource', 'Statement[0].Resource'],
    ['R&D', 'R&amp;D'],
  ])('markdownText(%j) is %j', (text, expected) => {
    expect(markdownText(text)).toBe(expected);
  });
});

describe('SARIF locations', () => {
  let assembly: string;
  let appLine: number;
  beforeAll(() => {
    // In-process synthesis records creation traces (the cdk CLI does with --debug).
    appLine = fs.readFileSync(__filename, 'utf8').split('\n').findIndex((line) => line.trimStart().startsWith('Tags.of(new LogGroup(')) + 1;
    assembly = synthCdk((app) => {
      const stack = new Stack(app, 'Traced', { env: { account: '111111111111', region: 'eu-central-1' } });
      Tags.of(new LogGroup(stack, 'Short', { retention: RetentionDays.ONE_DAY })).add(LOG_ROLE_TAG, 'audit');
      new CfnResource(stack, 'Future', { type: 'AWS::Bedrock::FutureThing' });
    });
  });

  test('GIVEN an assembly with creation traces WHEN checked as SARIF THEN a result has the template relative to %SRCROOT% and a second location at the app line', () => {
    const result = runCliInProcess(['check', assembly, '--policy', 'eu', '--format', 'sarif'], { cwd: path.dirname(assembly) });
    const [run] = JSON.parse(result.stdout).runs;
    const retention = run.results.find((entry: { ruleId: string }) => entry.ruleId === 'LCG-RET-001');

    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(path.dirname(assembly)).href}/`);
    expect(retention.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'cdk.out/Traced.template.json', uriBaseId: '%SRCROOT%' });
    const [, source] = retention.locations;
    expect(source.physicalLocation.region.startLine).toBe(appLine);
    const file = fileURLToPath(new URL(source.physicalLocation.artifactLocation.uri, run.originalUriBaseIds['%SRCROOT%'].uri));
    expect(fs.realpathSync(file)).toBe(fs.realpathSync(__filename));
    expect(source.message.text).toBe('Traced/Short/Resource is created here');
  });

  test('GIVEN a check run in a subdirectory of the repository WHEN --sarif-root names the repository root THEN the template URI is relative to the root, as code scanning maps it', () => {
    const repository = path.dirname(path.dirname(assembly));
    const result = runCliInProcess(['check', 'cdk.out', '--policy', 'eu', '--format', 'sarif', '--sarif-root', '..'], { cwd: path.dirname(assembly) });
    const [run] = JSON.parse(result.stdout).runs;
    const retention = run.results.find((entry: { ruleId: string }) => entry.ruleId === 'LCG-RET-001');

    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(repository).href}/`);
    expect(retention.locations[0].physicalLocation.artifactLocation).toEqual({ uri: `${path.basename(path.dirname(assembly))}/cdk.out/Traced.template.json`, uriBaseId: '%SRCROOT%' });
  });

  test('GIVEN the same assembly WHEN checked as JSON THEN each finding names the app line that created its resource', () => {
    const report = JSON.parse(runCliInProcess(['check', assembly, '--policy', 'eu', '--format', 'json']).stdout);
    const retention = report.findings.find((entry: { ruleId: string }) => entry.ruleId === 'LCG-RET-001');

    expect(retention.resource.source).toEqual({ file: expect.stringMatching(/integrity\.test\.ts$/), line: appLine, column: expect.any(Number) });
  });

  test('GIVEN an assembly without creation traces WHEN checked as SARIF THEN each result has the one location of its template', () => {
    const copy = tempDir('untraced');
    fs.cpSync(assembly, path.join(copy, 'cdk.out'), { recursive: true });
    for (const file of fs.readdirSync(path.join(copy, 'cdk.out')).filter((name) => name.endsWith('.metadata.json'))) fs.rmSync(path.join(copy, 'cdk.out', file));
    const manifestFile = path.join(copy, 'cdk.out', 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const artifact of Object.values(manifest.artifacts) as { metadata?: unknown; additionalMetadataFile?: unknown }[]) {
      delete artifact.metadata;
      delete artifact.additionalMetadataFile;
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const [run] = JSON.parse(runCliInProcess(['check', path.join(copy, 'cdk.out'), '--policy', 'eu', '--format', 'sarif'], { cwd: copy }).stdout).runs;

    expect(run.results.length).toBeGreaterThan(0);
    for (const result of run.results) expect(result.locations).toHaveLength(1);
  });

  test('GIVEN any check WHEN rendered as SARIF THEN the run states the accounting: judged, out of scope, not inspected, and which', () => {
    const [run] = JSON.parse(runCliInProcess(['check', assembly, '--policy', 'eu', '--format', 'sarif']).stdout).runs;

    expect(run.properties.summary).toEqual(expect.objectContaining({ resources: expect.any(Number), judged: expect.any(Number), outOfScope: expect.any(Number), notInspected: expect.any(Number) }));
    expect(run.properties.summary.judged + run.properties.summary.outOfScope + run.properties.summary.notInspected).toBe(run.properties.summary.resources);
    expect(run.properties.notInspected).toContainEqual(expect.objectContaining({ type: 'AWS::Bedrock::FutureThing', family: 'ai' }));
  });
});

describe('documentation written as one set', () => {
  test('GIVEN a run that fails part-way WHEN writing THEN the previous set is left whole and no staging directory remains', () => {
    const out = tempDir('set');
    writeFileSet(out, [
      ['a.md', (emit) => emit('first a')],
      ['b.json', (emit) => emit('first b')],
    ]);
    expect(() =>
      writeFileSet(out, [
        ['a.md', (emit) => emit('second a')],
        [
          'b.json',
          () => {
            throw new Error('renderer failed');
          },
        ],
      ]),
    ).toThrow('renderer failed');

    expect(fs.readFileSync(path.join(out, 'a.md'), 'utf8')).toBe('first a');
    expect(fs.readFileSync(path.join(out, 'b.json'), 'utf8')).toBe('first b');
    expect(fs.readdirSync(out).sort()).toEqual(['a.md', 'b.json']);
  });

  test('GIVEN the lock held by another run WHEN a gate writes into the output its synthesis owns THEN it writes at once, each file in place, and leaves the lock and no temporary file', () => {
    const out = tempDir('gate-set');
    fs.mkdirSync(path.join(out, LOCK_NAME));
    fs.writeFileSync(path.join(out, 'a.md'), 'an older and longer a');
    expect(writeFileSet(out, [['a.md', (emit) => emit('a')], ['b.json', (emit) => emit('{}')]], { directory: 'owned' })).toEqual([path.join(out, 'a.md'), path.join(out, 'b.json')]);
    expect(fs.readFileSync(path.join(out, 'a.md'), 'utf8')).toBe('a');
    expect(fs.readdirSync(out).sort()).toEqual([LOCK_NAME, 'a.md', 'b.json']);
    expect(fs.readFileSync(path.join(out, 'b.json'), 'utf8')).toBe('{}');
  });

  test('GIVEN a directory where the gate writes data-flow.md WHEN a gate writes its outputs THEN one line names the file and the fix', () => {
    const out = tempDir('gate-unwritable');
    fs.mkdirSync(path.join(out, 'data-flow.md'));
    const graph = new ResourceGraph([{ name: 'S', format: 'cloudformation', file: 'S.template.json' }], []);
    const { context, report } = runGuardrail(graph, GuardrailPolicy.preset('eu'));
    let thrown: unknown;
    try {
      writeGateOutputs(out, context, report, {}, 'ComplianceGate');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).line).toBe(`ComplianceGate: cannot write the data-flow documentation ${path.join(out, 'data-flow.md')} (EISDIR) (fix: check that the output directory is writable, or set dataFlowDocs: false)`);
  });

  test('GIVEN a lock left by a run that died long ago WHEN writing THEN it is taken over', () => {
    const out = tempDir('stale');
    fs.mkdirSync(path.join(out, LOCK_NAME));
    const old = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(path.join(out, LOCK_NAME), old, old);

    expect(writeFileSet(out, [['a.md', (emit) => emit('a')]])).toEqual([path.join(out, 'a.md')]);
    expect(fs.existsSync(path.join(out, LOCK_NAME))).toBe(false);
  });
});

describe('policy files', () => {
  const anyInput = (): string => writeJson('template.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });

  function expectPolicyRefused(policy: string, ...fragments: string[]): string {
    const result = runCliInProcess(['check', anyInput(), '--policy', policy]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr).toMatch(/^llm-guardrail: [^\n]+\n$/);
    for (const fragment of fragments) expect(result.stderr).toContain(fragment);
    return result.stderr;
  }

  test.each([
    ['an unknown local tag', 'extends: eu\nname: !custom acme\n', ['Unresolved tag: !custom', 'line 2, column 7']],
    ['a JavaScript function tag', 'extends: !!js/function "eu"\n', ['Unresolved tag', 'line 1']],
    ['a binary value', 'extends: eu\nname: !!binary aGVsbG8=\n', ['the tag !!binary is not one a policy may use']],
    ['a tag declared with %TAG', '%TAG !e! tag:example.com,2000:\n---\nextends: !e!preset eu\n', ['Unresolved tag']],
    ['an alias that contains itself', 'extends: eu\nname: &x [*x]\n', ['an alias refers to a node that contains it']],
    ['two documents', 'extends: eu\n---\nextends: soc2\n', ['2 YAML documents']],
    ['a duplicate key', 'extends: eu\nextends: soc2\n', ['Map keys must be unique', 'line 2']],
    ['nothing', '', ['the file is empty']],
  ])('GIVEN a YAML policy with %s THEN exit 2 with one line and no YAML library warning', (_name, text, fragments) => {
    expectPolicyRefused(writePolicyFile('policy.yaml', text), ...fragments);
  });

  test('GIVEN a file that is no policy (a password file, a secret) as --policy THEN the file is named and none of its content printed', () => {
    const secret = writePolicyFile('credentials', 'root:x:0:0:SECRET-TOKEN-4711:/root:/bin/bash\n');
    const line = expectPolicyRefused(secret, secret, 'is not valid JSON', 'line 1, column 1');
    expect(line).not.toMatch(/root|SECRET|4711/);
    if (fs.existsSync('/etc/passwd')) expect(expectPolicyRefused('/etc/passwd', '/etc/passwd')).not.toMatch(/root:|:0:0/);
  });

  test('GIVEN an input file that is not JSON THEN its content is not printed either', () => {
    const file = writeJson('template.json', {});
    fs.writeFileSync(file, 'AKIA-SECRET-KEY-1234 = "value"\n');
    const result = runCliInProcess(['check', file, '--policy', 'eu']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('invalid JSON (unexpected character');
    expect(result.stderr).not.toMatch(/AKIA|SECRET|1234/);
  });

  test('GIVEN a JSON policy with a byte order mark THEN it is read', () => {
    const policy = writePolicyFile('policy.json', '\ufeff{"extends": "eu", "name": "bom"}');
    const result = runCliInProcess(['check', anyInput(), '--policy', policy]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/policy bom\n$/);
  });
});
