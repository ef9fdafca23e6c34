/**
 * What only a real process shows: the compiled `llm-guardrail` binary (the
 * `bin` users get from npm) starts, writes to its own streams and ends with
 * the documented exit codes. Every other CLI behaviour is tested in process
 * (test/cli.test.ts), with the same code.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthAwsApp, writePolicyFile } from '../support/apps';
import { CLI_PATH, REPOSITORY_ROOT, assertCliBuilt, runCli } from '../support/cli';
import { tempDir, writeJson } from '../support/synth';
import { FIXTURES, TODAY } from '../docs/support';

let londonApp: string;

beforeAll(() => {
  assertCliBuilt();
  londonApp = synthAwsApp({ region: 'eu-west-2' });
});

describe('the compiled llm-guardrail binary', () => {
  test('GIVEN a London stack under eu WHEN checked THEN the process exits 1 and prints the finding on stdout', () => {
    const result = runCli(['check', londonApp, '--policy', 'eu']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^FAIL /m);
    expect(result.stdout).toContain('LCG-RES-002');
  });

  test('GIVEN a path that does not exist WHEN checked THEN the process exits 2 with one line on stderr and no stack trace', () => {
    const result = runCli(['check', path.join(REPOSITORY_ROOT, 'no-such-cdk.out'), '--policy', 'eu']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^llm-guardrail: [^\n]*no such file or directory[^\n]*\n$/);
  });

  test('GIVEN a reader that closes the pipe before reading (`regions aws | true`) WHEN run THEN the process ends quietly, without a stack trace', () => {
    assertCliBuilt();
    const binary = `"${process.execPath}" "${path.join(REPOSITORY_ROOT, 'dist', 'bin', 'llm-guardrail.js')}"`;
    const result = spawnSync('sh', ['-c', `${binary} regions aws | (sleep 0; true)`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('GIVEN --version WHEN run THEN the process prints the package version and exits 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runCli(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('the compiled binary writing documentation', () => {
  test('GIVEN a committed copy WHEN `docs --check` runs as a process THEN it exits 1 on a stale copy and 0 on a fresh one', () => {
    const directory = tempDir('docs-bin');
    const docs = (...args: string[]) => runCli(['docs', path.join(FIXTURES, 'aws-cdk.out'), '--policy', 'eu', '--today', TODAY, ...args]);
    expect(docs('--check', directory).status).toBe(1);
    expect(docs('--out', directory).status).toBe(0);
    const fresh = docs('--check', directory);
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toMatch(/is up to date/);
  });

  test('GIVEN two docs runs of different inputs into one directory at once WHEN both finish THEN the files all come from one of them', () => {
    const out = tempDir('race');
    const script = `
      const { spawn } = require('child_process');
      const runs = [${JSON.stringify(path.join(FIXTURES, 'azure.tf.json'))}, ${JSON.stringify(path.join(FIXTURES, 'google.tf.json'))}].map((input) =>
        new Promise((resolve) => spawn(process.execPath, [${JSON.stringify(CLI_PATH)}, 'docs', input, '--policy', 'eu', '--out', ${JSON.stringify(out)}], { stdio: 'ignore' }).on('exit', resolve)));
      Promise.all(runs).then((codes) => process.stdout.write(JSON.stringify(codes)));`;
    for (let round = 0; round < 4; round++) {
      const race = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
      expect(JSON.parse(race.stdout)).toEqual([0, 0]);
      const markdown = fs.readFileSync(path.join(out, 'data-flow.md'), 'utf8');
      const json = JSON.parse(fs.readFileSync(path.join(out, 'data-flow.json'), 'utf8'));
      const html = fs.readFileSync(path.join(out, 'data-flow.html'), 'utf8');
      const cloud = markdown.includes('azurerm_') ? 'azurerm_' : 'google_';
      expect(JSON.stringify(json)).toContain(cloud);
      expect(html).toContain(cloud);
      expect(JSON.stringify(json)).not.toContain(cloud === 'azurerm_' ? 'google_' : 'azurerm_');
      expect(fs.readdirSync(out).sort()).toEqual(['data-flow.html', 'data-flow.json', 'data-flow.md']);
    }
  });
});

describe('the compiled binary reading a policy file', () => {
  test('GIVEN a YAML policy with an unknown tag WHEN run as a process THEN stderr is the one line, with no YAML library warning or code excerpt', () => {
    const input = writeJson('template.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
    const result = runCli(['check', input, '--policy', writePolicyFile('policy.yaml', 'extends: eu\nname: !custom acme\n')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('YAMLWarning');
  });
});
