/**
 * The `llm-guardrail` command judging outputs that real aws-cdk-lib and cdktf
 * synthesized, run in process (`lib/cli`'s `run`): the same arguments, exit
 * codes and messages as the binary. What only a real process shows (the
 * compiled binary, its exit status, its streams) is in test/e2e/cli-process.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AWS_AUDIT_LOG_GROUP_PATH,
  AWS_STACK,
  AZURE_RESOURCE_GROUP,
  AZURE_WORKSPACE,
  AZURE_WORKSPACE_PATH,
  copyOutput,
  synthAwsApp,
  synthTerraformApp,
  writePolicyFile,
} from './support/apps';
import { CliResult, runCliInProcess as runCli } from './support/cli';
import { tempDir } from './support/synth';

/** Exit 2: one line on stderr naming the problem, nothing on stdout, no stack trace. */
function expectUsageError(result: CliResult, ...fragments: string[]): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
  expect(result.stderr).toMatch(/^llm-guardrail: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('internal error');
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

let frankfurtApp: string;
let londonApp: string;
let shortAuditRetentionApp: string;
let compliantTerraformApp: string;
let ukSouthAzureApp: string;
let shortWorkspaceRetentionApp: string;

beforeAll(() => {
  frankfurtApp = synthAwsApp({ region: 'eu-central-1' });
  londonApp = synthAwsApp({ region: 'eu-west-2' });
  shortAuditRetentionApp = synthAwsApp({ region: 'eu-central-1', auditLogRetentionDays: 90 });
  compliantTerraformApp = synthTerraformApp({ azure: { location: 'westeurope', retentionInDays: 365 }, google: { location: 'europe-west4', retentionDays: 400 } });
  ukSouthAzureApp = synthTerraformApp({ azure: { location: 'uksouth', retentionInDays: 365 } });
  shortWorkspaceRetentionApp = synthTerraformApp({ azure: { location: 'westeurope', retentionInDays: 30 } });
});

describe('check: exit code 0 for compliant input', () => {
  test('GIVEN a cdk.out with a Frankfurt stack and a one-year audit log WHEN checked under the eu preset THEN it exits 0 and says PASS', () => {
    const result = runCli(['check', frankfurtApp, '--policy', 'eu']);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^PASS 0 error\(s\), 0 warning\(s\)/m);
  });

  test('GIVEN a cdktf.out with an Azure workspace in westeurope and a Google log bucket in europe-west4 WHEN checked under eu THEN it exits 0', () => {
    const result = runCli(['check', compliantTerraformApp, '--policy', 'eu']);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('PASS');
  });

  test('GIVEN the folder that holds cdk.out WHEN checked THEN the CLI finds the assembly inside and exits 0', () => {
    const result = runCli(['check', path.dirname(frankfurtApp), '--policy', 'eu']);

    expect(result.status).toBe(0);
  });
});

describe('check: exit code 1 with findings that name rule, resource, found, expected and fix', () => {
  test('GIVEN a stack in eu-west-2 (London) WHEN checked under eu THEN it exits 1 with LCG-RES-002 on the stack and the London region found', () => {
    const result = runCli(['check', londonApp, '--policy', 'eu']);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${AWS_STACK} \\(AWS::CloudFormation::Stack\\)$`, 'm'));
    const line = result.stdout.split('\n').find((text) => text.includes('LCG-RES-002'));
    expect(line).toBeDefined();
    expect(line).toContain(`Stack "${AWS_STACK}" deploys outside the allowed jurisdiction.`);
    expect(line).toMatch(/Found: region = eu-west-2 \(Europe \(London\), GB\)\./);
    expect(line).toMatch(/Expected: [^.]*EU/);
    expect(line).toMatch(/Fix: deploy the stack to /);
    expect(result.stdout).toMatch(/^FAIL \d+ error\(s\)/m);
  });

  test('GIVEN an audit log group kept 90 days WHEN checked under eu (SOC 2 year) THEN it exits 1 with LCG-RET-001 on the log group construct path', () => {
    const result = runCli(['check', shortAuditRetentionApp, '--policy', 'eu']);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${AWS_AUDIT_LOG_GROUP_PATH} \\(AWS::Logs::LogGroup, AuditLogs`, 'm'));
    expect(result.stdout).toMatch(/LCG-RET-001 .*Found: RetentionInDays = 90 days\. Expected: at least 365 days\. Fix: set RetentionInDays to 365/);
  });

  test('GIVEN an Azure resource group and workspace in uksouth WHEN checked under eu THEN it exits 1 with LCG-RES-001 on both Terraform addresses', () => {
    const result = runCli(['check', ukSouthAzureApp, '--policy', 'eu']);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${AZURE_WORKSPACE_PATH} (azurerm_log_analytics_workspace, ${AZURE_WORKSPACE})`);
    const findings = result.stdout.split('\n').filter((text) => text.includes('LCG-RES-001'));
    expect(findings).toHaveLength(2);
    expect(findings.join('\n')).toContain(AZURE_RESOURCE_GROUP);
    for (const finding of findings) expect(finding).toMatch(/Found: location = uksouth \(UK South, GB\)\. Expected: .*EU.*\. Fix: move it: set "location" to /);
  });

  test('GIVEN a Log Analytics workspace kept 30 days WHEN checked under soc2 THEN it exits 1 with LCG-RET-003, found 30 days, expected 365, and the fix', () => {
    const result = runCli(['check', shortWorkspaceRetentionApp, '--policy', 'soc2']);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain(AZURE_WORKSPACE_PATH);
    expect(result.stdout).toMatch(/LCG-RET-003 .*Found: retention_in_days = 30 days\. Expected: at least 365 days\. Fix: set retention_in_days = 365/);
  });
});

describe('check: exit code 2, one line on stderr, no stack trace, for unusable input', () => {
  test('GIVEN a directory that does not exist WHEN checked THEN it exits 2 naming the path', () => {
    const missing = path.join(tempDir('missing'), 'cdk.out');

    expectUsageError(runCli(['check', missing, '--policy', 'eu']), missing, 'no such file or directory');
  });

  test('GIVEN a cdk.out whose template was cut short WHEN checked THEN it exits 2 naming the template and "invalid JSON"', () => {
    const damaged = copyOutput(frankfurtApp);
    const template = path.join(damaged, `${AWS_STACK}.template.json`);
    const text = fs.readFileSync(template, 'utf8');
    fs.writeFileSync(template, text.slice(0, Math.floor(text.length / 2)));

    expectUsageError(runCli(['check', damaged, '--policy', 'eu']), template, 'invalid JSON', 'synthesize again');
  });

  test('GIVEN a cdktf.out whose stack file was cut short WHEN checked THEN it exits 2 naming the stack file', () => {
    const damaged = copyOutput(compliantTerraformApp);
    const stackFile = path.join(damaged, 'stacks', 'azure-assistant', 'cdk.tf.json');
    fs.writeFileSync(stackFile, fs.readFileSync(stackFile, 'utf8').slice(0, 40));

    expectUsageError(runCli(['check', damaged, '--policy', 'eu']), stackFile, 'invalid JSON');
  });

  test('GIVEN a JSON policy file with an unknown key WHEN checked THEN it exits 2 naming the file, the key and the allowed keys', () => {
    const policy = writePolicyFile('policy.json', { extends: 'eu', auditRetentionDays: 400 });

    expectUsageError(runCli(['check', frankfurtApp, '--policy', policy]), policy, 'unknown policy key "auditRetentionDays"', 'allowed keys:');
  });

  test('GIVEN a YAML policy file with a bad value WHEN checked THEN it exits 2 naming the file, the key and the value', () => {
    const policy = writePolicyFile('policy.yaml', 'extends: soc2\nminAuditLogRetentionDays: one year\n');

    expectUsageError(runCli(['check', frankfurtApp, '--policy', policy]), policy, '"minAuditLogRetentionDays" must be a whole number of days, found "one year"');
  });

  test('GIVEN a YAML policy file that is not YAML WHEN checked THEN it exits 2 saying so', () => {
    const policy = writePolicyFile('broken.yaml', 'extends: [eu\n');

    expectUsageError(runCli(['check', frankfurtApp, '--policy', policy]), policy, 'is not valid YAML');
  });

  test('GIVEN an unknown preset WHEN checked THEN it exits 2 listing the presets', () => {
    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'gdpr-strict']), 'unknown policy preset "gdpr-strict"', 'eu, us-hipaa, soc2');
  });

  test('GIVEN an unknown --format WHEN checked THEN it exits 2 listing the formats', () => {
    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'eu', '--format', 'html']), 'unknown format "html"', 'text, json, sarif, junit');
  });

  test('GIVEN no --policy and no cdk.json in the working directory WHEN checked THEN it exits 2 saying how to give one', () => {
    expectUsageError(runCli(['check', frankfurtApp], { cwd: tempDir('no-policy') }), 'no policy given', '--policy');
  });

  test('GIVEN an unknown option WHEN checked THEN it exits 2 with the first line of the parser message only', () => {
    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'eu', '--strict']), "Unknown option '--strict'");
  });

  test('GIVEN an --output path that cannot be created (under /proc) WHEN checked THEN it exits 2 promptly instead of hanging', () => {
    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'eu', '--output', '/proc/llm-guardrail-no-such-dir/report.txt']), 'cannot write', 'choose a writable path');
  });
});

describe('check --output', () => {
  test('GIVEN --output in a folder that does not exist yet WHEN checked THEN the report goes to the file, stdout stays empty and stderr sums up', () => {
    const output = path.join(tempDir('output'), 'reports', 'nested', 'guardrail.json');

    const written = runCli(['check', londonApp, '--policy', 'eu', '--format', 'json', '--output', output]);
    const printed = runCli(['check', londonApp, '--policy', 'eu', '--format', 'json']);

    expect(written.status).toBe(1);
    expect(written.stdout).toBe('');
    expect(written.stderr).toBe(`1 error(s), 0 warning(s); report written to ${output}\n`);
    expect(fs.readFileSync(output, 'utf8')).toBe(printed.stdout);
  });

  test('GIVEN --output under a regular file WHEN checked THEN it exits 2 saying the path cannot be written', () => {
    const file = path.join(tempDir('output'), 'not-a-folder');
    fs.writeFileSync(file, '');

    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'eu', '--output', path.join(file, 'report.txt')]), 'cannot write');
  });
});

describe('check --sarif, --junit, --json: the other formats in the same run, for CI', () => {
  test('GIVEN a failing app WHEN checked with all three THEN the text report goes to stdout, each file equals what --format gives, and the exit code is the same', () => {
    const directory = tempDir('extra-formats');
    const files = { sarif: path.join(directory, 'out', 'guardrail.sarif'), junit: path.join(directory, 'guardrail.xml'), json: path.join(directory, 'guardrail.json') };

    const result = runCli(['check', londonApp, '--policy', 'eu', '--sarif', files.sarif, '--junit', files.junit, '--json', files.json]);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe(runCli(['check', londonApp, '--policy', 'eu']).stdout);
    for (const format of ['sarif', 'junit', 'json'] as const) expect(fs.readFileSync(files[format], 'utf8')).toBe(runCli(['check', londonApp, '--policy', 'eu', '--format', format]).stdout);
  });

  test('GIVEN a passing app WHEN checked with --sarif THEN it exits 0 and the SARIF run has no results', () => {
    const sarif = path.join(tempDir('extra-formats'), 'guardrail.sarif');
    expect(runCli(['check', frankfurtApp, '--policy', 'eu', '--sarif', sarif]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results).toEqual([]);
  });

  test('GIVEN --sarif under a regular file WHEN checked THEN it exits 2 saying the path cannot be written', () => {
    const file = path.join(tempDir('extra-formats'), 'not-a-folder');
    fs.writeFileSync(file, '');
    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'eu', '--sarif', path.join(file, 'guardrail.sarif')]), 'cannot write');
  });
});

describe('check --format json', () => {
  test('GIVEN a non-compliant cdktf.out WHEN checked with --format json THEN stdout is one JSON document with findings and summary', () => {
    const result = runCli(['check', shortWorkspaceRetentionApp, '--policy', 'soc2', '--format', 'json']);

    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual(
      expect.objectContaining({
        findings: [
          expect.objectContaining({
            ruleId: 'LCG-RET-003',
            severity: 'error',
            category: 'retention',
            resource: expect.objectContaining({ id: AZURE_WORKSPACE, type: 'azurerm_log_analytics_workspace', path: AZURE_WORKSPACE_PATH, stack: 'azure-assistant' }),
            message: expect.stringContaining('Found: retention_in_days = 30 days. Expected: at least 365 days. Fix: set retention_in_days = 365'),
            found: 'retention_in_days = 30 days',
            expected: 'at least 365 days',
            fix: 'set retention_in_days = 365',
          }),
        ],
        summary: expect.objectContaining({ errors: 1, warnings: 0, suppressed: 0, stacks: 1, resources: 2 }),
      }),
    );
    expect(report.policy).toEqual(expect.objectContaining({ name: 'soc2', minAuditLogRetentionDays: 365 }));
  });

  test('GIVEN a compliant input WHEN checked with --format json THEN findings is empty and the summary counts the checks', () => {
    const result = runCli(['check', compliantTerraformApp, '--policy', 'eu', '--format', 'json']);

    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual(expect.objectContaining({ errors: 0, stacks: 2, resources: 5 }));
    expect(report.summary.checks).toBeGreaterThan(0);
  });
});

describe('check: policy from the project context', () => {
  test('GIVEN cdk.json with "llm-guardrail:policy": "eu" in the working directory WHEN checked without --policy THEN the eu preset judges the London stack', () => {
    const project = tempDir('project');
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js', context: { 'llm-guardrail:policy': 'eu' } }));

    const london = runCli(['check', londonApp], { cwd: project });
    const frankfurt = runCli(['check', frankfurtApp], { cwd: project });

    expect(london.status).toBe(1);
    expect(london.stdout).toContain('LCG-RES-002');
    expect(london.stdout).toMatch(/policy eu\n$/);
    expect(frankfurt.status).toBe(0);
  });

  test('GIVEN cdk.json naming a policy file relative to the project WHEN checked without --policy THEN that file is loaded', () => {
    const project = tempDir('project');
    fs.mkdirSync(path.join(project, 'policy'));
    fs.writeFileSync(path.join(project, 'policy', 'audit.yaml'), 'extends: soc2\nname: audit-two-years\nminAuditLogRetentionDays: 730\n');
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ context: { 'llm-guardrail:policy': 'policy/audit.yaml' } }));

    const result = runCli(['check', frankfurtApp], { cwd: project });

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/LCG-RET-001 .*Expected: at least 730 days/);
    expect(result.stdout).toMatch(/policy audit-two-years\n$/);
  });

  test('GIVEN cdk.json naming a policy AND --policy on the command line WHEN checked THEN the command line wins', () => {
    const project = tempDir('project');
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ context: { 'llm-guardrail:policy': 'eu' } }));

    const result = runCli(['check', londonApp, '--policy', 'soc2'], { cwd: project });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/policy soc2\n$/);
  });

  test('GIVEN cdk.json that is not valid JSON WHEN checked without --policy THEN it exits 2 naming cdk.json', () => {
    const project = tempDir('project');
    fs.writeFileSync(path.join(project, 'cdk.json'), '{ "context": ');

    expectUsageError(runCli(['check', londonApp], { cwd: project }), 'cdk.json', 'invalid JSON');
  });
});

describe('check: acknowledgements and the exit code', () => {
  const acknowledgement = {
    ruleId: 'LCG-RET-003',
    resource: AZURE_WORKSPACE,
    reason: 'Workspace is being replaced by the central SIEM workspace (CHG-1234)',
    expires: '2026-12-31',
  };
  const policyWith = (expires: string): string => writePolicyFile('policy.json', { extends: 'soc2', suppressions: [{ ...acknowledgement, expires }] });

  test('GIVEN the only finding acknowledged until 2026-12-31 WHEN checked on 2026-12-31 THEN it exits 0 and the acknowledgement is shown', () => {
    const result = runCli(['check', shortWorkspaceRetentionApp, '--policy', policyWith('2026-12-31'), '--today', '2026-12-31']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(acknowledgement.reason);
    expect(result.stdout).toMatch(/^PASS 0 error\(s\), 0 warning\(s\), 1 acknowledged/m);
  });

  test('GIVEN the same acknowledgement WHEN checked on 2027-01-01 THEN it has expired: exit 1 with LCG-SUP-001 and the finding back', () => {
    const result = runCli(['check', shortWorkspaceRetentionApp, '--policy', policyWith('2026-12-31'), '--today', '2027-01-01']);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/LCG-SUP-001 Acknowledgement of LCG-RET-003 for azurerm_log_analytics_workspace\.audit-logs expired on 2026-12-31\./);
    expect(result.stdout).toMatch(/LCG-RET-003 .*retention_in_days = 30 days/);
  });

  test('GIVEN an acknowledgement for a resource with no finding WHEN checked THEN it is a warning only: exit 0', () => {
    const policy = writePolicyFile('policy.json', { extends: 'soc2', suppressions: [{ ...acknowledgement, resource: 'azurerm_log_analytics_workspace.elsewhere' }] });

    const result = runCli(['check', compliantTerraformApp, '--policy', policy, '--today', '2026-06-01']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/warning LCG-SUP-002 Acknowledgement of LCG-RET-003 for azurerm_log_analytics_workspace\.elsewhere matches no finding\./);
  });

  test('GIVEN --today that is not a date WHEN checked THEN it exits 2', () => {
    expectUsageError(runCli(['check', frankfurtApp, '--policy', 'eu', '--today', '31/12/2026']), '--today must be YYYY-MM-DD');
  });
});

describe('other commands', () => {
  test('GIVEN `rules` WHEN run THEN it lists every rule id with severity and category and exits 0', () => {
    const result = runCli(['rules']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^LCG-RES-001 +error +residency +\S/m);
    expect(result.stdout).toMatch(/^LCG-RET-003 +error +retention +Log Analytics/m);
  });

  test('GIVEN no command WHEN run THEN it prints the usage and exits 2', () => {
    const result = runCli([]);

    expect(result.status).toBe(2);
    expect(result.stdout).toContain('Usage: llm-guardrail <command>');
  });

  test('GIVEN an unknown command WHEN run THEN it exits 2 with one line', () => {
    expectUsageError(runCli(['validate']), 'unknown command "validate"', 'check, rules, regions, providers, evidence, docs, verify, catalog, help');
  });

  test('GIVEN `regions aws --jurisdiction EU` WHEN run THEN Frankfurt is listed and London and Zurich are not', () => {
    const result = runCli(['regions', 'aws', '--jurisdiction', 'EU']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^eu-central-1 +DE +Europe \(Frankfurt\)$/m);
    expect(result.stdout).not.toMatch(/^eu-west-2 /m);
    expect(result.stdout).not.toMatch(/^eu-central-2 /m);
  });

  test('GIVEN `regions google` WHEN run THEN every location is listed, global with no fixed country', () => {
    const result = runCli(['regions', 'google']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^europe-west6 +CH /m);
    expect(result.stdout).toMatch(/^global +anywhere /m);
  });

  test('GIVEN `regions` with an unknown cloud or jurisdiction WHEN run THEN it exits 2 with one line', () => {
    expectUsageError(runCli(['regions', 'oracle']), 'expected a cloud (aws, azure or google)', 'llm-guardrail regions aws');
    expectUsageError(runCli(['regions', 'aws', '--jurisdiction', 'Mars']), 'unknown jurisdiction "Mars"', 'EU');
  });

  test('GIVEN --version WHEN run THEN it prints the package version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

    expect(runCli(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('what users of command-line tools expect', () => {
  test.each(['check', 'rules', 'regions', 'docs', 'verify', 'catalog'])('GIVEN `%s --help` WHEN run THEN it prints that command\'s usage and exits 0', (command) => {
    const result = runCli([command, '--help']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Usage: llm-guardrail ${command}`));
  });

  test.each(['--version', '-V', '-v', 'version'])('GIVEN `%s` WHEN run THEN it prints the version', (flag) => {
    const result = runCli([flag]);
    expect(result).toEqual({ status: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  test('GIVEN the general usage THEN it lists every exit code', () => {
    const usage = runCli(['help']).stdout;
    for (const code of ['0 no error-level finding', '1 error-level findings', '2 input, policy or arguments unusable', '3 internal error']) expect(usage).toContain(code);
  });

  test('GIVEN FORCE_COLOR=1 without a terminal, and FORCE_COLOR=0 on one WHEN checked THEN colours follow FORCE_COLOR', () => {
    const template = path.join(tempDir('color'), 'template.json');
    fs.writeFileSync(template, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }));
    expect(runCli(['check', template, '--policy', 'eu'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(runCliInProcessOnTerminal(['check', template, '--policy', 'eu'], { FORCE_COLOR: '0' }).stdout).not.toContain('\u001b[');
    expect(runCliInProcessOnTerminal(['check', template, '--policy', 'eu'], {}).stdout).toContain('\u001b[');
  });
});

function runCliInProcessOnTerminal(args: string[], env: { [name: string]: string }): CliResult {
  return runCli(args, { env, isTty: true } as Parameters<typeof runCli>[1]);
}
