/**
 * What only a real process shows: the compiled `llm-guardrail` binary (the
 * `bin` users get from npm) starts, writes to its own streams and ends with
 * the documented exit codes. Every other CLI behaviour is tested in process
 * (test/cli.test.ts), with the same code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthAwsApp } from '../support/apps';
import { REPOSITORY_ROOT, assertCliBuilt, runCli } from '../support/cli';

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
    const result = require('child_process').spawnSync('sh', ['-c', `${binary} regions aws | (sleep 0; true)`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('GIVEN --version WHEN run THEN the process prints the package version and exits 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runCli(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });
});
