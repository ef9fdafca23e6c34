import * as fs from 'fs';
import * as path from 'path';
import { DATA_CLASSIFICATION_TAG, renderDataFlowDocs, renderDataFlowJson, renderHtml, renderMarkdown, renderMermaid, writeDataFlowDocumentation } from '../../lib/docs';
import { resourcesFromTemplate } from '../../lib/input/cloudformation';
import { ResourceGraph, StackInfo } from '../../lib/core/graph';
import { resourcesFromTerraform } from '../../lib/input/terraform';
import { Unresolved } from '../../lib/core/values';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { buildDataFlowModel } from '../../lib/docs/model';
import type { Report } from '../../lib/engine/evaluate';
import { tempDir } from '../support/synth';
import { cfnGraph } from '../support/rules';
import { GENERATED_AT, fixtureGraph, hopsBetween, mixedGraph, modelOf, nodeLabelled } from './support';

function terraformGraph(document: object, name = 'tf'): ResourceGraph {
  const stack: StackInfo = { name, format: 'terraform', file: `${name}.tf.json` };
  return new ResourceGraph([stack], resourcesFromTerraform(document, stack));
}

describe('data flow of the AWS example (cdk.out with a CloudFormation template)', () => {
  const { model } = modelOf(fixtureGraph('aws-cdk.out'));

  test('GIVEN the Bedrock stack WHEN documented THEN the Markdown and JSON match the snapshots', () => {
    expect(renderMarkdown(model)).toMatchSnapshot('markdown');
    expect(renderDataFlowJson(model)).toMatchSnapshot('json');
  });

  test('GIVEN a role granted invoke through a policy and a bedrock-runtime VPC endpoint THEN the caller reaches both models over the private path', () => {
    const caller = nodeLabelled(model, 'BedrockApp/Invoker/Role');
    expect(caller.resources.map((resource) => resource.id)).toEqual(['InvokerPolicy', 'InvokerRole']);
    const network = nodeLabelled(model, 'BedrockRuntimeEndpoint');
    expect(hopsBetween(model, caller.label, network.label)[0].encryptionInTransit).toMatch(/private network path/);
    expect(model.hops.filter((hop) => hop.from === network.id).map((hop) => model.nodes.find((node) => node.id === hop.to)?.label)).toEqual([
      'Bedrock eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'Bedrock anthropic.claude-3-haiku-20240307-v1:0',
    ]);
  });

  test('GIVEN an "eu." inference profile THEN its processing geography lists the destination regions, says it leaves the EU, and the node is drawn outside the residency though its ARN names Frankfurt', () => {
    const profile = nodeLabelled(model, 'Bedrock eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
    expect(profile.location).toEqual({ region: 'eu-central-1', name: 'Europe (Frankfurt)', countries: ['DE'], residency: 'outside' });
    expect(profile.processingGeography).toMatch(/"eu\." cross-region inference profile, .*eu-west-2.*\(outside EU\)$/);
    expect(nodeLabelled(model, 'Bedrock anthropic.claude-3-haiku-20240307-v1:0').processingGeography).toBe('in-region: eu-central-1');
  });

  test('GIVEN the gate flags the grant of the "eu." profile THEN the finding is linked to the caller and to that endpoint only', () => {
    const grant = model.findings.find((finding) => finding.ruleId === 'LCG-RES-010');
    expect(grant?.resource).toBe('BedrockApp/InvokerPolicy');
    expect(nodeLabelled(model, 'BedrockApp/Invoker/Role').findingIds).toContain(grant!.id);
    expect(nodeLabelled(model, 'Bedrock eu.anthropic.claude-3-7-sonnet-20250219-v1:0').findingIds).toEqual([grant!.id]);
    expect(nodeLabelled(model, 'Bedrock anthropic.claude-3-haiku-20240307-v1:0').findingIds).toEqual([]);
  });

  test('GIVEN invocation logging, a trail, a subscription filter and Firehose THEN logs flow to the stores and on to the sinks with retention, encryption and lock', () => {
    const archive = nodeLabelled(model, 'InvocationArchive');
    expect(archive).toMatchObject({ kind: 'log', retention: '400 days (lifecycle expiration)', immutability: 'Object Lock COMPLIANCE, 365 days', encryptionAtRest: 'SSE-KMS with customer-managed KMS key LogKey.Arn' });
    const [invocation] = hopsBetween(model, 'Bedrock anthropic.claude-3-haiku-20240307-v1:0', 'InvocationLogs');
    expect(invocation).toMatchObject({ data: 'invocation logs: prompts, responses and metadata', via: { id: 'InvocationLogging' }, retention: '365 days', region: 'eu-central-1' });
    const [subscription] = hopsBetween(model, 'InvocationLogs', 'SiemStream');
    expect(subscription.via?.id).toBe('SiemSubscription');
    expect(hopsBetween(model, 'SiemStream', 'SiemArchive')).toHaveLength(1);
    // The archive the stream fills holds the same prompts: a content log store, judged for retention like the others.
    expect(nodeLabelled(model, 'SiemStream').kind).toBe('sink');
    const siemArchive = nodeLabelled(model, 'SiemArchive');
    expect(siemArchive).toMatchObject({ kind: 'log', details: expect.arrayContaining(['log role: audit and content']) });
    expect(siemArchive.findingIds.map((id) => model.findings.find((finding) => finding.id === id)!.ruleId)).toContain('LCG-RET-002');
  });

  test('GIVEN the classification tag on the trail log group THEN its hops carry "internal" and no legal basis, while PII hops carry the policy legal basis', () => {
    const [trailHop] = hopsBetween(model, 'Bedrock anthropic.claude-3-haiku-20240307-v1:0', 'TrailLogs');
    expect(trailHop.classification).toBe('internal');
    expect(trailHop.legalBasis).toBeUndefined();
    const [promptHop] = hopsBetween(model, 'BedrockApp/Invoker/Role', 'BedrockRuntimeEndpoint');
    expect(promptHop).toMatchObject({ classification: 'pii', legalBasis: 'GDPR Art. 6(1)(b) performance of a contract' });
    expect(promptHop.businessAssociateAgreement).toBeUndefined();
  });

  test('GIVEN a retention finding on the trail log group THEN it is linked to the node and to the hops into it', () => {
    const retention = model.findings.find((finding) => finding.ruleId === 'LCG-RET-001');
    expect(retention).toMatchObject({ resource: 'BedrockApp/TrailLogs', status: 'open' });
    expect(nodeLabelled(model, 'TrailLogs').findingIds).toContain(retention!.id);
    expect(hopsBetween(model, 'Bedrock anthropic.claude-3-haiku-20240307-v1:0', 'TrailLogs')[0].findingIds).toContain(retention!.id);
    expect(model.unlinkedFindingIds).toEqual([]);
  });
});

describe('data flow of Bedrock written in Terraform JSON', () => {
  const { model } = modelOf(fixtureGraph('aws.tf.json'));

  test('GIVEN a role with an attached policy, name-based invocation logging and a cross-account subscription WHEN documented THEN the Markdown matches the snapshot', () => {
    expect(renderMarkdown(model)).toMatchSnapshot('markdown');
  });

  test('GIVEN a policy attached with aws_iam_role_policy_attachment and no VPC endpoint THEN the role reaches the models over the public internet', () => {
    const caller = nodeLabelled(model, 'aws_iam_role.app');
    expect(caller.details).toEqual(['granted by aws_iam_policy.invoke']);
    expect(hopsBetween(model, caller.label, 'Public internet (AWS public endpoint)')[0].encryptionInTransit).toMatch(/public internet/);
  });

  test('GIVEN a "global." inference profile THEN its processing geography says it leaves the jurisdiction', () => {
    expect(nodeLabelled(model, 'Bedrock global.anthropic.claude-sonnet-4-20250514-v1:0').processingGeography).toBe('Global (any AWS commercial Region): "global." cross-region inference profile (outside EU)');
  });

  test('GIVEN logging without text delivery to a log group named by string THEN metadata flows there and on to the other account\'s stream', () => {
    const [toLogs] = hopsBetween(model, 'Bedrock amazon.nova-pro-v1:0', 'aws_cloudwatch_log_group.invocations');
    expect(toLogs).toMatchObject({ data: 'invocation logs: metadata only', retention: '180 days' });
    const sink = nodeLabelled(model, 'Subscription destination "arn:aws:firehose:eu-west-1:222222222222:deliverystream/central-siem"');
    expect(sink).toMatchObject({ kind: 'sink', location: { region: 'eu-west-1', residency: 'inside' } });
    expect(sink.details).toEqual(['account 222222222222', 'outside this configuration']);
  });
});

describe('data flow of the Azure example (Terraform JSON)', () => {
  const { model } = modelOf(fixtureGraph('azure.tf.json'));

  test('GIVEN an OpenAI account with two deployments WHEN documented THEN the Markdown and JSON match the snapshots', () => {
    expect(renderMarkdown(model)).toMatchSnapshot('markdown');
    expect(renderDataFlowJson(model)).toMatchSnapshot('json');
  });

  test('GIVEN a managed identity with a role assignment and a private endpoint THEN the identity reaches both deployments through it', () => {
    const caller = nodeLabelled(model, 'azurerm_user_assigned_identity.app');
    expect(caller.details).toEqual(['role "Cognitive Services OpenAI User" via azurerm_role_assignment.app_openai_user']);
    expect(hopsBetween(model, caller.label, 'Private endpoint azurerm_private_endpoint.openai')).toHaveLength(1);
    expect(model.nodes.some((node) => node.id.endsWith('public-internet'))).toBe(false);
  });

  test('GIVEN GlobalStandard and DataZoneStandard deployments THEN each endpoint states its processing scope and the residency finding links to the global one', () => {
    const global = nodeLabelled(model, 'Azure OpenAI azurerm_cognitive_deployment.batch (gpt-4o 2024-08-06)');
    const dataZone = nodeLabelled(model, 'Azure OpenAI azurerm_cognitive_deployment.chat (gpt-4o 2024-08-06)');
    expect(global.processingGeography).toBe('global: GlobalStandard may process prompts in any Azure region');
    expect(dataZone.processingGeography).toBe('data zone: European Union data zone (27 countries)');
    const residency = model.findings.find((finding) => finding.ruleId === 'LCG-RES-030');
    expect(global.findingIds).toContain(residency!.id);
    expect(dataZone.findingIds).not.toContain(residency!.id);
  });

  test('GIVEN the account tagged confidential and a diagnostic setting THEN endpoints are confidential and logs go to the workspace and the Event Hub', () => {
    expect(nodeLabelled(model, 'Azure OpenAI azurerm_cognitive_deployment.chat (gpt-4o 2024-08-06)')).toMatchObject({ classification: 'confidential', classificationSource: 'tag' });
    const [toWorkspace] = hopsBetween(model, 'Azure OpenAI azurerm_cognitive_deployment.chat (gpt-4o 2024-08-06)', 'azurerm_log_analytics_workspace.audit');
    expect(toWorkspace).toMatchObject({ data: 'diagnostic logs (Audit, RequestResponse)', retention: '90 days', via: { id: 'azurerm_monitor_diagnostic_setting.openai' } });
    expect(nodeLabelled(model, 'Event Hub "siem"').kind).toBe('sink');
  });
});

describe('data flow of the Google example (Terraform JSON)', () => {
  const { model } = modelOf(fixtureGraph('google.tf.json'));

  test('GIVEN a Vertex AI endpoint with Private Service Connect WHEN documented THEN the Markdown and JSON match the snapshots', () => {
    expect(renderMarkdown(model)).toMatchSnapshot('markdown');
    expect(renderDataFlowJson(model)).toMatchSnapshot('json');
  });

  test('GIVEN a service account granted roles/aiplatform.user THEN it reaches the endpoint through Private Service Connect', () => {
    const caller = nodeLabelled(model, 'google_service_account.app');
    expect(hopsBetween(model, caller.label, 'Private Service Connect (google_vertex_ai_endpoint.chat)')).toHaveLength(1);
    expect(nodeLabelled(model, 'Vertex AI chat-endpoint')).toMatchObject({
      processingGeography: 'region europe-west4: Eemshaven, Netherlands',
      encryptionAtRest: 'customer-managed key "projects/llm-prod/locations/europe-west4/keyRings/llm/cryptoKeys/vertex"',
    });
  });

  test('GIVEN request/response logging to BigQuery and a locked log bucket behind a sink THEN both are log destinations of the endpoint', () => {
    const [toDataset] = hopsBetween(model, 'Vertex AI chat-endpoint', 'google_bigquery_dataset.prompts');
    expect(toDataset).toMatchObject({ data: 'sampled prompts and responses (request/response logging)', retention: '30 days (default table expiration)', classification: 'pii' });
    const [toBucket] = hopsBetween(model, 'Vertex AI chat-endpoint', 'google_logging_project_bucket_config.audit');
    expect(toBucket).toMatchObject({ via: { id: 'google_logging_project_sink.vertex_audit' }, classification: 'confidential' });
    expect(nodeLabelled(model, 'google_logging_project_bucket_config.audit').immutability).toMatch(/^locked/);
  });
});

describe('data flow of a mixed AWS, Azure and Google input', () => {
  const { model } = modelOf(mixedGraph());

  test('GIVEN all three examples in one graph WHEN documented THEN the Markdown and JSON match the snapshots', () => {
    expect(renderMarkdown(model)).toMatchSnapshot('markdown');
    expect(renderDataFlowJson(model)).toMatchSnapshot('json');
  });

  test('THEN every cloud has its endpoints and no log hop crosses clouds', () => {
    expect(model.stacks).toEqual(['BedrockApp', 'azure', 'google']);
    expect([...new Set(model.nodes.filter((node) => node.kind === 'endpoint').map((node) => node.cloud))]).toEqual(['aws', 'azure', 'google']);
    const cloudOf = new Map(model.nodes.map((node) => [node.id, node.cloud]));
    for (const hop of model.hops) {
      if (hop.from.startsWith('endpoint:')) expect(cloudOf.get(hop.to)).toBe(cloudOf.get(hop.from));
    }
  });
});

describe('data flow without declared callers, private paths or regions', () => {
  test('GIVEN a public Vertex AI endpoint nobody in the configuration is granted THEN external callers reach it over the public internet', () => {
    const graph = terraformGraph({
      provider: { google: [{ region: 'us-central1' }] },
      resource: { google_vertex_ai_endpoint: { open: { name: 'open', display_name: 'open', location: 'us-central1' } } },
    });
    const { model } = modelOf(graph);
    expect(model.hops.map((hop) => `${hop.from} -> ${hop.to}`)).toEqual([
      'caller:google:external -> network:google:public-internet',
      'network:google:public-internet -> endpoint:tf/google_vertex_ai_endpoint.open',
    ]);
    expect(model.hops[0].encryptionInTransit).toMatch(/public internet/);
    expect(nodeLabelled(model, 'Vertex AI open').location?.residency).toBe('outside');
  });

  test('GIVEN an environment-agnostic stack (unresolved region) THEN the Bedrock model location cannot be verified', () => {
    const stack: StackInfo = { name: 'Agnostic', format: 'cloudformation', file: 'Agnostic.template.json', region: new Unresolved('AWS::Region', 'environment-agnostic'), account: '111111111111' };
    const template = {
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: { 'Fn::Sub': 'arn:aws:bedrock:${AWS::Region}::foundation-model/amazon.nova-lite-v1:0' } }] } }] },
        },
      },
    };
    const { model } = modelOf(new ResourceGraph([stack], resourcesFromTemplate(template, stack)));
    const endpoint = model.nodes.find((node) => node.kind === 'endpoint');
    expect(endpoint?.label).toBe('Bedrock amazon.nova-lite-v1:0');
    expect(endpoint?.location).toEqual({ region: '${AWS::Region}', countries: [], residency: 'unverifiable' });
    expect(model.nodes.map((node) => node.id)).toContain('network:aws:public-internet');
  });

  test('GIVEN an OpenAI account without a private endpoint, granted to a principal outside the configuration THEN that principal reaches it over the public internet', () => {
    const graph = terraformGraph({
      resource: {
        azurerm_cognitive_account: { openai: { name: 'o', kind: 'OpenAI', sku_name: 'S0', location: 'swedencentral', resource_group_name: 'rg' } },
        azurerm_role_assignment: { ops: { scope: '${azurerm_cognitive_account.openai.id}', role_definition_name: 'Cognitive Services OpenAI User', principal_id: '${var.ops_group_id}' } },
      },
    });
    const { model } = modelOf(graph);
    expect(model.nodes.map((node) => node.label)).toEqual(['principal ${var.ops_group_id}', 'Public internet (Azure public endpoint)', 'Azure OpenAI azurerm_cognitive_account.openai']);
    const endpoint = nodeLabelled(model, 'Azure OpenAI azurerm_cognitive_account.openai');
    expect(endpoint.details).toContain('public network access enabled');
    expect(endpoint.processingGeography).toBe('no model deployment in this configuration');
  });

  test('GIVEN a managed policy named in a role\'s ManagedPolicyArns THEN the role is the caller', () => {
    const stack: StackInfo = { name: 'App', format: 'cloudformation', file: 'App.template.json', region: 'eu-west-3', account: '111111111111' };
    const template = {
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ Ref: 'Invoke' }] } },
        Invoke: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] } } },
      },
    };
    const { model } = modelOf(new ResourceGraph([stack], resourcesFromTemplate(template, stack)));
    expect(model.hops.map((hop) => `${hop.from} -> ${hop.to}`)).toEqual(['caller:App/Role -> network:aws:public-internet', 'network:aws:public-internet -> endpoint:aws:*']);
    expect(nodeLabelled(model, 'Any Bedrock model (Resource "*")')).toMatchObject({ processingGeography: 'any model in any region the grant allows', location: { residency: 'unverifiable' } });
  });

  test('GIVEN Bedrock invocation logging but no grant naming a model THEN the logs hang off an endpoint for the models called from outside', () => {
    const stack: StackInfo = { name: 'Logging', format: 'cloudformation', file: 'Logging.template.json', region: 'eu-north-1', account: '111111111111' };
    const template = {
      Resources: {
        Invocations: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 400 } },
        Config: { Type: 'Custom::BedrockInvocationLogging', Properties: { LoggingConfig: { cloudWatchConfig: { logGroupName: { Ref: 'Invocations' } } } } },
      },
    };
    const { model } = modelOf(new ResourceGraph([stack], resourcesFromTemplate(template, stack)));
    expect(model.hops.map((hop) => `${hop.from} -> ${hop.to}`)).toEqual([
      'caller:aws:external -> network:aws:public-internet',
      'network:aws:public-internet -> endpoint:aws:Logging:unnamed-models',
      'endpoint:aws:Logging:unnamed-models -> log:Logging/Invocations',
    ]);
    expect(nodeLabelled(model, 'Amazon Bedrock (Logging: models not named in this configuration)').location?.region).toBe('eu-north-1');
  });

  test('GIVEN an acknowledged finding THEN it stays linked to its node with status "acknowledged"', () => {
    const policy = GuardrailPolicy.fromSpec({ extends: 'eu', suppressions: [{ ruleId: 'LCG-RET-001', resource: 'TrailLogs', reason: 'trail logs are copied to the archive account', expires: '2027-01-31' }] });
    const { model } = modelOf(fixtureGraph('aws-cdk.out'), policy);
    const acknowledged = model.findings.find((finding) => finding.ruleId === 'LCG-RET-001');
    expect(acknowledged?.status).toBe('acknowledged');
    expect(nodeLabelled(model, 'TrailLogs').findingIds).toContain(acknowledged!.id);
    expect(renderMarkdown(model)).toContain(`| ${acknowledged!.id} | LCG-RET-001 | error | acknowledged | BedrockApp/TrailLogs |`);
  });

  test('GIVEN a log sink naming its bucket by a literal path and a dataset with partition expiration THEN both resolve to their resources', () => {
    const graph = terraformGraph({
      resource: {
        google_vertex_ai_endpoint: {
          e: {
            name: 'e',
            display_name: 'e',
            location: 'europe-west4',
            predict_request_response_logging_config: { enabled: true, bigquery_destination: { output_uri: 'bq://p.prompts' } },
          },
        },
        google_bigquery_dataset: { prompts: { dataset_id: 'prompts', location: 'europe-west4', default_partition_expiration_ms: 34_560_000_000 } },
        google_logging_project_bucket_config: { audit: { project: 'p', location: 'europe-west4', bucket_id: 'vertex-audit', retention_days: 365 } },
        google_logging_project_sink: { audit: { name: 'audit', destination: 'logging.googleapis.com/projects/p/locations/europe-west4/buckets/vertex-audit' } },
      },
    });
    const { model } = modelOf(graph);
    expect(hopsBetween(model, 'Vertex AI e', 'google_bigquery_dataset.prompts')[0].retention).toBe('400 days (default partition expiration)');
    expect(hopsBetween(model, 'Vertex AI e', 'google_logging_project_bucket_config.audit')[0]).toMatchObject({ via: { id: 'google_logging_project_sink.audit' }, retention: '365 days' });
  });

  test('GIVEN an unknown classification tag value THEN the policy default applies and the node says why', () => {
    const graph = terraformGraph({
      resource: {
        google_vertex_ai_endpoint: { e: { name: 'e', display_name: 'e', location: 'europe-west4', labels: { 'llm-guardrail-data-classification': 'secret' } } },
      },
    });
    const node = nodeLabelled(modelOf(graph).model, 'Vertex AI e');
    expect(node).toMatchObject({ classification: 'pii', classificationSource: 'policy' });
    expect(node.details).toContain('ignored llm-guardrail-data-classification value "secret" (allowed: public, internal, confidential, pii, phi)');
  });

  test('GIVEN the us-hipaa policy THEN PHI hops state the business associate agreement the policy declares', () => {
    const graph = terraformGraph({ resource: { google_vertex_ai_endpoint: { e: { name: 'e', display_name: 'e', location: 'us-central1' } } } });
    const hipaa = modelOf(graph, 'us-hipaa').model;
    expect(hipaa.hops[0]).toMatchObject({ classification: 'phi', businessAssociateAgreement: 'declared', legalBasis: 'not declared in the policy' });
    const withoutAgreement = GuardrailPolicy.fromSpec({ extends: 'us-hipaa', businessAssociateAgreement: false });
    expect(modelOf(graph, withoutAgreement).model.hops[0].businessAssociateAgreement).toBe('not declared');
  });
});

describe('determinism and self-containment of the renderings', () => {
  test('GIVEN the same input twice WHEN rendered from fresh graphs THEN Markdown, JSON and HTML are byte-identical', () => {
    const first = modelOf(mixedGraph()).model;
    const second = modelOf(mixedGraph()).model;
    expect(renderMarkdown(second)).toBe(renderMarkdown(first));
    expect(renderDataFlowJson(second)).toBe(renderDataFlowJson(first));
    expect(renderHtml(second)).toBe(renderHtml(first));
  });

  test('GIVEN the mixed model WHEN streamed to files as the gates do THEN the files hold exactly the rendered Markdown, JSON (the model, one record per line) and HTML', () => {
    const graph = mixedGraph();
    const { model, report, context } = modelOf(graph);
    const json = renderDataFlowJson(model);
    expect(JSON.parse(json)).toEqual(model);
    // One line per top-level field and per node, hop and finding, and a final newline.
    const records = Object.values(model).reduce((lines: number, value) => lines + (Array.isArray(value) && value.length > 0 ? value.length + 2 : 1), 0);
    expect(json.split('\n')).toHaveLength(1 + records + 2);
    expect(json.split('\n')).toContain(JSON.stringify(model.nodes[0]) + ',');
    const directory = tempDir('streamed');
    const written = writeDataFlowDocumentation(directory, context, report, { html: true, generatedAt: GENERATED_AT });
    expect(written.map((file) => path.basename(file))).toEqual(['data-flow.md', 'data-flow.json', 'data-flow.html']);
    const rendered = renderDataFlowDocs(context, report, { generatedAt: GENERATED_AT });
    for (const file of written) expect(fs.readFileSync(file, 'utf8')).toBe(rendered[path.basename(file) as keyof typeof rendered]);
  });

  test('GIVEN the HTML page THEN it inlines Mermaid and loads nothing from the network', () => {
    const html = renderHtml(modelOf(fixtureGraph('aws-cdk.out')).model);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).toContain('globalThis["mermaid"]');
    expect(html).toContain(JSON.stringify(renderMermaid(modelOf(fixtureGraph('aws-cdk.out')).model)).replace(/</g, '\\u003c'));
  });

  test('GIVEN labels with quotes and angle brackets THEN the Mermaid definition escapes them', () => {
    const graph = terraformGraph({ resource: { google_vertex_ai_endpoint: { e: { name: 'e', display_name: 'say "hi" <b>#1</b>', location: 'europe-west4' } } } });
    const mermaid = renderMermaid(modelOf(graph).model);
    expect(mermaid).toContain('Vertex AI say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;');
  });

  test('GIVEN a label with a pipe and a line break THEN the Markdown table cell escapes the pipe and stays on one line', () => {
    const graph = terraformGraph({ resource: { google_vertex_ai_endpoint: { e: { name: 'e', display_name: 'chat|eu\nprod', location: 'europe-west4' } } } });
    const markdown = renderMarkdown(modelOf(graph).model);
    expect(markdown).toContain('| N3 Vertex AI chat\\|eu prod | endpoint |');
  });
});

describe('data flow of many endpoints logging to many stores', () => {
  /** `endpoints` Vertex AI endpoints and `stores` log buckets, each with a sink, in one project. */
  function googleFleet(endpoints: number, stores: number): ResourceGraph {
    const endpoint: { [name: string]: object } = {};
    for (let i = 0; i < endpoints; i++) endpoint[`e${i}`] = { name: `e${i}`, display_name: `e${i}`, location: 'europe-west4' };
    const bucket: { [name: string]: object } = {};
    const sink: { [name: string]: object } = {};
    for (let i = 0; i < stores; i++) {
      bucket[`b${i}`] = { project: 'p', location: 'europe-west4', bucket_id: `b${i}`, retention_days: 400 };
      sink[`s${i}`] = { name: `s${i}`, destination: `logging.googleapis.com/\${google_logging_project_bucket_config.b${i}.id}` };
    }
    return terraformGraph({
      provider: { google: [{ project: 'p', region: 'europe-west4' }] },
      resource: { google_vertex_ai_endpoint: endpoint, google_logging_project_bucket_config: bucket, google_logging_project_sink: sink },
    });
  }

  test('GIVEN few hops but labels longer than Mermaid\'s 50,000-character default THEN the Markdown leaves the diagram out, and keeps it below that', () => {
    // Endpoints that are not alike (each its own location and classification), so that each is a node of its own.
    const locations = ['europe-west1', 'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6', 'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12', 'europe-north1', 'europe-central2', 'europe-southwest1', 'us-central1', 'us-east1', 'asia-east1'];
    const classes = ['public', 'internal', 'pii', 'phi'];
    const long = (count: number, label: number): ResourceGraph =>
      terraformGraph({
        resource: {
          google_vertex_ai_endpoint: Object.fromEntries(
            Array.from({ length: count }, (_, i) => [`e${i}`, { name: `e${i}`, display_name: `${i}-${'x'.repeat(label)}`, location: locations[i % locations.length], labels: { [DATA_CLASSIFICATION_TAG]: classes[Math.floor(i / locations.length)] } }]),
          ),
        },
      });
    expect(modelOf(long(60, 10)).model.nodes.filter((node) => node.kind === 'endpoint')).toHaveLength(60);
    expect(renderMarkdown(modelOf(long(60, 1000)).model)).not.toContain('```mermaid');
    expect(renderMarkdown(modelOf(long(60, 100)).model)).toContain('```mermaid');
  });

  test('GIVEN 2 alike endpoints and 2 alike log buckets THEN the endpoints are one group, the buckets another, and one hop between them keeps both sinks', () => {
    const { model } = modelOf(googleFleet(2, 2));
    expect(model.nodes.filter((node) => node.kind === 'route')).toEqual([]);
    const endpoints = nodeLabelled(model, '2 × Vertex AI *');
    expect(endpoints.memberLabels).toEqual(['Vertex AI e0', 'Vertex AI e1']);
    const buckets = nodeLabelled(model, 'google_logging_project_bucket_config.b0 and google_logging_project_bucket_config.b1');
    const [hop, ...more] = model.hops.filter((candidate) => candidate.from === endpoints.id && candidate.to === buckets.id);
    expect(more).toEqual([]);
    expect(hop.via).toBeUndefined();
    expect(hop.vias?.map((via) => via.id)).toEqual(['google_logging_project_sink.s0', 'google_logging_project_sink.s1']);
    expect(renderMarkdown(model)).toContain('google_logging_project_sink.s0 and google_logging_project_sink.s1');
  });

  test('GIVEN 2 endpoints and 2 log buckets that are not alike THEN each endpoint has its own hop to each bucket', () => {
    const graph = googleFleet(2, 2);
    const { model } = modelOf(
      terraformGraph({
        provider: { google: [{ project: 'p', region: 'europe-west4' }] },
        resource: {
          google_vertex_ai_endpoint: { e0: { name: 'e0', display_name: 'e0', location: 'europe-west4' }, e1: { name: 'e1', display_name: 'e1', location: 'europe-west1' } },
          google_logging_project_bucket_config: { b0: { project: 'p', location: 'europe-west4', bucket_id: 'b0', retention_days: 400 }, b1: { project: 'p', location: 'europe-west4', bucket_id: 'b1', retention_days: 30 } },
          google_logging_project_sink: Object.fromEntries(graph.resources.filter((resource) => resource.type === 'google_logging_project_sink').map((resource) => [resource.id.split('.')[1], resource.properties])),
        },
      }),
    );
    expect(hopsBetween(model, 'Vertex AI e1', 'google_logging_project_bucket_config.b0')).toHaveLength(1);
    expect(hopsBetween(model, 'Vertex AI e0', 'google_logging_project_bucket_config.b1')).toHaveLength(1);
  });

  test('GIVEN 40 endpoints and 30 log buckets THEN their logs go through one route node, with linear hops that keep the sink and the destination retention', () => {
    const { model } = modelOf(googleFleet(40, 30));
    const routes = model.nodes.filter((node) => node.kind === 'route');
    expect(routes.map((node) => node.label)).toEqual(['Logs of the 40 Google Cloud model endpoints of tf']);
    // The 40 endpoints and the 30 buckets are alike: one group each, one hop in and one out of the route.
    const logHops = model.hops.filter((hop) => hop.to === routes[0].id || hop.from === routes[0].id);
    expect(logHops).toHaveLength(2);
    const [intoRoute] = hopsBetween(model, '40 × Vertex AI *', routes[0].label);
    expect(intoRoute).toMatchObject({ data: 'log entries routed by the sink', classification: 'pii' });
    const buckets = model.nodes.find((node) => node.kind === 'log')!;
    expect([buckets.label, buckets.members?.length]).toEqual(['30 × log: google_logging_project_bucket_config.*', 30]);
    const [out] = hopsBetween(model, routes[0].label, buckets.label);
    expect(out).toMatchObject({ data: 'log entries routed by the sink', retention: '400 days', region: 'europe-west4' });
    expect(out.vias).toHaveLength(30);
    expect(out.vias).toContainEqual(expect.objectContaining({ id: 'google_logging_project_sink.s12' }));
    expect(model.hops.some((hop) => hop.from.startsWith('endpoint:') && hop.to.startsWith('log:'))).toBe(false);
    expect(renderMermaid(model)).toContain('subgraph lane_route["Log routing"]');
  });

  test('GIVEN 200 Azure OpenAI accounts, each with its deployment, private endpoint, role assignment and diagnostic setting THEN every account gets exactly its own', () => {
    const resource: { [type: string]: { [name: string]: object } } = {
      azurerm_cognitive_account: {},
      azurerm_cognitive_deployment: {},
      azurerm_private_endpoint: {},
      azurerm_role_assignment: {},
      azurerm_monitor_diagnostic_setting: {},
      azurerm_log_analytics_workspace: { w: { name: 'w', location: 'swedencentral', retention_in_days: 400 } },
    };
    for (let i = 0; i < 200; i++) {
      resource.azurerm_cognitive_account[`a${i}`] = { name: `a${i}`, kind: 'OpenAI', location: 'swedencentral', sku_name: 'S0' };
      resource.azurerm_cognitive_deployment[`d${i}`] = { name: `d${i}`, cognitive_account_id: `\${azurerm_cognitive_account.a${i}.id}`, model: { format: 'OpenAI', name: 'gpt-4o' }, sku: { name: 'Standard' } };
      resource.azurerm_private_endpoint[`p${i}`] = { name: `p${i}`, location: 'swedencentral', private_service_connection: { name: 'c', private_connection_resource_id: `\${azurerm_cognitive_account.a${i}.id}` } };
      resource.azurerm_role_assignment[`r${i}`] = { scope: `\${azurerm_cognitive_account.a${i}.id}`, role_definition_name: 'Cognitive Services OpenAI User', principal_id: `principal-${i}` };
      resource.azurerm_monitor_diagnostic_setting[`s${i}`] = { name: `s${i}`, target_resource_id: `\${azurerm_cognitive_account.a${i}.id}`, log_analytics_workspace_id: '${azurerm_log_analytics_workspace.w.id}', enabled_log: [{ category_group: 'allLogs' }] };
    }
    const graph = terraformGraph({ provider: { azurerm: [{ features: {} }] }, resource });
    const { model, report, context } = modelOf(graph);
    const endpoint = model.nodes.find((node) => node.kind === 'endpoint' && node.resources.some((entry) => entry.id === 'azurerm_cognitive_deployment.d123'))!;
    const into = model.hops.filter((hop) => hop.to === endpoint.id).map((hop) => model.nodes.find((node) => node.id === hop.from)!.label);
    expect(into).toEqual(['Private endpoint azurerm_private_endpoint.p123']);
    const callers = model.hops.filter((hop) => hop.to === `network:tf/azurerm_private_endpoint.p123`).map((hop) => model.nodes.find((node) => node.id === hop.from)!.label);
    expect(callers).toEqual(['principal "principal-123"']);
    const logs = model.hops.filter((hop) => hop.from === endpoint.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ to: 'log:tf/azurerm_log_analytics_workspace.w', via: { id: 'azurerm_monitor_diagnostic_setting.s123' } });

    // Over 500 hops: the Markdown leaves the diagram to the HTML page rather than show GitHub's error.
    expect(model.hops.length).toBeGreaterThan(500);
    const markdown = renderMarkdown(model);
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).toContain(`The diagram is left out here: with ${model.hops.length} hops it is beyond what Mermaid renders by default (500 edges, 50,000 characters)`);
    expect(renderHtml(model)).toContain('maxEdges: 50000');

    // Streamed in many buffered writes, the files still hold exactly the rendered documents.
    const rendered = renderDataFlowDocs(context, report, { html: false, generatedAt: GENERATED_AT });
    expect(rendered['data-flow.md']!.length).toBeGreaterThan(4 * 64 * 1024);
    for (const file of writeDataFlowDocumentation(tempDir('fleet'), context, report, { html: false, generatedAt: GENERATED_AT })) {
      expect(fs.readFileSync(file, 'utf8')).toBe(rendered[path.basename(file) as keyof typeof rendered]);
    }
  });
});

describe('alike nodes are drawn as one, and keep their members', () => {
  /** `count` Lambda functions under App/Chat, each with its own role granted the same model, logging to one group each kept 30 days. */
  function functions(count: number): object {
    const resources: { [id: string]: object } = {};
    for (let index = 0; index < count; index++) {
      resources[`Role${index}`] = { Type: 'AWS::IAM::Role', Metadata: { 'aws:cdk:path': `App/Chat${index}/ServiceRole/Resource` }, Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } };
      resources[`Policy${index}`] = {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: `p${index}`, Roles: [{ Ref: `Role${index}` }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-lite-v1:0' }] } },
      };
      resources[`Fn${index}`] = { Type: 'AWS::Lambda::Function', Metadata: { 'aws:cdk:path': `App/Chat${index}/Resource` }, Properties: { Role: { 'Fn::GetAtt': [`Role${index}`, 'Arn'] }, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: 'x' } } };
    }
    return { Resources: resources };
  }

  test('GIVEN 14 functions with the same path to the same model THEN they are one caller named by count, type and path prefix, and every member is kept', () => {
    const { model } = modelOf(cfnGraph(functions(14)));
    const callers = model.nodes.filter((node) => node.kind === 'caller');
    expect(callers.map((node) => [node.label, node.subtitle, node.members?.length])).toEqual([['14 × AWS::Lambda::Function: App/*', undefined, 14]]);
    expect(callers[0].memberLabels).toContain('App/Chat7');
    expect(callers[0].resources.filter((resource) => resource.type === 'AWS::Lambda::Function')).toHaveLength(14);
    expect(model.hops.filter((hop) => hop.from === callers[0].id)).toHaveLength(1);
  });

  test('GIVEN one function THEN it is named by its construct path, with the role it runs with in small print, and no hashed id in the label', () => {
    const { model } = modelOf(cfnGraph(functions(1)));
    const [caller] = model.nodes.filter((node) => node.kind === 'caller');
    expect([caller.label, caller.subtitle]).toEqual(['App/Chat0', 'AWS::Lambda::Function, runs with App/Chat0/ServiceRole']);
  });

  test('GIVEN two functions on one public path, one granted an EU model and one a US model THEN they are not grouped', () => {
    const template = functions(2) as { Resources: { [id: string]: { Properties: { PolicyDocument?: { Statement: { Resource: string }[] } } } } };
    template.Resources.Policy1.Properties.PolicyDocument!.Statement[0].Resource = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';
    const { model } = modelOf(cfnGraph(template));
    expect(model.nodes.filter((node) => node.kind === 'caller').map((node) => node.label)).toEqual(['App/Chat0', 'App/Chat1']);
  });

  test('GIVEN a role that an account may also assume THEN it is drawn as the role, not as the function', () => {
    const template = functions(1) as { Resources: { Role0: { Properties: { AssumeRolePolicyDocument: { Statement: object[] } } } } };
    template.Resources.Role0.Properties.AssumeRolePolicyDocument.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' });
    const { model } = modelOf(cfnGraph(template));
    expect(model.nodes.filter((node) => node.kind === 'caller').map((node) => [node.label, node.subtitle])).toEqual([['App/Chat0/ServiceRole', 'AWS::IAM::Role']]);
  });
});

describe('alike model endpoints and their log stores are drawn as one', () => {
  /** `count` Azure OpenAI accounts, each with one deployment of gpt-4o and a diagnostic setting to a workspace of its own. */
  function azureFleet(count: number, change: (resource: { [type: string]: { [name: string]: { [key: string]: unknown } } }) => void = () => undefined): ResourceGraph {
    const resource: { [type: string]: { [name: string]: { [key: string]: unknown } } } = {
      azurerm_cognitive_account: {},
      azurerm_cognitive_deployment: {},
      azurerm_log_analytics_workspace: {},
      azurerm_monitor_diagnostic_setting: {},
    };
    for (let i = 0; i < count; i++) {
      resource.azurerm_cognitive_account[`a${i}`] = { name: `a${i}`, kind: 'OpenAI', location: 'swedencentral', sku_name: 'S0', local_auth_enabled: false };
      resource.azurerm_cognitive_deployment[`d${i}`] = { name: `d${i}`, cognitive_account_id: `\${azurerm_cognitive_account.a${i}.id}`, model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-08-06' }, sku: { name: 'Standard' } };
      resource.azurerm_log_analytics_workspace[`w${i}`] = { name: `w${i}`, location: 'swedencentral', retention_in_days: 400 };
      resource.azurerm_monitor_diagnostic_setting[`s${i}`] = { name: `s${i}`, target_resource_id: `\${azurerm_cognitive_account.a${i}.id}`, log_analytics_workspace_id: `\${azurerm_log_analytics_workspace.w${i}.id}`, enabled_log: [{ category_group: 'allLogs' }] };
    }
    change(resource);
    return terraformGraph({ provider: { azurerm: [{ features: {} }] }, resource });
  }
  const endpointsOf = (model: ReturnType<typeof modelOf>['model']) => model.nodes.filter((node) => node.kind === 'endpoint');

  test('GIVEN 100 alike deployments, each logging to a workspace of its own THEN one group of endpoints logs to one group of workspaces through one hop that keeps every diagnostic setting', () => {
    const { model } = modelOf(azureFleet(100));
    const [endpoints, ...more] = endpointsOf(model);
    expect(more).toEqual([]);
    expect([endpoints.label, endpoints.members?.length]).toEqual(['100 × Azure OpenAI azurerm_cognitive_deployment.* (gpt-4o 2024-08-06)', 100]);
    expect(endpoints.memberLabels).toContain('Azure OpenAI azurerm_cognitive_deployment.d37 (gpt-4o 2024-08-06)');
    expect(endpoints.resources.filter((resource) => resource.type === 'azurerm_cognitive_deployment')).toHaveLength(100);
    // A setting every member has, named by each member's own account, is stated once.
    expect(endpoints.details).toContain('account (each member\'s own) (kind "OpenAI")');
    expect(endpoints.location).toMatchObject({ region: 'swedencentral', residency: 'inside' });
    const logs = model.nodes.filter((node) => node.kind === 'log');
    expect(logs.map((node) => [node.label, node.members?.length])).toEqual([['100 × log: azurerm_log_analytics_workspace.*', 100]]);
    const hops = model.hops.filter((hop) => hop.from === endpoints.id);
    expect(hops).toHaveLength(1);
    expect(hops[0]).toMatchObject({ to: logs[0].id, retention: '400 days', region: 'swedencentral' });
    expect(hops[0].vias?.map((via) => via.id)).toContain('azurerm_monitor_diagnostic_setting.s37');
    expect(hops[0].vias).toHaveLength(100);
    const markdown = renderMarkdown(model);
    expect(markdown).toContain('100 × azurerm_monitor_diagnostic_setting: azurerm_monitor_diagnostic_setting.*');
    expect(markdown).toContain('```mermaid');
  });

  test('GIVEN one deployment of another model THEN it stays a node of its own, and so does the workspace it logs to', () => {
    const { model } = modelOf(azureFleet(10, (resource) => (resource.azurerm_cognitive_deployment.d3.model = { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' })));
    expect(endpointsOf(model).map((node) => node.label)).toEqual(['9 × Azure OpenAI azurerm_cognitive_deployment.* (gpt-4o 2024-08-06)', 'Azure OpenAI azurerm_cognitive_deployment.d3 (gpt-4o-mini 2024-07-18)']);
    expect(hopsBetween(model, 'Azure OpenAI azurerm_cognitive_deployment.d3 (gpt-4o-mini 2024-07-18)', 'azurerm_log_analytics_workspace.w3')).toHaveLength(1);
    const single = endpointsOf(model)[1];
    const [hop] = model.hops.filter((candidate) => candidate.from === single.id);
    expect(model.nodes.find((node) => node.id === hop.to)?.members).toBeUndefined();
    expect(hop.via?.id).toBe('azurerm_monitor_diagnostic_setting.s3');
  });

  test('GIVEN one workspace kept 30 days THEN that workspace and the deployment that logs to it stay apart from the alike ones', () => {
    const { model } = modelOf(azureFleet(10, (resource) => (resource.azurerm_log_analytics_workspace.w4.retention_in_days = 30)));
    const endpoints = endpointsOf(model);
    expect(endpoints.map((node) => node.members?.length ?? 1).sort()).toEqual([1, 9]);
    expect(endpoints.find((node) => !node.members)?.label).toBe('Azure OpenAI azurerm_cognitive_deployment.d4 (gpt-4o 2024-08-06)');
  });

  test('GIVEN a finding about one deployment only THEN that deployment stays a node of its own, with its finding', () => {
    const graph = azureFleet(10);
    const { context, report } = modelOf(graph);
    const finding = { ruleId: 'LCG-RES-001', severity: 'error', title: 'Resource outside the allowed residency', message: 'm', resource: { stack: 'tf', id: 'azurerm_cognitive_deployment.d6', type: 'azurerm_cognitive_deployment' } };
    const model = buildDataFlowModel(context, { ...report, findings: [finding] } as unknown as Report, { generatedAt: GENERATED_AT });
    const alone = endpointsOf(model).find((node) => !node.members);
    expect(alone?.label).toBe('Azure OpenAI azurerm_cognitive_deployment.d6 (gpt-4o 2024-08-06)');
    expect(alone?.findingIds).toEqual(['F1']);
    expect(endpointsOf(model).find((node) => node.members)?.findingIds).toEqual([]);
  });

  test('GIVEN Vertex AI endpoints named after models by their display names THEN the names are taken out of the label only, and unlike settings keep them apart', () => {
    const graph = terraformGraph({
      provider: { google: [{ project: 'p', region: 'europe-west4' }] },
      resource: {
        google_vertex_ai_endpoint: {
          a: { name: 'a', display_name: 'gemma', location: 'europe-west4' },
          b: { name: 'b', display_name: 'llama', location: 'europe-west4' },
          c: { name: 'c', display_name: 'mistral', location: 'europe-west4', predict_request_response_logging_config: { enabled: true, sampling_rate: 1, bigquery_destination: { output_uri: 'bq://p.mistral' } } },
        },
      },
    });
    const { model } = modelOf(graph);
    expect(endpointsOf(model).map((node) => node.label)).toEqual(['2 × Vertex AI *', 'Vertex AI mistral']);
    expect(endpointsOf(model)[0].memberLabels).toEqual(['Vertex AI gemma', 'Vertex AI llama']);
  });
});
