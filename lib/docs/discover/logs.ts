/**
 * Log and audit destinations in the data flow, drawn from the log wiring of
 * the facts layer: the stores the retention rules judge, the deliveries that
 * fill them (trails, invocation logging, diagnostic settings, log sinks,
 * request/response logging) and the forwards beyond them (subscription
 * filters, delivery streams, Event Hubs).
 */
import { ExternalDestination, LogData, LogDelivery, logWiring } from '../../analysis/log-wiring';
import { placementOf } from '../../analysis/locations';
import type { Resource } from '../../core/graph';
import { CLOUD_NAMES, EndpointGroup, FlowBuilder, IN_TRANSIT, NodeDraft, compareText, resourceNode } from '../builder';
import { describeStore } from './stores';

/** What each kind of delivery carries, as the hops say it. */
const DATA: { readonly [data in LogData]: string } = {
  cloudtrail: 'API audit events (CloudTrail)',
  'invocation-content': 'invocation logs: prompts, responses and metadata',
  'invocation-metadata': 'invocation logs: metadata only',
  diagnostic: 'diagnostic logs',
  'sink-routed': 'log entries routed by the sink',
  'request-response': 'sampled prompts and responses (request/response logging)',
  subscription: 'log events (subscription filter)',
  stream: 'log events delivered by the stream',
};

/** What a store known only by its role receives. */
const BY_ROLE = { content: 'prompts, responses and call metadata', audit: 'audit events (caller, time, model, operation)' };

export function discoverLogs(builder: FlowBuilder): void {
  const { context } = builder;
  const wiring = logWiring(context);
  const nodes = new Map<string, NodeDraft>();
  const store = (resource: Resource): NodeDraft => {
    const existing = nodes.get(resource.key);
    if (existing) return existing;
    const roles = wiring.roles.get(resource.key);
    const kind = roles ? 'log' : 'sink';
    const draft = resourceNode(builder, `${kind}:${resource.key}`, kind, resource, (node) => {
      describeStore(builder, node, resource, roles);
    });
    nodes.set(resource.key, draft);
    return draft;
  };
  const destination = (delivery: LogDelivery): NodeDraft => ('kind' in delivery.to ? external(builder, delivery, delivery.to) : store(delivery.to));
  // Endpoint nodes by the resources they stand for (all endpoints exist once log discovery starts).
  let holding: Map<string, NodeDraft[]> | undefined;
  const endpointsHolding = (key: string): NodeDraft[] => {
    if (!holding) {
      holding = new Map();
      const endpoints = [...builder.nodes.values()].filter((node) => node.kind === 'endpoint').sort((a, b) => compareText(a.id, b.id));
      for (const endpoint of endpoints) {
        for (const resourceKey of endpoint.resources.keys()) {
          let list = holding.get(resourceKey);
          if (!list) holding.set(resourceKey, (list = []));
          list.push(endpoint);
        }
      }
    }
    return holding.get(key) ?? [];
  };
  const fed = new Set<string>();
  const feed = (endpoints: readonly NodeDraft[], to: NodeDraft, data: string, via?: Resource): void => {
    for (const endpoint of endpoints) builder.hop(endpoint, to, data, IN_TRANSIT.providerInternal, via);
    if (endpoints.length > 0) fed.add(to.id);
  };
  // Stores that receive the logs of a group of endpoints: drawn once every store of the group is known.
  const groupFeeds = new Map<string, { group: EndpointGroup; edges: Map<string, GroupEdge> }>();
  const feedGroup = (group: EndpointGroup, to: NodeDraft, data: string, via?: Resource): void => {
    if (group.endpoints.length === 0) return;
    let entry = groupFeeds.get(group.id);
    if (!entry) groupFeeds.set(group.id, (entry = { group, edges: new Map() }));
    // An endpoint added meanwhile (unnamed Bedrock models) joins the group.
    entry.group = group;
    entry.edges.set(`${to.id}\u0000${data}\u0000${via?.key ?? ''}`, { destination: to, data, via });
    fed.add(to.id);
  };

  const forwards: LogDelivery[] = [];
  for (const delivery of wiring.deliveries) {
    const data = delivery.data === 'diagnostic' ? `diagnostic logs (${delivery.categories ?? 'no log category enabled'})` : DATA[delivery.data];
    const { from, via } = delivery;
    if (from.kind === 'model-calls') {
      const group = builder.endpointGroup(from.cloud, from.stack);
      if (delivery.data === 'invocation-content' || delivery.data === 'invocation-metadata') {
        if (group.endpoints.length === 0) feed([unnamedBedrock(builder, via)], destination(delivery), data, via);
        else feedGroup(group, destination(delivery), data, via);
      } else {
        feedGroup(group, destination(delivery), data, via);
      }
      continue;
    }
    if (delivery.data === 'subscription' || delivery.data === 'stream') {
      forwards.push(delivery);
      continue;
    }
    const endpoints = endpointsHolding(from.resource.key);
    if (endpoints.length === 0) continue;
    const to = destination(delivery);
    if (delivery.data === 'request-response') to.details.add('holds prompts and responses (request/response logging)');
    feed(endpoints, to, data, via);
  }

  // Stores known only by their role (tag, workspace, log bucket): fed by the endpoints of their cloud.
  for (const delivery of forwards) if (!('kind' in delivery.to)) fed.add(store(delivery.to).id);
  for (const resource of wiring.stores) {
    const node = store(resource);
    if (fed.has(node.id) || resource.cloud === 'other') continue;
    const roles = wiring.roles.get(resource.key)!;
    feedGroup(builder.endpointGroup(resource.cloud, resource.stack.name), node, roles.has('content') ? BY_ROLE.content : BY_ROLE.audit);
  }
  for (const { group, edges } of groupFeeds.values()) drawGroup(builder, group, [...edges.values()]);

  // Forwards: subscription filters on log stores, and what delivery streams write to.
  for (const delivery of forwards) {
    if (delivery.from.kind !== 'resource') continue;
    const from = nodes.get(delivery.from.resource.key);
    if (!from) continue;
    builder.hop(from, destination(delivery), DATA[delivery.data], IN_TRANSIT.providerInternal, delivery.via);
  }
}

/** A destination outside the documents: a node of its own, named by what names it. */
function external(builder: FlowBuilder, delivery: LogDelivery, to: ExternalDestination): NodeDraft {
  const { via } = delivery;
  if (delivery.data === 'sink-routed') {
    return builder.node(`log:${via.key}:destination`, 'log', to.cloud, to.label, (draft) => builder.attach(draft, via));
  }
  if (delivery.data === 'diagnostic') {
    return builder.node(`sink:${via.key}:event-hub`, 'sink', to.cloud, to.label, (draft) => builder.attach(draft, via));
  }
  return builder.node(`sink:${via.key}`, 'sink', to.cloud, to.label, (draft) => {
    builder.attach(draft, via);
    draft.details.add('outside this configuration');
    if (to.region) draft.location = builder.locate('aws', to.region);
    if (to.account) draft.details.add(`account ${to.account}`);
  });
}

interface GroupEdge {
  readonly destination: NodeDraft;
  readonly data: string;
  readonly via?: Resource;
}

/**
 * Hops from a group of endpoints to the stores of their logs. Linking each
 * endpoint to each store draws endpoints × stores hops, which is what a
 * reviewer wants to read for a few of them. When that is more than twice the
 * endpoints + stores hops that a `route` node in between draws, the logs go
 * through it instead: many endpoints logging to many stores stay readable, and
 * the documentation grows linearly with the configuration.
 */
function drawGroup(builder: FlowBuilder, group: EndpointGroup, edges: readonly GroupEdge[]): void {
  const { endpoints } = group;
  if (endpoints.length * edges.length <= 2 * (endpoints.length + edges.length)) {
    for (const edge of edges) for (const endpoint of endpoints) builder.hop(endpoint, edge.destination, edge.data, IN_TRANSIT.providerInternal, edge.via);
    return;
  }
  const cloud = CLOUD_NAMES[group.cloud];
  const label = group.stack ? `Logs of the ${endpoints.length} ${cloud} model endpoints of ${group.stack}` : `Logs of all ${endpoints.length} ${cloud} model endpoints`;
  const route = builder.node(`route:${group.id}`, 'route', group.cloud, label, (draft) => {
    draft.details.add(`delivered to ${edges.length} log stores and sinks`);
  });
  const carried = [...new Set(edges.map((edge) => edge.data))].sort(compareText).join('; ');
  for (const endpoint of endpoints) builder.hop(endpoint, route, carried, IN_TRANSIT.providerInternal);
  for (const edge of edges) builder.hop(route, edge.destination, edge.data, IN_TRANSIT.providerInternal, edge.via);
}

/**
 * Invocation logging without any grant naming a model: the models are called
 * by principals outside the documents, so the diagram still shows where the
 * logs of those calls go.
 */
function unnamedBedrock(builder: FlowBuilder, logging: Resource): NodeDraft {
  const endpoint = builder.node(`endpoint:aws:${logging.stack.name}:unnamed-models`, 'endpoint', 'aws', `Amazon Bedrock (${logging.stack.name}: models not named in this configuration)`, (draft) => {
    draft.stacks?.add(logging.stack.name);
    draft.location = builder.locate('aws', placementOf(logging)?.value);
    draft.processingGeography = 'unknown: no grant in the documents names a model or inference profile';
    draft.encryptionAtRest = 'no data store declared for the model endpoint';
  });
  const network = builder.internet('aws');
  builder.hop(builder.externalCallers('aws'), network, 'prompts and model responses', IN_TRANSIT.publicInternet);
  builder.hop(network, endpoint, 'prompts and model responses', IN_TRANSIT.toEndpoint);
  return endpoint;
}

