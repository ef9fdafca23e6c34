/**
 * Inputs the guardrail cannot read end as one line and exit code 2, never as
 * a pass (exit 0) and never as a crash (exit 3): every shape that used to
 * pass unread, and a few that used to crash.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCliAsyncInProcess, runCliInProcess } from '../support/cli';
import { tempDir } from '../support/synth';
import { loadInput } from '../../lib/input/load';
import { Unresolved } from '../../lib/core/values';

const TEMPLATE = { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } };

/** A cloud assembly directory with the given manifest and files. */
function assembly(manifest: unknown, files: { [name: string]: unknown } = {}): string {
  const directory = path.join(tempDir('assembly'), 'cdk.out');
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    fs.writeFileSync(path.join(directory, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return directory;
}

const stack = (properties: object, type = 'aws:cloudformation:stack') => ({ type, environment: 'aws://111111111111/eu-central-1', properties });

function expectRefused(input: string, ...fragments: string[]): void {
  const result = runCliInProcess(['check', input, '--policy', 'eu']);
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
  expect(result.stderr).toMatch(/^llm-guardrail: [^\n]+\n$/);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

describe('malformed cloud assemblies and CDKTF outputs', () => {
  test('GIVEN an assembly with no artifact THEN it holds no stack: exit 2', () => {
    expectRefused(assembly({ version: '55.0.0', artifacts: {} }), 'the cloud assembly holds no stack');
  });

  test('GIVEN only artifacts that are no stacks (an asset manifest, the tree) THEN it holds no stack: exit 2', () => {
    expectRefused(assembly({ artifacts: { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } } }), 'holds no stack');
  });

  test('GIVEN a stack whose templateFile is not a file name THEN exit 2 naming the stack', () => {
    expectRefused(assembly({ artifacts: { App: stack({ templateFile: 42 }) } }), 'stack "App" names no template file (templateFile = 42)');
  });

  test('GIVEN an artifact that is a string THEN exit 2 naming it', () => {
    expectRefused(assembly({ artifacts: { App: 'aws:cloudformation:stack' } }), 'artifact "App" is not an object');
  });

  test('GIVEN a misspelled artifact type with a template THEN exit 2: a template the reader would skip is not passed', () => {
    expectRefused(assembly({ artifacts: { App: stack({ templateFile: 'App.template.json' }, 'aws:cloudformation:stak') } }, { 'App.template.json': TEMPLATE }), 'of type "aws:cloudformation:stak" is not one the guardrail reads');
  });

  test('GIVEN a stage assembly that points at its own directory THEN exit 2, not an endless recursion', () => {
    expectRefused(assembly({ artifacts: { Self: { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } } } }), 'contains itself');
  });

  test('GIVEN a templateFile that escapes the assembly directory THEN it is refused', () => {
    expectRefused(assembly({ artifacts: { App: stack({ templateFile: '../outside.template.json' }) } }), 'names a file outside its directory');
  });

  test('GIVEN a CDKTF manifest with no stack THEN exit 2', () => {
    expectRefused(assembly({ version: '0.21.0', stacks: {} }), 'the CDKTF output holds no stack');
  });

  test('GIVEN a symbolic link loop at manifest.json THEN exit 2 saying so', () => {
    const directory = tempDir('loop');
    fs.symlinkSync(path.join(directory, 'manifest.json'), path.join(directory, 'manifest.json'));
    expectRefused(directory, 'symbolic link loop');
  });
});

describe('documents beyond what synthesis writes', () => {
  test('GIVEN a template nested 3,000 levels deep THEN exit 2 naming the limit, not a stack overflow (exit 3)', () => {
    // Written as text: building it as an object and stringifying it would itself overflow the stack.
    const deep = `${'{"Fn::Join":["",['.repeat(3000)}{"Ref":"AWS::Region"}${']]}'.repeat(3000)}`;
    const file = path.join(tempDir('deep'), 'App.template.json');
    fs.writeFileSync(file, `{"Resources":{"Queue":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":${deep}}}}}`);
    expectRefused(file, 'nested deeper than 256 levels');
  });

  // A "__proto__" key copied into an object replaces its prototype: the properties beside it would not be read.
  const GRANT = { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' };
  const policyTemplate = (properties: object) => ({
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } },
      Grant: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }], PolicyName: 'p', PolicyDocument: { Statement: [GRANT] }, ...properties } },
    },
  });
  /** JSON text with a "__proto__" key spliced in where `marker` stands (an object literal would set the prototype instead). */
  const withProto = (document: object, marker: string, value: string): string => JSON.stringify(document).replace(`"${marker}":"${marker}"`, `"__proto__":${value}`);

  test('GIVEN a template whose policy carries a "__proto__" key beside a US model grant THEN exit 2 naming where, never a pass', () => {
    const assemblyDirectory = assembly({ artifacts: { App: stack({ templateFile: 'App.template.json' }) } }, { 'App.template.json': withProto(policyTemplate({ X: 'X' }), 'X', '{"Ref":"Role"}') });
    expectRefused(assemblyDirectory, 'App.template.json: a key named "__proto__" at Resources.Grant.Properties["__proto__"]', 'remove or rename the key');
    // The same template without the key fails on the grant: the key hid it.
    const control = assembly({ artifacts: { App: stack({ templateFile: 'App.template.json' }) } }, { 'App.template.json': policyTemplate({}) });
    const result = runCliInProcess(['check', control, '--policy', 'eu']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('LCG-RES-010');
  });

  test('GIVEN "__proto__" deep in a list of a Terraform JSON configuration THEN exit 2 naming its path', () => {
    const file = path.join(tempDir('proto-tf'), 'main.tf.json');
    const document = { provider: { aws: [{ region: 'eu-central-1' }] }, resource: { aws_iam_policy: { p: { policy: { Statement: [{ Y: 'Y' }] } } } } };
    fs.writeFileSync(file, withProto(document, 'Y', '{"Effect":"Allow"}'));
    expectRefused(file, 'a key named "__proto__" at resource.aws_iam_policy.p.policy.Statement[0]["__proto__"]');
  });

  test('GIVEN "__proto__" in a .tf file or in a .tfvars file THEN exit 2 naming the file', async () => {
    const directory = tempDir('proto-hcl');
    const refused = async (args: string[], where: string): Promise<void> => {
      const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', ...args]);
      expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
      expect(result.stderr).toMatch(/^llm-guardrail: [^\n]+\n$/);
      expect(result.stderr).toContain(`${where}: a key named "__proto__"`);
    };
    fs.writeFileSync(path.join(directory, 'main.tf'), 'provider "aws" {\n  region = "eu-central-1"\n}\nresource "aws_sqs_queue" "q" {\n  tags = {\n    "__proto__" = "x"\n  }\n}\n');
    await refused([], path.join(directory, 'main.tf'));
    fs.writeFileSync(path.join(directory, 'main.tf'), 'provider "aws" {\n  region = "eu-central-1"\n}\nvariable "tags" {\n  default = {}\n}\nresource "aws_sqs_queue" "q" {\n  tags = var.tags\n}\n');
    const tfvars = path.join(directory, 'prod.tfvars');
    fs.writeFileSync(tfvars, 'tags = {\n  "__proto__" = "x"\n}\n');
    await refused(['--var-file', tfvars], tfvars);
    // Without the key, the same directory is read.
    fs.writeFileSync(tfvars, 'tags = {\n  "team" = "x"\n}\n');
    expect((await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--var-file', tfvars])).status).toBe(0);
  });

  test('GIVEN a plan with an unknown format_version THEN exit 2 naming the versions it reads', () => {
    const file = path.join(tempDir('plan'), 'plan.json');
    fs.writeFileSync(file, JSON.stringify({ format_version: '9.0', terraform_version: '9.0.0', planned_values: { root_module: {} } }));
    expectRefused(file, 'plan format_version "9.0" is not one the guardrail reads', 'format_version 0.x and 1.x');
  });

  test('GIVEN a known plan format_version THEN it is read', () => {
    const file = path.join(tempDir('plan'), 'plan.json');
    fs.writeFileSync(file, JSON.stringify({ format_version: '1.2', terraform_version: '1.9.0', planned_values: { root_module: { resources: [] } } }));
    expect(runCliInProcess(['check', file, '--policy', 'eu']).status).toBe(0);
  });

  test('GIVEN a template with a UTF-8 byte order mark THEN it is read like any other', () => {
    const file = path.join(tempDir('bom'), 'App.template.json');
    fs.writeFileSync(file, '\ufeff' + JSON.stringify(TEMPLATE));
    const result = runCliInProcess(['check', file, '--policy', 'soc2']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('GIVEN a .tf file where JSON was expected THEN it says this is HCL and to pass its directory', () => {
    const file = path.join(tempDir('hcl'), 'main.tf');
    fs.writeFileSync(file, 'resource "azurerm_cognitive_account" "openai" {\n  location = "eastus"\n}\n');
    expectRefused(file, 'this is HCL', `pass the directory: llm-guardrail check ${path.dirname(file)}`);
  });

  test('GIVEN HCL in a file named .json THEN it says this is HCL, and how to pass it or get JSON', () => {
    const file = path.join(tempDir('hcl'), 'main.tf.json');
    fs.writeFileSync(file, 'resource "azurerm_cognitive_account" "openai" {\n  location = "eastus"\n}\n');
    expectRefused(file, 'this is HCL', 'terraform show -json');
  });
});

describe('names an input chooses', () => {
  test('GIVEN a policy document whose condition test and principal type are "__proto__" THEN they stay keys of the statement and no other object changes', () => {
    const file = path.join(tempDir('proto-values'), 'main.tf.json');
    const statement = { actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'], condition: [{ test: '__proto__', variable: 'pollutedByTheInput', values: ['x'] }], principals: [{ type: '__proto__', identifiers: ['arn:aws:iam::111111111111:root'] }] };
    fs.writeFileSync(
      file,
      JSON.stringify({
        provider: { aws: [{ region: 'eu-central-1' }] },
        data: { aws_iam_policy_document: { d: { statement: [statement] } } },
        resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: '{}' } }, aws_iam_role_policy: { p: { role: '${aws_iam_role.r.id}', policy: '${data.aws_iam_policy_document.d.json}' } } },
      }),
    );
    const result = runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json']);
    expect(({} as { pollutedByTheInput?: unknown }).pollutedByTheInput).toBeUndefined();
    // The grant beside them is still read and judged: a US model from an EU configuration.
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId)).toContain('LCG-RES-010');
  });

  test('GIVEN an HCL object whose key an expression computes as "__proto__" THEN it is a key like any other', async () => {
    const directory = tempDir('proto-hcl-key');
    fs.writeFileSync(
      path.join(directory, 'main.tf'),
      'provider "aws" {\n  region = "eu-central-1"\n}\nlocals {\n  k = "__proto__"\n}\nresource "aws_sqs_queue" "q" {\n  tags = merge({ (local.k) = "x" }, { team = "y" })\n}\n',
    );
    const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(({} as { team?: unknown }).team).toBeUndefined();
  });

  test.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('GIVEN --policy %s THEN no preset is found: exit 2', (name) => {
    const result = runCliInProcess(['check', assembly({ artifacts: { App: stack({ templateFile: 'App.template.json' }) } }, { 'App.template.json': TEMPLATE }), '--policy', name]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`unknown policy preset "${name}"`);
  });

  test('GIVEN a policy file extending "constructor" THEN it is refused, not loaded without constraints', () => {
    const policy = path.join(tempDir('policy'), 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ extends: 'constructor' }));
    const result = runCliInProcess(['check', assembly({ artifacts: { App: stack({ templateFile: 'App.template.json' }) } }, { 'App.template.json': TEMPLATE }), '--policy', policy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"extends" must name a preset, found "constructor"');
  });

  test('GIVEN a deployment type or region named like an inherited property THEN the catalogs do not know it: cannot verify, never a pass or a crash', () => {
    const file = path.join(tempDir('azure'), 'main.tf.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        resource: {
          azurerm_cognitive_account: { openai: { name: 'oai', location: 'constructor', kind: 'OpenAI', sku_name: 'S0', resource_group_name: 'rg' } },
          azurerm_cognitive_deployment: { chat: { name: 'chat', cognitive_account_id: '${azurerm_cognitive_account.openai.id}', sku: { name: 'toString' }, model: { format: 'OpenAI', name: 'gpt-4o' } } },
        },
      }),
    );
    const result = runCliInProcess(['check', file, '--policy', 'eu', '--format', 'json']);
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout).findings as { ruleId: string; cannotVerify: boolean }[];
    expect(findings.filter((finding) => finding.ruleId === 'LCG-RES-030' || finding.ruleId === 'LCG-RES-001').every((finding) => finding.cannotVerify)).toBe(true);
    expect(findings.map((finding) => finding.ruleId)).toEqual(expect.arrayContaining(['LCG-RES-001', 'LCG-RES-030']));
  });
});

/**
 * Names the input chooses that every JavaScript object already has (`constructor`, `toString`, `valueOf`,
 * `hasOwnProperty`): as keys looked up in the input's own tables they are no entry, never what objects inherit.
 */
describe('inherited names as keys of the input', () => {
  async function checkDirectory(files: { [name: string]: string }, ...args: string[]) {
    const directory = tempDir('inherited-hcl');
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(directory, name), text);
    return runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--format', 'json', ...args]);
  }
  const ruleIds = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId);

  test.each(['constructor', 'hasOwnProperty'])('GIVEN lookup() of a key "%s" the map lacks THEN the default is taken, as Terraform takes it: the US region fails', async (team) => {
    const main = `variable "team" {\n  type    = string\n  default = "${team}"\n}\nlocals {\n  eu_teams = { payments = true }\n}\nprovider "aws" {\n  region = lookup(local.eu_teams, var.team, false) == false ? "us-east-1" : "eu-west-1"\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n`;
    const result = await checkDirectory({ 'main.tf': main });
    expect(result.status).toBe(1);
    expect(ruleIds(result.stdout)).toContain('LCG-RES-001');
    expect(JSON.parse(result.stdout).findings[0].message).toContain('us-east-1');
  });

  test('GIVEN a provider, a data source and a function named like inherited properties THEN the directory is read: no crash, nothing outside it changes', async () => {
    const keys = Object.keys;
    const result = await checkDirectory({
      'main.tf': 'provider "aws" {\n  region = "us-east-1"\n}\nprovider "constructor" {}\ndata "constructor" "keys" {}\ndata "constructor" "entries" {}\nresource "aws_s3_bucket" "b" {\n  bucket = valueOf("x")\n}\n',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(ruleIds(result.stdout)).toContain('LCG-RES-001');
    expect(Object.keys).toBe(keys);
  });

  test('GIVEN Fn::FindInMap with a key named "constructor" THEN it is no entry: unresolved, or the DefaultValue under AWS::LanguageExtensions', () => {
    const template = (transform: boolean, defaultValue: boolean) => ({
      ...(transform ? { Transform: 'AWS::LanguageExtensions' } : {}),
      Mappings: { Retention: { prod: { Days: 30 } } },
      Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { 'Fn::FindInMap': ['Retention', 'constructor', 'length', ...(defaultValue ? [{ DefaultValue: 3653 }] : [])] } } } },
    });
    const read = (document: object) => {
      const file = path.join(tempDir('findinmap'), 'App.template.json');
      fs.writeFileSync(file, JSON.stringify(document));
      return loadInput(file).graph.resources[0].properties.RetentionInDays;
    };
    expect(read(template(false, false))).toBeInstanceOf(Unresolved);
    expect(read(template(false, true))).toBeInstanceOf(Unresolved);
    expect(read(template(true, true))).toBe(3653);
    // An entry that exists is read as before.
    expect(read({ ...template(false, false), Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { 'Fn::FindInMap': ['Retention', 'prod', 'Days'] } } } } })).toBe(30);
  });

  test('GIVEN Fn::Sub of "${toString}" where toString is a resource of the template THEN it refers to that resource', () => {
    const file = path.join(tempDir('sub'), 'App.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { toString: { Type: 'AWS::Logs::LogGroup' }, Sink: { Type: 'AWS::Logs::SubscriptionFilter', Properties: { LogGroupName: { 'Fn::Sub': 'prefix-${toString}' } } } } }));
    const sink = loadInput(file).graph.resources.find((resource) => resource.id === 'Sink')!;
    expect(sink.properties.LogGroupName).toBeInstanceOf(Unresolved);
    expect((sink.properties.LogGroupName as Unresolved).references).toEqual(['App/toString']);
  });

  test('GIVEN "${constructor}" in an argument of a counted Terraform resource THEN it stays an expression, not the text of a function', () => {
    const file = path.join(tempDir('count'), 'main.tf.json');
    fs.writeFileSync(file, JSON.stringify({ provider: { aws: { region: 'eu-central-1' } }, resource: { aws_cloudwatch_log_group: { inv: { count: 1, name: 'inv', kms_key_id: 'arn:aws:kms:eu-central-1:111122223333:key/${constructor}' } } } }));
    const [group] = loadInput(file).graph.resources;
    expect(JSON.stringify(group.properties.kms_key_id)).not.toContain('function');
    expect(group.properties.kms_key_id).toBeInstanceOf(Unresolved);
  });

  test.each(['${Missing}', '${constructor}'])('GIVEN a state machine whose ModelId is %s, which no DefinitionSubstitutions fills THEN where it processes prompts cannot be verified', (placeholder) => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::bedrock:invokeModel', Parameters: { ModelId: placeholder, Body: {} }, End: true } } });
    const directory = assembly(
      { artifacts: { App: stack({ templateFile: 'App.template.json' }) } },
      { 'App.template.json': { Resources: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: 'arn:aws:iam::111111111111:role/r', DefinitionString: definition, DefinitionSubstitutions: {} } } } } },
    );
    const result = runCliInProcess(['check', directory, '--policy', 'eu', '--format', 'json']);
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
    expect(findings.find((finding) => finding.ruleId === 'LCG-RES-014')?.message).toContain(`DefinitionSubstitutions does not fill the placeholder ${placeholder}`);
  });
});
