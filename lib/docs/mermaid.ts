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

/**
 * A Mermaid `flowchart LR`: one column per node kind; every edge carries the
 * numbers of its hops and their classification (`H5 PII: prompts and model
 * responses`); parallel hops between two nodes are one edge; nodes are
 * coloured by residency (inside, outside, cannot verify) with a border style
 * that survives grey print, and a node with an open finding has a heavy border.
 */
export function renderMermaid(model: DataFlowModel): string {
  return [...mermaidLines(model)].join('\n') + '\n';
}

/** Residency classes: fill for the screen, border style for grey print. */
export const RESIDENCY_STYLES = {
  inside: { className: 'inside', style: 'fill:#e8f5e9,stroke:#2e7d32', print: 'solid border', meaning: 'inside the policy residency' },
  outside: { className: 'outside', style: 'fill:#ffebee,stroke:#c62828,stroke-dasharray:8 4', print: 'dashed border', meaning: 'OUTSIDE the policy residency' },
  unverifiable: { className: 'unverifiable', style: 'fill:#fff8e1,stroke:#f57f17,stroke-dasharray:2 3', print: 'dotted border', meaning: 'residency cannot be verified' },
} as const;

/** The lines of {@link renderMermaid}, one at a time. */
export function* mermaidLines(model: DataFlowModel): Generator<string> {
  const numbers = nodeNumbers(model);
  const id = (node: string): string => numbers.get(node)!.toLowerCase();
  yield 'flowchart LR';
  for (const kind of NODE_KINDS) {
    const nodes = model.nodes.filter((node) => node.kind === kind);
    if (nodes.length === 0) continue;
    // Prefixed ids: some Mermaid versions read an id starting with "end" as the end of the subgraph.
    yield `  subgraph lane_${kind}["${escapeLabel(COLUMN_TITLES[kind])}"]`;
    yield '    direction TB';
    for (const node of nodes) yield `    ${id(node.id)}["${nodeLines(node, numbers.get(node.id)!).join('<br/>')}"]`;
    yield '  end';
  }
  for (const edge of edges(model)) yield `  ${id(edge.from)} -->|"${escapeLabel(edge.label)}"| ${id(edge.to)}`;
  for (const residency of ['inside', 'outside', 'unverifiable'] as const) {
    const { className, style } = RESIDENCY_STYLES[residency];
    yield `  classDef ${className} ${style}`;
    const members = model.nodes.filter((node) => node.location?.residency === residency);
    if (members.length > 0) yield `  class ${members.map((node) => id(node.id)).join(',')} ${className}`;
  }
  const open = new Set(model.findings.filter((finding) => finding.status === 'open').map((finding) => finding.id));
  const errors = model.nodes.filter((node) => node.findingIds.some((finding) => open.has(finding)));
  yield '  classDef finding stroke-width:4px';
  if (errors.length > 0) yield `  class ${errors.map((node) => id(node.id)).join(',')} finding`;
}

/** One edge per pair of nodes, labelled with the numbers of its hops: `H3 PII: prompts…`, `H4, H5 internal: API audit events`. */
export function edges(model: DataFlowModel): { readonly from: string; readonly to: string; readonly label: string; readonly hops: readonly string[] }[] {
  const byPair = new Map<string, { from: string; to: string; parts: Map<string, string[]> }>();
  model.hops.forEach((hop, index) => {
    const key = `${hop.from}\u0000${hop.to}`;
    let edge = byPair.get(key);
    if (!edge) byPair.set(key, (edge = { from: hop.from, to: hop.to, parts: new Map() }));
    const text = `${classificationName(hop.classification)}: ${hop.data}`;
    let numbers = edge.parts.get(text);
    if (!numbers) edge.parts.set(text, (numbers = []));
    numbers.push(`H${index + 1}`);
  });
  return [...byPair.values()].map((edge) => ({
    from: edge.from,
    to: edge.to,
    label: [...edge.parts].map(([text, numbers]) => `${numbers.join(', ')} ${text}`).join('; '),
    hops: [...edge.parts.values()].flat(),
  }));
}

/** The label lines of a node, escaped; the subtitle in small print. */
function nodeLines(node: FlowNode, number: string): string[] {
  const lines = [escapeLabel(`${number} ${node.label}`)];
  if (node.subtitle) lines.push(`<small>${escapeLabel(node.subtitle)}</small>`);
  if (node.location) lines.push(escapeLabel(`${node.location.region}${residencyNote(node)}`));
  if (node.processingGeography) lines.push(escapeLabel(`processing: ${node.processingGeography}`));
  if (node.retention) lines.push(escapeLabel(`retention: ${node.retention}`));
  lines.push(escapeLabel(`data: ${classificationName(node.classification)}${node.classificationSource === 'tag' ? ' (tagged)' : ''}`));
  if (node.findingIds.length > 0) lines.push(escapeLabel(`findings: ${node.findingIds.join(', ')}`));
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
