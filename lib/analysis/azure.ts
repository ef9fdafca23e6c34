/**
 * Azure OpenAI facts: which accounts host OpenAI models, their deployments,
 * diagnostic settings, private endpoints, role assignments and keys, and
 * where a deployment type processes prompts. Rules, the data-flow
 * documentation and the Azure constructs' early checks read them here.
 */
import { azureDataZoneOfRegion, azureDeploymentType, azureDeploymentTypeNames, countriesInJurisdiction, jurisdictionCountries } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, describeValue, isPlainObject, referencedKeys } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import type { AnalysisContext } from './context';
import { resolveResource } from './resolve';
import { TF_AZURE } from './resource-types';

/** `azurerm_cognitive_account` kinds that host Azure OpenAI model deployments. */
export const OPENAI_ACCOUNT_KINDS: readonly string[] = ['OpenAI', 'AIServices'];

const COGNITIVE_ACCOUNT = TF_AZURE.cognitiveAccount;

/**
 * Whether an account hosts OpenAI models. An account whose kind is not a
 * literal is treated as one: the guardrail cannot show it is not.
 */
export function hostsOpenAiModels(resource: Resource): boolean {
  if (resource.type !== COGNITIVE_ACCOUNT) return false;
  const kind = resource.properties.kind;
  return typeof kind !== 'string' || OPENAI_ACCOUNT_KINDS.some((known) => known.toLowerCase() === kind.toLowerCase());
}

/** `sku.name` of a deployment (the deployment type), as written. */
export function deploymentSkuName(deployment: Resource): Value | undefined {
  return block(deployment.properties.sku)?.name;
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
  return context.memo('azure.openai-accounts', () => context.graph.ofType(COGNITIVE_ACCOUNT).filter(hostsOpenAiModels));
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
      deployments: groupBy(graph.ofType(TF_AZURE.cognitiveDeployment), (deployment) => {
        const account = resolveResource(context, deployment.properties.cognitive_account_id, [COGNITIVE_ACCOUNT]);
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
  const raw = account.properties.customer_managed_key;
  if (raw instanceof Unresolved) return { unresolved: `customer_managed_key = ${raw.expression}` };
  const inline = block(raw);
  if (inline && inline.key_vault_key_id !== undefined && inline.key_vault_key_id !== null) return { key: inline.key_vault_key_id, via: 'customer_managed_key' };
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
    return { accounts: account?.type === COGNITIVE_ACCOUNT ? [account] : [] };
  }
  if (target instanceof Unresolved) {
    const accounts = [...new Set(target.references)].map((key) => graph.get(key)).filter((resource): resource is Resource => resource?.type === COGNITIVE_ACCOUNT);
    return { accounts, problem: `target_resource_id ${target.expression} is computed at plan time` };
  }
  if (typeof target === 'string') {
    const match = ACCOUNT_ID_SUFFIX.exec(target);
    const account = match ? accountsByName(context).get(match[1].toLowerCase()) : undefined;
    return { accounts: account ? [account] : [] };
  }
  return { accounts: [] };
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
    for (const account of context.graph.ofType(COGNITIVE_ACCOUNT)) {
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
