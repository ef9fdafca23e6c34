/**
 * Every command the shipped READMEs tell a reader to run, run as written with
 * `sh -c` in a copy of the repository (what a fresh clone holds, with the
 * dependencies `npm ci` installed), in an order where each input exists
 * because an earlier command made it — exactly as the READMEs say it is made.
 * The table below lists each command once with the exit code it must give;
 * a command the READMEs show that the table lacks, or the reverse, fails the
 * test, so the table and the READMEs cannot drift apart. The few commands not
 * run here name the test or CI step that runs them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FakeBedrock } from '../support/fake-bedrock';
import { REPOSITORY_ROOT, STACK_FRAME, ShellResult, cloneWorkspace, readmeCommands, shell, userEnvironment } from '../support/readme';

const READMES = ['README.md', 'constructs/azure/README.md', 'constructs/google/README.md', 'lib/docs/README.md', 'examples/azure/README.md'];

interface Run {
  readonly exit: number;
  /** Text the output (stdout and stderr) must contain. */
  readonly says?: readonly string[];
  /** Files the command writes, relative to the workspace. */
  readonly writes?: readonly string[];
}

interface NotRun {
  /** Why not here, and where it is run instead: that file must contain `marker`. */
  readonly reason: string;
  readonly coveredBy: string;
  readonly marker: string;
}

/** In the order they run: each command's inputs are made by a command above it. */
const COMMANDS: readonly (readonly [string, Run | NotRun])[] = [
  ['npx cdk synth -c llm-guardrail:example-violation=true', { exit: 1, says: ['LCG-RES-010', 'global.'] }],
  ['npx cdk synth', { exit: 0, writes: ['cdk.out/manifest.json', 'cdk.out/llm-guardrail-report.json', 'cdk.out/data-flow.md'] }],
  ['npx llm-guardrail check cdk.out', { exit: 0, says: ['PASS', 'policy eu'] }],
  ['npx llm-guardrail check cdk.out --policy eu', { exit: 0, says: ['PASS', 'policy eu'] }],
  ['npx llm-guardrail docs cdk.out --policy eu --out docs/data-flow', { exit: 0, writes: ['docs/data-flow/data-flow.md', 'docs/data-flow/data-flow.json', 'docs/data-flow/data-flow.html'] }],
  ['npx llm-guardrail docs cdk.out --policy eu --check docs/data-flow', { exit: 0 }],
  ['npx llm-guardrail docs cdk.out --policy eu --diff docs/data-flow', { exit: 0, says: ['No change to where data goes'] }],
  ['npx llm-guardrail docs cdk.out --policy eu --out docs', { exit: 0, writes: ['docs/data-flow.md', 'docs/data-flow.json', 'docs/data-flow.html'] }],
  ['npx llm-guardrail docs cdk.out --policy eu --check docs', { exit: 0 }],
  ['npx tsx examples/azure/main.ts', { exit: 0, writes: ['cdktf.out/manifest.json'] }],
  ['cat cdktf.out/stacks/llm-eu/llm-guardrail-report.json', { exit: 0, says: ['"errors": 0'] }],
  ['npx llm-guardrail check cdktf.out --policy eu', { exit: 0, says: ['PASS'] }],
  // The README: "the example's westeurope is outside its Azure allow-list, so that check exits 1".
  ['npx llm-guardrail check cdktf.out --policy policy/eea.yaml --format sarif --output guardrail.sarif', { exit: 1, writes: ['guardrail.sarif'] }],
  ['npx tsx examples/azure/main-failing.ts', { exit: 1, says: ['LCG-RES-030', 'GlobalStandard'] }],
  ['npx tsx examples/google/main.ts', { exit: 0, says: ['the eu policy holds'] }],
  // plan.json is written by this test (below), as `terraform show -json` would: an Azure OpenAI account with no diagnostic setting.
  ['npx llm-guardrail check plan.json --policy us-hipaa --format junit --output guardrail.xml', { exit: 1, writes: ['guardrail.xml'] }],
  ['npx llm-guardrail rules', { exit: 0, says: ['LCG-RES-010', 'LCG-LOG-030'] }],
  ['npx llm-guardrail providers', { exit: 0, says: ['openai/api', 'eu.api.openai.com', 'As of '] }],
  ['npx llm-guardrail evidence --providers policy/providers.yaml --format ical --output evidence.ics', { exit: 0, writes: ['evidence.ics'] }],
  ['npx llm-guardrail check cdk.out --policy eu --providers policy/providers.yaml --today 2026-11-29', { exit: 0, says: ['PASS'] }],
  // Against an account (the local Bedrock stand-in) where the app is not deployed yet.
  ['npx llm-guardrail verify aws cdk.out --policy eu', { exit: 1, says: ['LCG-VER-001'] }],
  ['npx llm-guardrail catalog refresh aws --regions eu-central-1,eu-west-1 --out policy/inference-profiles.json', { exit: 0, writes: ['policy/inference-profiles.json'] }],
  ['npx llm-guardrail check cdk.out --policy eu --catalog policy/inference-profiles.json', { exit: 0, says: ['PASS'] }],
  ['npx tsx bin/example-app.ts', { exit: 0 }],
  ['npx llm-guardrail check examples/terraform/azure-openai --policy eu', { exit: 0, says: ['PASS'] }],
  ['npx llm-guardrail check examples/sam/template.yaml --policy eu --region eu-central-1 --account 111122223333', { exit: 1, says: ['LCG-RES-014', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'] }],
  ['npx llm-guardrail check examples/terraform/azure-openai --policy eu --var location=eastus', { exit: 1, says: ['LCG-RES-001', 'Values from variables: var.location = "eastus" (--var)'] }],
  ['terraform plan -out plan.out', { reason: 'needs Terraform, its providers and cloud credentials; the plan JSON reader is tested on plan documents', coveredBy: 'test/e2e/readme-commands.test.ts', marker: "format_version: '1.2'" }],
  ['terraform show -json plan.out > plan.json', { reason: 'needs Terraform and a plan file; this test writes plan.json as that command would', coveredBy: 'test/e2e/readme-commands.test.ts', marker: "fs.writeFileSync(path.join(workspace, 'plan.json')" }],
  ['npx llm-guardrail check plan.json --policy eu', { exit: 1, says: ['LCG-LOG-030'] }],
  ['npm ci', { reason: 'installs the dependencies this test uses; CI runs it first', coveredBy: '.ci/run', marker: 'npm ci' }],
  ['npm test', { reason: 'runs this test', coveredBy: '.ci/run', marker: 'npm test' }],
  ['npm run test:unit', { reason: 'a subset of npm test', coveredBy: 'package.json', marker: '"test:unit"' }],
  ['npm run rules-doc', { reason: 'rewrites RULES.md; the test compares RULES.md with what it generates', coveredBy: 'test/foundation/rules-doc.test.ts', marker: 'RULES.md' }],
  ['npm install llm-compliance-guardrail', { reason: 'installs from the registry; the consumer test unpacks the packed tarball (npm pack) into new apps instead', coveredBy: 'test/e2e/consumer.test.ts', marker: "run('npm', ['pack'" }],
  ['npx -p llm-compliance-guardrail llm-guardrail check cdk.out', { reason: 'fetches the published package; the consumer test runs the command from the installed tarball', coveredBy: 'test/e2e/consumer.test.ts', marker: "'llm-guardrail', 'check', failing" }],
  ['npx cdk synth -c llm-guardrail:policy=us-hipaa', { reason: 'the cdk CLI test runs it with the same example app', coveredBy: 'test/e2e/cdk-cli.test.ts', marker: 'llm-guardrail:policy=us-hipaa' }],
  ['npx llm-guardrail check <output> --policy <policy> --sarif <file> --junit <file>', { reason: 'a template (the angle brackets are placeholders); the GitLab job runs it with real values in the CI recipes test', coveredBy: 'ci/gitlab-ci.yml', marker: 'npx llm-guardrail check cdk.out --policy eu --junit llm-guardrail.xml --sarif llm-guardrail.sarif' }],
  ['npx tsx main.ts', { reason: 'main.ts is the README\'s CDKTF app; the code-block test writes it as main.ts and runs this command', coveredBy: 'test/e2e/readme-code.test.ts', marker: "'npx tsx main.ts'" }],
  [
    `curl -X POST -H "Authorization: Bearer $(gcloud auth print-access-token)" -H 'Content-Type: application/json' "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-vertex-eu/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent" -d '{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}'`,
    { reason: 'calls Vertex AI in a Google Cloud project; the README shows the regional host the construct returns, which the construct test checks', coveredBy: 'test/google/constructs.test.ts', marker: 'europe-west4-aiplatform.googleapis.com' },
  ],
];

const RUN = COMMANDS.filter((entry): entry is readonly [string, Run] => 'exit' in entry[1]);
const NOT_RUN = COMMANDS.filter((entry): entry is readonly [string, NotRun] => 'reason' in entry[1]);

/** A Terraform plan as `terraform show -json` writes it: an Azure OpenAI account in East US, with no diagnostic setting. */
const PLAN = {
  format_version: '1.2',
  terraform_version: '1.9.8',
  planned_values: {
    root_module: {
      resources: [
        {
          address: 'azurerm_cognitive_account.openai',
          mode: 'managed',
          type: 'azurerm_cognitive_account',
          name: 'openai',
          provider_name: 'registry.terraform.io/hashicorp/azurerm',
          values: { name: 'acme-openai-us', kind: 'OpenAI', location: 'eastus', resource_group_name: 'rg-llm-us', sku_name: 'S0', custom_subdomain_name: 'acme-openai-us', public_network_access_enabled: false, local_auth_enabled: false },
        },
      ],
    },
  },
};

describe('the commands of the READMEs, run as written in a fresh copy of the repository', () => {
  const bedrock = new FakeBedrock();
  let workspace: string;
  const results = new Map<string, ShellResult>();

  beforeAll(async () => {
    await bedrock.start();
    for (const region of ['eu-central-1', 'eu-west-1']) {
      bedrock.listedProfiles.set(region, [{ inferenceProfileId: 'eu.anthropic.claude-3-haiku-20240307-v1:0', models: ['eu-central-1', 'eu-west-1', 'eu-west-3'].map((to) => `arn:aws:bedrock:${to}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`) }]);
    }
    workspace = cloneWorkspace('readme-commands');
    fs.writeFileSync(path.join(workspace, 'plan.json'), JSON.stringify(PLAN, null, 2));
    // The AWS SDK's usual configuration, pointed at the stand-in: what `verify` and `catalog refresh` read.
    const env = userEnvironment({ AWS_ENDPOINT_URL_BEDROCK: bedrock.url, AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_MAX_ATTEMPTS: '1' });
    for (const [command] of RUN) results.set(command, await shell(command, workspace, env));
  }, 900_000);

  afterAll(() => bedrock.stop());

  test('THEN the table holds exactly the commands the READMEs show', () => {
    const shown = READMES.flatMap((readme) => readmeCommands(fs.readFileSync(path.join(REPOSITORY_ROOT, readme), 'utf8')));
    expect([...new Set(shown)].sort()).toEqual(COMMANDS.map(([command]) => command).sort());
  });

  test.each(RUN)('`%s` exits as the README says, writes what it says, and prints no stack trace', (command, expected) => {
    const result = results.get(command)!;
    const output = result.stdout + result.stderr;
    expect({ command, status: result.status, output: result.status === expected.exit ? '' : output.slice(-3000) }).toEqual({ command, status: expected.exit, output: '' });
    for (const text of expected.says ?? []) expect(output).toContain(text);
    for (const file of expected.writes ?? []) expect(fs.existsSync(path.join(workspace, file)) ? file : `${file} is missing`).toBe(file);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  test.each(NOT_RUN)('`%s` is run elsewhere, where the table says', (_, notRun) => {
    expect(fs.readFileSync(path.join(REPOSITORY_ROOT, notRun.coveredBy), 'utf8')).toContain(notRun.marker);
  });

  test('THEN the SARIF, JUnit and catalog files they wrote are what their formats say', () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'guardrail.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toContain('LCG-RES-001');
    expect(fs.readFileSync(path.join(workspace, 'guardrail.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*LCG-LOG-030/);
    const catalog = JSON.parse(fs.readFileSync(path.join(workspace, 'policy', 'inference-profiles.json'), 'utf8'));
    expect(catalog.geographies.eu).toMatchObject({ destinationRegions: ['eu-central-1', 'eu-west-1', 'eu-west-3'], sourceRegions: ['eu-central-1', 'eu-west-1'] });
  });
});
