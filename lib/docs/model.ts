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
import { FlowBuilder, HopDraft, NodeDraft, compareText, groupLabel, resourceLabel, sharedPrefix } from './builder';
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

  const rulesByKey = new Map<string, string[]>();
  for (const finding of findings) {
    let list = rulesByKey.get(finding.resource);
    if (!list) rulesByKey.set(finding.resource, (list = []));
    list.push(`${finding.ruleId}/${finding.status}`);
  }
  // Nodes are alike only when the gate found the same about them.
  const findingRules = (draft: NodeDraft): string => {
    if (rulesByKey.size === 0) return '';
    const rules = new Set<string>();
    for (const key of draft.resources.keys()) for (const rule of rulesByKey.get(key) ?? []) rules.add(rule);
    return [...rules].sort(compareText).join(',');
  };
  const tagOf = classificationTags();
  groupNodes(builder, policy, findingRules, tagOf);
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
      for (const stack of draft.stacks ?? []) if (stackNames.has(stack)) for (const id of findingsByKey.get(stack) ?? []) findingIds.add(id);
    }
    for (const id of findingIds) linked.add(id);
    const classified = classify(resources, policy, tagOf);
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
    .sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)! || compareText(a.data, b.data) || compareText(a.via?.key ?? a.vias?.[0]?.key ?? '', b.via?.key ?? b.vias?.[0]?.key ?? ''))
    .map((draft) => {
      const from = byId.get(draft.from)!;
      const to = byId.get(draft.to)!;
      const classification = hopClassification(from, to);
      const findingIds = new Set(to.findingIds);
      for (const via of draft.vias ?? (draft.via ? [draft.via] : [])) for (const id of findingsByKey.get(via.key) ?? []) findingIds.add(id);
      for (const id of findingIds) linked.add(id);
      const sensitive = classification === 'pii' || classification === 'phi';
      return {
        from: draft.from,
        to: draft.to,
        data: draft.data,
        ...(draft.via ? { via: flowResource(draft.via) } : {}),
        ...(draft.vias ? { vias: [...draft.vias].sort((a, b) => compareText(a.key, b.key)).map(flowResource) } : {}),
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

/** The kinds whose like nodes are drawn as one: callers, model endpoints, log stores and further sinks. */
const GROUPED_KINDS: readonly string[] = ['caller', 'endpoint', 'log', 'sink'];

/** Rounds of refinement at most: each round lets likeness travel one hop further; real graphs settle in two or three. */
const MAX_REFINEMENTS = 16;

/**
 * Nodes of one kind that are alike become one node: "14 × AWS::Lambda::Function:
 * ChatApi/*", "100 × Azure OpenAI azurerm_cognitive_deployment.* (gpt-4o)".
 * Alike means the same posture — classification, location and residency,
 * processing, retention, kind of encryption, immutability, the same findings
 * by rule, and for endpoints the same model and details but for their own
 * names — and hops of the same data, carried the same way, from and to nodes
 * that are themselves alike. Likeness is refined until it no longer changes
 * (a partition refinement), so 100 endpoints that each log to their own
 * workspace become one group of endpoints logging to one group of
 * workspaces, each hop keeping the resources it goes through. The diagram and
 * the tables of a large app stay within what a reader (and Mermaid) can take;
 * the node keeps every member, the tables and the JSON list them.
 */
function groupNodes(builder: FlowBuilder, policy: GuardrailPolicy, findingRules: (draft: NodeDraft) => string, tagOf: ClassificationTag): void {
  const hops = [...builder.hops.values()];
  const incoming = new Map<string, HopDraft[]>();
  const outgoing = new Map<string, HopDraft[]>();
  const push = (map: Map<string, HopDraft[]>, key: string, hop: HopDraft): void => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(hop);
  };
  // What a hop carries and how, as a small number: compared in every round.
  const carried = new Map<string, number>();
  const what = new Map<HopDraft, number>();
  for (const hop of hops) {
    push(outgoing, hop.from, hop);
    push(incoming, hop.to, hop);
    const key = `${hop.data}\u0000${hop.encryptionInTransit}`;
    let number = carried.get(key);
    if (number === undefined) carried.set(key, (number = carried.size));
    what.set(hop, number);
  }
  const kinds = new Map<string | undefined, string | undefined>();
  const kindOf = (text: string | undefined): string | undefined => {
    if (!kinds.has(text)) kinds.set(text, encryptionKind(text));
    return kinds.get(text);
  };
  // The posture of each node that may join a group; the others are a class of their own.
  const posture = new Map<string, string>();
  const template = new Map<string, { label: string; name?: string }>();
  for (const draft of builder.nodes.values()) {
    if (!GROUPED_KINDS.includes(draft.kind) || draft.members || draft.findingsAbout) continue;
    const into = incoming.get(draft.id)?.length ?? 0;
    const out = outgoing.get(draft.id)?.length ?? 0;
    // Callers are judged by where they send; stores and endpoints by what they receive. A node with neither is left alone.
    if (draft.kind === 'caller' ? out === 0 || into > 0 : into === 0) continue;
    const { classification, source } = classify(draft.resources.values(), policy, tagOf);
    const fields = [draft.kind, draft.cloud, classification, source, draft.location?.region, draft.location?.residency, draft.retention, kindOf(draft.encryptionAtRest), draft.immutability, draft.processingGeography, findingRules(draft)];
    if (draft.kind === 'endpoint') {
      // Endpoints are alike when they differ only by their own names: the same model, the same settings.
      const own = ownNames(draft);
      const name = ownNames(draft, true).find((candidate) => withoutOwnNames(draft.label, [candidate]) !== draft.label);
      const label = name !== undefined ? withoutOwnNames(draft.label, [name]) : draft.label;
      template.set(draft.id, { label, ...(name !== undefined ? { name } : {}) });
      fields.push(draft.subtitle, label, [...draft.details].map((detail) => withoutOwnNames(detail, own)).sort(compareText).join('\u0003'));
    }
    posture.set(draft.id, fields.map((value) => value ?? '').join('\u0002'));
  }
  if (posture.size < 2) return;

  // Partition refinement: a node's class is its posture and the classes at the other end of its hops. Nodes
  // that cannot join a group keep a class of their own (negative numbers); only the others are refined.
  const classes = new Map<string, number>();
  const refined: NodeDraft[] = [];
  let count = 0;
  {
    const numbers = new Map<string, number>();
    let own = 0;
    for (const draft of builder.nodes.values()) {
      const key = posture.get(draft.id);
      if (key === undefined) {
        classes.set(draft.id, --own);
        continue;
      }
      refined.push(draft);
      let number = numbers.get(key);
      if (number === undefined) numbers.set(key, (number = numbers.size));
      classes.set(draft.id, number);
    }
    count = numbers.size;
  }
  const ends = (list: HopDraft[] | undefined, end: 'from' | 'to'): string => {
    if (!list || list.length === 0) return '';
    if (list.length === 1) return `${classes.get(list[0][end])}:${what.get(list[0])}`;
    return [...new Set(list.map((hop) => `${classes.get(hop[end])}:${what.get(hop)}`))].sort().join(',');
  };
  for (let round = 0; round < MAX_REFINEMENTS; round++) {
    const numbers = new Map<string, number>();
    const next: number[] = [];
    for (const draft of refined) {
      // What a caller reaches through a shared network path: two callers on one path to unlike models are not alike.
      const reach = draft.kind === 'caller' && draft.reaches ? [...new Set([...draft.reaches].map((id) => classes.get(id) ?? id))].sort().join(',') : '';
      const key = `${classes.get(draft.id)}|${ends(incoming.get(draft.id), 'from')}|${ends(outgoing.get(draft.id), 'to')}|${reach}`;
      let number = numbers.get(key);
      if (number === undefined) numbers.set(key, (number = numbers.size));
      next.push(number);
    }
    refined.forEach((draft, index) => classes.set(draft.id, next[index]));
    if (numbers.size === count) break;
    count = numbers.size;
  }

  const groups = new Map<number, NodeDraft[]>();
  for (const draft of builder.nodes.values()) {
    if (!posture.has(draft.id)) continue;
    const number = classes.get(draft.id)!;
    let group = groups.get(number);
    if (!group) groups.set(number, (group = []));
    group.push(draft);
  }
  const renamed = new Map<string, string>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    members.sort((a, b) => compareText(a.id, b.id));
    const first = members[0];
    const subtitles = [...new Set(members.map((member) => member.subtitle ?? ''))];
    const id = `${first.kind}:group:${first.id.slice(first.kind.length + 1)}`;
    const shape = template.get(first.id);
    const label =
      shape?.name !== undefined
        ? `${members.length} × ${shape.label.split(OWN_NAME).join(`${sharedPrefix(members.map((member) => template.get(member.id)?.name ?? member.label))}*`)}`
        : groupLabel(
            members.map((member) => member.label),
            members.map((member) => member.subtitle?.split(',')[0] ?? first.kind),
          );
    builder.node(id, first.kind, first.cloud, label, (draft) => {
      if (subtitles.length === 1 && subtitles[0] !== '') draft.subtitle = subtitles[0];
      draft.members = members;
      draft.reaches = first.reaches;
      const keys = new Set(members.map((member) => member.encryptionAtRest));
      const encryptionAtRest = keys.size > 1 ? `${encryptionKind(first.encryptionAtRest)} (${keys.size} keys, one per member)` : first.encryptionAtRest;
      Object.assign(draft, { location: first.location, retention: first.retention, encryptionAtRest, immutability: first.immutability, processingGeography: first.processingGeography });
      for (const member of members) builder.attach(draft, ...member.resources.values());
      // What every member shares; for endpoints also what differs only by each member's own names (stated once).
      for (const detail of first.details) if (members.every((member) => member.details.has(detail))) draft.details.add(detail);
      if (first.kind === 'endpoint') {
        const own = ownNames(first);
        for (const detail of first.details) {
          if (draft.details.has(detail)) continue;
          const shared = withoutOwnNames(detail, own);
          if (shared !== detail) draft.details.add(shared.split(OWN_NAME).join(EACH_OWN));
        }
      }
    });
    for (const member of members) {
      renamed.set(member.id, id);
      builder.nodes.delete(member.id);
    }
  }
  if (renamed.size === 0) return;
  builder.hops.clear();
  // Parallel hops between two groups are one hop that keeps the resource each went through.
  const vias = new Map<string, Set<Resource>>();
  for (const hop of hops) {
    const from = renamed.get(hop.from) ?? hop.from;
    const to = renamed.get(hop.to) ?? hop.to;
    if (from === hop.from && to === hop.to) {
      builder.hops.set(`${from}\u0000${to}\u0000${hop.data}\u0000${hop.via?.key ?? ''}`, hop);
      continue;
    }
    const key = `${from}\u0000${to}\u0000${hop.data}\u0000\u0001${what.get(hop)}`;
    let through = vias.get(key);
    if (!through) {
      vias.set(key, (through = new Set()));
      builder.hops.set(key, { ...hop, from, to, via: undefined });
    }
    if (hop.via) through.add(hop.via);
  }
  // One resource in between stays the hop's `via`.
  for (const [key, through] of vias) {
    const hop = builder.hops.get(key)!;
    if (through.size === 1) builder.hops.set(key, { ...hop, via: [...through][0] });
    else if (through.size > 1) builder.hops.set(key, { ...hop, vias: [...through] });
  }
}

/** Stands for a node's own name in a label or detail while endpoints are compared. */
const OWN_NAME = '\u0004';
/** What a group's details say where each member names its own resource. */
const EACH_OWN = "(each member's own)";

/**
 * The names of a node's own resources — ids, construct paths and their last
 * segment, Terraform names, display names — longest first, so that none is cut
 * short by a shorter one.
 */
function ownNames(draft: NodeDraft, displayNames = false): string[] {
  const names = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name !== undefined && name.trim().length > 0) names.add(name);
  };
  for (const resource of draft.resources.values()) {
    add(resource.id);
    add(resource.id.slice(resource.id.lastIndexOf('.') + 1));
    if (resource.path) {
      const label = resourceLabel(resource);
      add(label);
      add(label.slice(label.lastIndexOf('/') + 1));
    }
    // A display name can equal a model's name: it is only ever taken out of the label, never out of the details.
    if (displayNames) {
      for (const attribute of ['display_name', 'name', 'Name', 'EndpointName']) {
        const value = resource.properties[attribute];
        if (typeof value === 'string') add(value);
      }
    }
  }
  return [...names].sort((a, b) => b.length - a.length || compareText(a, b));
}

/** Characters that continue a name: a name counts only where it stands alone (`e1` is not replaced in `gpt-4e1`). */
const NAME_CHARACTER = /[A-Za-z0-9_-]/;

/** `text` with each of the names standing alone replaced by {@link OWN_NAME}. */
function withoutOwnNames(text: string, names: readonly string[]): string {
  let result = text;
  for (const name of names) {
    let from = 0;
    for (let at = result.indexOf(name, from); at >= 0; at = result.indexOf(name, from)) {
      const before = at > 0 ? result[at - 1] : '';
      const after = result[at + name.length] ?? '';
      if ((before && NAME_CHARACTER.test(before) && NAME_CHARACTER.test(name[0])) || (after && NAME_CHARACTER.test(after) && NAME_CHARACTER.test(name[name.length - 1]))) {
        from = at + 1;
        continue;
      }
      result = result.slice(0, at) + OWN_NAME + result.slice(at + name.length);
      from = at + OWN_NAME.length;
    }
  }
  return result;
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
/** A resource's classification tag or label, read once per resource while a model is built (callers and groups ask twice). */
type ClassificationTag = (resource: Resource) => ReturnType<typeof tagValue>;

function classificationTags(): ClassificationTag {
  const read = new Map<Resource, ReturnType<typeof tagValue>>();
  return (resource) => {
    if (!read.has(resource)) read.set(resource, tagValue(resource, DATA_CLASSIFICATION_TAG));
    return read.get(resource);
  };
}

function classify(resources: Iterable<Resource>, policy: GuardrailPolicy, tagOf: ClassificationTag): { classification: DataClassification; source: 'policy' | 'tag'; ignored?: string } {
  let ignored: string | undefined;
  for (const resource of resources) {
    const value = tagOf(resource);
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

