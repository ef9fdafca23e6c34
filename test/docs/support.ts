/** Fixtures and a fixed rule set for the data-flow tests, so that snapshots change only with the documentation. */
import * as path from 'path';
import { DataFlowModel, buildDataFlowModel } from '../../lib/docs';
import type { AnalysisContext } from '../../lib/analysis/context';
import { Report } from '../../lib/engine/evaluate';
import { runGuardrail } from '../../lib/gate/run';
import { ResourceGraph } from '../../lib/core/graph';
import { loadInput } from '../../lib/input/load';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { Rule, findRule } from '../../lib/rules';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const TODAY = '2026-11-25';
/** The generation time the snapshots state (the documents say when they were generated). */
export const GENERATED_AT = '2026-11-25T12:00:00.000Z';

/** Rules whose findings appear in the snapshots: residency, retention and encryption of the fixtures' resources. */
const SNAPSHOT_RULE_IDS = ['LCG-RES-001', 'LCG-RES-002', 'LCG-RES-010', 'LCG-RES-030', 'LCG-RET-001', 'LCG-RET-002', 'LCG-RET-003', 'LCG-RET-004', 'LCG-ENC-010'];

function snapshotRules(): Rule[] {
  return SNAPSHOT_RULE_IDS.map((id) => {
    const rule = findRule(id);
    if (!rule) throw new Error(`rule ${id} is not registered`);
    return rule;
  });
}

/** The graph of a fixture file or directory under test/docs/fixtures. */
export function fixtureGraph(name: string): ResourceGraph {
  return loadInput(path.join(FIXTURES, name)).graph;
}

/** One graph holding the AWS, Azure and Google fixtures side by side. */
export function mixedGraph(): ResourceGraph {
  const graphs = ['aws-cdk.out', 'azure.tf.json', 'google.tf.json'].map(fixtureGraph);
  return new ResourceGraph(
    graphs.flatMap((graph) => graph.stacks),
    graphs.flatMap((graph) => graph.resources),
  );
}

export function modelOf(graph: ResourceGraph, policy: GuardrailPolicy | string = 'eu'): { model: DataFlowModel; report: Report; policy: GuardrailPolicy; context: AnalysisContext } {
  const resolved = typeof policy === 'string' ? GuardrailPolicy.preset(policy) : policy;
  const { context, report } = runGuardrail(graph, resolved, { rules: snapshotRules(), today: TODAY });
  return { model: buildDataFlowModel(context, report, { generatedAt: GENERATED_AT }), report, policy: resolved, context };
}

/** The node with a label, failing the test when there is none. */
export function nodeLabelled(model: DataFlowModel, label: string): DataFlowModel['nodes'][number] {
  const node = model.nodes.find((candidate) => candidate.label === label);
  if (!node) throw new Error(`no node "${label}"; nodes: ${model.nodes.map((candidate) => candidate.label).join(' | ')}`);
  return node;
}

/** Hops between two labelled nodes. */
export function hopsBetween(model: DataFlowModel, fromLabel: string, toLabel: string): DataFlowModel['hops'][number][] {
  const from = nodeLabelled(model, fromLabel).id;
  const to = nodeLabelled(model, toLabel).id;
  return model.hops.filter((hop) => hop.from === from && hop.to === to);
}
