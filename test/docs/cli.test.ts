import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCliInProcess } from '../support/cli';
import { FIXTURES, TODAY } from './support';

const AWS_INPUT = path.join(FIXTURES, 'aws-cdk.out');

/** Runs `llm-guardrail docs` in process, with its output captured. */
function run(args: string[], env: { readonly [name: string]: string } = {}): { code: number; stdout: string; stderr: string } {
  const result = runCliInProcess(['docs', ...args], { cwd: process.cwd(), env });
  return { code: result.status!, stdout: result.stdout, stderr: result.stderr };
}

describe('llm-guardrail docs', () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-docs-'));
  });
  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  test('GIVEN a cdk.out and --out WHEN run THEN it writes the Markdown, JSON and HTML documentation and exits 0', () => {
    const out = path.join(directory, 'docs');
    const result = run([AWS_INPUT, '--policy', 'eu', '--out', out, '--today', TODAY]);
    expect(result.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['data-flow.html', 'data-flow.json', 'data-flow.md']);
    expect(fs.readFileSync(path.join(out, 'data-flow.md'), 'utf8')).toMatch(/^# Data flow: model endpoints, network paths, logs\n/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'data-flow.json'), 'utf8')).stacks).toEqual(['BedrockApp']);
    expect(result.stdout).toContain(path.join(out, 'data-flow.md'));
  });

  test('GIVEN a fresh committed copy WHEN run with --check THEN it exits 0 and writes nothing', () => {
    run([AWS_INPUT, '--policy', 'eu', '--out', directory, '--today', TODAY]);
    const before = fs.readdirSync(directory).map((file) => fs.statSync(path.join(directory, file)).mtimeMs);
    const result = run([AWS_INPUT, '--policy', 'eu', '--check', directory, '--today', TODAY]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/is up to date/);
    expect(fs.readdirSync(directory).map((file) => fs.statSync(path.join(directory, file)).mtimeMs)).toEqual(before);
  });

  test('GIVEN a stale committed copy WHEN run with --check THEN it exits 1 with one line naming the stale file and the fix', () => {
    run([AWS_INPUT, '--policy', 'eu', '--out', directory, '--today', TODAY]);
    fs.appendFileSync(path.join(directory, 'data-flow.md'), '\nedited by hand\n');
    const result = run([AWS_INPUT, '--policy', 'eu', '--check', directory, '--today', TODAY]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/is stale \(data-flow\.md missing or different\).*fix: llm-guardrail docs .* --out /);
  });

  test('GIVEN a committed copy made under another policy WHEN run with --check THEN every file is stale', () => {
    run([AWS_INPUT, '--policy', 'soc2', '--out', directory, '--today', TODAY]);
    const result = run([AWS_INPUT, '--policy', 'eu', '--check', directory, '--today', TODAY]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('data-flow.md, data-flow.json, data-flow.html');
  });

  test('GIVEN no committed copy at all WHEN run with --check THEN it exits 1', () => {
    const result = run([AWS_INPUT, '--policy', 'eu', '--check', path.join(directory, 'missing'), '--today', TODAY]);
    expect(result.code).toBe(1);
  });

  test('GIVEN an input that does not exist WHEN run THEN it exits 2 with one line on stderr', () => {
    const result = run([path.join(directory, 'nothing-here'), '--policy', 'eu', '--out', directory]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^llm-guardrail: .*nothing-here: no such file or directory \(fix: .*\)\n$/);
  });

  test('GIVEN an unknown policy or option WHEN run THEN it exits 2 with one line on stderr', () => {
    const policy = run([AWS_INPUT, '--policy', 'mars', '--out', directory]);
    expect(policy.code).toBe(2);
    expect(policy.stderr).toMatch(/^llm-guardrail: unknown policy preset "mars" \(fix: .*\)\n$/);
    const option = run([AWS_INPUT, '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr.trimEnd().split('\n')).toHaveLength(1);
    const bad = run([AWS_INPUT, '--policy', 'eu', '--today', 'tomorrow']);
    expect(bad).toMatchObject({ code: 2 });
  });

  test('GIVEN --help WHEN run THEN it prints the usage and exits 0', () => {
    const result = run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: llm-guardrail docs <path>/);
  });
});

describe('llm-guardrail docs without --policy', () => {
  const start = process.cwd();
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-docs-context-'));
    process.chdir(directory);
  });
  afterEach(() => {
    process.chdir(start);
    fs.rmSync(directory, { recursive: true, force: true });
  });

  test('GIVEN a cdk.json naming the policy in its context THEN that policy is documented', () => {
    fs.writeFileSync(path.join(directory, 'cdk.json'), JSON.stringify({ app: 'node app.js', context: { 'llm-guardrail:policy': 'soc2' } }));
    expect(run([AWS_INPUT, '--out', 'out', '--today', TODAY]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(directory, 'out', 'data-flow.json'), 'utf8')).policy.name).toBe('soc2');
  });

  test('GIVEN no policy anywhere THEN it exits 2 and says how to name one', () => {
    const result = run([AWS_INPUT, '--out', 'out']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('llm-guardrail: docs: no policy given (fix: pass --policy eu|us-hipaa|soc2|<file>, or set "llm-guardrail:policy" in cdk.json context)\n');
    expect(fs.existsSync(path.join(directory, 'out'))).toBe(false);
  });
});

describe('llm-guardrail docs with an unwritable --out', () => {
  test('GIVEN --out naming an existing file THEN it exits 2 with one line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-docs-file-')), 'taken');
    fs.writeFileSync(file, 'not a directory');
    const result = run([AWS_INPUT, '--policy', 'eu', '--out', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^llm-guardrail: docs: cannot write to .*taken \(EEXIST\) \(fix: choose a writable --out directory\)\n$/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describe('llm-guardrail docs through the command-line entry point', () => {
});

describe('provenance: which tool, policy and input produced the documentation, and when', () => {
  const provenanceOf = (directory: string) => JSON.parse(fs.readFileSync(path.join(directory, 'data-flow.json'), 'utf8')).provenance;
  const write = (args: string[], env: { readonly [name: string]: string } = {}): string => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-provenance-'));
    expect(run([...args, '--out', out, '--today', TODAY], env).code).toBe(0);
    return out;
  };

  test('GIVEN SOURCE_DATE_EPOCH THEN the Markdown, the page and the JSON state the tool version, the policy and input digests and that time', () => {
    const out = write([AWS_INPUT, '--policy', 'eu'], { SOURCE_DATE_EPOCH: '1764400000' });
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    expect(provenanceOf(out)).toEqual({
      tool: `llm-compliance-guardrail ${version}`,
      policy: { name: 'eu', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      input: { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), stacks: 1, resources: expect.any(Number) },
      generatedAt: '2025-11-29T07:06:40.000Z',
    });
    for (const file of ['data-flow.md', 'data-flow.html']) expect(fs.readFileSync(path.join(out, file), 'utf8')).toContain(`llm-compliance-guardrail ${version}; policy eu (sha256:`);
    expect(fs.readFileSync(path.join(out, 'data-flow.md'), 'utf8')).toContain('generated at 2025-11-29T07:06:40.000Z');
  });

  test('GIVEN another policy or another input THEN its digest changes; the same input and policy give the same digests', () => {
    const first = provenanceOf(write([AWS_INPUT, '--policy', 'eu']));
    const again = provenanceOf(write([AWS_INPUT, '--policy', 'eu']));
    const otherPolicy = provenanceOf(write([AWS_INPUT, '--policy', 'soc2']));
    const otherInput = provenanceOf(write([path.join(FIXTURES, 'azure.tf.json'), '--policy', 'eu']));
    expect([again.policy.digest === first.policy.digest, again.input.digest === first.input.digest]).toEqual([true, true]);
    expect([otherPolicy.policy.digest === first.policy.digest, otherPolicy.input.digest === first.input.digest]).toEqual([false, true]);
    expect(otherInput.input.digest === first.input.digest).toBe(false);
  });

  test('GIVEN a committed copy generated at another time WHEN run with --check THEN it is up to date: only the time differs', () => {
    const committed = write([AWS_INPUT, '--policy', 'eu'], { SOURCE_DATE_EPOCH: '1700000000' });
    const result = run([AWS_INPUT, '--policy', 'eu', '--check', committed, '--today', TODAY], { SOURCE_DATE_EPOCH: '1764400000' });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('is up to date') });
  });
});

