/**
 * CloudFormation and SAM templates written in YAML, checked as
 * `llm-guardrail check template.yaml` checks them: the short forms of the
 * intrinsic functions read as their long forms, and the SAM transform read as
 * it deploys.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadInput } from '../../lib/input/load';
import { Reference, Unresolved } from '../../lib/core/values';
import { runCliAsyncInProcess } from '../support/cli';
import { tempDir } from '../support/synth';

function templateFile(text: string, name = 'template.yaml'): string {
  const file = path.join(tempDir('cfn-yaml'), name);
  fs.writeFileSync(file, text);
  return file;
}

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Environment:
      Variables:
        MODEL_ID: us.anthropic.claude-3-5-haiku-20241022-v1:0
Resources:
  Chat:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TABLE: !Ref Table
          REGION_NAME: !Sub '\${AWS::Region}'
          STAGE: !If [IsProd, live, test]
      Policies:
        - Statement:
            - Effect: Allow
              Action: bedrock:InvokeModel
              Resource: !Join ['', ['arn:aws:bedrock:us-east-1::foundation-model/', 'anthropic.claude-3-haiku-20240307-v1:0']]
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      StreamSpecification: { StreamViewType: !Select [0, [NEW_IMAGE]] }
      SSESpecification: { KMSMasterKeyId: !GetAtt Key.Arn }
  Key:
    Type: AWS::KMS::Key
`;

describe('a YAML template', () => {
  test('GIVEN short-form intrinsics and the SAM transform THEN the reader sees the long forms and the generated function and role', () => {
    const { graph } = loadInput(templateFile(SAM));
    expect(graph.resources.map((resource) => `${resource.id} ${resource.type}`)).toEqual(['Chat AWS::Lambda::Function', 'ChatRole AWS::IAM::Role', 'Table AWS::DynamoDB::Table', 'Key AWS::KMS::Key']);
    const variables = (graph.resources[0].properties.Environment as { Variables: { [name: string]: unknown } }).Variables;
    expect(variables.MODEL_ID).toBe('us.anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(variables.TABLE).toBeInstanceOf(Reference);
    expect(variables.STAGE).toBeInstanceOf(Unresolved);
    expect((graph.resources[2].properties.SSESpecification as { KMSMasterKeyId: Reference }).KMSMasterKeyId.attribute).toBe('Arn');
  });

  test('GIVEN the template through the command THEN the US grant and the US profile fail the gate', async () => {
    const result = await runCliAsyncInProcess(['check', templateFile(SAM), '--policy', 'eu', '--format', 'json']);
    expect(result.status).toBe(1);
    const ids = (JSON.parse(result.stdout) as { findings: { ruleId: string; resource: { id: string }; cannotVerify: boolean }[] }).findings.filter((finding) => !finding.cannotVerify).map((finding) => `${finding.ruleId} ${finding.resource.id}`);
    expect(ids).toEqual(expect.arrayContaining(['LCG-RES-010 ChatRole', 'LCG-RES-014 Chat']));
  });

  test('GIVEN --region and --account THEN the bare template is judged in that environment, and without them its residency cannot be verified', async () => {
    const file = templateFile(SAM);
    const placed = await runCliAsyncInProcess(['check', file, '--policy', 'eu', '--format', 'json', '--region', 'eu-central-1', '--account', '111122223333']);
    const findings = (JSON.parse(placed.stdout) as { findings: { ruleId: string; cannotVerify: boolean }[] }).findings;
    expect(findings.filter((finding) => finding.ruleId === 'LCG-RES-002')).toEqual([]);
    const unplaced = await runCliAsyncInProcess(['check', file, '--policy', 'eu', '--format', 'json']);
    expect((JSON.parse(unplaced.stdout) as { findings: { ruleId: string; cannotVerify: boolean }[] }).findings.filter((finding) => finding.ruleId === 'LCG-RES-002').map((finding) => finding.cannotVerify)).toEqual([true]);
  });

  test.each([
    [['--region', 'eu_central'], /--region must be an AWS region/],
    [['--account', '1234'], /--account must be a 12-digit AWS account id/],
  ])('GIVEN %j THEN one line and exit 2', async (extra, message) => {
    const result = await runCliAsyncInProcess(['check', templateFile(SAM), '--policy', 'eu', ...extra]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('GIVEN --region for a Terraform directory THEN it is refused: Terraform names its own region', async () => {
    const directory = tempDir('tf-region');
    fs.writeFileSync(path.join(directory, 'main.tf'), 'provider "aws" {\n  region = "eu-central-1"\n}\n');
    const result = await runCliAsyncInProcess(['check', directory, '--policy', 'eu', '--region', 'eu-central-1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/apply to a single CloudFormation or SAM template/);
  });

  test.each([
    ['invalid YAML', 'Resources: [unclosed', /not a valid YAML template/],
    ['an unknown tag', 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: { Name: !Bogus x }\n', /not a valid YAML template/],
    ['a YAML file that is not a template', 'policy: eu\n', /not a CloudFormation template \(no "Resources"\)/],
    ['duplicate keys', 'Resources:\n  A: { Type: AWS::S3::Bucket }\n  A: { Type: AWS::SQS::Queue }\n', /not a valid YAML template/],
  ])('GIVEN %s THEN one line and exit 2', async (_, text, message) => {
    const result = await runCliAsyncInProcess(['check', templateFile(text), '--policy', 'eu']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
