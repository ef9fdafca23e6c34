/**
 * What the Azure OpenAI rules (and the Azure constructs' early checks) share:
 * which accounts host OpenAI models, and where a deployment type processes
 * prompts. Not a rule itself.
 */
import { azureDataZoneOfRegion, azureDeploymentType, azureDeploymentTypeNames, countriesInJurisdiction, jurisdictionCountries } from '../catalogs';
import type { Resource } from '../core/graph';
import { block } from './log-wiring';
import { Value, describeValue } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';

/** `azurerm_cognitive_account` kinds that host Azure OpenAI model deployments. */
export const OPENAI_ACCOUNT_KINDS: readonly string[] = ['OpenAI', 'AIServices'];

export const COGNITIVE_ACCOUNT = 'azurerm_cognitive_account';
export const COGNITIVE_DEPLOYMENT = 'azurerm_cognitive_deployment';
export const DIAGNOSTIC_SETTING = 'azurerm_monitor_diagnostic_setting';

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
    return { status: 'unverifiable', reason: skuName === undefined || skuName === null ? 'no sku.name is set' : 'sku.name is known only at deploy time', expected };
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
    return { status: 'unverifiable', reason: `the account location (${describeValue(accountLocation)}) is known only at deploy time, so its data zone is unknown`, expected };
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
