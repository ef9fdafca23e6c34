import { groupLabel } from './builder';
import type { DataFlowModel, FlowHop, FlowNode } from './model';
import { classificationName, nodeNumbers } from './mermaid';

/**
 * A table of the documentation: the same columns in Markdown and HTML. Rows
 * are made one at a time as a renderer asks for them, so a table of thousands
 * of hops never exists as a whole next to its rendering.
 */
export interface DocTable {
  readonly header: readonly string[];
  readonly size: number;
  /** The cells of row `index` (0 ≤ index < size). */
  row(index: number): readonly string[];
  /** Shown instead of an empty table. */
  readonly empty: string;
}

/** The hop, node and finding tables of a model. */
export function docTables(model: DataFlowModel): { hops: DocTable; nodes: DocTable; findings: DocTable } {
  const numbers = nodeNumbers(model);
  const labels = new Map(model.nodes.map((node) => [node.id, node.label]));
  const nodeName = (id: string): string => `${numbers.get(id)} ${labels.get(id) ?? id}`;
  const hopRow = (hop: FlowHop, index: number): string[] => [
    `H${index + 1}`,
    nodeName(hop.from),
    nodeName(hop.to),
    hop.data,
    classificationName(hop.classification),
    hop.encryptionInTransit,
    hop.encryptionAtRest ?? '—',
    hop.retention ?? '—',
    hop.region ?? '—',
    [hop.legalBasis !== undefined ? `legal basis: ${hop.legalBasis}` : '', hop.businessAssociateAgreement !== undefined ? `BAA ${hop.businessAssociateAgreement}` : ''].filter(Boolean).join('; ') || '—',
    viaText(hop),
    hop.findingIds.join(', ') || '—',
  ];
  const nodeRow = (node: FlowNode): string[] => [
    `${numbers.get(node.id)} ${node.label}`,
    node.kind,
    node.cloud,
    locationText(node),
    node.processingGeography ?? '—',
    `${classificationName(node.classification)}${node.classificationSource === 'tag' ? ' (tag)' : ' (policy)'}`,
    node.encryptionAtRest ?? '—',
    node.retention ?? '—',
    node.immutability ?? '—',
    resourcesText(node),
    node.details.join('; ') || '—',
    node.findingIds.join(', ') || '—',
  ];
  return {
    hops: {
      header: ['#', 'From', 'To', 'Data', 'Classification', 'In transit', 'At rest (destination)', 'Retention (destination)', 'Region (destination)', 'Legal basis / BAA', 'Via', 'Findings'],
      size: model.hops.length,
      row: (index) => hopRow(model.hops[index], index),
      empty: 'No data flow to a model endpoint was found in the documents.',
    },
    nodes: {
      header: ['Node', 'Kind', 'Cloud', 'Location', 'Processing', 'Classification', 'Encryption at rest', 'Retention', 'Immutability', 'Resources', 'Details', 'Findings'],
      size: model.nodes.length,
      row: (index) => nodeRow(model.nodes[index]),
      empty: 'No callers, model endpoints or log destinations were found.',
    },
    findings: {
      header: ['Id', 'Rule', 'Severity', 'Status', 'Resource', 'Message'],
      size: model.findings.length,
      row: (index) => {
        const finding = model.findings[index];
        return [finding.id, finding.ruleId, finding.severity, finding.status, finding.resource, finding.message];
      },
      empty: 'The compliance gate reports no finding.',
    },
  };
}

/** The resource a hop goes through, or those of the parallel hops it stands for: `100 × azurerm_monitor_diagnostic_setting: azurerm_monitor_diagnostic_setting.*`. */
function viaText(hop: FlowHop): string {
  if (hop.via) return `${hop.via.id} (${hop.via.type})`;
  if (!hop.vias || hop.vias.length === 0) return '—';
  const types = [...new Set(hop.vias.map((via) => via.type))];
  return groupLabel(
    hop.vias.map((via) => via.id),
    types.length === 1 ? types : hop.vias.map((via) => via.type),
  );
}

/** Where a node is, and whether that is inside the policy's residency. */
function locationText(node: FlowNode): string {
  if (!node.location) return '—';
  const { region, name, countries, residency } = node.location;
  const where = name ? `${region} (${name}${countries.length > 0 ? `, ${countries.join('/')}` : ''})` : region;
  return residency === 'unconstrained' ? where : `${where}: ${residency}`;
}

/** The resources of a node by stack, each stack named once: `App: InvokerRole, InvokerPolicy; Other: …` (a group of 1,424 stays readable). */
function resourcesText(node: FlowNode): string {
  if (node.resources.length === 0) return '—';
  const byStack = new Map<string, string[]>();
  for (const resource of node.resources) {
    let ids = byStack.get(resource.stack);
    if (!ids) byStack.set(resource.stack, (ids = []));
    ids.push(resource.id);
  }
  return [...byStack].map(([stack, ids]) => `${stack}: ${ids.join(', ')}`).join('; ');
}
