/**
 * Every resource is judged, out of scope, or reported as not inspected — and
 * an AI service nobody reads fails the gate instead of passing unread.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../../lib/core/errors';
import type { ResourceGraph } from '../../lib/core/graph';
import { runGuardrail } from '../../lib/gate/run';
import { loadInput } from '../../lib/input/load';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { ALL_RULES } from '../../lib/rules';
import { ExampleStack, exampleGraph, ruleExamples } from '../../lib/rules/examples';

const TODAY = '2026-11-25';

function judge(graph: ResourceGraph, policy: string | GuardrailPolicy = 'eu') {
  return runGuardrail(graph, typeof policy === 'string' ? GuardrailPolicy.preset(policy) : policy, { today: TODAY }).report;
}

const cloudFormation = (resources: object): ResourceGraph => exampleGraph({ description: 'accounting', stacks: [{ format: 'cloudformation', document: { Resources: resources } }] });
const terraform = (document: object): ResourceGraph => exampleGraph({ description: 'accounting', stacks: [{ format: 'terraform', document: { provider: { azurerm: [{ features: {} }], google: [{ project: 'p', region: 'europe-west4' }] }, ...document } }] });

const INVENTED: [string, ResourceGraph, string][] = [
  ['an invented AWS::Bedrock::FutureThing', cloudFormation({ Future: { Type: 'AWS::Bedrock::FutureThing', Properties: { ModelId: 'global.anthropic.claude-x' } } }), 'Future'],
  [
    'an azapi_resource of an unknown Microsoft.CognitiveServices type',
    terraform({ resource: { azapi_resource: { project: { type: 'Microsoft.CognitiveServices/accounts/projects@2025-06-01', name: 'p', location: 'swedencentral', parent_id: '/subscriptions/s/resourceGroups/rg' } } } }),
    'azapi_resource.project',
  ],
  [
    'an azapi_resource of Microsoft.MachineLearningServices',
    terraform({ resource: { azapi_resource: { hub: { type: 'Microsoft.MachineLearningServices/workspaces@2024-10-01', name: 'hub', location: 'swedencentral', parent_id: '/subscriptions/s/resourceGroups/rg' } } } }),
    'azapi_resource.hub',
  ],
  ['a google_vertex_ai_* type the rules do not know', terraform({ resource: { google_vertex_ai_future_agent_runtime: { agent: { display_name: 'agent', region: 'europe-west4' } } } }), 'google_vertex_ai_future_agent_runtime.agent'],
  ['a Terraform module the guardrail does not expand', terraform({ module: { openai: { source: 'Azure/openai/azurerm', location: 'eastus' } } }), 'module.openai'],
  [
    'a terraform_data whose local-exec creates a model deployment',
    terraform({ resource: { terraform_data: { deploy: { provisioner: [{ 'local-exec': [{ command: 'az cognitiveservices account deployment create --name oai --model-name gpt-5 --sku-name GlobalStandard' }] }] } } } }),
    'terraform_data.deploy',
  ],
  [
    'a terraform_data whose local-exec PUTs a deployment through az rest',
    terraform({ resource: { terraform_data: { deploy: { provisioner: [{ 'local-exec': [{ command: "az rest --method put --url https://management.azure.com${azurerm_cognitive_account.openai.id}/deployments/gpt-4o?api-version=2024-10-01 --body '{\"sku\":{\"name\":\"GlobalStandard\"}}'" }] }] } } } }),
    'terraform_data.deploy',
  ],
  [
    'a null_resource whose local-exec PATCHes an Azure AI account with curl',
    terraform({ resource: { null_resource: { patch: { provisioner: [{ 'local-exec': [{ command: 'curl -s -X PATCH -H "Authorization: Bearer $TOKEN" https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/oai?api-version=2024-10-01 -d @patch.json' }] }] } } } }),
    'null_resource.patch',
  ],
  [
    'a terraform_data whose local-exec deploys an OpenAI Bicep template',
    terraform({ resource: { terraform_data: { bicep: { provisioner: [{ 'local-exec': [{ command: 'az deployment group create --resource-group rg-llm --template-file infra/openai.bicep' }] }] } } } }),
    'terraform_data.bicep',
  ],
  [
    'an ARM template deployment of an Azure OpenAI model deployment',
    terraform({
      resource: {
        azurerm_resource_group_template_deployment: {
          gpt: { name: 'gpt', resource_group_name: 'rg', deployment_mode: 'Incremental', template_content: JSON.stringify({ resources: [{ type: 'Microsoft.CognitiveServices/accounts/deployments', apiVersion: '2024-10-01', name: 'oai/gpt-4o', sku: { name: 'GlobalStandard', capacity: 10 } }] }) },
        },
      },
    }),
    'azurerm_resource_group_template_deployment.gpt',
  ],
  [
    'a CloudFormation stack whose template holds a Bedrock agent',
    exampleGraph({
      description: 'accounting',
      stacks: [{ format: 'terraform', document: { provider: { aws: [{ region: 'eu-central-1' }] }, resource: { aws_cloudformation_stack: { agent: { name: 'agent', template_body: JSON.stringify({ Resources: { Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', FoundationModel: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0' } } } }) } } } } }],
    }),
    'aws_cloudformation_stack.agent',
  ],
];

describe('resources nobody reads', () => {
  for (const [name, graph, id] of INVENTED) {
    test.each(['eu', 'us-hipaa'])(`GIVEN ${name} WHEN judged under %s THEN it fails as not inspected (LCG-COV-001), never passes`, (policy) => {
      const report = judge(graph, policy);
      const finding = report.findings.find((candidate) => candidate.ruleId === 'LCG-COV-001' && candidate.resource.id === id);
      expect(finding).toMatchObject({ severity: 'error', cannotVerify: true });
      expect(finding!.message).toMatch(/^Cannot verify /);
      expect(report.notInspected.map((entry) => entry.resource.id)).toContain(id);
      expect(report.summary.notInspected).toBeGreaterThan(0);
    });
  }

  test('GIVEN templates that hold no AI resource, an az rest GET and a listKeys POST, a model smoke test and a network template deployed into an AI-named resource group THEN none is reported as not inspected', () => {
    const report = judge(
      exampleGraph({
        description: 'accounting',
        stacks: [
          {
            format: 'terraform',
            document: {
              provider: { aws: [{ region: 'eu-central-1' }], azurerm: [{ features: {} }] },
              resource: {
                aws_cloudformation_stack: { queue: { name: 'queue', template_body: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }) } },
                azurerm_resource_group_template_deployment: { storage: { name: 'st', resource_group_name: 'rg', deployment_mode: 'Incremental', template_content: JSON.stringify({ resources: [{ type: 'Microsoft.Storage/storageAccounts', name: 'st', location: 'westeurope' }] }) } },
                terraform_data: {
                  show: { provisioner: [{ 'local-exec': [{ command: 'az rest --method get --url https://management.azure.com/subscriptions/s/providers/Microsoft.CognitiveServices/accounts?api-version=2024-10-01' }] }] },
                  keys: { provisioner: [{ 'local-exec': [{ command: 'az rest --method post --url https://management.azure.com${azurerm_cognitive_account.oai.id}/listKeys?api-version=2024-10-01' }] }] },
                  smoke: { provisioner: [{ 'local-exec': [{ command: 'curl -s -X POST -H "Authorization: Bearer $(gcloud auth print-access-token)" https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent -d @ping.json' }] }] },
                  network: { provisioner: [{ 'local-exec': [{ command: 'az deployment group create --resource-group rg-ai-services-network --template-file infra/network.bicep' }] }] },
                },
              },
            },
          },
        ],
      }),
    );
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-COV-001')).toEqual([]);
  });

  test('GIVEN a null_resource whose provisioner runs no AI command THEN it stays out of scope', () => {
    const report = judge(terraform({ resource: { null_resource: { migrate: { provisioner: [{ 'local-exec': [{ command: './migrate.sh --database chats' }] }] } } } }));
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-COV-001')).toEqual([]);
    expect(report.summary.outOfScope).toBe(1);
  });

  test('GIVEN an instance and a queue WHEN judged under eu THEN they are listed as not inspected, without failing; "all" fails them, "none" fails nothing', () => {
    const graph = cloudFormation({
      Chat: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-12345678', InstanceType: 't3.micro' } },
      Jobs: { Type: 'AWS::SQS::Queue' },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    });
    const eu = judge(graph);
    expect(eu.findings.filter((finding) => finding.ruleId === 'LCG-COV-001')).toEqual([]);
    expect(eu.notInspected.map((entry) => [entry.resource.id, entry.family])).toEqual([
      ['Chat', 'compute'],
      ['Jobs', 'storage'],
    ]);
    expect(eu.summary).toMatchObject({ resources: 3, judged: 0, outOfScope: 1, notInspected: 2 });
    const all = judge(graph, GuardrailPolicy.fromSpec({ extends: 'eu', notInspected: 'all' }));
    expect(all.findings.filter((finding) => finding.ruleId === 'LCG-COV-001').map((finding) => finding.resource.id).sort()).toEqual(['Chat', 'Jobs']);
    const none = judge(INVENTED[0][1], GuardrailPolicy.fromSpec({ extends: 'eu', notInspected: 'none' }));
    expect(none.findings.filter((finding) => finding.ruleId === 'LCG-COV-001')).toEqual([]);
    expect(none.summary.notInspected).toBe(1);
  });

  test('GIVEN a not-inspected AI resource WHEN acknowledged with a reason and an expiry THEN it is reported as acknowledged', () => {
    const policy = GuardrailPolicy.fromSpec({ extends: 'eu', suppressions: [{ ruleId: 'LCG-COV-001', resource: 'Future', reason: 'Reviewed by hand in SEC-881', expires: '2027-01-31' }] });
    const report = judge(INVENTED[0][1], policy);
    expect(report.findings.filter((finding) => finding.ruleId.startsWith('LCG-COV') || finding.ruleId.startsWith('LCG-SUP'))).toEqual([]);
    expect(report.suppressed.map((finding) => finding.ruleId)).toEqual(['LCG-COV-001']);
  });

  test('GIVEN a nested stack whose template is not in the input (a vendor URL) WHEN judged under eu THEN it fails as not inspected, naming the URL', () => {
    const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'lcg-nested-')), 'App.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { Vendor: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://vendor.s3.amazonaws.com/llm-gateway.template.json' } } } }));
    const report = judge(loadInput(file).graph);
    const finding = report.findings.find((candidate) => candidate.ruleId === 'LCG-COV-001');

    expect(finding).toMatchObject({ severity: 'error', cannotVerify: true, resource: { id: 'Vendor' } });
    expect(finding!.found).toBe('TemplateURL = https://vendor.s3.amazonaws.com/llm-gateway.template.json');
    expect(report.notInspected).toEqual([expect.objectContaining({ family: 'nested-stack' })]);
  });

  test('GIVEN an unknown notInspected setting THEN the policy is refused with the allowed values', () => {
    let line = '';
    try {
      GuardrailPolicy.fromSpec({ extends: 'eu', notInspected: 'sometimes' });
    } catch (error) {
      line = (error as InputError).line;
    }
    expect(line).toMatch(/unknown notInspected "sometimes".*ai-services, all, none/);
  });
});

/** AI-service types renamed to ones no catalog knows: `AWS::Bedrock::X` → `AWS::Bedrock::FutureX`, `google_vertex_ai_x` → `google_vertex_ai_future_x`. */
function renameAiTypes(document: unknown): unknown {
  if (Array.isArray(document)) return document.map(renameAiTypes);
  if (typeof document !== 'object' || document === null) return document;
  const out: { [key: string]: unknown } = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === 'Type' && typeof value === 'string' && /^AWS::(Bedrock|SageMaker)::/.test(value)) out[key] = value.replace(/::(\w+)$/, '::Future$1');
    else if (/^(azurerm_cognitive_|google_vertex_ai_|aws_bedrock)/.test(key)) out[key.replace(/^(azurerm_cognitive_|google_vertex_ai_|aws_bedrock_?)/, '$1future_')] = renameAiTypes(value);
    else out[key] = renameAiTypes(value);
  }
  return out;
}

const FIXTURES = path.join(__dirname, '..', 'docs', 'fixtures');

describe('no AI service passes unread', () => {
  const inputs: [string, ResourceGraph][] = [];
  for (const rule of ALL_RULES) {
    for (const example of ruleExamples(rule)) {
      const stacks = example.stacks.map((stack) => ({ ...stack, document: renameAiTypes(stack.document) as object })) as ExampleStack[];
      inputs.push([example.file, exampleGraph({ ...example, stacks })]);
    }
  }
  for (const entry of fs.readdirSync(FIXTURES).filter((name) => name.endsWith('.json'))) {
    const renamed = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'lcg-renamed-')), entry);
    fs.writeFileSync(renamed, JSON.stringify(renameAiTypes(JSON.parse(fs.readFileSync(path.join(FIXTURES, entry), 'utf8')))));
    inputs.push([`test/docs/fixtures/${entry}`, loadInput(renamed).graph]);
  }

  test('there are renamed AI resources to judge', () => {
    const renamed = inputs.flatMap(([, graph]) => graph.resources.filter((resource) => /Future|future_/.test(resource.type)));
    expect(renamed.length).toBeGreaterThan(50);
  });

  test.each(inputs)('GIVEN %s with its AI services renamed to unknown types WHEN judged under eu THEN every renamed resource fails as not inspected', (_name, graph) => {
    const report = judge(graph);
    for (const resource of graph.resources.filter((candidate) => /Future|future_/.test(candidate.type))) {
      expect(report.findings.filter((finding) => finding.ruleId === 'LCG-COV-001').map((finding) => finding.resource.id)).toContain(resource.id);
    }
  });
});
