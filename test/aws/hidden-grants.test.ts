/**
 * Grants and model choices written in ways that hide them from a reader that
 * only looks for the usual spellings: a policy document that cannot be read
 * at all, a statement chosen by a condition, invocation APIs beside
 * InvokeModel, another template's outputs, and the AWS SDK's own region and
 * endpoint settings. Each must be judged (or fail closed), never pass.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCliAsyncInProcess, runCliInProcess } from '../support/cli';
import { tempDir } from '../support/synth';

const US_MODEL = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
const EU_MODEL = 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
const TRUST = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

/** A one-stack cloud assembly in eu-west-1 with these resources (and parameters, conditions). */
function assembly(template: object): string {
  const directory = path.join(tempDir('hidden'), 'cdk.out');
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://111122223333/eu-west-1', properties: { templateFile: 'S.template.json' } } } }));
  fs.writeFileSync(path.join(directory, 'S.template.json'), JSON.stringify(template));
  return directory;
}

function findings(input: string): { status: number | null; byRule: Map<string, string[]> } {
  const result = runCliInProcess(['check', input, '--policy', 'eu', '--format', 'json']);
  expect(result.stderr).toBe('');
  const byRule = new Map<string, string[]>();
  for (const finding of (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding.message]);
  return { status: result.status, byRule };
}

const role = (statement: unknown) => ({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [statement] } }] } });

describe('policy documents and statements that cannot be read', () => {
  test('GIVEN a role whose whole policy document is a parameter THEN whether it grants a model cannot be verified, whatever the parameter is called', () => {
    const { status, byRule } = findings(assembly({ Parameters: { Doc: { Type: 'String' } }, Resources: { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, Policies: [{ PolicyName: 'p', PolicyDocument: { Ref: 'Doc' } }] } } } }));
    expect(status).toBe(1);
    expect(byRule.get('LCG-RES-010')?.join()).toContain('Cannot verify');
  });

  test('GIVEN a statement chosen by a deploy-time condition that allows everything but IAM THEN it may grant Bedrock: cannot verify', () => {
    const statement = { 'Fn::If': ['IsProd', { Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::nothing' }, { Ref: 'AWS::NoValue' }] };
    const template = { Parameters: { Stage: { Type: 'String' } }, Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } }, Resources: { R: role(statement) } };
    expect(findings(assembly(template)).byRule.get('LCG-RES-010')?.join()).toContain('Cannot verify');
  });

  test('GIVEN the same condition choosing between statements that grant only S3 THEN no Bedrock grant is read into it', () => {
    const statement = { 'Fn::If': ['IsProd', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }, { Ref: 'AWS::NoValue' }] };
    const template = { Parameters: { Stage: { Type: 'String' } }, Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } }, Resources: { R: role(statement) } };
    expect(findings(assembly(template)).byRule.has('LCG-RES-010')).toBe(false);
  });

  test('GIVEN a Terraform role policy read from a file THEN whether it grants a model cannot be verified, whatever the file is called', async () => {
    const directory = tempDir('hidden-tf');
    fs.writeFileSync(path.join(directory, 'app-policy.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: US_MODEL }] }));
    fs.writeFileSync(
      path.join(directory, 'main.tf'),
      'provider "aws" {\n  region = "eu-central-1"\n}\nresource "aws_iam_role" "app" {\n  name = "app"\n  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })\n}\nresource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.app.id\n  policy = file("${path.module}/app-policy.json")\n}\n',
    );
    const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--format', 'json']);
    expect(result.status).toBe(1);
    const grants = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string; fix: string }[] }).findings.filter((finding) => finding.ruleId === 'LCG-RES-010');
    expect(grants.map((finding) => finding.message).join()).toContain('the policy document is known only at deploy or plan time');
    // The fix is to make the policy readable, not to name a model.
    expect(grants.map((finding) => finding.fix).join()).toContain('write the policy where the gate can read it');
  });
});

describe('invocation APIs beside InvokeModel', () => {
  test.each(['bedrock:CreateModelInvocationJob', 'bedrock:StartAsyncInvoke', 'bedrock:InvokeModelWithBidirectionalStream'])('GIVEN a role allowed only %s on a US model THEN the model is judged where it runs', (action) => {
    const { status, byRule } = findings(assembly({ Resources: { R: role({ Effect: 'Allow', Action: action, Resource: US_MODEL }) } }));
    expect(status).toBe(1);
    expect(byRule.get('LCG-RES-010')?.join()).toContain(`allows ${action} on a model or profile in us-east-1`);
  });

  test('GIVEN the same on an EU model THEN it passes residency', () => {
    expect(findings(assembly({ Resources: { R: role({ Effect: 'Allow', Action: 'bedrock:CreateModelInvocationJob', Resource: EU_MODEL }) } })).byRule.has('LCG-RES-010')).toBe(false);
  });
});

describe('a model ARN from another template', () => {
  test('GIVEN a grant on an output of a Service Catalog product THEN it may be any model: cannot verify', () => {
    const template = { Resources: { Models: { Type: 'AWS::ServiceCatalog::CloudFormationProvisionedProduct', Properties: { ProductName: 'models', ProvisioningArtifactName: 'v1' } }, R: role({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: { 'Fn::GetAtt': ['Models', 'Outputs.ModelArn'] } }) } };
    expect(findings(assembly(template)).byRule.get('LCG-RES-010')?.join()).toContain('an output of AWS::ServiceCatalog::CloudFormationProvisionedProduct "Models"');
  });
});

describe("the AWS SDK's own region and endpoint settings", () => {
  const task = (variables: { [name: string]: string }) => ({
    Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'app', Environment: Object.entries(variables).map(([Name, Value]) => ({ Name, Value })) }] } } },
  });

  test('GIVEN a task handed a model id and AWS_REGION=us-east-1 THEN its Bedrock calls go to us-east-1', () => {
    expect(findings(assembly(task({ MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0', AWS_REGION: 'us-east-1' }))).byRule.get('LCG-RES-014')?.join()).toContain('us-east-1');
  });

  test('GIVEN a Bedrock region of its own beside AWS_REGION THEN the Bedrock one decides', () => {
    expect(findings(assembly(task({ MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0', AWS_REGION: 'us-east-1', BEDROCK_REGION: 'eu-west-1' }))).byRule.has('LCG-RES-014')).toBe(false);
  });

  test('GIVEN AWS_REGION=us-east-1 on a task handed no model THEN it is no Bedrock caller', () => {
    const { byRule } = findings(assembly(task({ AWS_REGION: 'us-east-1' })));
    expect([...byRule.keys()].filter((rule) => /^LCG-(RES-014|LOG-01[01]|NET-010)$/.test(rule))).toEqual([]);
  });

  test.each(['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'BEDROCK_ENDPOINT_URL'])('GIVEN a function whose %s is the us-east-1 runtime endpoint THEN its calls go to us-east-1', (name) => {
    const template = { Resources: { F: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'i.h', Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::111122223333:role/r', Environment: { Variables: { [name]: 'https://bedrock-runtime.us-east-1.amazonaws.com' } } } } } };
    expect(findings(assembly(template)).byRule.get('LCG-RES-014')?.join()).toContain('us-east-1');
  });

  test('GIVEN an endpoint URL whose region cannot be read (a proxy) THEN where calls go cannot be verified', () => {
    const template = { Resources: { F: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'i.h', Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::111122223333:role/r', Environment: { Variables: { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'https://llm-proxy.internal.example.com' } } } } } };
    expect(findings(assembly(template)).byRule.get('LCG-RES-014')?.join()).toContain('Cannot verify');
  });
});
