/**
 * Google Vertex AI in the data flow: service accounts granted a Vertex AI
 * role, Private Service Connect or a peered VPC (or the public internet), and
 * the Vertex AI endpoints with their location and request/response logging.
 */
import { VertexCaller, keyArguments, vertexCallers } from '../../analysis/google';
import { placementOf } from '../../analysis/locations';
import { resolveResource } from '../../analysis/resolve';
import { TF_GOOGLE } from '../../analysis/resource-types';
import { lookupLocation } from '../../catalogs';
import type { Resource } from '../../core/graph';
import { Value, describeValue, textOf, valueAt } from '../../core/values';
import { FlowBuilder, IN_TRANSIT, NodeDraft, resourceNode } from '../builder';

export function discoverGoogle(builder: FlowBuilder): void {
  const { context } = builder;
  const callersOf = vertexCallers(context);
  for (const endpoint of context.graph.ofType(TF_GOOGLE.vertexEndpoint)) {
    const node = endpointNode(builder, endpoint);
    const network = networkNode(builder, endpoint);
    const callers = (callersOf.get(endpoint.key) ?? []).map((caller) => memberNode(builder, caller));
    for (const caller of callers.length > 0 ? callers : [builder.externalCallers('google')]) {
      builder.hop(caller, network, 'prompts and model responses', network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
      builder.reach(caller, node);
    }
    builder.hop(network, node, 'prompts and model responses', IN_TRANSIT.toEndpoint);
  }
}

function memberNode(builder: FlowBuilder, caller: VertexCaller): NodeDraft {
  const { grant, member, serviceAccount, role } = caller;
  const node = serviceAccount
    ? resourceNode(builder, `caller:${serviceAccount.key}`, 'caller', serviceAccount)
    : builder.node(`caller:${grant.key}:${describeValue(member)}`, 'caller', 'google', typeof member === 'string' ? member : `member ${describeValue(member)}`);
  builder.attach(node, serviceAccount, grant);
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
    const [key] = keyArguments(endpoint);
    draft.encryptionAtRest = key ? `customer-managed key ${describeValue(key.value)}` : 'Google-managed keys';
    const logging = valueAt(endpoint.properties, 'predict_request_response_logging_config.enabled');
    if (logging === true) draft.details.add(`request/response logging to ${describeValue(valueAt(endpoint.properties, 'predict_request_response_logging_config.bigquery_destination.output_uri'))}`);
  });
}

function networkNode(builder: FlowBuilder, endpoint: Resource): NodeDraft {
  const psc = valueAt(endpoint.properties, 'private_service_connect_config.enable_private_service_connect');
  if (psc === true) {
    // The endpoint's own findings belong to the endpoint node: the path holds no resource of its own.
    return builder.node(`network:${endpoint.key}:private-service-connect`, 'network', 'google', `Private Service Connect (${endpoint.id})`, (draft) => {
      draft.details.add(`project allowlist ${describeValue(valueAt(endpoint.properties, 'private_service_connect_config.project_allowlist'))}`);
    });
  }
  const network = endpoint.properties.network;
  if (network !== undefined && network !== null && network !== '') {
    // One node per peered network: every endpoint peered with it shares the path.
    const resolved = resolveResource(builder.context, network, [TF_GOOGLE.computeNetwork]);
    const name = resolved ? resolved.id : describeValue(network);
    const id = resolved ? `network:${resolved.key}:vpc-peering` : `network:google:${endpoint.stack.name}:vpc-peering:${name}`;
    return builder.node(id, 'network', 'google', `VPC network peering (${name})`, (draft) => {
      builder.attach(draft, resolved);
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
