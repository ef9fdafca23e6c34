/**
 * The data-flow model reviewers and auditors read: who calls which model
 * endpoint over which network path, where prompts are processed, and where
 * the logs of those calls go and for how long. Built from the same resource
 * graph and report the gate judges, so it describes exactly what will be
 * deployed. Deterministic: ordering is stable and nothing depends on the clock.
 */
import { catalogSources, lookupLocation } from '../catalogs';
import type { Report } from '../engine/evaluate';
import type { Cloud, Resource, ResourceGraph } from '../core/graph';
import { tagValue } from '../analysis/log-wiring';
import { judgeLocation } from '../analysis/residency';
import { Value, describeValue } from '../core/values';
import { DATA_CLASSIFICATIONS, DataClassification, GuardrailPolicy } from '../policy/policy';
import { discoverAws } from './aws';
import { discoverAzure } from './azure';
import { discoverGoogle } from './google';
import { discoverLogs } from './logs';

/**
 * Tag (AWS, Azure) or label (Google) that overrides the policy's data
 * classification for one resource: `public`, `internal`, `confidential`,
 * `pii` or `phi`. Our constructs set it; anyone can.
 */
export const DATA_CLASSIFICATION_TAG = 'llm-guardrail-data-classification';

/**
 * Columns of the diagram, left to right. `route` gathers the logs of several
 * model endpoints before they fan out to their stores (see {@link FlowBuilder.endpointGroup}).
 */
export const NODE_KINDS = ['caller', 'network', 'endpoint', 'route', 'log', 'sink'] as const;
export type FlowNodeKind = (typeof NODE_KINDS)[number];

/** A resource of the graph a node or hop stands for. */
export interface FlowResource {
  /** Graph key: `<stack>/<logical id or Terraform address>`. */
  readonly key: string;
  readonly id: string;
  readonly type: string;
  readonly stack: string;
  /** Construct path, when the document has it. */
  readonly path?: string;
}

/** Where a node keeps or processes data, judged against the policy's residency. */
export interface FlowLocation {
  /** The location as the document states it, or the expression it depends on. */
  readonly region: string;
  /** Catalog name of the location, when the catalog knows it. */
  readonly name?: string;
  /** Countries where data in this location may reside (empty when unknown or global). */
  readonly countries: readonly string[];
  /**
   * `inside` / `outside` the policy's jurisdiction or region list;
   * `unverifiable` when unresolved or unknown to the catalog;
   * `unconstrained` when the policy sets no residency.
   */
  readonly residency: 'inside' | 'outside' | 'unverifiable' | 'unconstrained';
}

export interface FlowNode {
  /** Stable id: `<kind>:<graph key>` or `<kind>:<cloud>:<what>` for nodes that are not resources. */
  readonly id: string;
  readonly kind: FlowNodeKind;
  readonly label: string;
  /** `external` for callers outside the documents. */
  readonly cloud: Cloud | 'external';
  /** Resources the node stands for, sorted by key (empty for the public internet and external callers). */
  readonly resources: readonly FlowResource[];
  readonly location?: FlowLocation;
  /** Model endpoints: where prompts are processed (inference profile, deployment type, endpoint location). */
  readonly processingGeography?: string;
  readonly classification: DataClassification;
  /** `tag` when a resource of the node declares its classification with {@link DATA_CLASSIFICATION_TAG}. */
  readonly classificationSource: 'policy' | 'tag';
  readonly encryptionAtRest?: string;
  readonly retention?: string;
  readonly immutability?: string;
  /** Further facts for reviewers (model, deployment type, granted role, …), sorted. */
  readonly details: readonly string[];
  /** Ids of the findings about the node's resources. */
  readonly findingIds: readonly string[];
}

export interface FlowHop {
  readonly from: string;
  readonly to: string;
  /** What travels along the hop. */
  readonly data: string;
  /** The resource that makes the hop happen (a trail, diagnostic setting, sink, subscription filter), if any. */
  readonly via?: FlowResource;
  /** Classification of the data on the hop. */
  readonly classification: DataClassification;
  readonly encryptionInTransit: string;
  /** At rest at the destination. */
  readonly encryptionAtRest?: string;
  /** Retention at the destination. */
  readonly retention?: string;
  /** Region of the destination. */
  readonly region?: string;
  /** PII and PHI hops: the legal basis the policy declares. */
  readonly legalBasis?: string;
  /** PHI hops: whether the policy declares a business associate agreement with the provider. */
  readonly businessAssociateAgreement?: 'declared' | 'not declared';
  /** Findings about the destination or the `via` resource. */
  readonly findingIds: readonly string[];
}

export interface FlowFinding {
  /** `F1`, `F2`, … in report order. */
  readonly id: string;
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  /** `acknowledged` for a finding covered by an active acknowledgement. */
  readonly status: 'open' | 'acknowledged';
  /** Graph key of the resource (or the stack name for stack-level findings). */
  readonly resource: string;
  readonly title: string;
  readonly message: string;
}

export interface DataFlowModel {
  readonly policy: {
    readonly name: string;
    readonly jurisdiction: string | null;
    readonly dataClassification: DataClassification;
    readonly frameworks: readonly string[];
    readonly minAuditLogRetentionDays: number;
    readonly maxContentLogRetentionDays: number | null;
    readonly requireCustomerManagedKeys: boolean;
    readonly requirePrivateNetwork: boolean;
    readonly legalBasis: string | null;
    readonly businessAssociateAgreement: boolean;
  };
  /** As-of dates of the catalogs the locations were resolved with. */
  readonly catalogs: readonly { readonly file: string; readonly asOf: string }[];
  readonly stacks: readonly string[];
  readonly nodes: readonly FlowNode[];
  readonly hops: readonly FlowHop[];
  readonly findings: readonly FlowFinding[];
  /** Findings that concern no node or hop of the diagram. */
  readonly unlinkedFindingIds: readonly string[];
}

/** What node discovery fills in before classification and findings are attached. */
export interface NodeDraft {
  readonly id: string;
  readonly kind: FlowNodeKind;
  label: string;
  readonly cloud: Cloud | 'external';
  readonly resources: Map<string, Resource>;
  /** Stacks the node belongs to, to connect it with log stores of the same stack. */
  readonly stacks: Set<string>;
  location?: FlowLocation;
  processingGeography?: string;
  encryptionAtRest?: string;
  retention?: string;
  immutability?: string;
  readonly details: Set<string>;
  /**
   * Findings about other resources that still concern this node: those of the
   * `resources` (e.g. the IAM policies granting a model) whose message names `mentioning` (the model's ARN).
   */
  findingsMentioning?: { readonly resources: Set<string>; readonly mentioning: string };
}

interface HopDraft {
  readonly from: string;
  readonly to: string;
  readonly data: string;
  readonly via?: Resource;
  readonly encryptionInTransit: string;
}

/** Collects nodes and hops; every discovery step adds to one builder. */
export class FlowBuilder {
  readonly nodes = new Map<string, NodeDraft>();
  readonly hops = new Map<string, HopDraft>();
  /** Endpoint nodes by `<cloud>` and `<cloud>/<stack>`, dropped when an endpoint is added; keeps log discovery linear. */
  private endpointCache = new Map<string, EndpointGroup>();

  constructor(
    readonly graph: ResourceGraph,
    readonly policy: GuardrailPolicy,
  ) {}

  /** The node with this id, created with `init` on first use. */
  node(id: string, kind: FlowNodeKind, cloud: Cloud | 'external', label: string, init?: (draft: NodeDraft) => void): NodeDraft {
    let draft = this.nodes.get(id);
    if (!draft) {
      draft = { id, kind, cloud, label, resources: new Map(), stacks: new Set(), details: new Set() };
      this.nodes.set(id, draft);
      if (kind === 'endpoint') this.endpointCache.clear();
      init?.(draft);
    }
    return draft;
  }

  /** Adds resources to a node (and their stacks). */
  attach(node: NodeDraft, ...resources: (Resource | undefined)[]): NodeDraft {
    for (const resource of resources) {
      if (!resource) continue;
      node.resources.set(resource.key, resource);
      node.stacks.add(resource.stack.name);
    }
    return node;
  }

  hop(from: NodeDraft, to: NodeDraft, data: string, encryptionInTransit: string, via?: Resource): void {
    const key = `${from.id}\u0000${to.id}\u0000${data}\u0000${via?.key ?? ''}`;
    if (!this.hops.has(key)) this.hops.set(key, { from: from.id, to: to.id, data, via, encryptionInTransit });
  }

  /** The public internet between callers and a cloud's public endpoints. */
  internet(cloud: Cloud): NodeDraft {
    return this.node(`network:${cloud}:public-internet`, 'network', cloud, `Public internet (${CLOUD_NAMES[cloud]} public endpoint)`, (draft) => {
      draft.details.add('no private network path is declared');
    });
  }

  /** Callers that the documents do not declare (applications outside the stack, people, other accounts). */
  externalCallers(cloud: Cloud): NodeDraft {
    return this.node(`caller:${cloud}:external`, 'caller', 'external', `Callers outside this configuration (${CLOUD_NAMES[cloud]})`, (draft) => {
      draft.details.add('no identity in the documents is granted access to this endpoint');
    });
  }

  /** Where a value places a node, judged against the policy. */
  locate(cloud: 'aws' | 'azure' | 'google', value: Value | undefined): FlowLocation {
    const verdict = judgeLocation(this.policy, cloud, value);
    const info = typeof value === 'string' ? lookupLocation(cloud, value) : undefined;
    const residency = !this.policy.constrainsResidency ? 'unconstrained' : verdict.status === 'allowed' ? 'inside' : verdict.status === 'denied' ? 'outside' : 'unverifiable';
    return {
      region: typeof value === 'string' ? value : value === undefined ? '(not set)' : describeValue(value),
      ...(info ? { name: info.name } : {}),
      countries: info ? [...info.countries] : [],
      residency,
    };
  }

  /**
   * The endpoints whose logs a store of `stack` receives: the endpoint nodes of
   * the cloud that the stack grants or holds (id `<cloud>/<stack>`), else all of
   * the cloud's (id `<cloud>`: logs of another stack of the account). Log discovery routes a group's logs through one `route` node
   * when that draws fewer hops than linking every endpoint to every store.
   */
  endpointGroup(cloud: Cloud, stack: string): EndpointGroup {
    const key = `${cloud}/${stack}`;
    let found = this.endpointCache.get(key);
    if (!found) {
      let all = this.endpointCache.get(cloud);
      if (!all) {
        const endpoints = [...this.nodes.values()].filter((node) => node.kind === 'endpoint' && node.cloud === cloud).sort((a, b) => compareText(a.id, b.id));
        all = { id: cloud, cloud, endpoints };
        this.endpointCache.set(cloud, all);
      }
      const sameStack = all.endpoints.filter((node) => node.stacks.has(stack));
      found = sameStack.length > 0 ? { id: key, cloud, stack, endpoints: sameStack } : all;
      this.endpointCache.set(key, found);
    }
    return found;
  }
}

/** Model endpoints whose logs go to the same stores. */
export interface EndpointGroup {
  /** `<cloud>/<stack>` for the endpoints of one stack, `<cloud>` for all of a cloud's. */
  readonly id: string;
  readonly cloud: Cloud;
  /** The stack, when the group is one stack's endpoints. */
  readonly stack?: string;
  readonly endpoints: readonly NodeDraft[];
}

export const CLOUD_NAMES: { readonly [cloud in Cloud]: string } = { aws: 'AWS', azure: 'Azure', google: 'Google Cloud', other: 'other' };

/** In transit between a caller and the network path, and on to the endpoint. */
export const IN_TRANSIT = {
  publicInternet: 'TLS (HTTPS over the public internet)',
  privatePath: 'TLS (HTTPS over a private network path)',
  toEndpoint: 'TLS (HTTPS to the service API)',
  providerInternal: 'provider-internal delivery (not configurable in the documents)',
} as const;

/**
 * Builds the data-flow model of a graph under a policy, linking the report's
 * findings (unsuppressed and acknowledged) to the nodes and hops they concern.
 */
export function buildDataFlowModel(graph: ResourceGraph, policy: GuardrailPolicy, report: Report): DataFlowModel {
  const builder = new FlowBuilder(graph, policy);
  discoverAws(builder);
  discoverAzure(builder);
  discoverGoogle(builder);
  discoverLogs(builder);

  const findings = flowFindings(report);
  const findingsByKey = new Map<string, string[]>();
  for (const finding of findings) {
    let list = findingsByKey.get(finding.resource);
    if (!list) findingsByKey.set(finding.resource, (list = []));
    list.push(finding.id);
  }
  const findingsById = new Map(findings.map((finding) => [finding.id, finding]));
  const stackNames = new Set(graph.stacks.map((stack) => stack.name));
  const linked = new Set<string>();

  const drafts = [...builder.nodes.values()].sort(compareDrafts);
  const nodes: FlowNode[] = drafts.map((draft) => {
    const resources = [...draft.resources.values()].sort((a, b) => compareText(a.key, b.key));
    const findingIds = new Set<string>();
    for (const resource of resources) for (const id of findingsByKey.get(resource.key) ?? []) findingIds.add(id);
    if (draft.findingsMentioning) {
      const { resources: keys, mentioning } = draft.findingsMentioning;
      for (const key of keys) for (const id of findingsByKey.get(key) ?? []) if (findingsById.get(id)!.message.includes(mentioning)) findingIds.add(id);
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
    policy: {
      name: policy.name,
      jurisdiction: policy.jurisdiction ?? null,
      dataClassification: policy.dataClassification,
      frameworks: [...policy.frameworks],
      minAuditLogRetentionDays: policy.minAuditLogRetentionDays,
      maxContentLogRetentionDays: policy.maxContentLogRetentionDays ?? null,
      requireCustomerManagedKeys: policy.requireCustomerManagedKeys,
      requirePrivateNetwork: policy.requirePrivateNetwork,
      legalBasis: policy.legalBasis ?? null,
      businessAssociateAgreement: policy.businessAssociateAgreement,
    },
    catalogs: catalogSources().map(({ file, asOf }) => ({ file, asOf })),
    stacks: graph.stacks.map((stack) => stack.name).sort(compareText),
    nodes,
    hops,
    findings,
    unlinkedFindingIds: findings.filter((finding) => !linked.has(finding.id)).map((finding) => finding.id),
  };
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

/** Stack-level findings name the stack; findings about acknowledgements name the acknowledged resource. */
function isStackOrAcknowledgement(resource: Report['findings'][number]['resource']): boolean {
  return resource.type === 'AWS::CloudFormation::Stack' || resource.type === 'terraform stack' || resource.stack === '';
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

/** Locale-independent ordering, so output is byte-identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
