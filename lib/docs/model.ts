/**
 * Builds the data-flow model from the facts the gate judged: who calls which
 * model endpoint over which network path, where prompts are processed, and
 * where the logs of those calls go and for how long. It reads the same facts
 * layer as the rules (IAM grants, log wiring, retention readings, locations),
 * so the documentation describes exactly what the gate judged.
 * Deterministic: ordering is stable and nothing depends on the clock.
 */
import type { AnalysisContext } from '../analysis/context';
import { tagValue } from '../analysis/tags';
import { catalogSources } from '../catalogs';
import type { Resource } from '../core/graph';
import { CFN } from '../analysis/resource-types';
import { describeValue } from '../core/values';
import { Report, TERRAFORM_STACK } from '../engine/evaluate';
import { DATA_CLASSIFICATIONS, DataClassification, GuardrailPolicy } from '../policy/policy';
import { FlowBuilder, NodeDraft, compareText } from './builder';
import { discoverAws } from './discover/aws';
import { discoverAzure } from './discover/azure';
import { discoverGoogle } from './discover/google';
import { discoverProviders } from './discover/providers';
import { discoverLogs } from './discover/logs';
import { DATA_CLASSIFICATION_TAG, DataFlowModel, FlowFinding, FlowHop, FlowNode, FlowResource, NODE_KINDS } from './types';

export { DATA_CLASSIFICATION_TAG, NODE_KINDS } from './types';
export type { DataFlowModel, FlowFinding, FlowHop, FlowLocation, FlowNode, FlowNodeKind, FlowResource } from './types';

/**
 * Builds the data-flow model of a graph under a policy, linking the report's
 * findings (unsuppressed and acknowledged) to the nodes and hops they concern.
 */
export function buildDataFlowModel(context: AnalysisContext, report: Report): DataFlowModel {
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

  return {
    policy: documentedPolicy(policy),
    catalogs: catalogSources().map(({ file, asOf }) => ({ file, asOf })),
    stacks: graph.stacks.map((stack) => stack.name).sort(compareText),
    nodes,
    hops,
    findings,
    unlinkedFindingIds: findings.filter((finding) => !linked.has(finding.id)).map((finding) => finding.id),
  };
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

