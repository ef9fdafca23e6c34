/**
 * Builds the data-flow model from the facts the gate judged: who calls which
 * model endpoint over which network path, where prompts are processed, and
 * where the logs of those calls go and for how long. It reads the same facts
 * layer as the rules (IAM grants, log wiring, retention readings, locations),
 * so the documentation describes exactly what the gate judged.
 * Deterministic: ordering is stable, and only the provenance states a time.
 */
import type { AnalysisContext } from '../analysis/context';
import { tagValue } from '../analysis/tags';
import { catalogSources } from '../catalogs';
import type { Resource } from '../core/graph';
import { CFN } from '../analysis/resource-types';
import { describeValue } from '../core/values';
import { Report, TERRAFORM_STACK } from '../engine/evaluate';
import { DATA_CLASSIFICATIONS, DataClassification, GuardrailPolicy } from '../policy/policy';
import { FlowBuilder, NodeDraft, compareText, groupLabel } from './builder';
import { discoverAws } from './discover/aws';
import { discoverAzure } from './discover/azure';
import { discoverGoogle } from './discover/google';
import { discoverProviders } from './discover/providers';
import { discoverLogs } from './discover/logs';
import { ProvenanceOptions, provenanceOf } from './provenance';
import { DATA_CLASSIFICATION_TAG, DataFlowModel, FlowFinding, FlowHop, FlowNode, FlowResource, NODE_KINDS } from './types';

export { DATA_CLASSIFICATION_TAG, NODE_KINDS } from './types';
export type { DataFlowModel, FlowFinding, FlowHop, FlowLocation, FlowNode, FlowNodeKind, FlowResource } from './types';

/**
 * Builds the data-flow model of a graph under a policy, linking the report's
 * findings (unsuppressed and acknowledged) to the nodes and hops they concern.
 */
export function buildDataFlowModel(context: AnalysisContext, report: Report, options: ProvenanceOptions = {}): DataFlowModel {
  const { graph, policy } = context;
  const builder = new FlowBuilder(context);
  discoverAws(builder);
  discoverAzure(builder);
  discoverGoogle(builder);
  discoverProviders(builder);
  discoverLogs(builder);

  const findings = flowFindings(report);
  const findingsByKey = new Map<string, string[]>();
  for (const finding of findings) {
    let list = findingsByKey.get(finding.resource);
    if (!list) findingsByKey.set(finding.resource, (list = []));
    list.push(finding.id);
  }
  const subjects = findingSubjects(report, findings);
  const stackNames = new Set(graph.stacks.map((stack) => stack.name));
  const linked = new Set<string>();

  groupNodes(builder, policy);
  const drafts = [...builder.nodes.values()].sort(compareDrafts);
  const nodes: FlowNode[] = drafts.map((draft) => {
    const resources = [...draft.resources.values()].sort((a, b) => compareText(a.key, b.key));
    const findingIds = new Set<string>();
    for (const resource of resources) for (const id of findingsByKey.get(resource.key) ?? []) findingIds.add(id);
    if (draft.findingsAbout) {
      const { resources: keys, subject } = draft.findingsAbout;
      for (const key of keys) for (const id of findingsByKey.get(key) ?? []) if (subjects.get(id) === subject) findingIds.add(id);
    }
    // A stack-level finding (e.g. the stack's region) concerns the endpoints that stack grants access to.
    if (draft.kind === 'endpoint') {
      for (const stack of draft.stacks) if (stackNames.has(stack)) for (const id of findingsByKey.get(stack) ?? []) findingIds.add(id);
    }
    for (const id of findingIds) linked.add(id);
    const classified = classify(resources, policy);
    if (classified.ignored) draft.details.add(`ignored ${DATA_CLASSIFICATION_TAG} value ${JSON.stringify(classified.ignored)} (allowed: ${DATA_CLASSIFICATIONS.join(', ')})`);
    return {
      id: draft.id,
      kind: draft.kind,
      label: draft.label,
      ...(draft.subtitle !== undefined ? { subtitle: draft.subtitle } : {}),
      ...(draft.members ? { members: draft.members.map((member) => member.id), memberLabels: draft.members.map((member) => member.label) } : {}),
      cloud: draft.cloud,
      resources: resources.map(flowResource),
      ...(draft.location ? { location: draft.location } : {}),
      ...(draft.processingGeography !== undefined ? { processingGeography: draft.processingGeography } : {}),
      classification: classified.classification,
      classificationSource: classified.source,
      ...(draft.encryptionAtRest !== undefined ? { encryptionAtRest: draft.encryptionAtRest } : {}),
      ...(draft.retention !== undefined ? { retention: draft.retention } : {}),
      ...(draft.immutability !== undefined ? { immutability: draft.immutability } : {}),
      details: [...draft.details].sort(compareText),
      findingIds: sortFindingIds(findingIds),
    };
  });

  const byId = new Map(nodes.map((node) => [node.id, node]));
  const order = new Map(nodes.map((node, index) => [node.id, index]));
  const hops: FlowHop[] = [...builder.hops.values()]
    .sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)! || compareText(a.data, b.data) || compareText(a.via?.key ?? '', b.via?.key ?? ''))
    .map((draft) => {
      const from = byId.get(draft.from)!;
      const to = byId.get(draft.to)!;
      const classification = hopClassification(from, to);
      const findingIds = new Set(to.findingIds);
      if (draft.via) for (const id of findingsByKey.get(draft.via.key) ?? []) findingIds.add(id);
      for (const id of findingIds) linked.add(id);
      const sensitive = classification === 'pii' || classification === 'phi';
      return {
        from: draft.from,
        to: draft.to,
        data: draft.data,
        ...(draft.via ? { via: flowResource(draft.via) } : {}),
        classification,
        encryptionInTransit: draft.encryptionInTransit,
        ...(to.encryptionAtRest !== undefined ? { encryptionAtRest: to.encryptionAtRest } : {}),
        ...(to.retention !== undefined ? { retention: to.retention } : {}),
        ...(to.location ? { region: to.location.region } : {}),
        ...(sensitive ? { legalBasis: policy.legalBasis ?? 'not declared in the policy' } : {}),
        ...(classification === 'phi' ? { businessAssociateAgreement: policy.businessAssociateAgreement ? ('declared' as const) : ('not declared' as const) } : {}),
        findingIds: sortFindingIds(findingIds),
      };
    });

  const documented = documentedPolicy(policy);
  return {
    provenance: provenanceOf(graph, policy, options),
    policy: documented,
    catalogs: catalogSources().map(({ file, asOf }) => ({ file, asOf })),
    stacks: graph.stacks.map((stack) => stack.name).sort(compareText),
    nodes,
    hops,
    findings,
    unlinkedFindingIds: findings.filter((finding) => !linked.has(finding.id)).map((finding) => finding.id),
  };
}

/** The kinds whose like nodes are drawn as one: callers, log stores and further sinks. */
const GROUPED_KINDS: readonly string[] = ['caller', 'log', 'sink'];

/**
 * Nodes of one kind that are alike — the same hops in and out (to and from
 * the same nodes, carrying the same data the same way), the same
 * classification, and for stores the same location, retention, encryption
 * and immutability — become one node: "14 × AWS::Lambda::Function:
 * ChatApi/*". The diagram of a large app stays within what a reader (and
 * Mermaid) can take; the node keeps every member, the tables and the JSON
 * list them.
 */
function groupNodes(builder: FlowBuilder, policy: GuardrailPolicy): void {
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string): void => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(value);
  };
  for (const hop of builder.hops.values()) {
    const what = `${hop.data}\u0000${hop.encryptionInTransit}\u0000${hop.via?.key ?? ''}`;
    push(outgoing, hop.from, `${hop.to}\u0000${what}`);
    push(incoming, hop.to, `${hop.from}\u0000${what}`);
  }
  // What a caller reaches through a shared network path: two callers on one path to different models are not alike.
  const reach = (draft: NodeDraft): string => [...(draft.reaches ?? [])].sort(compareText).join('\u0003');
  const groups = new Map<string, NodeDraft[]>();
  for (const draft of builder.nodes.values()) {
    if (!GROUPED_KINDS.includes(draft.kind) || draft.members || draft.findingsAbout) continue;
    const into = incoming.get(draft.id) ?? [];
    const out = outgoing.get(draft.id) ?? [];
    // Callers are judged by where they send; stores by what they receive. A node with neither is left alone.
    if (draft.kind === 'caller' ? out.length === 0 || into.length > 0 : into.length === 0) continue;
    const { classification, source } = classify([...draft.resources.values()], policy);
    const posture = [draft.location?.region, draft.location?.residency, draft.retention, encryptionKind(draft.encryptionAtRest), draft.immutability, draft.processingGeography].map((value) => value ?? '').join('\u0002');
    const signature = [draft.kind, draft.cloud, classification, source, posture, [...new Set(into)].sort(compareText).join('\u0003'), [...new Set(out)].sort(compareText).join('\u0003'), draft.kind === 'caller' ? reach(draft) : ''].join('\u0001');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = []));
    group.push(draft);
  }
  const renamed = new Map<string, string>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    members.sort((a, b) => compareText(a.id, b.id));
    const first = members[0];
    const subtitles = [...new Set(members.map((member) => member.subtitle ?? ''))];
    const id = `${first.kind}:group:${first.id.slice(first.kind.length + 1)}`;
    builder.node(id, first.kind, first.cloud, groupLabel(members.map((member) => member.label), members.map((member) => member.subtitle?.split(',')[0] ?? first.kind)), (draft) => {
      if (subtitles.length === 1 && subtitles[0] !== '') draft.subtitle = subtitles[0];
      draft.members = members;
      draft.reaches = first.reaches;
      const keys = new Set(members.map((member) => member.encryptionAtRest));
      const encryptionAtRest = keys.size > 1 ? `${encryptionKind(first.encryptionAtRest)} (${keys.size} keys, one per member)` : first.encryptionAtRest;
      Object.assign(draft, { location: first.location, retention: first.retention, encryptionAtRest, immutability: first.immutability, processingGeography: first.processingGeography });
      for (const member of members) builder.attach(draft, ...member.resources.values());
      // What every member shares; what differs (the grant of each) stays in the members' resources.
      for (const detail of first.details) if (members.every((member) => member.details.has(detail))) draft.details.add(detail);
    });
    for (const member of members) {
      renamed.set(member.id, id);
      builder.nodes.delete(member.id);
    }
  }
  if (renamed.size === 0) return;
  const hops = [...builder.hops.values()];
  builder.hops.clear();
  for (const hop of hops) {
    const from = renamed.get(hop.from) ?? hop.from;
    const to = renamed.get(hop.to) ?? hop.to;
    builder.hops.set(`${from}\u0000${to}\u0000${hop.data}\u0000${hop.via?.key ?? ''}`, { ...hop, from, to });
  }
}

/** Encryption at rest without the key's name: stores encrypted each with its own customer-managed key are alike. */
function encryptionKind(text: string | undefined): string | undefined {
  return text?.replace(/(key) \S+$/, '$1');
}

function documentedPolicy(policy: GuardrailPolicy): DataFlowModel['policy'] {
  const { name, jurisdiction, dataClassification, frameworks, minAuditLogRetentionDays, maxContentLogRetentionDays, requireCustomerManagedKeys, requirePrivateNetwork, legalBasis, businessAssociateAgreement, centralLogging } =
    policy.toJSON();
  return { name, jurisdiction, dataClassification, frameworks, minAuditLogRetentionDays, maxContentLogRetentionDays, requireCustomerManagedKeys, requirePrivateNetwork, legalBasis, businessAssociateAgreement, centralLogging };
}

function flowFindings(report: Report): FlowFinding[] {
  const entries = [...report.findings.map((finding) => ({ finding, status: 'open' as const })), ...report.suppressed.map((finding) => ({ finding, status: 'acknowledged' as const }))];
  return entries.map(({ finding, status }, index) => ({
    id: `F${index + 1}`,
    ruleId: finding.ruleId,
    severity: finding.severity,
    status,
    resource: isStackOrAcknowledgement(finding.resource) ? finding.resource.stack || finding.resource.id : `${finding.resource.stack}/${finding.resource.id}`,
    title: finding.title,
    message: finding.message,
  }));
}

/** The subject of each flow finding that has one (`F3` → the model ARN it concerns). */
function findingSubjects(report: Report, findings: readonly FlowFinding[]): Map<string, string> {
  const subjects = new Map<string, string>();
  [...report.findings, ...report.suppressed].forEach((finding, index) => {
    if (finding.subject !== undefined) subjects.set(findings[index].id, finding.subject);
  });
  return subjects;
}

/** Stack-level findings name the stack; findings about acknowledgements name the acknowledged resource. */
function isStackOrAcknowledgement(resource: Report['findings'][number]['resource']): boolean {
  return resource.type === CFN.stack || resource.type === TERRAFORM_STACK || resource.stack === '';
}

/** The first valid classification tag among the resources, else the policy's. */
function classify(resources: readonly Resource[], policy: GuardrailPolicy): { classification: DataClassification; source: 'policy' | 'tag'; ignored?: string } {
  let ignored: string | undefined;
  for (const resource of resources) {
    const value = tagValue(resource, DATA_CLASSIFICATION_TAG);
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value.trim().toLowerCase() : describeValue(value);
    if ((DATA_CLASSIFICATIONS as readonly string[]).includes(text)) return { classification: text as DataClassification, source: 'tag' };
    ignored ??= typeof value === 'string' ? value : text;
  }
  return { classification: policy.dataClassification, source: 'policy', ...(ignored !== undefined ? { ignored } : {}) };
}

/**
 * Data on a hop is as sensitive as the more sensitive of its ends, unless the
 * receiving resource declares its own classification (an audit store tagged
 * `internal` receives metadata, not the prompts themselves).
 */
function hopClassification(from: FlowNode, to: FlowNode): DataClassification {
  if (to.classificationSource === 'tag') return to.classification;
  return DATA_CLASSIFICATIONS.indexOf(from.classification) > DATA_CLASSIFICATIONS.indexOf(to.classification) ? from.classification : to.classification;
}

function flowResource(resource: Resource): FlowResource {
  return { key: resource.key, id: resource.id, type: resource.type, stack: resource.stack.name, ...(resource.path ? { path: resource.path } : {}) };
}

function compareDrafts(a: NodeDraft, b: NodeDraft): number {
  return NODE_KINDS.indexOf(a.kind) - NODE_KINDS.indexOf(b.kind) || compareText(a.id, b.id);
}

function sortFindingIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

