/**
 * Where resources are placed, and whether a place is inside the policy's
 * residency: the one home of location facts for rules, documentation and
 * constructs.
 */
import { CatalogCloud, LocationInfo, countriesInJurisdiction, jurisdictionName, lookupLocation, normalizeLocation, terraformLocations } from '../catalogs';
import type { Resource } from '../core/graph';
import { Unresolved, Value, describeValue } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import { catalogSpellingOfKmsLocation } from './google';
import { resourceFamily } from './coverage';
import { TF_PREFIX } from './resource-types';

export interface PlacedValue {
  readonly cloud: CatalogCloud;
  /** The location as the document states it (string, `Unresolved`, or undefined when nothing sets it). */
  readonly value: Value | undefined;
  /** Where the value comes from, for messages: `location`, `provider region`, `stack region`, `default`. */
  readonly attribute: string;
}

/**
 * Whether an azapi `type` (`Microsoft.CognitiveServices/accounts@2024-10-01`)
 * names a resource of its own, not a child of another. Only AI and storage
 * types are asked for a location this way: role assignments and diagnostic
 * settings, top-level too, have none.
 */
function isTopLevelAzureType(type: Value | undefined): boolean {
  if (typeof type !== 'string') return false;
  const [path] = type.split('@');
  return path.split('/').length === 2;
}

/**
 * Where a resource is placed, or undefined for resources that have no
 * location of their own (role assignments, diagnostic settings, IAM, …).
 */
export function placementOf(resource: Resource): PlacedValue | undefined {
  const { properties } = resource;
  if (resource.cloud === 'aws') {
    if (resource.stack.format === 'cloudformation') return { cloud: 'aws', value: resource.stack.region, attribute: 'stack region' };
    if (terraformLocations().awsGlobalTypePrefixes.some((prefix) => resource.type.startsWith(prefix))) return undefined;
    if (properties.region !== undefined) return { cloud: 'aws', value: properties.region, attribute: 'region' };
    return {
      cloud: 'aws',
      value: resource.providerConfig?.region ?? new Unresolved('provider "aws" region', 'the aws provider sets no region (it would come from the environment at plan time)'),
      attribute: 'provider region',
    };
  }
  if (resource.cloud === 'azure') {
    if (properties.location !== undefined) return { cloud: 'azure', value: properties.location, attribute: 'location' };
    // A top-level azapi resource without a location takes the azapi provider's default_location; one without either
    // is placed where nothing in the configuration says. (A child type, `accounts/deployments`, is where its parent is.)
    if (resource.type === 'azapi_resource' && isTopLevelAzureType(properties.type) && ['ai', 'storage'].includes(resourceFamily(resource))) {
      return {
        cloud: 'azure',
        value: resource.providerConfig?.default_location ?? new Unresolved('provider "azapi" default_location', 'neither the resource nor the azapi provider sets a location'),
        attribute: 'location (provider default_location)',
      };
    }
    return undefined;
  }
  if (resource.cloud === 'google') {
    if (properties.location !== undefined) {
      // Cloud KMS spells the EU multi-region `europe` where the catalog says `eu`.
      const value = resource.type.startsWith(TF_PREFIX.googleKms) && typeof properties.location === 'string' ? catalogSpellingOfKmsLocation(properties.location) : properties.location;
      return { cloud: 'google', value, attribute: 'location' };
    }
    if (properties.region !== undefined) return { cloud: 'google', value: properties.region, attribute: 'region' };
    const fallback = terraformLocations().locationDefaults[resource.type];
    if (fallback) return { cloud: 'google', value: fallback, attribute: 'location (provider default)' };
    if (terraformLocations().googleProviderRegionTypes.includes(resource.type)) {
      return {
        cloud: 'google',
        value: resource.providerConfig?.region ?? new Unresolved('provider "google" region', 'neither the resource nor the google provider sets a region'),
        attribute: 'provider region',
      };
    }
  }
  return undefined;
}

export type LocationVerdict =
  | { readonly status: 'allowed'; readonly info?: LocationInfo }
  | { readonly status: 'denied'; readonly info: LocationInfo; readonly expected: string }
  | { readonly status: 'unverifiable'; readonly found: string; readonly reason: string; readonly expected: string };

/**
 * Judges one location against the policy's residency. Fails closed: an
 * unresolved value, a missing value or a location the catalog does not know
 * is `unverifiable`, which rules report as a violation.
 */
export function judgeLocation(policy: GuardrailPolicy, cloud: CatalogCloud, value: Value | undefined): LocationVerdict {
  const expected = expectedLocations(policy, cloud);
  if (!policy.constrainsResidency) {
    return { status: 'allowed', info: typeof value === 'string' ? lookupLocation(cloud, value) : undefined };
  }
  if (typeof value !== 'string') {
    return {
      status: 'unverifiable',
      found: describeValue(value),
      reason: value === undefined || value === null ? 'no location is set' : value instanceof Unresolved && /has no value \(/.test(value.reason) ? `the location is known only at deploy or plan time: ${value.reason}` : 'the location is known only at deploy or plan time',
      expected,
    };
  }
  const info = lookupLocation(cloud, value);
  if (!info) {
    return { status: 'unverifiable', found: JSON.stringify(value), reason: `"${value}" is not ${CLOUD_NAMES[cloud]} location the catalog knows`, expected };
  }
  const allowList = policy.regions[cloud];
  if (allowList && !allowList.includes(normalizeLocation(cloud, info.code))) return { status: 'denied', info, expected };
  if (policy.jurisdiction && !countriesInJurisdiction(info.countries, policy.jurisdiction)) return { status: 'denied', info, expected };
  return { status: 'allowed', info };
}

const CLOUD_NAMES: { readonly [cloud in CatalogCloud]: string } = { aws: 'an AWS', azure: 'an Azure', google: 'a Google Cloud' };

/** "a location in EU (European Union member states)" or "one of eu-central-1, eu-west-1". */
function expectedLocations(policy: GuardrailPolicy, cloud: CatalogCloud): string {
  const allowList = policy.regions[cloud];
  if (allowList) return `one of ${allowList.join(', ')}`;
  if (policy.jurisdiction) return `${CLOUD_NAMES[cloud]} location in ${policy.jurisdiction} (${jurisdictionName(policy.jurisdiction)})`;
  return 'any location';
}

/** "eu-west-2 (Europe (London), GB)" for messages. */
export function describeLocation(info: LocationInfo): string {
  return `${info.code} (${info.name}${info.countries.length > 0 ? `, ${info.countries.join('/')}` : ', no fixed country'})`;
}
