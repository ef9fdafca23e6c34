/**
 * Azure OpenAI in the data flow: identities with role assignments on an
 * OpenAI account, its private endpoints (or the public internet), and one
 * endpoint node per model deployment with the deployment type's processing
 * scope.
 */
import { accountCustomerManagedKey, accountKind, deploymentModel, accountLocalAuth, accountPublicNetwork, assignedPrincipal, deploymentSkuName, deploymentsOf, openAiAccounts, privateEndpointsOf, roleAssignmentsOn } from '../../analysis/azure';
import { azureDataZoneOfRegion, azureDeploymentType } from '../../catalogs';
import type { Resource } from '../../core/graph';
import { Value, describeValue } from '../../core/values';
import { FlowBuilder, IN_TRANSIT, NodeDraft, resourceNode } from '../builder';

export function discoverAzure(builder: FlowBuilder): void {
  const { context } = builder;
  for (const account of openAiAccounts(context)) {
    const deployments = deploymentsOf(context, account);
    const endpoints = deployments.length > 0 ? deployments.map((deployment) => deploymentNode(builder, account, deployment)) : [accountNode(builder, account)];

    const networks = privateEndpointsOf(context, account).map((privateEndpoint) =>
      builder.node(`network:${privateEndpoint.key}`, 'network', 'azure', `Private endpoint ${privateEndpoint.id}`, (draft) => {
        builder.attach(draft, privateEndpoint);
        draft.location = builder.locate('azure', privateEndpoint.properties.location);
      }),
    );
    if (networks.length === 0) networks.push(builder.internet('azure'));

    const callers = roleAssignmentsOn(context, account).map((assignment) => callerNode(builder, assignment));
    if (callers.length === 0) callers.push(builder.externalCallers('azure'));

    for (const caller of callers) {
      for (const network of networks) {
        builder.hop(caller, network, 'prompts and model responses', network.id.endsWith('public-internet') ? IN_TRANSIT.publicInternet : IN_TRANSIT.privatePath);
        for (const endpoint of endpoints) builder.hop(network, endpoint, 'prompts and model responses', IN_TRANSIT.toEndpoint);
      }
      for (const endpoint of endpoints) builder.reach(caller, endpoint);
    }
  }
}

/** The identity a role assignment grants (a managed identity, or any resource whose identity is referenced); the assignment itself otherwise. */
function callerNode(builder: FlowBuilder, assignment: Resource): NodeDraft {
  const principal = assignedPrincipal(builder.context, assignment);
  const role = assignment.properties.role_definition_name ?? assignment.properties.role_definition_id;
  const node = principal
    ? resourceNode(builder, `caller:${principal.key}`, 'caller', principal)
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
  const model = deploymentModel(deployment);
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
  draft.details.add(`account ${account.id} (kind ${describeValue(accountKind(account))})`);
  const publicAccess = accountPublicNetwork(account);
  draft.details.add(`public network access ${publicAccess.on === false ? 'disabled' : publicAccess.on === true ? 'enabled' : describeValue(publicAccess.value)}`);
  const localAuth = accountLocalAuth(account);
  draft.details.add(`API-key authentication ${localAuth.on === false ? 'disabled' : localAuth.on === true ? 'enabled' : describeValue(localAuth.value)}`);
  const key = accountCustomerManagedKey(builder.context, account);
  draft.encryptionAtRest = key && 'key' in key ? `customer-managed key ${describeValue(key.key)}` : 'Microsoft-managed keys';
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
