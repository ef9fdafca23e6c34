import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { parseArn } from '../../lib/analysis/arn';
import { resourcesFromTemplate } from '../../lib/input/cloudformation';
import { InputError } from '../../lib/core/errors';
import { ResourceGraph, StackInfo } from '../../lib/core/graph';
import { loadInput } from '../../lib/input/load';
import { resourcesFromTerraform, splitTemplate } from '../../lib/input/terraform';
import { Reference, Unresolved } from '../../lib/core/values';
import { tempDir, writeJson } from '../support/synth';

const CFN_STACK: StackInfo = { name: 'App', format: 'cloudformation', file: 'App.template.json', region: 'eu-central-1', account: '111111111111' };
const TF_STACK: StackInfo = { name: 'tf', format: 'terraform', file: 'cdk.tf.json' };

describe('CloudFormation intrinsics', () => {
  const template = {
    Parameters: { Env: { Type: 'String', Default: 'prod' } },
    Conditions: { IsEu: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-central-1'] } },
    Mappings: { Regions: { 'eu-central-1': { Log: 'audit' } } },
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Group: {
        Type: 'AWS::Logs::LogGroup',
        Metadata: { 'aws:cdk:path': 'App/Group/Resource' },
        Properties: {
          KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
          LogGroupName: { 'Fn::Sub': '/llm/${AWS::Region}/${Env}' },
          DataProtectionPolicy: { 'Fn::If': ['IsEu', 'eu', 'other'] },
          Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':x']] },
          Mapped: { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Log'] },
          Selected: { 'Fn::Select': [1, ['a', 'b']] },
          Removed: { Ref: 'AWS::NoValue' },
          Imported: { 'Fn::ImportValue': 'shared-key' },
          KeyRef: { Ref: 'Key' },
          SubAttr: { 'Fn::Sub': '${Key.Arn}/x' },
        },
      },
    },
  };
  const [, group] = resourcesFromTemplate(template, CFN_STACK);
  const props = group.properties;

  test('plain data around intrinsics is kept in order, and AWS::NoValue drops list items and keys wherever they are', () => {
    const [resource] = resourcesFromTemplate(
      {
        Resources: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            Properties: {
              Plain: { A: 1, B: ['x', 'y'] },
              Mixed: { First: 'kept', Gone: { Ref: 'AWS::NoValue' }, Region: { Ref: 'AWS::Region' }, Last: ['p', { Ref: 'AWS::NoValue' }, { Ref: 'AWS::AccountId' }] },
            },
          },
        },
      },
      CFN_STACK,
    );
    expect(resource.properties.Plain).toEqual({ A: 1, B: ['x', 'y'] });
    expect(resource.properties.Mixed).toEqual({ First: 'kept', Region: 'eu-central-1', Last: ['p', '111111111111'] });
    expect(Object.keys(resource.properties.Mixed as object)).toEqual(['First', 'Region', 'Last']);
  });

  test('Fn::GetAtt and Ref of a resource become references to it', () => {
    expect(props.KmsKeyId).toBeInstanceOf(Reference);
    expect((props.KmsKeyId as Reference).target).toBe('App/Key');
    expect((props.KmsKeyId as Reference).attribute).toBe('Arn');
    expect((props.KeyRef as Reference).target).toBe('App/Key');
  });

  test('pseudo parameters resolve from the stack environment; conditions, mappings and selects are evaluated', () => {
    expect(props.Arn).toBe('arn:aws:logs:eu-central-1:111111111111:x');
    expect(props.DataProtectionPolicy).toBe('eu');
    expect(props.Mapped).toBe('audit');
    expect(props.Selected).toBe('b');
    expect('Removed' in props).toBe(false);
  });

  test('deploy-time values stay unresolved, never guessed', () => {
    expect(props.LogGroupName).toBeInstanceOf(Unresolved);
    expect((props.LogGroupName as Unresolved).expression).toContain('/llm/eu-central-1/');
    expect(props.Imported).toBeInstanceOf(Unresolved);
    expect(props.SubAttr).toBeInstanceOf(Unresolved);
    expect((props.SubAttr as Unresolved).references).toEqual(['App/Key']);
  });

  test('the construct path comes from the resource metadata', () => {
    expect(group.path).toBe('App/Group/Resource');
  });

  test('an environment-agnostic stack leaves AWS::Region unresolved', () => {
    const agnostic = { ...CFN_STACK, region: new Unresolved('AWS::Region', 'env-agnostic') };
    const [resource] = resourcesFromTemplate({ Resources: { A: { Type: 'AWS::SQS::Queue', Properties: { Name: { 'Fn::Sub': '${AWS::Region}-q' } } } } }, agnostic);
    expect(resource.properties.Name).toBeInstanceOf(Unresolved);
  });

  test('a resource whose Condition is false does not exist; one decided by a parameter exists only maybe', () => {
    const resources = resourcesFromTemplate(
      {
        Parameters: { Env: { Type: 'String', Default: 'dev' } },
        Conditions: {
          IsHome: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
          IsEu: { 'Fn::Not': [{ Condition: 'IsHome' }] },
          IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
          // Both branches of a diamond read IsHome: evaluated once, and known both times.
          Both: { 'Fn::And': [{ Condition: 'IsEu' }, { 'Fn::Not': [{ Condition: 'IsHome' }] }] },
          Loop: { 'Fn::Equals': [{ 'Fn::If': ['Loop', 'a', 'b'] }, 'a'] },
        },
        Resources: {
          HomeOnly: { Type: 'AWS::CloudTrail::Trail', Condition: 'IsHome', Properties: {} },
          EuOnly: { Type: 'AWS::CloudTrail::Trail', Condition: 'IsEu', Properties: {} },
          Diamond: { Type: 'AWS::SQS::Queue', Condition: 'Both', Properties: {} },
          ProdOnly: { Type: 'AWS::CloudTrail::Trail', Condition: 'IsProd', Properties: {} },
          Undeclared: { Type: 'AWS::SQS::Queue', Condition: 'Nowhere', Properties: {} },
          Cyclic: { Type: 'AWS::SQS::Queue', Condition: 'Loop', Properties: {} },
        },
      },
      CFN_STACK,
    );
    expect(resources.map((resource) => resource.id)).toEqual(['EuOnly', 'Diamond', 'ProdOnly', 'Undeclared', 'Cyclic']);
    const existence = Object.fromEntries(resources.map((resource) => [resource.id, resource.existence?.reason]));
    expect(existence.EuOnly).toBeUndefined();
    expect(existence.Diamond).toBeUndefined();
    expect(existence.ProdOnly).toMatch(/condition "IsProd" holds, which depends on values known only at deploy time/);
    expect(existence.Undeclared).toMatch(/not declared in the template's Conditions/);
    expect(existence.Cyclic).toMatch(/condition "Loop"/);
  });

  test('a dynamic reference ({{resolve:ssm:…}}, {{resolve:secretsmanager:…}}) is known only at deploy time, written alone or inside a string', () => {
    const [resource] = resourcesFromTemplate(
      {
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Environment: { Variables: { MODEL_ID: '{{resolve:ssm:/chat/model-id}}', BASE: { 'Fn::Sub': 'https://{{resolve:secretsmanager:llm:SecretString:host}}/v1' }, PLAIN: 'eu-central-1' } },
            },
          },
        },
      },
      CFN_STACK,
    );
    const variables = (resource.properties.Environment as { Variables: { [name: string]: unknown } }).Variables;
    expect(variables.MODEL_ID).toBeInstanceOf(Unresolved);
    expect((variables.MODEL_ID as Unresolved).reason).toMatch(/dynamic reference to a Systems Manager parameter/);
    expect((variables.BASE as Unresolved).reason).toMatch(/Secrets Manager secret/);
    expect(variables.PLAIN).toBe('eu-central-1');
  });

  test('a template without Resources is refused with one line', () => {
    expect(() => resourcesFromTemplate({ Foo: 1 }, CFN_STACK)).toThrow(InputError);
  });
});

describe('Terraform interpolation', () => {
  const document = {
    locals: { region: 'westeurope' },
    provider: { google: [{ region: 'europe-west4' }, { alias: 'us', region: 'us-central1' }] },
    variable: { location: { default: 'westeurope' } },
    resource: {
      azurerm_resource_group: { rg: { name: 'rg', location: '${local.region}', '//': { metadata: { path: 'tf/rg' } } } },
      azurerm_cognitive_account: {
        openai: { name: 'ai', location: '${azurerm_resource_group.rg.location}', resource_group_name: '${azurerm_resource_group.rg.name}', kind: 'OpenAI' },
        fromVar: { name: 'v', location: '${var.location}' },
        fromData: { name: 'd', location: '${data.azurerm_resource_group.x.location}' },
        fromFunction: { name: 'f', location: '${lower(azurerm_resource_group.rg.location)}' },
      },
      azurerm_monitor_diagnostic_setting: { diag: { target_resource_id: '${azurerm_cognitive_account.openai.id}', name: 'x-${azurerm_cognitive_account.openai.name}' } },
      google_vertex_ai_endpoint: { main: { location: 'europe-west4' }, us: { location: 'us-central1', provider: 'google.us' } },
    },
  };
  const resources = resourcesFromTerraform(document, TF_STACK);
  const byId = new Map(resources.map((resource) => [resource.id, resource]));

  test('attributes that are arguments of the target resolve to their value, through locals', () => {
    expect(byId.get('azurerm_resource_group.rg')!.properties.location).toBe('westeurope');
    expect(byId.get('azurerm_cognitive_account.openai')!.properties.location).toBe('westeurope');
    expect(byId.get('azurerm_monitor_diagnostic_setting.diag')!.properties.name).toBe('x-ai');
  });

  test('computed attributes become references', () => {
    const target = byId.get('azurerm_monitor_diagnostic_setting.diag')!.properties.target_resource_id;
    expect(target).toBeInstanceOf(Reference);
    expect((target as Reference).target).toBe('tf/azurerm_cognitive_account.openai');
  });

  test('variables, data sources and functions are unresolved (fail closed), even with a default', () => {
    expect(byId.get('azurerm_cognitive_account.fromVar')!.properties.location).toBeInstanceOf(Unresolved);
    expect(byId.get('azurerm_cognitive_account.fromData')!.properties.location).toBeInstanceOf(Unresolved);
    const fn = byId.get('azurerm_cognitive_account.fromFunction')!.properties.location as Unresolved;
    expect(fn).toBeInstanceOf(Unresolved);
    expect(fn.references).toEqual(['tf/azurerm_resource_group.rg']);
  });

  test('provider configuration follows aliases', () => {
    expect(byId.get('google_vertex_ai_endpoint.main')!.providerConfig?.region).toBe('europe-west4');
    expect(byId.get('google_vertex_ai_endpoint.us')!.providerConfig?.region).toBe('us-central1');
  });

  test('cdktf "//" metadata keys are dropped at any depth, the rest kept in order', () => {
    const [bucket] = resourcesFromTerraform(
      { resource: { google_storage_bucket: { b: { '//': { metadata: {} }, name: 'b', lifecycle_rule: [{ '//': 'note', action: { type: 'Delete' } }, { condition: { age: 30 } }] } } } },
      TF_STACK,
    );
    expect(bucket.properties).toEqual({ name: 'b', lifecycle_rule: [{ action: { type: 'Delete' } }, { condition: { age: 30 } }] });
  });

  test('construct paths come from cdktf metadata', () => {
    expect(byId.get('azurerm_resource_group.rg')!.path).toBe('tf/rg');
  });

  test('template splitting honours escapes and nested braces', () => {
    expect(splitTemplate('a-$${b}-${c.d}')).toEqual(['a-${b}-', { expression: 'c.d' }]);
    expect(splitTemplate('${jsonencode({a = 1})}')).toEqual([{ expression: 'jsonencode({a = 1})' }]);
  });
});

describe('ResourceGraph', () => {
  test('indexes referrers', () => {
    const resources = resourcesFromTerraform(
      { resource: { a_thing: { one: { x: 1 } }, b_thing: { two: { target: '${a_thing.one.id}' } } } },
      TF_STACK,
    );
    const graph = new ResourceGraph([TF_STACK], resources);
    expect(graph.referrers('tf/a_thing.one').map((resource) => resource.id)).toEqual(['b_thing.two']);
    expect(graph.ofType('b_thing')).toHaveLength(1);
  });

  test('lists a referrer once per key, in document order, whatever the depth and however often it mentions the key', () => {
    const resources = resourcesFromTerraform(
      {
        resource: {
          a_thing: { one: { x: 1 }, two: { x: 2 } },
          c_thing: { first: { deep: [{ list: ['${a_thing.two.id}', { again: '${a_thing.two.arn}' }] }], other: '${a_thing.one.id}' } },
          d_thing: { second: { target: '${a_thing.one.id}-${a_thing.one.name}' } },
        },
      },
      TF_STACK,
    );
    const graph = new ResourceGraph([TF_STACK], resources);
    expect(graph.referrers('tf/a_thing.one').map((resource) => resource.id)).toEqual(['c_thing.first', 'd_thing.second']);
    expect(graph.referrers('tf/a_thing.two').map((resource) => resource.id)).toEqual(['c_thing.first']);
    expect(graph.referrers('tf/c_thing.first')).toEqual([]);
  });
});

describe('parseArn', () => {
  test('splits the six parts; a resource id keeps its own colons and slashes', () => {
    expect(parseArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/bedrock:*')).toMatchObject({ partition: 'aws', service: 'logs', region: 'eu-west-1', account: '123456789012', resourceType: 'log-group', resourceId: '/aws/bedrock:*' });
    expect(parseArn('arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject({ region: 'eu-central-1', account: '', resourceType: 'foundation-model', resourceId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(parseArn('arn:aws:s3:::bucket/key')).toMatchObject({ service: 's3', region: '', resourceType: 'bucket', resourceId: 'key' });
  });

  test('colons inside placeholders do not split, nested or not', () => {
    expect(parseArn('arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/eu.x')).toMatchObject({ partition: '${AWS::Partition}', service: 'bedrock', region: '${AWS::Region}', account: '${AWS::AccountId}', resourceType: 'inference-profile', resourceId: 'eu.x' });
    expect(parseArn('arn:aws:kms:${{"Fn::ImportValue": "a:b"}}:1:key/k')).toMatchObject({ region: '${{"Fn::ImportValue": "a:b"}}', account: '1', resourceType: 'key', resourceId: 'k' });
    expect(parseArn('arn:aws:kms:${lookup(var.m, "a:b")}:${x}:key/k')).toMatchObject({ region: '${lookup(var.m, "a:b")}', account: '${x}' });
  });

  test('no ARN: another prefix, too few parts, or a placeholder left open', () => {
    expect(parseArn('urn:aws:s3:::b')).toBeUndefined();
    expect(parseArn('xarn:aws:s3:::b')).toBeUndefined();
    expect(parseArn('arn:aws:s3')).toBeUndefined();
    expect(parseArn('arn:aws:kms:${AWS::Region:1:key/k')).toBeUndefined();
  });
});

describe('loadInput', () => {
  test('a bare template has no region: residency fails closed later', () => {
    const file = writeJson('Bare.template.json', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
    const { kind, graph } = loadInput(file);
    expect(kind).toBe('cloudformation-template');
    expect(graph.stacks[0].region).toBeInstanceOf(Unresolved);
  });

  test('a Terraform plan: planned values, unknown attributes as references from the configuration', () => {
    const plan = {
      format_version: '1.2',
      terraform_version: '1.9.0',
      planned_values: {
        root_module: {
          resources: [
            { address: 'azurerm_cognitive_account.main', mode: 'managed', type: 'azurerm_cognitive_account', name: 'main', values: { location: 'westeurope', kind: 'OpenAI' } },
            { address: 'azurerm_monitor_diagnostic_setting.d', mode: 'managed', type: 'azurerm_monitor_diagnostic_setting', name: 'd', values: { name: 'd' } },
          ],
          child_modules: [{ address: 'module.m', resources: [{ address: 'module.m.google_storage_bucket.b', mode: 'managed', type: 'google_storage_bucket', name: 'b', values: { location: 'EU' } }] }],
        },
      },
      resource_changes: [{ address: 'azurerm_monitor_diagnostic_setting.d', change: { after_unknown: { target_resource_id: true } } }],
      configuration: {
        provider_config: { google: { name: 'google', expressions: { region: { constant_value: 'europe-west4' } } } },
        root_module: {
          resources: [
            {
              address: 'azurerm_monitor_diagnostic_setting.d',
              expressions: { target_resource_id: { references: ['azurerm_cognitive_account.main.id', 'azurerm_cognitive_account.main'] } },
            },
          ],
        },
      },
    };
    const { kind, graph } = loadInput(writeJson('plan.json', plan));
    expect(kind).toBe('terraform-plan');
    expect(graph.resources.map((resource) => resource.id)).toEqual(['azurerm_cognitive_account.main', 'azurerm_monitor_diagnostic_setting.d', 'module.m.google_storage_bucket.b']);
    const target = graph.get('plan/azurerm_monitor_diagnostic_setting.d')!.properties.target_resource_id as Reference;
    expect(target).toBeInstanceOf(Reference);
    expect(target.target).toBe('plan/azurerm_cognitive_account.main');
    expect(graph.get('plan/module.m.google_storage_bucket.b')!.providerConfig?.region).toBe('europe-west4');
  });

  test('an assembly written without path metadata (app.synth() outside the CLI) takes construct paths from its metadata file', () => {
    const outdir = path.join(tempDir('no-path-metadata'), 'cdk.out');
    const app = new App({ outdir });
    new Queue(new Stack(app, 'Plain', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Jobs');
    app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Plain.template.json'), 'utf8')) as { Resources: { [id: string]: { Metadata?: object } } };
    expect(Object.values(template.Resources).map((resource) => resource.Metadata)).toEqual([undefined]);
    const [queue] = loadInput(outdir).graph.resources;
    expect(queue).toMatchObject({ type: 'AWS::SQS::Queue', path: 'Plain/Jobs/Resource' });
  });

  test('a directory holding cdk.out is found', () => {
    const directory = tempDir('parent');
    fs.mkdirSync(path.join(directory, 'cdk.out'));
    fs.writeFileSync(path.join(directory, 'cdk.out', 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { App: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-central-1', properties: { templateFile: 'App.template.json' } } } }));
    fs.writeFileSync(path.join(directory, 'cdk.out', 'App.template.json'), JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }));
    expect(loadInput(directory).kind).toBe('cdk-assembly');
  });

  test.each([
    ['a missing path', () => loadInput('/nonexistent/cdk.out'), /no such file or directory/],
    ['a directory without manifest', () => loadInput(tempDir('empty')), /no manifest\.json here/],
    ['truncated JSON', () => loadTruncatedTemplate(), /invalid JSON/],
    ['an unrelated JSON document', () => loadInput(writeJson('other.json', { hello: 'world' })), /not a CloudFormation template, Terraform JSON configuration or Terraform plan/],
  ])('%s is one clear InputError', (_name, action, expected) => {
    expect(action).toThrow(InputError);
    expect(action).toThrow(expected);
  });
});

function loadTruncatedTemplate(): unknown {
  const file = path.join(tempDir('trunc'), 'App.template.json');
  fs.writeFileSync(file, '{"Resources": {"A": {"Type": "AWS::S3::Bu');
  return loadInput(file);
}

describe('log roles', () => {
  test('a Google sink whose destination is built around a bucket reference marks that bucket as an audit store', () => {
    const { logWiring } = require('../../lib/analysis/log-wiring') as typeof import('../../lib/analysis/log-wiring');
    const { GuardrailPolicy } = require('../../lib/policy/policy') as typeof import('../../lib/policy/policy');
    const graph = new ResourceGraph(
      [TF_STACK],
      resourcesFromTerraform(
        {
          resource: {
            google_storage_bucket: { archive: { location: 'EU' } },
            google_logging_project_sink: { s: { destination: 'storage.googleapis.com/${google_storage_bucket.archive.name}x' } },
          },
        },
        TF_STACK,
      ),
    );
    const { createAnalysisContext } = require('../../lib/analysis/context') as typeof import('../../lib/analysis/context');
    const { roles } = logWiring(createAnalysisContext(graph, GuardrailPolicy.preset('eu')));
    expect([...(roles.get('tf/google_storage_bucket.archive') ?? [])]).toEqual(['audit']);
  });
});
