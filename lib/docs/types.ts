/**
 * The data-flow model reviewers and auditors read: nodes (callers, network
 * paths, model endpoints, log routes, log stores and sinks), the hops between
 * them, and the findings that concern them. Plain data, rendered as Markdown,
 * JSON and HTML.
 */
import type { Cloud } from '../core/graph';
import type { DataClassification, PolicySummary } from '../policy/policy';

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
  /** The name people use: construct path, Terraform address, or a group's count and shared prefix. */
  readonly label: string;
  /** What it is, in small print: the resource type, the role a function runs with. */
  readonly subtitle?: string;
  /**
   * A group of callers that reach the same hops under the same
   * classification: the ids of the nodes it stands for (each member's
   * resources are in `resources`, its name in `memberLabels`).
   */
  readonly members?: readonly string[];
  readonly memberLabels?: readonly string[];
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
  /**
   * A hop between groups that stands for parallel hops, each through its own
   * resource (each endpoint's diagnostic setting to its own workspace): those
   * resources, sorted by key. `via` is then absent.
   */
  readonly vias?: readonly FlowResource[];
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
  /** Findings about the destination or the `via` (or `vias`) resources. */
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

/** The tool, policy and input a document was generated from, and when. */
export interface Provenance {
  /** `llm-compliance-guardrail 0.9.0`. */
  readonly tool: string;
  readonly policy: { readonly name: string; readonly digest: string };
  readonly input: { readonly digest: string; readonly stacks: number; readonly resources: number };
  /** ISO time of generation: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now. */
  readonly generatedAt: string;
}

export interface DataFlowModel {
  /** The tool, policy and input this document was generated from, and when. */
  readonly provenance: Provenance;
  /** The policy as reports state it, without where it was read from (machine-dependent) and the region lists. */
  readonly policy: Omit<PolicySummary, 'source' | 'regions' | 'notInspected' | 'requireZeroDataRetention'>;
  /** As-of dates of the catalogs the locations were resolved with. */
  readonly catalogs: readonly { readonly file: string; readonly asOf: string }[];
  readonly stacks: readonly string[];
  readonly nodes: readonly FlowNode[];
  readonly hops: readonly FlowHop[];
  readonly findings: readonly FlowFinding[];
  /** Findings that concern no node or hop of the diagram. */
  readonly unlinkedFindingIds: readonly string[];
}

