/**
 * Azure OpenAI in the data flow: identities with role assignments on an
 * OpenAI account, its private endpoints (or the public internet), and one
 * endpoint node per model deployment with the deployment type's processing
 * scope.
 */
import { azureDataZoneOfRegion, azureDeploymentType } from '../catalogs';
import type { Resource } from '../core/graph';
import { block } from '../analysis/log-wiring';
import { Value, describeValue, isPlainObject, referencedKeys } from '../core/values';
import { COGNITIVE_ACCOUNT, COGNITIVE_DEPLOYMENT, deploymentSkuName, hostsOpenAiModels } from '../analysis/azure';
import { FlowBuilder, IN_TRANSIT, NodeDraft } from './model';
import { asList, resolveResource, resourceLabel } from '../analysis/resolve';

export function discoverAzure(builder: FlowBuilder): void {
  const { graph } = builder;
  const accounts = graph.ofType(COGNITIVE_ACCOUNT).filter(hostsOpenAiModels);
  if (accounts.length === 0) return;
  // One pass over deployments, private endpoints and role assignments, indexed by the account they name.
  const deploymentsOf = groupBy(graph.ofType(COGNITIVE_DEPLOYMENT), (deployment) => {
    const account = resolveResource(graph, deployment.properties.cognitive_account_id, [COGNITIVE_ACCOUNT]);
    return account ? [account.key] : [];
  });
  const privateEndpointsOf = groupBy(graph.ofType('azurerm_private_endpoint'), (privateEndpoint) =>
    asList(privateEndpoint.properties.private_service_connection).flatMap((connection) => (isPlainObject(connection) ? [...referencedKeys(connection.private_connection_resource_id)] : [])),
  );
  const assignmentsOf = groupBy(graph.ofType('azurerm_role_assignment'), (assignment) => [...referencedKeys(assignment.properties.scope)]);

  for (const account of accounts) {
    const deployments = deploymentsOf.get(account.key) ?? [];
    const endpoints = deployments.length > 0 ? deployments.map((deployment) => deploymentNode(builder, account, deployment)) : [accountNode(builder, account)];

    const networks = (privateEndpointsOf.get(account.key) ?? []).map((privateEndpoint) =>
      builder.node(`network:${privateEndpoint.key}`, 'network', 'azure', `Private endpoint ${privateEndpoint.id}`, (draft) => {
        builder.attach(draft, privateEndpoint);
        draft.location = builder.locate('azure', privateEndpoint.properties.location);
      }),
    );
    if (networks.length === 0) networks.push(builder.internet('azure'));

    const callers = (assignmentsOf.get(account.key) ?? []).map((assignment) => callerNode(builder, assignment));
    if (callers.length === 0) callers.push(builder.externalCallers('azure'));

    for (const caller of callers) {
      for (const network of networks) {
        builder.hop(caller, network, 'prompts and model responses', network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
        for (const endpoint of endpoints) builder.hop(network, endpoint, 'prompts and model responses', IN_TRANSIT.toEndpoint);
      }
    }
  }
}

/** Resources by each key `keysOf` gives them (each resource once per key), in document order. */
function groupBy(resources: readonly Resource[], keysOf: (resource: Resource) => readonly string[]): Map<string, Resource[]> {
  const groups = new Map<string, Resource[]>();
  for (const resource of resources) {
    for (const key of new Set(keysOf(resource))) {
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(resource);
    }
  }
  return groups;
}

/** The identity a role assignment grants (a managed identity, or any resource whose identity is referenced); the assignment itself otherwise. */
function callerNode(builder: FlowBuilder, assignment: Resource): NodeDraft {
  const principal = resolveResource(builder.graph, assignment.properties.principal_id);
  const role = assignment.properties.role_definition_name ?? assignment.properties.role_definition_id;
  const node = principal
    ? builder.node(`caller:${principal.key}`, 'caller', 'azure', resourceLabel(principal))
    : builder.node(`caller:${assignment.key}`, 'caller', 'azure', `principal ${describeValue(assignment.properties.principal_id)}`);
  builder.attach(node, principal, assignment);
  node.details.add(`role ${describeValue(role)} via ${assignment.id}`);
  return node;
}

function accountNode(builder: FlowBuilder, account: Resource): NodeDraft {
  return builder.node(`endpoint:${account.key}`, 'endpoint', 'azure', `Azure OpenAI ${account.id}`, (draft) => {
    builder.attach(draft, account);
    describeAccount(builder, draft, account);
    draft.processingGeography = 'no model deployment in this configuration';
  });
}

function deploymentNode(builder: FlowBuilder, account: Resource, deployment: Resource): NodeDraft {
  const model = block(deployment.properties.model);
  const modelText = model ? [model.name, model.version].filter((part) => part !== undefined && part !== null).map((part) => (typeof part === 'string' ? part : describeValue(part))).join(' ') : '';
  return builder.node(`endpoint:${deployment.key}`, 'endpoint', 'azure', `Azure OpenAI ${deployment.id}${modelText ? ` (${modelText})` : ''}`, (draft) => {
    builder.attach(draft, deployment, account);
    describeAccount(builder, draft, account);
    const sku = deploymentSkuName(deployment);
    draft.details.add(`deployment type ${describeValue(sku)}`);
    draft.processingGeography = processingScope(sku, account.properties.location);
  });
}

function describeAccount(builder: FlowBuilder, draft: NodeDraft, account: Resource): void {
  draft.location = builder.locate('azure', account.properties.location);
  draft.details.add(`account ${account.id} (kind ${describeValue(account.properties.kind)})`);
  const publicAccess = account.properties.public_network_access_enabled;
  draft.details.add(`public network access ${publicAccess === false ? 'disabled' : publicAccess === true || publicAccess === undefined ? 'enabled' : describeValue(publicAccess)}`);
  const localAuth = account.properties.local_auth_enabled;
  draft.details.add(`API-key authentication ${localAuth === false ? 'disabled' : localAuth === true || localAuth === undefined ? 'enabled' : describeValue(localAuth)}`);
  const key = block(account.properties.customer_managed_key);
  draft.encryptionAtRest = key ? `customer-managed key ${describeValue(key.key_vault_key_id)}` : 'Microsoft-managed keys';
}

/** Where a deployment type processes prompts, for an account in `location`. */
function processingScope(sku: Value | undefined, location: Value | undefined): string {
  if (typeof sku !== 'string') return `unknown: deployment type ${describeValue(sku)} is not a literal`;
  const type = azureDeploymentType(sku);
  if (!type) return `unknown: deployment type "${sku}" is not in the catalog`;
  if (type.processing === 'global') return `global: ${sku} may process prompts in any Azure region`;
  if (typeof location !== 'string') return `${type.processing}: account location ${describeValue(location)} is known only at deploy time`;
  if (type.processing === 'regional') return `regional: ${location}`;
  const zone = azureDataZoneOfRegion(location);
  return zone ? `data zone: ${zone.name} (${zone.countries.length} ${zone.countries.length === 1 ? 'country' : 'countries'})` : `data zone: "${location}" belongs to no data zone in the catalog`;
}
