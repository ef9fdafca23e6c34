/** LCG-RES-010 on plain Terraform: IAM policies are JSON strings (`policy`, `inline_policy`). */
import { findings, passes, tfGraph } from '../support/rules';

const RULE = 'LCG-RES-010';
const policyJson = (...resources: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:Converse'], Resource: resources }] });
const EU_MODEL = 'arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';

describe('LCG-RES-010 on Terraform IAM policies', () => {
  test('Noncompliance: an aws_iam_policy granting a global. profile and a model in us-east-1', () => {
    const graph = tfGraph({
      provider: { aws: [{ region: 'eu-central-1' }] },
      resource: {
        aws_iam_policy: {
          invoke: {
            name: 'invoke',
            policy: policyJson('arn:aws:bedrock:eu-central-1:111111111111:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'),
          },
        },
      },
    });
    const result = findings(RULE, graph);
    expect(result).toHaveLength(2);
    expect(result.map((finding) => finding.attribute)).toEqual(['policy.Statement[0].Resource', 'policy.Statement[0].Resource']);
    expect(result.map((finding) => finding.found).join('\n')).toMatch(/global\.anthropic/);
    expect(result.map((finding) => finding.found).join('\n')).toMatch(/us-east-1/);
  });

  test('Noncompliance: an inline_policy block of an aws_iam_role granting "*"', () => {
    const graph = tfGraph({ resource: { aws_iam_role: { chat: { name: 'chat', assume_role_policy: '{}', inline_policy: [{ name: 'bedrock', policy: policyJson('*') }] } } } });
    const [finding] = findings(RULE, graph);
    expect(finding.attribute).toBe('inline_policy[0].policy.Statement[0].Resource');
    expect(finding.message).toMatch(/every model and inference profile in every region/);
  });

  test('Compliance: a model in Frankfurt; policies without Bedrock are not judged', () => {
    const graph = tfGraph({
      resource: {
        aws_iam_role_policy: { invoke: { role: 'chat', policy: policyJson(EU_MODEL) } },
        aws_iam_policy: { s3: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) } },
      },
    });
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['aws_iam_role_policy.invoke']);
  });

  test('Unresolved: a model ARN whose region comes from a variable, and a jsonencode() document, fail closed', () => {
    const graph = tfGraph({
      resource: {
        aws_iam_policy: {
          fromVariable: { policy: policyJson('arn:aws:bedrock:${var.region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0') },
          encoded: { policy: '${jsonencode({Statement = [{Effect = "Allow", Action = "bedrock:InvokeModel", Resource = var.model_arn}]})}' },
        },
      },
    });
    const result = findings(RULE, graph);
    expect(result.map((finding) => finding.resource.id).sort()).toEqual(['aws_iam_policy.encoded', 'aws_iam_policy.fromVariable']);
    for (const finding of result) expect(finding.message).toMatch(/^Cannot verify/);
  });
});
