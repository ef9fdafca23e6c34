/**
 * Google Vertex AI in the data flow: service accounts granted a Vertex AI
 * role, Private Service Connect or a peered VPC (or the public internet), and
 * the Vertex AI endpoints with their location and request/response logging.
 */
import { lookupLocation } from '../catalogs';
import type { Resource } from '../core/graph';
import { placementOf } from '../analysis/locations';
import { Value, describeValue } from '../core/values';
import { valueAt } from '../analysis/google';
import { FlowBuilder, IN_TRANSIT, NodeDraft } from './model';
import { asList, resolveResource, resourceLabel, textOf } from '../analysis/resolve';

const VERTEX_ENDPOINT = 'google_vertex_ai_endpoint';
const PROJECT_GRANTS = ['google_project_iam_member', 'google_project_iam_binding'];
const ENDPOINT_GRANTS = ['google_vertex_ai_endpoint_iam_member', 'google_vertex_ai_endpoint_iam_binding'];
/** Roles that allow sending predictions: the Vertex AI roles. */
const VERTEX_ROLE = /^roles\/aiplatform\./;

export function discoverGoogle(builder: FlowBuilder): void {
  const { graph } = builder;
  const endpoints = graph.ofType(VERTEX_ENDPOINT);
  if (endpoints.length === 0) return;

  const callersOf = new Map<string, NodeDraft[]>();
  const grantTo = (endpoint: Resource, caller: NodeDraft): void => {
    let list = callersOf.get(endpoint.key);
    if (!list) callersOf.set(endpoint.key, (list = []));
    if (!list.includes(caller)) list.push(caller);
  };
  for (const grant of graph.ofType(...PROJECT_GRANTS, ...ENDPOINT_GRANTS)) {
    const role = textOf(grant.properties.role);
    if (!role || !VERTEX_ROLE.test(role)) continue;
    // A project-level grant reaches every endpoint of the configuration; an endpoint-level one only its endpoint.
    const reached = ENDPOINT_GRANTS.includes(grant.type)
      ? endpoints.filter((endpoint) => resolveResource(graph, grant.properties.endpoint, [VERTEX_ENDPOINT]) === endpoint)
      : endpoints.filter((endpoint) => endpoint.stack === grant.stack);
    for (const member of [...asList(grant.properties.member), ...asList(grant.properties.members)]) {
      const caller = memberNode(builder, grant, member, role);
      for (const endpoint of reached) grantTo(endpoint, caller);
    }
  }

  for (const endpoint of endpoints) {
    const node = endpointNode(builder, endpoint);
    const network = networkNode(builder, endpoint);
    const callers = callersOf.get(endpoint.key) ?? [builder.externalCallers('google')];
    for (const caller of callers) {
      builder.hop(caller, network, 'prompts and model responses', network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
    }
    builder.hop(network, node, 'prompts and model responses', IN_TRANSIT.toEndpoint);
  }
}

function memberNode(builder: FlowBuilder, grant: Resource, member: Value, role: string): NodeDraft {
  const account = resolveResource(builder.graph, member, ['google_service_account']);
  const node = account
    ? builder.node(`caller:${account.key}`, 'caller', 'google', resourceLabel(account))
    : builder.node(`caller:${grant.key}:${describeValue(member)}`, 'caller', 'google', typeof member === 'string' ? member : `member ${describeValue(member)}`);
  builder.attach(node, account, grant);
  node.details.add(`role ${role} via ${grant.id}`);
  return node;
}

function endpointNode(builder: FlowBuilder, endpoint: Resource): NodeDraft {
  const name = textOf(endpoint.properties.display_name) ?? endpoint.id;
  return builder.node(`endpoint:${endpoint.key}`, 'endpoint', 'google', `Vertex AI ${name}`, (draft) => {
    builder.attach(draft, endpoint);
    const location = placementOf(endpoint)?.value;
    draft.location = builder.locate('google', location);
    draft.processingGeography = processingLocation(location);
    const key = valueAt(endpoint.properties, 'encryption_spec.kms_key_name');
    draft.encryptionAtRest = key !== undefined && key !== null ? `customer-managed key ${describeValue(key)}` : 'Google-managed keys';
    const logging = valueAt(endpoint.properties, 'predict_request_response_logging_config.enabled');
    if (logging === true) draft.details.add(`request/response logging to ${describeValue(valueAt(endpoint.properties, 'predict_request_response_logging_config.bigquery_destination.output_uri'))}`);
  });
}

function networkNode(builder: FlowBuilder, endpoint: Resource): NodeDraft {
  const psc = valueAt(endpoint.properties, 'private_service_connect_config.enable_private_service_connect');
  if (psc === true) {
    // The endpoint's own findings belong to the endpoint node, so the path only records its stack.
    return builder.node(`network:${endpoint.key}:private-service-connect`, 'network', 'google', `Private Service Connect (${endpoint.id})`, (draft) => {
      draft.stacks.add(endpoint.stack.name);
      draft.details.add(`project allowlist ${describeValue(valueAt(endpoint.properties, 'private_service_connect_config.project_allowlist'))}`);
    });
  }
  const network = endpoint.properties.network;
  if (network !== undefined && network !== null && network !== '') {
    return builder.node(`network:${endpoint.key}:vpc`, 'network', 'google', `VPC network peering (${endpoint.id})`, (draft) => {
      draft.stacks.add(endpoint.stack.name);
      builder.attach(draft, resolveResource(builder.graph, network, ['google_compute_network']));
      draft.details.add(`network ${describeValue(network)}`);
    });
  }
  return builder.internet('google');
}

function processingLocation(location: Value | undefined): string {
  if (typeof location !== 'string') return `unknown: location ${describeValue(location)} is known only at plan time`;
  const info = lookupLocation('google', location);
  if (!info) return `unknown: "${location}" is not in the catalog`;
  if (info.kind === 'global') return 'global: no processing-location guarantee';
  return `${info.kind ?? 'location'} ${info.code}: ${info.name}`;
}
