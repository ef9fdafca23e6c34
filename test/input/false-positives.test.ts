/**
 * Compliant configurations as careful teams write them: none of these may fail
 * the gate because of how the readers take their shapes.
 */
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { exampleGraph } from '../../lib/rules/examples';
import type { ResourceGraph } from '../../lib/core/graph';

/** eu, with every account's trail and invocation logging provided centrally: only the finding in question remains. */
const POLICY = GuardrailPolicy.fromSpec({ extends: 'eu', centralLogging: [{ account: '*', regions: ['*'], provides: ['trail', 'invocation-logging'], evidence: 'landing zone' }] }, 'test central logging');

function errors(graph: ResourceGraph, policy: GuardrailPolicy = POLICY): string[] {
  return runGuardrail(graph, policy, { today: '2026-11-25' })
    .report.findings.filter((finding) => finding.severity === 'error')
    .map((finding) => `${finding.ruleId} ${finding.resource.id}`);
}

const cfn = (document: object): ResourceGraph => exampleGraph({ description: 'x', stacks: [{ format: 'cloudformation', document }] });
const tf = (document: object): ResourceGraph => exampleGraph({ description: 'x', stacks: [{ format: 'terraform', document }] });
const lambda = (variables: object, code = 'exports.handler = async () => ({})') => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', Role: 'arn:aws:iam::111111111111:role/app', Code: { ZipFile: code }, Environment: { Variables: variables } } });

test('GIVEN an alarm and a queue created only in production (a parameter condition) THEN no rule reads them, and nothing fails', () => {
  const graph = cfn({
    Parameters: { Env: { Type: 'String', Default: 'dev' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
    Resources: {
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Condition: 'IsProd', Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' } },
      Jobs: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
    },
  });
  expect(errors(graph)).toEqual([]);
});

test('GIVEN settings that name a checkout page, a chat widget or a model registry THEN they are no LLM provider', () => {
  const graph = cfn({ Resources: { App: lambda({ CHECKOUT_COMPLETION_URL: 'https://shop.example.com/thanks', SUPPORT_CHAT_URL: 'https://widget.intercom.io/widget/abc', MODEL_URL: 'https://registry.internal.example.com/models/churn' }) } });
  expect(errors(graph)).toEqual([]);
});

test('GIVEN a Vertex AI dedicated endpoint host in an endpoint setting THEN it is the cloud\'s own service, no external provider', () => {
  const graph = tf({
    provider: { google: [{ project: 'p', region: 'europe-west4' }] },
    resource: { google_cloud_run_v2_service: { app: { name: 'app', location: 'europe-west4', template: [{ containers: [{ image: 'app:1', env: [{ name: 'AI_ENDPOINT', value: 'https://1234.europe-west4-567.prediction.vertexai.goog' }] }] }] } } },
  });
  expect(errors(graph).filter((line) => line.startsWith('LCG-PRV'))).toEqual([]);
});

test('GIVEN an Azure Key Vault secret named openai-api-key and an app setting referencing it THEN they are Azure OpenAI\'s key, not a call to OpenAI', () => {
  const graph = tf({
    provider: { azurerm: [{ features: {} }] },
    resource: {
      azurerm_key_vault_secret: { key: { name: 'openai-api-key', value: '${var.key}', key_vault_id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv' } },
      azurerm_linux_web_app: { app: { name: 'app', location: 'westeurope', resource_group_name: 'rg', service_plan_id: 'plan', site_config: [{}], app_settings: { AZURE_OPENAI_API_KEY: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/openai-api-key/)' } } },
    },
    variable: { key: { type: 'string', sensitive: true } },
  });
  expect(errors(graph).filter((line) => line.startsWith('LCG-PRV'))).toEqual([]);
});

test('GIVEN the OpenAI SDK pointed at an Azure OpenAI account of the configuration with its key THEN the key is the account\'s', () => {
  const graph = tf({
    provider: { azurerm: [{ features: {} }] },
    resource: {
      azurerm_cognitive_account: { oai: { name: 'oai-chat', location: 'westeurope', resource_group_name: 'rg', kind: 'OpenAI', sku_name: 'S0', custom_subdomain_name: 'oai-chat' } },
      azurerm_linux_web_app: { app: { name: 'app', location: 'westeurope', resource_group_name: 'rg', service_plan_id: 'plan', site_config: [{}], app_settings: { OPENAI_API_KEY: '${var.key}', OPENAI_BASE_URL: 'https://oai-chat.openai.azure.com/openai/v1/' } } },
    },
    variable: { key: { type: 'string', sensitive: true } },
  });
  expect(errors(graph).filter((line) => line.startsWith('LCG-PRV') || line.startsWith('LCG-RES-031'))).toEqual([]);
});

test('GIVEN inline code whose comments name a US profile THEN the model it uses is the one its code and settings name', () => {
  const code = "import boto3\n# never use us.anthropic.claude-3-5-haiku-20241022-v1:0 here\n// previously arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2\ndef handler(event, context):\n    return boto3.client('bedrock-runtime').converse(modelId=os.environ['MODEL_ID'])\n";
  const graph = cfn({ Resources: { Chat: lambda({ MODEL_ID: 'arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' }, code) } });
  expect(errors(graph).filter((line) => line.startsWith('LCG-RES-014'))).toEqual([]);
});

test('GIVEN RetrieveAndGenerate on "*" (the action names no resource) beside InvokeModel in the region THEN it grants nothing the residency rule judges', () => {
  const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] }, Policies: [{ PolicyName: 'rag', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:RetrieveAndGenerate', Resource: '*' }, { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' }] } }] } };
  expect(errors(cfn({ Resources: { Rag: role } })).filter((line) => line.startsWith('LCG-RES-010'))).toEqual([]);
});

test('GIVEN lifecycle rules with an empty prefix, or a dated rule for one prefix only, THEN the whole-bucket rule decides the retention', () => {
  const bucket = (rules: object[]) => cfn({ Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, IsMultiRegionTrail: true, S3BucketName: { Ref: 'Logs' } } }, Logs: { Type: 'AWS::S3::Bucket', Properties: { LifecycleConfiguration: { Rules: rules } } } } });
  expect(errors(bucket([{ Status: 'Enabled', Prefix: '', ExpirationInDays: 400 }]))).toEqual([]);
  expect(errors(bucket([{ Status: 'Enabled', Filter: { Prefix: '' }, ExpirationInDays: 400 }]))).toEqual([]);
  expect(errors(bucket([{ Status: 'Enabled', ExpirationInDays: 400 }, { Status: 'Enabled', Prefix: 'tmp/', ExpirationDate: '2027-01-01T00:00:00.000Z' }]))).toEqual([]);
});

test('GIVEN a SAM function whose Policies list is empty THEN no policy named null is attached', () => {
  const graph = cfn({ Transform: 'AWS::Serverless-2016-10-31', Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', CodeUri: 'src/', Policies: [null] } } } });
  expect(errors(graph)).toEqual([]);
});

test('GIVEN a Cloud Translation model path in a Cloud Run setting THEN it is no Vertex AI location', () => {
  const graph = tf({
    provider: { google: [{ project: 'p', region: 'europe-west4' }] },
    resource: { google_cloud_run_v2_service: { app: { name: 'app', location: 'europe-west4', template: [{ containers: [{ image: 'app:1', env: [{ name: 'TRANSLATION_MODEL', value: 'projects/acme/locations/global/models/general/nmt' }] }] }] } } },
  });
  expect(errors(graph).filter((line) => line.startsWith('LCG-RES-051'))).toEqual([]);
});

test('GIVEN a provisioner that only reads an AI resource (az … show) THEN it stays out of scope', () => {
  const graph = tf({ resource: { terraform_data: { check: { provisioner: [{ 'local-exec': [{ command: 'az cognitiveservices account deployment show --name oai --deployment-name chat' }] }] } } } });
  expect(errors(graph)).toEqual([]);
});

test('GIVEN JSON nested 6,000 levels deep inside a setting THEN it is read as text, without a crash', () => {
  const deep = `${'['.repeat(6000)}${']'.repeat(6000)}`;
  const graph = cfn({ Resources: { App: lambda({ CONFIG: deep }) } });
  expect(() => errors(graph)).not.toThrow();
});

test('GIVEN a model-artifact bucket region setting THEN it is no Bedrock region', () => {
  const graph = cfn({ Resources: { App: lambda({ MODEL_ARTIFACTS_BUCKET_REGION: 'us-east-1', INNOVATION_REGION: 'us-east-1' }) } });
  expect(errors(graph).filter((line) => line.startsWith('LCG-RES-014'))).toEqual([]);
});

test('GIVEN a lifecycle rule that only removes expired delete markers (days planned as 0) THEN the trail bucket keeps its logs', () => {
  const graph = tf({
    provider: { aws: [{ region: 'eu-central-1' }] },
    resource: {
      aws_cloudtrail: { trail: { name: 'trail', s3_bucket_name: '${aws_s3_bucket.logs.id}', is_multi_region_trail: true, enable_logging: true } },
      aws_s3_bucket: { logs: { bucket: 'trail-logs' } },
      aws_s3_bucket_lifecycle_configuration: { logs: { bucket: '${aws_s3_bucket.logs.id}', rule: [{ id: 'markers', status: 'Enabled', filter: [{}], expiration: [{ days: 0, expired_object_delete_marker: true }] }] } },
    },
  });
  expect(errors(graph).filter((line) => line.startsWith('LCG-RET'))).toEqual([]);
});
