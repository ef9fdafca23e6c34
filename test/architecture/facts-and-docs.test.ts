/**
 * One home for each fact: the model endpoints, callers and log stores the
 * rules reason about are the nodes of the data-flow documentation, and the
 * reverse — over every rule example and every documentation fixture.
 */
import * as fs from 'fs';
import * as path from 'path';
import { declaredProviders, declarationsFor, providerSigns } from '../../lib/analysis/providers';
import { undeclaredEndpointId } from '../../lib/docs/discover/providers';
import { openAiAccounts, deploymentsOf, roleAssignmentsOn, assignedPrincipal } from '../../lib/analysis/azure';
import { bedrockModelTargets } from '../../lib/analysis/bedrock';
import type { AnalysisContext } from '../../lib/analysis/context';
import { vertexCallers } from '../../lib/analysis/google';
import { assumedBy, principalsOf } from '../../lib/analysis/iam';
import { logWiring } from '../../lib/analysis/log-wiring';
import { modelChoices } from '../../lib/analysis/model-choices';
import { promptStores } from '../../lib/analysis/prompt-stores';
import { TF_GOOGLE } from '../../lib/analysis/resource-types';
import type { ResourceGraph } from '../../lib/core/graph';
import { buildDataFlowModel } from '../../lib/docs';
import { chosenModelNodeId } from '../../lib/docs/discover/aws';
import type { DataFlowModel } from '../../lib/docs';
import type { Report } from '../../lib/engine/evaluate';
import { runGuardrail } from '../../lib/gate/run';
import { loadInput } from '../../lib/input/load';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { ALL_RULES } from '../../lib/rules';
import { exampleGraph, examplePolicy, ruleExamples } from '../../lib/rules/examples';

interface Input {
  readonly name: string;
  readonly graph: ResourceGraph;
  readonly policy: GuardrailPolicy;
}

const FIXTURES = path.join(__dirname, '..', 'docs', 'fixtures');

function inputs(): Input[] {
  const out: Input[] = [];
  for (const rule of ALL_RULES) for (const example of ruleExamples(rule)) out.push({ name: example.file, graph: exampleGraph(example), policy: examplePolicy(example) });
  for (const entry of fs.readdirSync(FIXTURES)) out.push({ name: `test/docs/fixtures/${entry}`, graph: loadInput(path.join(FIXTURES, entry)).graph, policy: GuardrailPolicy.preset('eu') });
  return out;
}

/** What the facts layer says the documentation must show, as node ids per kind. */
function expectedNodes(context: AnalysisContext): { endpoint: Set<string>; caller: Set<string>; log: Set<string> } {
  const endpoint = new Set<string>();
  const callers = new Set<string>();
  // A role that one function (task, state machine) runs with is drawn as that function.
  const caller = { add: (id: string): void => void callers.add(id.startsWith('caller:') ? callerId(context, id.slice('caller:'.length)) : id) };
  for (const target of bedrockModelTargets(context)) {
    endpoint.add(target.target.kind === 'resource' ? `endpoint:${target.target.resource.key}` : `endpoint:aws:${target.id}`);
    for (const grant of target.grants) {
      const principals = principalsOf(context, grant.resource);
      for (const principal of principals.length > 0 ? principals : [grant.resource]) caller.add(`caller:${principal.key}`);
    }
  }
  for (const account of openAiAccounts(context)) {
    const deployments = deploymentsOf(context, account);
    for (const resource of deployments.length > 0 ? deployments : [account]) endpoint.add(`endpoint:${resource.key}`);
    const assignments = roleAssignmentsOn(context, account);
    for (const assignment of assignments) caller.add(`caller:${(assignedPrincipal(context, assignment) ?? assignment).key}`);
    if (assignments.length === 0) caller.add('caller:azure:external');
  }
  const callersOf = vertexCallers(context);
  for (const vertex of context.graph.ofType(TF_GOOGLE.vertexEndpoint)) {
    endpoint.add(`endpoint:${vertex.key}`);
    const callers = callersOf.get(vertex.key) ?? [];
    for (const entry of callers) caller.add(entry.serviceAccount ? `caller:${entry.serviceAccount.key}` : `caller:${entry.grant.key}:${JSON.stringify(entry.member)}`);
    if (callers.length === 0) caller.add('caller:google:external');
  }
  // Models chosen outside IAM: a Bedrock resource that uses a model is an endpoint of its own, code handed a model is a caller.
  for (const choice of modelChoices(context)) {
    if (choice.target.kind === 'region') continue;
    endpoint.add(chosenModelNodeId(choice, context)!);
    if (choice.setting === 'bedrock') endpoint.add(`endpoint:${choice.resource.key}`);
    else caller.add(`caller:${choice.resource.key}`);
  }
  // Knowledge bases with stores are endpoints; the code (or role) that writes a table is a caller.
  for (const store of promptStores(context)) {
    if (store.writer) caller.add(`caller:${store.writer.key}`);
    if (store.kind === 'vector-store' || store.kind === 'documents') {
      for (const kb of context.graph.ofType('AWS::Bedrock::KnowledgeBase', 'aws_bedrockagent_knowledge_base')) {
        if (context.graph.referrers(store.resource.key).some((referrer) => referrer === kb || /DataSource|data_source/.test(referrer.type))) endpoint.add(`endpoint:${kb.key}`);
      }
    }
  }
  // Declared external providers are endpoints; what shows it calls a declared provider is a caller.
  const declared = declaredProviders(context);
  for (const resources of declared.values()) for (const declaration of resources) endpoint.add(`endpoint:${declaration.key}`);
  if (declared.size > 0) {
    let anyCaller = false;
    for (const resource of context.graph.resources) {
      if (providerSigns(resource).signs.some((sign) => declared.has(sign.provider.id))) {
        caller.add(`caller:${resource.key}`);
        anyCaller = true;
      }
      // A call to a declared provider at a host or region no declaration covers reaches an endpoint of its own.
      for (const sign of providerSigns(resource).signs) if (declared.has(sign.provider.id) && declarationsFor(context, sign).length === 0) endpoint.add(undeclaredEndpointId(sign));
    }
    // A declaration no sign of the configuration is covered by is called from outside it.
    const covered = new Set(context.graph.resources.flatMap((resource) => providerSigns(resource).signs.flatMap((sign) => declarationsFor(context, sign).map((declaration) => declaration.key))));
    if (!anyCaller || [...declared.values()].flat().some((declaration) => !covered.has(declaration.key))) caller.add('caller:external:providers');
  }
  const log = new Set(logWiring(context).stores.map((store) => `log:${store.key}`));
  return { endpoint, caller: callers, log };
}

function callerId(context: AnalysisContext, key: string): string {
  const resource = context.graph.get(key);
  const compute = resource ? assumedBy(context, resource) : [];
  return `caller:${compute.length === 1 ? compute[0].key : key}`;
}

/** The nodes of the documentation that stand for resources, per kind (the public internet, log routes and named outside destinations are not facts of the graph). */
function documentedNodes(model: DataFlowModel): { endpoint: Set<string>; caller: Set<string>; log: Set<string> } {
  // A group of callers stands for each of its members.
  const ids = (kind: string): Set<string> =>
    new Set(
      model.nodes
        .filter((node) => node.kind === kind && !node.id.endsWith(':unnamed-models') && !node.id.endsWith(':destination') && !(kind === 'caller' && node.id === 'caller:aws:external'))
        .flatMap((node) => node.members ?? [node.id]),
    );
  return { endpoint: ids('endpoint'), caller: ids('caller'), log: ids('log') };
}

/** Resources that a rule judged (a check, passed or not), by rule id. */
function judged(report: Report, ...ruleIds: string[]): Set<string> {
  return new Set(report.checks.filter((check) => ruleIds.includes(check.ruleId)).map((check) => `${check.resource.stack}/${check.resource.id}`));
}

function resourcesOf(model: DataFlowModel, kind: string): Set<string> {
  return new Set(model.nodes.filter((node) => node.kind === kind).flatMap((node) => node.resources.map((resource) => resource.key)));
}

const all = inputs();

describe('the facts the rules judge are the nodes the documentation draws', () => {
  test('there are inputs of every kind to compare', () => {
    expect(all.length).toBeGreaterThan(60);
  });

  for (const input of all) {
    test(input.name, () => {
      const { context, report } = runGuardrail(input.graph, input.policy, { today: '2026-11-25' });
      const model = buildDataFlowModel(context, report);
      const expected = expectedNodes(context);
      const documented = documentedNodes(model);
      expect([...documented.endpoint].sort()).toEqual([...expected.endpoint].sort());
      expect([...documented.caller].sort()).toEqual([...expected.caller].sort());
      expect([...documented.log].sort()).toEqual([...expected.log].sort());

      // Every store a retention or encryption rule judged is a log node; every grant a Bedrock rule judged belongs to a caller;
      // every Azure or Vertex resource an endpoint rule judged belongs to an endpoint.
      const logResources = resourcesOf(model, 'log');
      for (const key of judged(report, 'LCG-RET-001', 'LCG-RET-002', 'LCG-RET-003', 'LCG-RET-004', 'LCG-RET-030')) expect(logResources).toContain(key);
      const datasets = [...judged(report, 'LCG-RET-050')].filter((key) => key.includes(TF_GOOGLE.bigQueryDataset));
      for (const key of datasets) expect(logResources).toContain(key);
      const encryption = [...judged(report, 'LCG-ENC-010')].filter((key) => !/Trail|cloudtrail/i.test(context.graph.get(key)?.type ?? ''));
      for (const key of encryption) expect(logResources).toContain(key);
      const callerResources = resourcesOf(model, 'caller');
      const grantHolders = [...judged(report, 'LCG-RES-010', 'LCG-NET-011')].filter((key) => !/VPCEndpoint|vpc_endpoint/.test(context.graph.get(key)?.type ?? ''));
      for (const key of grantHolders) {
        const targets = bedrockModelTargets(context).filter((target) => target.grants.some((grant) => grant.resource.key === key));
        if (targets.length > 0) expect(callerResources).toContain(key);
      }
      const endpointResources = resourcesOf(model, 'endpoint');
      // Every Bedrock resource a model-choice rule judged, and every store a store rule judged, is drawn.
      for (const key of [...judged(report, 'LCG-RES-013')].filter((key) => modelChoices(context).some((choice) => choice.resource.key === key))) expect(endpointResources).toContain(key);
      const sinkResources = resourcesOf(model, 'sink');
      for (const key of judged(report, 'LCG-RET-011', 'LCG-RET-012', 'LCG-ENC-011', 'LCG-NET-012')) expect([...sinkResources, ...logResources]).toContain(key);
      for (const key of judged(report, 'LCG-RES-030', 'LCG-LOG-030', 'LCG-NET-030', 'LCG-IAM-030', 'LCG-ENC-030', 'LCG-NET-050')) expect(endpointResources).toContain(key);
    });
  }
});

describe('the disagreements the facts layer removed', () => {
  test('a Terraform trail log group named "${…arn}:*" is an audit store for the rules and the documentation alike', () => {
    const graph = exampleGraph({
      description: 'trail',
      stacks: [
        {
          format: 'terraform',
          document: {
            provider: { aws: [{ region: 'eu-west-1' }] },
            resource: {
              aws_cloudwatch_log_group: { trail: { name: 'trail', retention_in_days: 30, kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/1' } },
              aws_cloudtrail: { main: { name: 'main', s3_bucket_name: 'trail-bucket', cloud_watch_logs_group_arn: '${aws_cloudwatch_log_group.trail.arn}:*', cloud_watch_logs_role_arn: 'arn:aws:iam::111111111111:role/trail' } },
            },
          },
        },
      ],
    });
    const { context, report } = runGuardrail(graph, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
    const retention = report.findings.filter((finding) => finding.ruleId === 'LCG-RET-001');
    expect(retention.map((finding) => finding.resource.id)).toEqual(['aws_cloudwatch_log_group.trail']);
    expect(retention[0].message).toMatch(/less than the policy minimum/);
    const node = buildDataFlowModel(context, report).nodes.find((candidate) => candidate.id === 'log:tf/aws_cloudwatch_log_group.trail');
    expect(node?.details).toContain('log role: audit');
    expect(node?.findingIds.length).toBeGreaterThan(0);
  });

  test('a role granted only bedrock:Converse is judged by the logging rule and drawn as a caller', () => {
    const graph = exampleGraph({
      description: 'converse',
      stacks: [
        {
          format: 'cloudformation',
          document: {
            Resources: {
              ChatRole: {
                Type: 'AWS::IAM::Role',
                Properties: {
                  AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
                  Policies: [{ PolicyName: 'chat', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:Converse', Resource: 'arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-lite-v1:0' }] } }],
                },
              },
            },
          },
        },
      ],
    });
    const { context, report } = runGuardrail(graph, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-LOG-010').map((finding) => finding.message)).toEqual([expect.stringContaining('bedrock:Converse')]);
    const model = buildDataFlowModel(context, report);
    expect(model.nodes.find((node) => node.id === 'caller:App/ChatRole')?.label).toBe('ChatRole');
    expect(model.nodes.find((node) => node.id === 'endpoint:aws:arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-lite-v1:0')).toBeDefined();
  });
});
