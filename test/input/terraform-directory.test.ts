/**
 * A directory of Terraform as teams write it, checked as `llm-guardrail check
 * ./infra` checks it: a root module in the style of the public Azure OpenAI
 * modules (examples/terraform/azure-openai: a local module, tfvars, a
 * count toggle, a dynamic block, for_each deployments), and variations of it
 * that break the policy, or leave a value known only at plan time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadInputAsync } from '../../lib/input/load';
import { HclValue, NotEvaluable, evaluateExpression } from '../../lib/input/hcl-expressions';
import { runCliAsyncInProcess } from '../support/cli';
import { gateErrors, tfGraph } from '../support/rules';
import { tempDir } from '../support/synth';

const FIXTURE = path.join(__dirname, '..', '..', 'examples', 'terraform', 'azure-openai');

/** A copy of the fixture, changed by `edit` (file → new content, or null to delete). */
function project(edit: { [file: string]: string | null } = {}): string {
  const directory = path.join(tempDir('tf'), 'infra');
  fs.cpSync(FIXTURE, directory, { recursive: true });
  for (const [file, content] of Object.entries(edit)) {
    if (content === null) fs.rmSync(path.join(directory, file));
    else fs.writeFileSync(path.join(directory, file), content);
  }
  return directory;
}

function replaceIn(file: string, from: string | RegExp, to: string): string {
  const text = fs.readFileSync(path.join(FIXTURE, file), 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: ${from} not found`);
  return changed;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  cannotVerify: boolean;
  message: string;
  resource: { id: string; source?: { file: string; line: number } };
  variables?: { name: string; value: string; from: string }[];
}

async function check(directory: string, ...args: string[]) {
  const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--format', 'json', ...args], { cwd: path.dirname(directory) });
  const report = result.stdout ? (JSON.parse(result.stdout) as { findings: JsonFinding[]; summary: { errors: number } }) : undefined;
  return { ...result, report, errors: (report?.findings ?? []).filter((finding) => finding.severity === 'error') };
}

describe('a Terraform root module with a local module, tfvars, a count toggle, a dynamic block and for_each deployments', () => {
  test('GIVEN the module as written (terraform.tfvars: swedencentral, one Standard deployment) WHEN checked THEN it passes', async () => {
    const result = await check(project());
    expect({ status: result.status, errors: result.errors.map((finding) => `${finding.ruleId} ${finding.resource.id}`) }).toEqual({ status: 0, errors: [] });
  });

  test('GIVEN the directory WHEN loaded THEN modules are expanded with their addresses, instances are named by count and key, and each resource has the line that declares it', async () => {
    const { kind, graph } = await loadInputAsync(project());
    expect(kind).toBe('terraform-directory');
    expect(graph.resources.map((resource) => resource.id).sort()).toEqual([
      'azurerm_key_vault.keys',
      'azurerm_key_vault_key.openai',
      'azurerm_log_analytics_workspace.audit',
      'azurerm_monitor_diagnostic_setting.openai[0]',
      'azurerm_resource_group.this',
      'azurerm_user_assigned_identity.openai',
      'module.openai.azurerm_cognitive_account.this',
      'module.openai.azurerm_cognitive_deployment.this["chat"]',
    ]);
    const account = graph.resources.find((resource) => resource.id === 'module.openai.azurerm_cognitive_account.this')!;
    expect(account.properties.location).toBe('swedencentral');
    expect(account.source).toEqual({ file: expect.stringMatching(/modules\/openai\/main\.tf$/), line: 1 });
    const setting = graph.resources.find((resource) => resource.id === 'azurerm_monitor_diagnostic_setting.openai[0]')!;
    expect(setting.properties.enabled_log).toEqual([{ category: 'Audit' }, { category: 'RequestResponse' }, { category: 'AzureOpenAIRequestUsage' }]);
    expect(graph.resources.find((resource) => resource.id.endsWith('this["chat"]'))!.properties.sku).toEqual([{ name: 'Standard' }]);
  });

  test('GIVEN --var location=eastus WHEN checked THEN every resource placed by it fails LCG-RES-001, and each finding says the value came from --var', async () => {
    const result = await check(project(), '--var', 'location=eastus');
    expect(result.status).toBe(1);
    const residency = result.errors.filter((finding) => finding.ruleId === 'LCG-RES-001');
    expect(residency.map((finding) => finding.resource.id)).toEqual(expect.arrayContaining(['azurerm_resource_group.this', 'module.openai.azurerm_cognitive_account.this', 'azurerm_log_analytics_workspace.audit']));
    for (const finding of residency) expect(finding.message).toContain('Values from variables: var.location = "eastus" (--var).');
  });

  test('GIVEN no terraform.tfvars WHEN checked THEN the default eastus is used and named as the default, with its line', async () => {
    const result = await check(project({ 'terraform.tfvars': null }));
    expect(result.status).toBe(1);
    const group = result.errors.find((finding) => finding.ruleId === 'LCG-RES-001' && finding.resource.id === 'azurerm_resource_group.this')!;
    expect(group.variables).toEqual([{ name: 'var.location', value: '"eastus"', from: 'default at variables.tf:1' }]);
  });

  test('GIVEN TF_VAR_location in the environment and a -var-file, in Terraform\'s order THEN the later source wins', async () => {
    const directory = project();
    fs.writeFileSync(path.join(path.dirname(directory), 'prod.tfvars'), 'location = "francecentral"\n');
    const fromEnvironment = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--format', 'json', '--var', 'location=uksouth'], { cwd: path.dirname(directory), env: { TF_VAR_location: 'eastus' } });
    expect((JSON.parse(fromEnvironment.stdout) as { findings: JsonFinding[] }).findings.find((finding) => finding.resource.id === 'azurerm_resource_group.this')?.message).toContain('var.location = "uksouth" (--var)');
    const fromFile = await check(directory, '--var-file', 'prod.tfvars');
    expect(fromFile.status).toBe(0);
  });

  test('GIVEN enable_diagnostics = false (count = 0) WHEN checked THEN the diagnostic setting does not exist and LCG-LOG-030 fails', async () => {
    const result = await check(project(), '--var', 'enable_diagnostics=false');
    expect(result.errors.map((finding) => `${finding.ruleId} ${finding.resource.id} ${finding.cannotVerify}`)).toEqual(['LCG-LOG-030 module.openai.azurerm_cognitive_account.this false']);
  });

  test('GIVEN a deployment of type GlobalStandard from a -var-file WHEN checked THEN LCG-RES-030 names the instance', async () => {
    const directory = project();
    fs.writeFileSync(path.join(directory, 'global.tfvars'), 'deployments = {\n  chat = { model = "gpt-4o", version = "2024-08-06", sku = "GlobalStandard" }\n}\n');
    const result = await check(directory, '--var-file', path.join('infra', 'global.tfvars'));
    expect(result.errors.map((finding) => `${finding.ruleId} ${finding.resource.id}`)).toEqual(['LCG-RES-030 module.openai.azurerm_cognitive_deployment.this["chat"]']);
  });

  test('GIVEN a count decided by a variable with no value WHEN checked THEN LCG-COV-002 says its existence is not verified (never "present")', async () => {
    const result = await check(project({ 'variables.tf': replaceIn('variables.tf', /type {8}= bool\n {2}default {5}= true/, 'type        = bool') }));
    expect(result.status).toBe(1);
    expect(result.errors.map((finding) => `${finding.ruleId} ${finding.resource.id} ${finding.cannotVerify}`)).toEqual(['LCG-COV-002 azurerm_monitor_diagnostic_setting.openai true']);
    expect(result.errors[0].message).toContain('Found: count = ${var.enable_diagnostics ? 1 : 0}');
  });

  test('GIVEN a location variable with no value WHEN checked THEN residency cannot be verified, and the message says where the value was looked for', async () => {
    const result = await check(project({ 'terraform.tfvars': null, 'variables.tf': replaceIn('variables.tf', '  default     = "eastus"\n', '') }));
    const group = result.errors.find((finding) => finding.resource.id === 'azurerm_resource_group.this')!;
    expect(group).toMatchObject({ ruleId: 'LCG-RES-001', cannotVerify: true });
    expect(group.message).toContain('var.location has no value (no default at variables.tf:1; not set in terraform.tfvars, a *.auto.tfvars file, -var-file, --var or TF_VAR_location)');
  });

  test('GIVEN a dynamic block whose for_each is known only at plan time WHEN checked THEN the logs it sends cannot be verified (never "none")', async () => {
    const main = replaceIn('main.tf', 'for_each = toset(local.log_categories)', 'for_each = toset(data.azurerm_monitor_diagnostic_categories.openai.log_category_types)');
    const result = await check(project({ 'main.tf': main }));
    expect(result.errors.map((finding) => `${finding.ruleId} ${finding.cannotVerify}`)).toEqual(['LCG-LOG-030 true']);
  });

  test('GIVEN a module from the registry WHEN checked THEN it is not inspected: LCG-COV-001 says to check the plan JSON', async () => {
    const main = `${fs.readFileSync(path.join(FIXTURE, 'main.tf'), 'utf8')}\nmodule "network" {\n  source  = "Azure/avm-res-network-virtualnetwork/azurerm"\n  version = "0.8.1"\n}\n`;
    const result = await check(project({ 'main.tf': main }));
    const finding = result.errors.find((candidate) => candidate.resource.id === 'module.network')!;
    expect(finding).toMatchObject({ ruleId: 'LCG-COV-001', cannotVerify: true });
    expect(finding.message).toContain('terraform show -json');
  });

  test('GIVEN count = 2 and a for_each over a literal set WHEN loaded THEN each instance is a resource of its own', async () => {
    const main = `${fs.readFileSync(path.join(FIXTURE, 'main.tf'), 'utf8')}\nresource "azurerm_resource_group" "pair" {\n  count    = 2\n  name     = "rg-\${count.index}"\n  location = var.location\n}\n\nresource "azurerm_resource_group" "regions" {\n  for_each = toset(["westeurope", "swedencentral"])\n  name     = "rg-\${each.key}"\n  location = each.value\n}\n`;
    const { graph } = await loadInputAsync(project({ 'main.tf': main }));
    const groups = graph.resources.filter((resource) => /pair|regions/.test(resource.id)).map((resource) => [resource.id, resource.properties.name, resource.properties.location]);
    expect(groups).toEqual([
      ['azurerm_resource_group.pair[0]', 'rg-0', 'swedencentral'],
      ['azurerm_resource_group.pair[1]', 'rg-1', 'swedencentral'],
      ['azurerm_resource_group.regions["swedencentral"]', 'rg-swedencentral', 'swedencentral'],
      ['azurerm_resource_group.regions["westeurope"]', 'rg-westeurope', 'westeurope'],
    ]);
  });
});

describe('unusable Terraform directories: one line, exit 2', () => {
  test.each([
    ['an assignment to a variable the module does not declare', (directory: string) => ['--var', 'region=eastus', directory], 'declares no variable "region"'],
    ['a -var-file that does not exist', (directory: string) => ['--var-file', 'missing.tfvars', directory], 'missing.tfvars: no such variable file'],
    ['--var on an input that is not a Terraform directory', () => ['--var', 'location=eastus', FIXTURE + '/main.tf'], 'this is HCL'],
  ])('GIVEN %s THEN it exits 2 with one line', async (_, args, expected) => {
    const directory = project();
    const result = await runCliAsyncInProcess(['check', ...args(directory), '--policy', 'eu'], { cwd: path.dirname(directory) });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(expected);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('GIVEN a .tf file that is not valid HCL THEN it names the file and the parser\'s message', async () => {
    const directory = project({ 'broken.tf': 'resource "azurerm_resource_group" "x" {\n' });
    const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/broken\.tf: not valid HCL \(.*Unclosed configuration block/);
  });

  test('GIVEN a local module whose source is not a directory THEN it names the call', async () => {
    const directory = project({ 'main.tf': replaceIn('main.tf', 'source = "./modules/openai"', 'source = "./modules/missing"') });
    const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/main\.tf:\d+: module "openai" has source \.\/modules\/missing, which is not a directory/);
  });
});

describe('the expressions evaluated before plan', () => {
  const known: { [name: string]: HclValue } = { enabled: true, location: 'westeurope', names: ['a', 'b', 'a'], sizes: { small: 1 } };
  const lookup = (root: string, steps: readonly string[]): HclValue | undefined => (root === 'var' ? known[steps[0]] : undefined);

  test.each([
    ['var.enabled ? 1 : 0', 1],
    ['!var.enabled ? 1 : 0', 0],
    ['var.enabled ? 1 : length(data.x.y)', 1],
    ['length(toset(var.names))', 2],
    ['lookup(var.sizes, "large", 3)', 3],
    ['"rg-${var.location}"', 'rg-westeurope'],
    ['var.location == "westeurope" && var.enabled', true],
    ['{ a = 1, "b" = [2, 3] }', { a: 1, b: [2, 3] }],
    ['"false" ? 1 : 2', 2],
  ])('GIVEN %s THEN it evaluates to %p', (expression, value) => {
    expect(evaluateExpression(expression, lookup)).toEqual(value);
  });

  test.each(['data.azurerm_client_config.current.tenant_id', 'var.unknown', 'var.enabled ? azurerm_resource_group.x.location : "a"', '[for s in var.names : upper(s)]', 'templatefile("x.tpl", {})', 'var.location ? 1 : 0'])('GIVEN %s THEN it is not evaluable before plan', (expression) => {
    expect(() => evaluateExpression(expression, lookup)).toThrow(NotEvaluable);
  });
});

describe('where findings point in a Terraform directory', () => {
  test('GIVEN a finding on a resource of a local module WHEN reported as text and SARIF THEN both name the .tf line that declares it', async () => {
    const directory = project();
    const text = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--var', 'location=eastus'], { cwd: path.dirname(directory) });
    expect(text.stdout).toContain(`declared at ${path.join(directory, 'modules', 'openai', 'main.tf')}:1`);
    const sarif = JSON.parse((await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--var', 'location=eastus', '--format', 'sarif'], { cwd: path.dirname(directory) })).stdout);
    const account = sarif.runs[0].results.find((result: { locations: { logicalLocations?: { fullyQualifiedName: string }[] }[] }) => result.locations[0].logicalLocations?.[0].fullyQualifiedName.endsWith('module.openai.azurerm_cognitive_account.this'));
    expect(account.locations[1]).toMatchObject({ physicalLocation: { artifactLocation: { uri: 'infra/modules/openai/main.tf' }, region: { startLine: 1 } }, message: { text: 'module.openai.azurerm_cognitive_account.this is declared here' } });
  });
});

describe('count and for_each in a Terraform JSON file (cdk.tf.json, *.tf.json)', () => {
  const account = { name: 'oai', location: 'westeurope', resource_group_name: 'rg', kind: 'OpenAI', sku_name: 'S0' };
  const setting = (meta: object) => ({ name: 'logs', target_resource_id: '${azurerm_cognitive_account.openai.id}', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.logs.id}', enabled_log: [{ category: 'Audit' }, { category: 'RequestResponse' }], ...meta });
  const document = (meta: object) => ({
    resource: {
      azurerm_cognitive_account: { openai: account },
      azurerm_log_analytics_workspace: { logs: { name: 'law', location: 'westeurope', resource_group_name: 'rg', retention_in_days: 365 } },
      azurerm_monitor_diagnostic_setting: { logs: setting(meta) },
    },
  });

  test.each([
    ['count = 0', { count: 0 }, ['LCG-LOG-030 azurerm_cognitive_account.openai']],
    ['for_each = {}', { for_each: {} }, ['LCG-LOG-030 azurerm_cognitive_account.openai']],
    ['count = 1', { count: 1 }, []],
    ['count from a variable', { count: '${var.diagnostics ? 1 : 0}' }, ['LCG-COV-002 azurerm_monitor_diagnostic_setting.logs']],
  ])('GIVEN the diagnostic setting with %s THEN the gate judges it as existing that many times', (_, meta, expected) => {
    expect(gateErrors(tfGraph(document(meta)), 'soc2')).toEqual(expected);
  });

  test('GIVEN for_each over a literal map THEN each instance gets its key and value', () => {
    const graph = tfGraph({ resource: { azurerm_resource_group: { groups: { for_each: { eu: 'westeurope', se: 'swedencentral' }, name: 'rg-${each.key}', location: '${each.value}' } } } });
    expect(graph.resources.map((resource) => [resource.id, resource.properties.name, resource.properties.location])).toEqual([
      ['azurerm_resource_group.groups["eu"]', 'rg-eu', 'westeurope'],
      ['azurerm_resource_group.groups["se"]', 'rg-se', 'swedencentral'],
    ]);
  });
});

describe('the other Terraform examples: an azapi (Verified Module style) OpenAI account, and a Vertex AI project', () => {
  const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'terraform');

  function copy(example: string, edit: (text: string) => string = (text) => text): string {
    const directory = path.join(tempDir('tf-example'), example);
    fs.cpSync(path.join(EXAMPLES, example), directory, { recursive: true });
    const main = path.join(directory, 'main.tf');
    fs.writeFileSync(main, edit(fs.readFileSync(main, 'utf8')));
    return directory;
  }

  const errorsOf = async (directory: string, ...args: string[]) => (await check(directory, ...args)).errors.map((finding) => `${finding.ruleId} ${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`);

  test.each(['azapi-openai', 'vertex-ai'])('GIVEN examples/terraform/%s as written THEN it passes under eu', async (example) => {
    expect(await errorsOf(copy(example))).toEqual([]);
  });

  test('GIVEN the azapi example with a GlobalStandard chat deployment THEN LCG-RES-030 names that instance only', async () => {
    expect(await errorsOf(copy('azapi-openai'), '--var', 'deployments={ chat = { model = "gpt-4o", version = "2024-08-06", type = "GlobalStandard" } }')).toEqual(['LCG-RES-030 azapi_resource.deployment["chat"]']);
  });

  test('GIVEN the azapi example with public network access and key authentication on THEN LCG-NET-030 and LCG-IAM-030 say so (warnings under eu)', async () => {
    const result = await check(copy('azapi-openai', (text) => text.replace('publicNetworkAccess = "Disabled"', 'publicNetworkAccess = "Enabled"').replace('disableLocalAuth    = true', 'disableLocalAuth    = false')));
    expect(result.report!.findings.map((finding) => `${finding.ruleId} ${finding.severity}`).sort()).toEqual(['LCG-IAM-030 warning', 'LCG-NET-030 warning']);
  });

  test('GIVEN the azapi example whose deployment type comes from a variable with no value THEN LCG-RES-030 cannot verify it', async () => {
    const directory = copy('azapi-openai', (text) => text.replace('name     = each.value.type', 'name     = var.deployment_type'));
    expect(await errorsOf(directory)).toEqual(['LCG-RES-030 azapi_resource.deployment["chat"] (cannot verify)', 'LCG-RES-030 azapi_resource.deployment["embeddings"] (cannot verify)']);
  });

  test('GIVEN the Vertex example in europe-west2 THEN its endpoint, key ring, log bucket and request dataset fail residency, and the keys RES-050', async () => {
    expect((await errorsOf(copy('vertex-ai'), '--var', 'region=europe-west2')).sort()).toEqual([
      'LCG-RES-001 google_bigquery_dataset.requests',
      'LCG-RES-001 google_kms_key_ring.vertex',
      'LCG-RES-001 google_logging_project_bucket_config.audit',
      'LCG-RES-001 google_vertex_ai_endpoint.chat',
      'LCG-RES-050 google_bigquery_dataset.requests',
      'LCG-RES-050 google_logging_project_bucket_config.audit',
      'LCG-RES-050 google_vertex_ai_endpoint.chat',
    ]);
  });

  test('GIVEN the Vertex example without the sink to its audit bucket THEN LCG-LOG-050 says the Data Access logs stay 30 days in the _Default bucket', async () => {
    const directory = copy('vertex-ai', (text) => text.replace(/resource "google_logging_project_sink" "audit" \{[\s\S]*?\n\}\n/, ''));
    const result = await check(directory);
    expect(result.errors.map((finding) => `${finding.ruleId} ${finding.resource.id}`)).toEqual(['LCG-LOG-050 google_vertex_ai_endpoint.chat']);
    expect(result.errors[0].message).toContain('keeps them in its _Default log bucket for the default 30 days');
  });

  test('GIVEN the Vertex example auditing ADMIN_READ only (a list from --var) THEN LCG-LOG-050 names the missing Data Access logs', async () => {
    expect(await errorsOf(copy('vertex-ai'), '--var', 'audit_log_types=["ADMIN_READ"]')).toEqual(['LCG-LOG-050 google_vertex_ai_endpoint.chat']);
  });

  test('GIVEN the Vertex endpoint\'s encryption_spec built by a dynamic block over a data source THEN LCG-ENC-050 cannot verify it (never "Google-managed key")', async () => {
    const directory = copy('vertex-ai', (text) =>
      text.replace('  encryption_spec {\n    kms_key_name = google_kms_crypto_key.vertex.id\n  }', '  dynamic "encryption_spec" {\n    for_each = data.google_kms_crypto_keys.all.keys\n    content {\n      kms_key_name = encryption_spec.value.id\n    }\n  }'),
    );
    const result = await check(directory);
    expect(result.report!.findings.filter((finding) => finding.ruleId === 'LCG-ENC-050').map((finding) => `${finding.severity} ${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`)).toEqual(['warning google_vertex_ai_endpoint.chat (cannot verify)']);
  });
});

describe('llm-guardrail docs on a directory of .tf files', () => {
  test('GIVEN the azapi example and --var location=westeurope WHEN documented THEN the data flow shows each deployment with its model, in the location the variable gives', async () => {
    const out = path.join(tempDir('tf-docs'), 'docs');
    const directory = path.join(__dirname, '..', '..', 'examples', 'terraform', 'azapi-openai');
    const result = await runCliAsyncInProcess(['docs', directory, '--policy', 'eu', '--var', 'location=westeurope', '--out', out]);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('llm-guardrail:') });
    const markdown = fs.readFileSync(path.join(out, 'data-flow.md'), 'utf8');
    expect(markdown).toContain('Azure OpenAI azapi_resource.deployment["chat"] (gpt-4o 2024-08-06)');
    expect(markdown).toContain('Azure OpenAI azapi_resource.deployment["embeddings"] (text-embedding-3-large 1)');
    expect(markdown).toContain('westeurope');
    expect(markdown).not.toContain('swedencentral');
  });
});

describe('provider declarations and counts that a directory or a JSON file must not drop', () => {
  test('GIVEN a .tf.json file of the directory declaring OpenAI at its global host in its comment THEN the declaration is judged (LCG-PRV-001)', async () => {
    const declaration = JSON.stringify({ '//': { 'llm-guardrail': { providers: [{ name: 'chat-fallback', provider: 'openai', host: 'api.openai.com', dataClassification: 'pii' }] } } });
    const result = await check(project({ 'providers.tf.json': declaration }));
    expect(result.errors.map((finding) => `${finding.ruleId} ${finding.resource.id}`)).toContain('LCG-PRV-001 chat-fallback');
  });

  test.each([-1, 1.5])('GIVEN count = %p in a Terraform JSON file THEN the resource is not read as absent: LCG-COV-002', (count) => {
    const graph = tfGraph({ resource: { azurerm_log_analytics_workspace: { logs: { count, name: 'logs', location: 'westeurope', resource_group_name: 'rg', retention_in_days: 400 } } } });
    expect(gateErrors(graph, 'soc2')).toEqual(['LCG-COV-002 azurerm_log_analytics_workspace.logs']);
    // A resource no rule reads (a resource group is out of scope) changes nothing the rules judge, present or not.
    expect(gateErrors(tfGraph({ resource: { azurerm_resource_group: { rg: { count, name: 'rg', location: 'westeurope' } } } }), 'soc2')).toEqual([]);
  });
});

describe('where Terraform itself takes a resource\'s provider and location from', () => {
  /** A directory of these files (paths may name a subdirectory: a local module). */
  function directoryOf(files: { [file: string]: string }): string {
    const directory = path.join(tempDir('tf-providers'), 'infra');
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
      fs.writeFileSync(path.join(directory, file), content);
    }
    return directory;
  }
  const located = (result: Awaited<ReturnType<typeof check>>) => result.errors.filter((finding) => finding.ruleId === 'LCG-RES-001').map((finding) => finding.message);

  test('GIVEN a provider block inside a local module THEN the module\'s resources use it, not the root\'s', async () => {
    const result = await check(
      directoryOf({
        'main.tf': 'provider "google" {\n  region = "europe-west4"\n}\nmodule "vx" {\n  source = "./mod"\n}\n',
        'mod/main.tf': 'provider "google" {\n  region = "us-central1"\n}\nresource "google_vertex_ai_dataset" "d" {\n  display_name = "d"\n  metadata_schema_uri = "gs://x"\n}\n',
      }),
    );
    expect(located(result).join()).toContain('provider region = us-central1');
  });

  test('GIVEN a module resource naming its provider (google-beta) and a call mapping that provider to a US alias THEN the mapped configuration decides', async () => {
    const result = await check(
      directoryOf({
        'main.tf': 'provider "google-beta" {\n  region = "europe-west4"\n}\nprovider "google-beta" {\n  alias  = "us"\n  region = "us-central1"\n}\nmodule "vx" {\n  source    = "./mod"\n  providers = { google-beta = google-beta.us }\n}\n',
        'mod/main.tf': 'resource "google_vertex_ai_dataset" "d" {\n  provider = google-beta\n  display_name = "d"\n  metadata_schema_uri = "gs://x"\n}\n',
      }),
    );
    expect(located(result).join()).toContain('provider region = us-central1');
  });

  test('GIVEN a map passed on through two levels of modules THEN the innermost resource uses the root\'s US alias', async () => {
    const result = await check(
      directoryOf({
        'main.tf': 'provider "google" {\n  region = "europe-west4"\n}\nprovider "google" {\n  alias  = "us"\n  region = "us-central1"\n}\nmodule "outer" {\n  source    = "./outer"\n  providers = { google = google.us }\n}\n',
        'outer/main.tf': 'module "inner" {\n  source    = "../inner"\n  providers = { google = google }\n}\n',
        'inner/main.tf': 'resource "google_vertex_ai_dataset" "d" {\n  display_name = "d"\n  metadata_schema_uri = "gs://x"\n}\n',
      }),
    );
    expect(located(result).join()).toContain('provider region = us-central1');
  });

  test('GIVEN a hidden override file, an editor backup and an autosave beside main.tf THEN they are not read, as Terraform does not read them', async () => {
    const account = (location: string) => `resource "azurerm_cognitive_account" "a" {\n  location = "${location}"\n}\n`;
    const result = await check(directoryOf({ 'main.tf': `provider "azurerm" {\n  features {}\n}\n${account('eastus')}`, '.backup_override.tf': account('westeurope'), 'main_override.tf~': account('westeurope'), '#main_override.tf#': account('westeurope') }));
    expect(located(result).join()).toContain('location = eastus');
  });

  test('GIVEN a provider block in an override file THEN it merges into the provider block main.tf declares, as Terraform merges it', async () => {
    const dataset = 'resource "google_vertex_ai_dataset" "d" {\n  display_name = "d"\n  metadata_schema_uri = "gs://x"\n}\n';
    const result = await check(directoryOf({ 'main.tf': `provider "google" {\n  project = "p"\n  region  = "europe-west4"\n}\n${dataset}`, 'override.tf': 'provider "google" {\n  region = "us-central1"\n}\n' }));
    expect(located(result).join()).toContain('provider region = us-central1');
    const aliased = await check(directoryOf({ 'main.tf': `provider "google" {\n  region = "europe-west4"\n}\n${dataset}`, 'main_override.tf': 'provider "google" {\n  alias  = "us"\n  region = "us-central1"\n}\n' }));
    expect(located(aliased)).toEqual([]);
  });

  test('GIVEN OpenTofu files THEN .tofu files are read, and main.tofu takes the place of main.tf', async () => {
    const account = (location: string) => `resource "azurerm_cognitive_account" "a" {\n  location = "${location}"\n}\n`;
    const extra = await check(directoryOf({ 'main.tf': 'provider "azurerm" {\n  features {}\n}\n', 'ai.tofu': account('eastus') }));
    expect(located(extra).join()).toContain('location = eastus');
    const shadowed = await check(directoryOf({ 'main.tf': `provider "azurerm" {\n  features {}\n}\n${account('westeurope')}`, 'main.tofu': `provider "azurerm" {\n  features {}\n}\n${account('eastus')}` }));
    expect(located(shadowed).join()).toContain('location = eastus');
  });

  test('GIVEN an azapi account without a location THEN it takes the azapi provider\'s default_location, and without one it cannot be verified', async () => {
    const account = 'resource "azapi_resource" "a" {\n  type      = "Microsoft.CognitiveServices/accounts@2024-10-01"\n  name      = "a"\n  parent_id = "/subscriptions/x/resourceGroups/rg"\n  body      = { kind = "OpenAI", properties = { publicNetworkAccess = "Disabled", disableLocalAuth = true } }\n}\n';
    const withDefault = await check(directoryOf({ 'main.tf': `provider "azapi" {\n  default_location = "eastus"\n}\n${account}` }));
    expect(located(withDefault).join()).toContain('location (provider default_location) = eastus');
    const withoutDefault = await check(directoryOf({ 'main.tf': `provider "azapi" {}\n${account}` }));
    expect(withoutDefault.errors.find((finding) => finding.ruleId === 'LCG-RES-001')?.cannotVerify).toBe(true);
    // A child type is where its parent is: no location of its own is asked for.
    const child = await check(directoryOf({ 'main.tf': 'provider "azapi" {}\nresource "azapi_resource" "d" {\n  type      = "Microsoft.CognitiveServices/accounts/deployments@2024-10-01"\n  name      = "d"\n  parent_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a"\n  body      = { sku = { name = "Standard", capacity = 1 }, properties = { model = { format = "OpenAI", name = "gpt-4o", version = "2024-08-06" } } }\n}\n' }));
    expect(child.errors.filter((finding) => finding.ruleId === 'LCG-RES-001')).toEqual([]);
  });
});
