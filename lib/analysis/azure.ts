/**
 * Azure OpenAI facts: which accounts host OpenAI models, their deployments,
 * diagnostic settings, private endpoints, role assignments and keys, and
 * where a deployment type processes prompts. Rules, the data-flow
 * documentation and the Azure constructs' early checks read them here.
 */
import { azureDataZoneOfRegion, azureDeploymentType, azureDeploymentTypeNames, countriesInJurisdiction, jurisdictionCountries } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, describeValue, isPlainObject, referencedKeys, switchValue, textOf } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import type { AnalysisContext } from './context';
import { resolveResource } from './resolve';
import { AZAPI, TF_AZURE } from './resource-types';

/** `azurerm_cognitive_account` kinds that host Azure OpenAI model deployments. */
export const OPENAI_ACCOUNT_KINDS: readonly string[] = ['OpenAI', 'AIServices'];

const COGNITIVE_ACCOUNT = TF_AZURE.cognitiveAccount;

/**
 * The Terraform types that declare an account able to host Azure OpenAI
 * models: `azurerm_cognitive_account`, `azurerm_ai_services` (always an AI
 * Services account) and `azapi_resource` of type
 * `Microsoft.CognitiveServices/accounts` (what Microsoft's Verified Module emits).
 */
export const ACCOUNT_TYPES: readonly string[] = [COGNITIVE_ACCOUNT, TF_AZURE.aiServices, AZAPI.resource];
/** The Terraform types that declare a model deployment. */
export const DEPLOYMENT_TYPES: readonly string[] = [TF_AZURE.cognitiveDeployment, AZAPI.resource];

/**
 * The Azure type an `azapi_resource` declares, without its API version
 * (`Microsoft.CognitiveServices/accounts`); undefined when the type itself is
 * not literal. An API version known only at plan time
 * (`…/accounts@${var.api_version}`) leaves the type known.
 */
export function azapiType(resource: Resource): string | undefined {
  if (resource.type !== AZAPI.resource) return undefined;
  const declared = textOf(resource.properties.type);
  if (declared === undefined) return undefined;
  const type = declared.split('@')[0];
  return type.includes('${') ? undefined : type;
}

function isAzapi(resource: Resource, azureType: string): boolean {
  return azapiType(resource)?.toLowerCase() === azureType.toLowerCase();
}

/** Whether a resource declares an Azure AI account, in any of the three shapes. */
export function isAccount(resource: Resource): boolean {
  return resource.type === COGNITIVE_ACCOUNT || resource.type === TF_AZURE.aiServices || isAzapi(resource, AZAPI.cognitiveAccount);
}

/** Whether a resource declares a model deployment: `azurerm_cognitive_deployment` or an azapi `…/accounts/deployments`. */
export function isDeployment(resource: Resource): boolean {
  return resource.type === TF_AZURE.cognitiveDeployment || isAzapi(resource, AZAPI.cognitiveDeployment);
}

/** The `body` of an azapi resource (an object, or `jsonencode(…)` already decoded by the reader). */
function azapiBody(resource: Resource): { readonly [key: string]: Value } | undefined {
  const body = resource.properties.body;
  // azapi 1.x writes body = jsonencode({ … }): a JSON string once evaluated.
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return isPlainObject(parsed as Value) ? (parsed as { [key: string]: Value }) : undefined;
    } catch {
      return undefined;
    }
  }
  return block(body);
}

/** An account's kind as written: `kind`, `body.kind`; `AIServices` for `azurerm_ai_services`. */
export function accountKind(resource: Resource): Value | undefined {
  if (resource.type === TF_AZURE.aiServices) return 'AIServices';
  if (resource.type === AZAPI.resource) return azapiBody(resource)?.kind;
  return resource.properties.kind;
}

/**
 * Whether an account hosts OpenAI models. An account whose kind is not a
 * literal is treated as one: the guardrail cannot show it is not.
 */
export function hostsOpenAiModels(resource: Resource): boolean {
  if (!isAccount(resource)) return false;
  const kind = accountKind(resource);
  return typeof kind !== 'string' || OPENAI_ACCOUNT_KINDS.some((known) => known.toLowerCase() === kind.toLowerCase());
}

/** A switch of an account (public network access, key authentication) in the shape its type writes it. */
export interface AccountSwitch {
  /** The attribute as the resource writes it, for messages: `public_network_access_enabled`, `body.properties.disableLocalAuth`. */
  readonly attribute: string;
  readonly value: Value | undefined;
  /** Whether the capability (public access, key authentication) is on; `unknown` when known only at plan time. */
  readonly on: boolean | 'unknown';
  /** What unset means, for messages: "defaults to true". */
  readonly whenUnset: string;
  /** The setting that turns the capability off, for messages: `public_network_access_enabled = false`. */
  readonly off: string;
}

/** Public network access of an account: `public_network_access_enabled`, `public_network_access` or `body.properties.publicNetworkAccess`. */
export function accountPublicNetwork(resource: Resource): AccountSwitch {
  if (resource.type === TF_AZURE.aiServices || resource.type === AZAPI.resource) {
    const azapi = resource.type === AZAPI.resource;
    const attribute = azapi ? 'body.properties.publicNetworkAccess' : 'public_network_access';
    const value = azapi ? block(azapiBody(resource)?.properties)?.publicNetworkAccess : resource.properties.public_network_access;
    return { attribute, value, on: enabledDisabled(value), whenUnset: 'defaults to Enabled', off: `${attribute} = "Disabled"` };
  }
  const value = resource.properties.public_network_access_enabled;
  return { attribute: 'public_network_access_enabled', value, on: switchOrDefault(value), whenUnset: 'defaults to true', off: 'public_network_access_enabled = false' };
}

/** Key (local) authentication of an account: `local_auth_enabled`, `local_authentication_enabled` or `body.properties.disableLocalAuth`. */
export function accountLocalAuth(resource: Resource): AccountSwitch {
  if (resource.type === AZAPI.resource) {
    const value = block(azapiBody(resource)?.properties)?.disableLocalAuth;
    const disabled = switchValue(value);
    return { attribute: 'body.properties.disableLocalAuth', value, on: disabled === undefined ? true : disabled === 'unknown' ? 'unknown' : !disabled, whenUnset: 'defaults to false', off: 'body.properties.disableLocalAuth = true' };
  }
  const attribute = resource.type === TF_AZURE.aiServices ? 'local_authentication_enabled' : 'local_auth_enabled';
  const value = resource.properties[attribute];
  return { attribute, value, on: switchOrDefault(value), whenUnset: 'defaults to true', off: `${attribute} = false` };
}

function switchOrDefault(value: Value | undefined): boolean | 'unknown' {
  const on = switchValue(value);
  return on === undefined ? true : on;
}

function enabledDisabled(value: Value | undefined): boolean | 'unknown' {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'string') return 'unknown';
  if (value.toLowerCase() === 'disabled') return false;
  return value.toLowerCase() === 'enabled' ? true : 'unknown';
}

/** The deployment type of a deployment, as written: `sku.name`, azurerm 3.x `scale.type`, or `body.sku.name`. */
export function deploymentSkuName(deployment: Resource): Value | undefined {
  if (deployment.type === AZAPI.resource) return block(azapiBody(deployment)?.sku)?.name;
  return block(deployment.properties.sku)?.name ?? block(deployment.properties.scale)?.type;
}

/** The model a deployment serves: its `model` block, or azapi's `body.properties.model`. */
export function deploymentModel(deployment: Resource): { readonly [key: string]: Value } | undefined {
  return deployment.type === AZAPI.resource ? block(block(azapiBody(deployment)?.properties)?.model) : block(deployment.properties.model);
}

/** Where a deployment names its account: `cognitive_account_id` or azapi's `parent_id`. */
export function deploymentAccountReference(deployment: Resource): Value | undefined {
  return deployment.type === AZAPI.resource ? deployment.properties.parent_id : deployment.properties.cognitive_account_id;
}

/** The account a deployment belongs to, when the configuration holds it. */
export function deploymentAccount(context: AnalysisContext, deployment: Resource): Resource | undefined {
  const account = resolveResource(context, deploymentAccountReference(deployment), ACCOUNT_TYPES);
  return account && isAccount(account) ? account : undefined;
}

export type DeploymentTypeVerdict =
  | { readonly status: 'allowed' }
  | { readonly status: 'denied'; readonly reason: string; readonly expected: string }
  | { readonly status: 'unverifiable'; readonly reason: string; readonly expected: string };

/**
 * Whether a deployment type keeps prompt processing inside the policy's
 * residency, for an account in `accountLocation` (undefined when the account
 * is not part of the configuration). Regional types process in the account's
 * region (whose residency LCG-RES-001 judges); data-zone types anywhere in the
 * account's data zone; global types anywhere at all.
 */
export function judgeDeploymentType(policy: GuardrailPolicy, skuName: Value | undefined, accountLocation: Value | undefined, accountKnown: boolean): DeploymentTypeVerdict {
  if (!policy.constrainsResidency) return { status: 'allowed' };
  const expected = expectedDeploymentTypes(policy);
  if (typeof skuName !== 'string') {
    return { status: 'unverifiable', reason: skuName === undefined || skuName === null ? 'no sku.name is set' : 'sku.name is known only at plan time', expected };
  }
  const type = azureDeploymentType(skuName);
  if (!type) return { status: 'unverifiable', reason: `"${skuName}" is not a deployment type the catalog knows (${azureDeploymentTypeNames().join(', ')})`, expected };
  if (type.processing === 'global') {
    return { status: 'denied', reason: `${skuName} is a global deployment type, which may process prompts in any Azure region`, expected };
  }
  if (!accountKnown) {
    return { status: 'unverifiable', reason: 'its account is not part of this configuration, so the processing region is unknown', expected };
  }
  if (type.processing === 'regional') return { status: 'allowed' };
  if (typeof accountLocation !== 'string') {
    return { status: 'unverifiable', reason: `the account location (${describeValue(accountLocation)}) is known only at plan time, so its data zone is unknown`, expected };
  }
  const zone = azureDataZoneOfRegion(accountLocation);
  if (!zone) {
    return { status: 'unverifiable', reason: `account location "${accountLocation}" belongs to no Azure OpenAI data zone the catalog knows`, expected };
  }
  if (policy.jurisdiction && !countriesInJurisdiction(zone.countries, policy.jurisdiction)) {
    const allowed = jurisdictionCountries(policy.jurisdiction) ?? [];
    const outside = zone.countries.filter((country) => !allowed.includes(country));
    return {
      status: 'denied',
      reason: `${skuName} processes prompts anywhere in the ${zone.name}, which includes ${outside.join(', ')} outside ${policy.jurisdiction}`,
      expected,
    };
  }
  const allowList = policy.regions.azure;
  if (allowList) {
    const outside = zone.regions.filter((region) => !allowList.includes(region));
    if (outside.length > 0) {
      return {
        status: 'denied',
        reason: `${skuName} processes prompts anywhere in the ${zone.name}, including regions the policy does not list (${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''})`,
        expected,
      };
    }
  }
  return { status: 'allowed' };
}

/** Regional deployment types, from the catalog. */
export function regionalDeploymentTypes(): string[] {
  return azureDeploymentTypeNames().filter((name) => azureDeploymentType(name)?.processing === 'regional');
}

/** "a regional deployment type (ProvisionedManaged, Standard), or a data-zone type when the account's data zone lies inside EU" */
export function expectedDeploymentTypes(policy: GuardrailPolicy): string {
  const regional = `a regional deployment type (${regionalDeploymentTypes().join(', ')})`;
  const dataZone = azureDeploymentTypeNames().filter((name) => azureDeploymentType(name)?.processing === 'data-zone');
  const boundary = policy.regions.azure ? `only regions ${policy.regions.azure.join(', ')}` : `only ${policy.jurisdiction}`;
  return `${regional}, or a data-zone type (${dataZone.join(', ')}) when the account's data zone covers ${boundary}`;
}

/** The accounts of the graph that host OpenAI models, in document order; once per run. */
export function openAiAccounts(context: AnalysisContext): readonly Resource[] {
  return context.memo('azure.openai-accounts', () => context.graph.ofType(...ACCOUNT_TYPES).filter(hostsOpenAiModels));
}

/** What the documents say about the Azure OpenAI accounts, indexed by account key: one pass over each kind of resource. */
interface AccountIndex {
  readonly deployments: Map<string, Resource[]>;
  readonly privateEndpoints: Map<string, Resource[]>;
  readonly roleAssignments: Map<string, Resource[]>;
  readonly customerManagedKeys: Map<string, Resource[]>;
  /** Customer-managed key resources whose account is known only at plan time: they may be any account's. */
  readonly unplacedCustomerManagedKeys: Resource[];
}

function accountIndex(context: AnalysisContext): AccountIndex {
  return context.memo('azure.account-index', () => {
    const { graph } = context;
    return {
      deployments: groupBy(graph.ofType(...DEPLOYMENT_TYPES).filter(isDeployment), (deployment) => {
        const account = deploymentAccount(context, deployment);
        return account ? [account.key] : [];
      }),
      privateEndpoints: groupBy(graph.ofType(TF_AZURE.privateEndpoint), (privateEndpoint) =>
        asList(privateEndpoint.properties.private_service_connection).flatMap((connection) => (isPlainObject(connection) ? [...referencedKeys(connection.private_connection_resource_id)] : [])),
      ),
      roleAssignments: groupBy(graph.ofType(TF_AZURE.roleAssignment), (assignment) => [...referencedKeys(assignment.properties.scope)]),
      customerManagedKeys: groupBy(graph.ofType(TF_AZURE.cognitiveAccountCustomerManagedKey), (key) => {
        const account = resolveResource(context, key.properties.cognitive_account_id, [COGNITIVE_ACCOUNT]);
        return account ? [account.key] : [];
      }),
      unplacedCustomerManagedKeys: graph
        .ofType(TF_AZURE.cognitiveAccountCustomerManagedKey)
        .filter((key) => key.properties.cognitive_account_id instanceof Unresolved && !resolveResource(context, key.properties.cognitive_account_id, [COGNITIVE_ACCOUNT])),
    };
  });
}

/** Model deployments of an account, in document order. */
export function deploymentsOf(context: AnalysisContext, account: Resource): readonly Resource[] {
  return accountIndex(context).deployments.get(account.key) ?? [];
}

/** Private endpoints whose connection names the account. */
export function privateEndpointsOf(context: AnalysisContext, account: Resource): readonly Resource[] {
  return accountIndex(context).privateEndpoints.get(account.key) ?? [];
}

/** Role assignments scoped to the account: who may call its models. */
export function roleAssignmentsOn(context: AnalysisContext, account: Resource): readonly Resource[] {
  return accountIndex(context).roleAssignments.get(account.key) ?? [];
}

/** The identity a role assignment grants: a managed identity, or any resource whose identity is referenced. */
export function assignedPrincipal(context: AnalysisContext, assignment: Resource): Resource | undefined {
  return resolveResource(context, assignment.properties.principal_id);
}

/**
 * The Key Vault key an account encrypts stored data with: an inline
 * `customer_managed_key` block, or an `azurerm_cognitive_account_customer_managed_key`.
 */
export function accountCustomerManagedKey(
  context: AnalysisContext,
  account: Resource,
): { readonly key: Value; readonly via: string } | { readonly incomplete: string } | { readonly unresolved: string } | undefined {
  if (account.type === AZAPI.resource) {
    // body.properties.encryption { keySource = "Microsoft.KeyVault", keyVaultProperties { keyVaultUri, keyName, identityClientId } }
    const encryption = block(azapiBody(account)?.properties)?.encryption;
    if (encryption instanceof Unresolved) return { unresolved: `body.properties.encryption = ${encryption.expression}` };
    const settings = block(encryption);
    if (!settings) return undefined;
    const source = settings.keySource;
    if (source instanceof Unresolved) return { unresolved: `body.properties.encryption.keySource = ${source.expression}` };
    if (typeof source !== 'string' || source.toLowerCase() !== 'microsoft.keyvault') return { incomplete: `body.properties.encryption.keySource = ${describeValue(source)}` };
    const vault = block(settings.keyVaultProperties);
    if (!vault || vault.keyName === undefined || vault.keyVaultUri === undefined) return { incomplete: 'body.properties.encryption.keySource = "Microsoft.KeyVault" without keyVaultProperties.keyVaultUri and keyName' };
    return { key: vault.keyVaultUri, via: 'body.properties.encryption' };
  }
  const raw = account.properties.customer_managed_key;
  if (raw instanceof Unresolved) return { unresolved: `customer_managed_key = ${raw.expression}` };
  const inline = block(raw);
  const inlineKey = inline?.key_vault_key_id ?? inline?.managed_hsm_key_id;
  if (inline && inlineKey !== undefined && inlineKey !== null) return { key: inlineKey, via: 'customer_managed_key' };
  const index = accountIndex(context);
  const separate = index.customerManagedKeys.get(account.key)?.[0];
  if (separate) return { key: separate.properties.key_vault_key_id ?? null, via: separate.id };
  const unplaced = index.unplacedCustomerManagedKeys[0];
  if (unplaced) return { unresolved: `${unplaced.id}.cognitive_account_id = ${describeValue(unplaced.properties.cognitive_account_id)}, which may name this account` };
  return inline ? { incomplete: 'customer_managed_key without key_vault_key_id' } : undefined;
}

/** Where a diagnostic setting sends logs from: the accounts it targets, or why that cannot be shown. */
export interface DiagnosticSettingTarget {
  /** The Azure OpenAI accounts the setting (may) target. */
  readonly accounts: readonly Resource[];
  /** Set when the setting mentions the accounts but its target cannot be shown to be one of them. */
  readonly problem?: string;
}

/** Literal target ids name the account as the last segment of `/providers/Microsoft.CognitiveServices/accounts/<name>`. */
const ACCOUNT_ID_SUFFIX = /\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)$/i;

/** The accounts a diagnostic setting targets: by reference, by an expression around them (unverifiable), or by a literal id ending in the name. */
export function diagnosticSettingTarget(context: AnalysisContext, setting: Resource): DiagnosticSettingTarget {
  const target = setting.properties.target_resource_id;
  const { graph } = context;
  if (target instanceof Reference) {
    const account = graph.get(target.target);
    return { accounts: account && isAccount(account) ? [account] : [] };
  }
  if (target instanceof Unresolved) {
    const accounts = [...new Set(target.references)].map((key) => graph.get(key)).filter((resource): resource is Resource => resource !== undefined && isAccount(resource));
    return { accounts, problem: `target_resource_id ${target.expression} is computed at plan time` };
  }
  if (typeof target === 'string') {
    const match = ACCOUNT_ID_SUFFIX.exec(target);
    const account = match ? accountsByName(context).get(match[1].toLowerCase()) : undefined;
    if (!account) return { accounts: [] };
    // The name alone does not make it this account: an account of that name in another resource group is another.
    const group = /\/resourceGroups\/([^/]+)\//i.exec(target)?.[1];
    if (group === undefined) return { accounts: [account] };
    const own = resourceGroupOf(context, account);
    if (own === undefined) return { accounts: [account], problem: `target_resource_id names resource group "${group}", and the resource group of account "${account.id}" is known only at plan time` };
    return { accounts: own.toLowerCase() === group.toLowerCase() ? [account] : [] };
  }
  return { accounts: [] };
}

/** The name of an account's resource group, when the configuration states it: literally, by a resource group of the configuration, or in azapi's parent_id. */
function resourceGroupOf(context: AnalysisContext, account: Resource): string | undefined {
  const written = account.type === AZAPI.resource ? account.properties.parent_id : account.properties.resource_group_name;
  if (typeof written === 'string') return account.type === AZAPI.resource ? /\/resourceGroups\/([^/]+)/i.exec(written)?.[1] : written;
  const group = context.graph.target(written);
  if (group && typeof group.properties.name === 'string') return group.properties.name;
  return undefined;
}

/** The diagnostic settings that target an account, in document order, each with the problem of its target if any. */
export function diagnosticSettingsOf(context: AnalysisContext, account: Resource): readonly { readonly setting: Resource; readonly problem?: string }[] {
  const index = context.memo('azure.diagnostic-settings', () => {
    const byAccount = new Map<string, { setting: Resource; problem?: string }[]>();
    for (const setting of context.graph.ofType(TF_AZURE.diagnosticSetting)) {
      const target = diagnosticSettingTarget(context, setting);
      for (const targeted of target.accounts) {
        let list = byAccount.get(targeted.key);
        if (!list) byAccount.set(targeted.key, (list = []));
        list.push({ setting, ...(target.problem ? { problem: target.problem } : {}) });
      }
    }
    return byAccount;
  });
  return index.get(account.key) ?? [];
}

function accountsByName(context: AnalysisContext): Map<string, Resource> {
  return context.memo('azure.accounts-by-name', () => {
    const byName = new Map<string, Resource>();
    for (const account of context.graph.ofType(...ACCOUNT_TYPES).filter(isAccount)) {
      const name = account.properties.name;
      if (typeof name === 'string' && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), account);
    }
    return byName;
  });
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

/** The subdomain an Azure AI account answers at (`<subdomain>.openai.azure.com`): its custom subdomain, else its name. */
export function accountSubdomain(account: Resource): string | undefined {
  const props = account.properties;
  const custom = account.type === AZAPI.resource ? block(block(props.body)?.properties)?.customSubDomainName : props.custom_subdomain_name;
  const text = typeof custom === 'string' && custom !== '' ? custom : typeof props.name === 'string' ? props.name : undefined;
  return text?.toLowerCase();
}
