/**
 * Inputs a review of the new readers showed passing or misread: each must be
 * judged (a finding, or "cannot verify"), never a silent pass.
 */
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { exampleGraph } from '../../lib/rules/examples';
import type { ResourceGraph } from '../../lib/core/graph';

const POLICY = GuardrailPolicy.fromSpec({ extends: 'eu', centralLogging: [{ account: '*', regions: ['*'], provides: ['trail', 'invocation-logging'], evidence: 'landing zone' }] }, 'test central logging');

function findings(graph: ResourceGraph): string[] {
  return runGuardrail(graph, POLICY, { today: '2026-11-25' })
    .report.findings.filter((finding) => finding.severity === 'error')
    .map((finding) => `${finding.ruleId} ${finding.resource.id}${finding.cannotVerify ? ' (cannot verify)' : ''}`);
}

const cfn = (document: object): ResourceGraph => exampleGraph({ description: 'x', stacks: [{ format: 'cloudformation', document }] });
const tf = (document: object): ResourceGraph => exampleGraph({ description: 'x', stacks: [{ format: 'terraform', document }] });
const lambda = (variables: object) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', Role: 'arn:aws:iam::111111111111:role/app', Code: { ZipFile: 'def handler(e, c): pass' }, Environment: { Variables: variables } } });

test('GIVEN provider keys beside a setting that names an S3 object or an Azure OpenAI account THEN the other providers\' keys still count', () => {
  expect(findings(cfn({ Resources: { App: lambda({ ANTHROPIC_API_KEY: '{{resolve:secretsmanager:a}}', OPENAI_API_KEY: '{{resolve:secretsmanager:o}}', MODEL_URL: 'https://my-models.s3.eu-central-1.amazonaws.com/weights.bin' }) } }))).toEqual(['LCG-PRV-002 App', 'LCG-PRV-002 App']);
  expect(findings(cfn({ Resources: { App: lambda({ ANTHROPIC_API_KEY: '{{resolve:secretsmanager:a}}', AZURE_OPENAI_ENDPOINT: 'https://oai.openai.azure.com/' }) } })).filter((line) => line.startsWith('LCG-PRV-002'))).toEqual(['LCG-PRV-002 App']);
});

test('GIVEN a JSON model configuration whose models are a list THEN the profiles in the list are read', () => {
  const graph = cfn({ Resources: { App: lambda({ LLM_CONFIG: JSON.stringify({ models: ['us.anthropic.claude-3-5-sonnet-20240620-v1:0'], temperature: 0.2 }) }) } });
  expect(findings(graph)).toContain('LCG-RES-014 App');
});

test('GIVEN a sink of Admin Activity logs only, or a sink whose project is a variable THEN the Data Access logs are not shown kept', () => {
  const base = (sink: object) =>
    tf({
      provider: { google: [{ project: 'acme', region: 'europe-west4' }] },
      resource: {
        google_project_iam_audit_config: { vertex: { project: 'acme', service: 'aiplatform.googleapis.com', audit_log_config: [{ log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }] } },
        google_vertex_ai_endpoint: { chat: { name: 'chat', display_name: 'chat', location: 'europe-west4', encryption_spec: [{ kms_key_name: 'projects/acme/locations/europe-west4/keyRings/r/cryptoKeys/k' }] } },
        google_logging_project_sink: { audit: { name: 'audit', destination: 'storage.googleapis.com/acme-audit', ...sink } },
        google_storage_bucket: { audit: { name: 'acme-audit', location: 'EU' } },
      },
      variable: { audit_project: { type: 'string' } },
    });
  expect(findings(base({ project: 'acme', filter: 'logName="projects/acme/logs/cloudaudit.googleapis.com%2Factivity"' }))).toContain('LCG-LOG-050 google_vertex_ai_endpoint.chat');
  expect(findings(base({ project: '${var.audit_project}', filter: 'logName:"cloudaudit.googleapis.com%2Fdata_access"' }))).toContain('LCG-LOG-050 google_vertex_ai_endpoint.chat (cannot verify)');
  expect(findings(base({ project: 'acme', filter: 'logName:"cloudaudit.googleapis.com%2Fdata_access"' })).filter((line) => line.startsWith('LCG-LOG-050'))).toEqual([]);
});

test('GIVEN Cloud Run settings built whole from variables, or two model paths in one value THEN every location is judged', () => {
  const run = (env: object) => tf({ provider: { google: [{ project: 'p', region: 'europe-west4' }] }, resource: { google_cloudfunctions2_function: { fn: { name: 'fn', location: 'europe-west4', service_config: [{ environment_variables: env }] } } }, variable: { envs: { type: 'map(string)' }, loc: { type: 'string' } } });
  expect(findings(run('${merge(var.envs, { GOOGLE_CLOUD_LOCATION = var.loc })}' as never))).toContain('LCG-RES-051 google_cloudfunctions2_function.fn (cannot verify)');
  expect(findings(run({ MODELS: 'projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-flash,projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro' }))).toContain('LCG-RES-051 google_cloudfunctions2_function.fn');
});

test('GIVEN provisioners with global options before the service, or a read command followed by an unrelated create THEN each command is judged on its own', () => {
  const provisioned = (command: string) => tf({ resource: { null_resource: { p: { provisioner: [{ 'local-exec': [{ command }] }] } } } });
  expect(findings(provisioned('aws --region us-east-1 bedrock create-provisioned-model-throughput --model-units 1'))).toEqual(['LCG-COV-001 null_resource.p (cannot verify)']);
  expect(findings(provisioned('az cognitiveservices account show --name oai\nkubectl create configmap chat --from-literal=a=b'))).toEqual([]);
});

test('GIVEN an API Gateway URI written with ${AWS::Partition} and ${AWS::Region} THEN its model is still read', () => {
  const graph = exampleGraph({
    description: 'x',
    stacks: [{ format: 'cloudformation', region: null, document: { Resources: { M: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'POST', RestApiId: 'api', ResourceId: 'root', AuthorizationType: 'NONE', Integration: { Type: 'AWS', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:bedrock-runtime:path/model/us.anthropic.claude-3-5-sonnet-20240620-v1:0/invoke' } } } } } } }],
  });
  expect(findings(graph)).toContain('LCG-RES-014 M');
});

test('GIVEN an AppSync Bedrock data source named by a parameter THEN a resolver naming a data source by string may use it, and its US profile is judged', () => {
  const graph = cfn({
    Parameters: { SourceName: { Type: 'String' } },
    Resources: {
      Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'chat', AuthenticationType: 'AWS_IAM' } },
      Source: { Type: 'AWS::AppSync::DataSource', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Name: { Ref: 'SourceName' }, Type: 'AMAZON_BEDROCK_RUNTIME', ServiceRoleArn: 'arn:aws:iam::111111111111:role/ds' } },
      Ask: { Type: 'AWS::AppSync::Resolver', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, TypeName: 'Query', FieldName: 'ask', DataSourceName: 'bedrock', Code: "export function request(ctx) { return { operation: 'InvokeModel', modelId: 'us.amazon.nova-lite-v1:0' }; }" } },
    },
  });
  expect(findings(graph)).toContain('LCG-RES-014 Ask');
});
