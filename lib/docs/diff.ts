/**
 * What a change does to where data goes: the difference between two
 * data-flow models (the committed `data-flow.json` and the one of the change)
 * as Markdown fit for a pull-request comment — hops added and removed, nodes
 * added and removed, posture that changed (residency, processing, retention,
 * encryption, classification), findings opened and resolved.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { markdownText } from './markdown';
import { classificationName } from './mermaid';
import type { DataFlowModel, FlowFinding, FlowHop, FlowNode } from './types';

export interface PostureChange {
  readonly node: string;
  readonly what: string;
  readonly before: string;
  readonly after: string;
  /** The node moved outside the policy's residency, or to where it cannot be verified. */
  readonly worse: boolean;
}

export interface DataFlowDiff {
  readonly hopsAdded: readonly string[][];
  readonly hopsRemoved: readonly string[][];
  readonly nodesAdded: readonly string[];
  /** Added nodes outside the policy residency, or where it cannot be verified. */
  readonly nodesAddedOutside: readonly { readonly node: string; readonly residency: string }[];
  readonly nodesRemoved: readonly string[];
  readonly posture: readonly PostureChange[];
  readonly findingsOpened: readonly string[];
  readonly findingsResolved: readonly string[];
  readonly policy?: { readonly before: string; readonly after: string };
}

/** Reads a committed `data-flow.json` (or the one in a directory); one line and exit 2 when it is not one. */
export function readDataFlowJson(file: string): DataFlowModel {
  const target = fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, 'data-flow.json') : file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`docs --diff: cannot read ${target} (${code ?? 'not valid JSON'})`, 'pass the data-flow.json a previous `llm-guardrail docs` wrote, or the folder holding it');
  }
  const model = parsed as Partial<DataFlowModel>;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(model.nodes) || !Array.isArray(model.hops) || !Array.isArray(model.findings)) {
    throw new InputError(`docs --diff: ${target} is not a data-flow.json (no nodes, hops and findings)`, 'pass the data-flow.json a previous `llm-guardrail docs` wrote');
  }
  return parsed as DataFlowModel;
}

export function diffDataFlow(before: DataFlowModel, after: DataFlowModel): DataFlowDiff {
  const name = (model: DataFlowModel) => {
    const labels = new Map(model.nodes.map((node) => [node.id, node.label]));
    return (id: string): string => labels.get(id) ?? id;
  };
  const nameBefore = name(before);
  const nameAfter = name(after);
  // Nodes and hops are compared by id (labels repeat: two groups "3 × AWS::Lambda::Function: App/*", one address in two stacks).
  const hopKey = (hop: FlowHop): string => `${hop.from}\u0000${hop.to}\u0000${hop.data}\u0000${hop.classification}\u0000${hop.encryptionInTransit}\u0000${hop.via?.key ?? (hop.vias ?? []).map((via) => via.key).join(',')}`;
  const hopsBefore = new Map(before.hops.map((hop) => [hopKey(hop), hop]));
  const hopsAfter = new Map(after.hops.map((hop) => [hopKey(hop), hop]));
  const hopRow = (hop: FlowHop, label: (id: string) => string): string[] => [label(hop.from), label(hop.to), hop.data, classificationName(hop.classification), hop.encryptionInTransit, hop.region ?? '—'];

  const nodesBefore = new Map(before.nodes.map((node) => [node.id, node]));
  const nodesAfter = new Map(after.nodes.map((node) => [node.id, node]));
  const posture: PostureChange[] = [];
  for (const [id, now] of nodesAfter) {
    const was = nodesBefore.get(id);
    if (!was) continue;
    const label = now.label;
    for (const [what, read] of POSTURE) {
      const old = read(was);
      const current = read(now);
      if (old === current) continue;
      const worse = what === 'residency' && (current === 'outside' || current === 'unverifiable') && old !== current;
      posture.push({ node: label, what, before: old, after: current, worse });
    }
  }
  // Findings by rule, resource and message, counted: a second finding of one rule on one resource is a change too.
  const findingKey = (finding: FlowFinding): string => `${finding.ruleId} ${finding.resource} (${finding.severity}${finding.status === 'acknowledged' ? ', acknowledged' : ''}): ${finding.message}`;
  const findingsBefore = counted(before.findings.map(findingKey));
  const findingsAfter = counted(after.findings.map(findingKey));
  const policyName = (model: DataFlowModel): string => (model.provenance ? `${model.provenance.policy.name} (${model.provenance.policy.digest.slice(0, 19)}…)` : model.policy.name);
  return {
    hopsAdded: [...hopsAfter].filter(([key]) => !hopsBefore.has(key)).map(([, hop]) => hopRow(hop, nameAfter)),
    hopsRemoved: [...hopsBefore].filter(([key]) => !hopsAfter.has(key)).map(([, hop]) => hopRow(hop, nameBefore)),
    nodesAdded: [...nodesAfter.values()].filter((node) => !nodesBefore.has(node.id)).map((node) => node.label),
    nodesAddedOutside: [...nodesAfter.values()]
      .filter((node) => !nodesBefore.has(node.id) && (node.location?.residency === 'outside' || node.location?.residency === 'unverifiable'))
      .map((node) => ({ node: node.label, residency: node.location!.residency })),
    nodesRemoved: [...nodesBefore.values()].filter((node) => !nodesAfter.has(node.id)).map((node) => node.label),
    posture,
    findingsOpened: beyond(findingsAfter, findingsBefore),
    findingsResolved: beyond(findingsBefore, findingsAfter),
    ...(policyName(before) !== policyName(after) ? { policy: { before: policyName(before), after: policyName(after) } } : {}),
  };
}

function counted(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The keys `a` holds more often than `b`, once per extra occurrence. */
function beyond(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): string[] {
  return [...a].flatMap(([key, count]) => Array.from({ length: Math.max(0, count - (b.get(key) ?? 0)) }, () => key));
}

/** The facts of a node a reviewer compares, by name. */
const POSTURE: readonly (readonly [string, (node: FlowNode) => string])[] = [
  ['residency', (node) => node.location?.residency ?? '—'],
  ['location', (node) => node.location?.region ?? '—'],
  ['processing', (node) => node.processingGeography ?? '—'],
  ['classification', (node) => classificationName(node.classification)],
  ['encryption at rest', (node) => node.encryptionAtRest ?? '—'],
  ['retention', (node) => node.retention ?? '—'],
  ['immutability', (node) => node.immutability ?? '—'],
  ['members', (node) => (node.members ? `${node.members.length}` : '—')],
];

/** The diff as Markdown for a pull-request comment. */
export function renderDiffMarkdown(diff: DataFlowDiff, compared: string): string {
  const lines: string[] = ['## Data-flow changes', '', `Compared with ${markdownText(compared)}.`, ''];
  const worse = diff.posture.filter((change) => change.worse);
  const total = diff.hopsAdded.length + diff.hopsRemoved.length + diff.nodesAdded.length + diff.nodesRemoved.length + diff.posture.length + diff.findingsOpened.length + diff.findingsResolved.length + (diff.policy ? 1 : 0);
  if (total === 0) {
    lines.push('No change to where data goes, how it is protected or how long it is kept.', '');
    return lines.join('\n');
  }
  lines.push(
    `**Summary**: ${diff.hopsAdded.length} hop(s) added, ${diff.hopsRemoved.length} removed; ${diff.nodesAdded.length} node(s) added, ${diff.nodesRemoved.length} removed; ${diff.posture.length} posture change(s); ${diff.findingsOpened.length} finding(s) opened, ${diff.findingsResolved.length} resolved.`,
    '',
  );
  const where = (residency: string): string => (residency === 'outside' ? 'OUTSIDE the policy residency' : 'where residency cannot be verified');
  const residency = [...diff.nodesAddedOutside.map((added) => `new ${markdownText(added.node)} is ${where(added.residency)}`), ...worse.map((change) => `${markdownText(change.node)} is now ${where(change.after)}`)];
  if (residency.length > 0) lines.push(`**Residency**: ${residency.join('; ')}.`, '');
  if (diff.policy) lines.push(`**Policy**: ${markdownText(diff.policy.before)} → ${markdownText(diff.policy.after)}.`, '');
  const table = (title: string, header: readonly string[], rows: readonly (readonly string[])[]): void => {
    if (rows.length === 0) return;
    lines.push(`### ${title}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
    for (const row of rows) lines.push(`| ${row.map((cell) => markdownText(cell).replace(/\|/g, '\\|')).join(' | ')} |`);
    lines.push('');
  };
  const hopHeader = ['From', 'To', 'Data', 'Classification', 'In transit', 'Destination region'];
  table('Hops added', hopHeader, diff.hopsAdded);
  table('Hops removed', hopHeader, diff.hopsRemoved);
  table('Nodes added and removed', ['Node', 'Change'], [...diff.nodesAdded.map((node) => [node, 'added']), ...diff.nodesRemoved.map((node) => [node, 'removed'])]);
  table('Posture changed', ['Node', 'What', 'Before', 'After'], diff.posture.map((change) => [change.node, change.what, change.before, change.worse ? `**${change.after}**` : change.after]));
  const findingRow = (key: string, change: string): string[] => {
    const split = key.indexOf('): ');
    // The message up to its "Found:": what and where; the full text is in the new data-flow.json.
    return [key.slice(0, split + 1), key.slice(split + 3).split(' Found: ')[0], change];
  };
  table('Findings', ['Finding', 'Message', 'Change'], [...diff.findingsOpened.map((finding) => findingRow(finding, 'opened')), ...diff.findingsResolved.map((finding) => findingRow(finding, 'resolved'))]);
  return lines.join('\n');
}
