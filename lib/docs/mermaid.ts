import type { DataFlowModel, FlowNode, FlowNodeKind } from './model';
import { NODE_KINDS } from './model';

const COLUMN_TITLES: { readonly [kind in FlowNodeKind]: string } = {
  caller: 'Callers',
  network: 'Network path',
  endpoint: 'Model endpoints',
  route: 'Log routing',
  log: 'Logs and audit',
  sink: 'Further sinks',
};

const CLASSIFICATION_NAMES: { readonly [classification: string]: string } = {
  public: 'public',
  internal: 'internal',
  confidential: 'confidential',
  pii: 'PII',
  phi: 'PHI',
};

/** `N1`, `N2`, … — the number a node has in the diagram and in every table. */
export function nodeNumbers(model: DataFlowModel): Map<string, string> {
  return new Map(model.nodes.map((node, index) => [node.id, `N${index + 1}`]));
}

export function classificationName(classification: string): string {
  return CLASSIFICATION_NAMES[classification] ?? classification;
}

/** A Mermaid `flowchart LR`: one column per node kind, hops labelled with their classification and data. */
export function renderMermaid(model: DataFlowModel): string {
  return [...mermaidLines(model)].join('\n') + '\n';
}

/** The lines of {@link renderMermaid}, one at a time. */
export function* mermaidLines(model: DataFlowModel): Generator<string> {
  const numbers = nodeNumbers(model);
  yield 'flowchart LR';
  for (const kind of NODE_KINDS) {
    const nodes = model.nodes.filter((node) => node.kind === kind);
    if (nodes.length === 0) continue;
    // Prefixed ids: some Mermaid versions read an id starting with "end" as the end of the subgraph.
    yield `  subgraph lane_${kind}["${escapeLabel(COLUMN_TITLES[kind])}"]`;
    yield '    direction TB';
    for (const node of nodes) yield `    ${numbers.get(node.id)!.toLowerCase()}["${nodeLines(node, numbers.get(node.id)!).map(escapeLabel).join('<br/>')}"]`;
    yield '  end';
  }
  for (const hop of model.hops) {
    const label = `${classificationName(hop.classification)}: ${hop.data}`;
    yield `  ${numbers.get(hop.from)!.toLowerCase()} -->|"${escapeLabel(label)}"| ${numbers.get(hop.to)!.toLowerCase()}`;
  }
  const open = new Set(model.findings.filter((finding) => finding.status === 'open').map((finding) => finding.id));
  const errors = model.nodes.filter((node) => node.findingIds.some((id) => open.has(id)));
  yield '  classDef finding stroke:#c62828,stroke-width:3px';
  if (errors.length > 0) yield `  class ${errors.map((node) => numbers.get(node.id)!.toLowerCase()).join(',')} finding`;
}

function nodeLines(node: FlowNode, number: string): string[] {
  const lines = [`${number} ${node.label}`];
  if (node.location) lines.push(`${node.location.region}${residencyNote(node)}`);
  if (node.processingGeography) lines.push(`processing: ${node.processingGeography}`);
  if (node.retention) lines.push(`retention: ${node.retention}`);
  lines.push(`data: ${classificationName(node.classification)}${node.classificationSource === 'tag' ? ' (tagged)' : ''}`);
  if (node.findingIds.length > 0) lines.push(`findings: ${node.findingIds.join(', ')}`);
  return lines;
}

function residencyNote(node: FlowNode): string {
  switch (node.location?.residency) {
    case 'inside':
      return ' (inside policy residency)';
    case 'outside':
      return ' (OUTSIDE policy residency)';
    case 'unverifiable':
      return ' (cannot verify residency)';
    default:
      return '';
  }
}

/** Mermaid entity codes for the characters that end or break a quoted label. */
function escapeLabel(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/[\r\n]+/g, ' ');
}
