/** Collects the nodes and hops of the data-flow model while the discoverers walk the facts. */
import type { AnalysisContext } from '../analysis/context';
import { assumedBy, trustedOnlyByCompute } from '../analysis/iam';
import { judgeLocation } from '../analysis/locations';
import { lookupLocation } from '../catalogs';
import type { Cloud, Resource, ResourceGraph } from '../core/graph';
import { Value, describeValue } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import type { FlowLocation, FlowNodeKind } from './types';

/** What node discovery fills in before classification and findings are attached. */
export interface NodeDraft {
  readonly id: string;
  readonly kind: FlowNodeKind;
  label: string;
  /** What the node is, in small print under the label: the resource type, the role a function runs with. */
  subtitle?: string;
  /** A group of callers: the nodes it stands for. */
  members?: readonly NodeDraft[];
  /** A caller: the endpoints it reaches (a shared network path does not say which). */
  reaches?: Set<string>;
  readonly cloud: Cloud | 'external';
  readonly resources: Map<string, Resource>;
  /** An endpoint: the stacks it serves, to connect it with log stores of the same stack (other kinds keep none). */
  readonly stacks?: Set<string>;
  location?: FlowLocation;
  processingGeography?: string;
  encryptionAtRest?: string;
  retention?: string;
  immutability?: string;
  readonly details: Set<string>;
  /**
   * Findings about other resources that still concern this node: those of
   * `resources` (the IAM policies granting a model) whose subject is `subject` (the model's ARN).
   */
  findingsAbout?: { readonly resources: Set<string>; readonly subject: string };
}

export interface HopDraft {
  readonly from: string;
  readonly to: string;
  readonly data: string;
  readonly via?: Resource;
  /** Parallel hops drawn as one between groups: the resource each went through. */
  readonly vias?: readonly Resource[];
  readonly encryptionInTransit: string;
}

/** Collects nodes and hops; every discovery step adds to one builder. */
export class FlowBuilder {
  readonly nodes = new Map<string, NodeDraft>();
  readonly hops = new Map<string, HopDraft>();
  /** Endpoint nodes by `<cloud>` and `<cloud>/<stack>`, dropped when an endpoint is added; keeps log discovery linear. */
  private endpointCache = new Map<string, EndpointGroup>();

  readonly graph: ResourceGraph;
  readonly policy: GuardrailPolicy;

  constructor(readonly context: AnalysisContext) {
    this.graph = context.graph;
    this.policy = context.policy;
  }

  /** The node with this id, created with `init` on first use. */
  node(id: string, kind: FlowNodeKind, cloud: Cloud | 'external', label: string, init?: (draft: NodeDraft) => void): NodeDraft {
    let draft = this.nodes.get(id);
    if (!draft) {
      draft = { id, kind, cloud, label, resources: new Map(), ...(kind === 'endpoint' ? { stacks: new Set<string>() } : {}), details: new Set() };
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
      node.stacks?.add(resource.stack.name);
    }
    return node;
  }

  hop(from: NodeDraft, to: NodeDraft, data: string, encryptionInTransit: string, via?: Resource): void {
    const key = `${from.id}\u0000${to.id}\u0000${data}\u0000${via?.key ?? ''}`;
    if (!this.hops.has(key)) this.hops.set(key, { from: from.id, to: to.id, data, via, encryptionInTransit });
  }

  /** Records that a caller reaches an endpoint, whatever network path both share with others. */
  reach(caller: NodeDraft, endpoint: NodeDraft): void {
    (caller.reaches ??= new Set()).add(endpoint.id);
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

  /** Locations by cloud and region name: thousands of nodes share a few regions, and a location is never changed. */
  private readonly locations = new Map<string, FlowLocation>();

  /** Where a value places a node, judged against the policy. */
  locate(cloud: 'aws' | 'azure' | 'google', value: Value | undefined): FlowLocation {
    if (typeof value !== 'string') return this.readLocation(cloud, value);
    const key = `${cloud}\u0000${value}`;
    let location = this.locations.get(key);
    if (!location) this.locations.set(key, (location = this.readLocation(cloud, value)));
    return location;
  }

  private readLocation(cloud: 'aws' | 'azure' | 'google', value: Value | undefined): FlowLocation {
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
      const sameStack = all.endpoints.filter((node) => node.stacks?.has(stack));
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


/** Locale-independent ordering, so output is byte-identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The name people use for a resource: its construct path without the
 * `/Resource` or `/Default` leaf (`ChatApi/Handler`), its Terraform address
 * (`aws_lambda_function.chat`), else its logical id. Logical ids with their
 * hashes stay in the tables.
 */
export function resourceLabel(resource: Resource): string {
  if (resource.path) return resource.path.replace(/\/(?:Resource|Default)$/, '');
  return resource.id;
}

/**
 * How several resources are named together: `A and B`, or `14 × AWS::Lambda::Function: ChatApi/*`
 * (the count, their common type and the path or address prefix they share).
 */
export function groupLabel(names: readonly string[], types: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  const prefix = sharedPrefix(names);
  const distinct = [...new Set(types)];
  const what = distinct.length === 1 ? distinct[0] : 'resources';
  return `${names.length} × ${what}${prefix ? `: ${prefix}*` : ''}`;
}

/** The path or address prefix names share, cut at a separator so that it names a construct or module, not half a word ('' when none). */
export function sharedPrefix(names: readonly string[]): string {
  const sorted = [...names].sort(compareText);
  let prefix = sorted[0] ?? '';
  for (const name of sorted) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('.'));
  return cut >= 0 ? prefix.slice(0, cut + 1) : '';
}

/** A node for one resource: named as people name it, its type as the subtitle. */
export function resourceNode(builder: FlowBuilder, id: string, kind: FlowNodeKind, resource: Resource, init?: (draft: NodeDraft) => void, prefix = ''): NodeDraft {
  const label = resourceLabel(resource);
  return builder.node(id, kind, resource.cloud, `${prefix}${label}`, (draft) => {
    // A Terraform address already names its type.
    if (!label.startsWith(`${resource.type}.`)) draft.subtitle = resource.type;
    builder.attach(draft, resource);
    init?.(draft);
  });
}

/**
 * The caller a principal stands for: the function, task or state machine that
 * runs with a role (one node per piece of code, shared with every other path
 * it calls), else the principal itself.
 */
export function callerNode(builder: FlowBuilder, principal: Resource): NodeDraft {
  // A role someone else may also assume (an account, a person, another service) stays the role.
  const compute = trustedOnlyByCompute(principal) ? assumedBy(builder.context, principal) : [];
  if (compute.length === 1) {
    return resourceNode(builder, `caller:${compute[0].key}`, 'caller', compute[0], (draft) => {
      builder.attach(draft, principal);
      draft.subtitle = `${compute[0].type}, runs with ${resourceLabel(principal)}`;
    });
  }
  if (compute.length > 1) {
    return builder.node(`caller:${principal.key}`, 'caller', 'aws', groupLabel(compute.map(resourceLabel), compute.map((resource) => resource.type)), (draft) => {
      draft.subtitle = `run with ${resourceLabel(principal)} (${principal.type})`;
      builder.attach(draft, principal, ...compute);
    });
  }
  return resourceNode(builder, `caller:${principal.key}`, 'caller', principal);
}

