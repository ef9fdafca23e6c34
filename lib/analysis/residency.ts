import { CatalogCloud, LocationInfo, countriesInJurisdiction, jurisdictionName, lookupLocation, normalizeLocation } from '../catalogs';
import type { GuardrailPolicy } from '../policy/policy';
import { Value, describeValue } from '../core/values';

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
      reason: value === undefined || value === null ? 'no location is set' : 'the location is known only at deploy time',
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
export function expectedLocations(policy: GuardrailPolicy, cloud: CatalogCloud): string {
  const allowList = policy.regions[cloud];
  if (allowList) return `one of ${allowList.join(', ')}`;
  if (policy.jurisdiction) return `${CLOUD_NAMES[cloud]} location in ${policy.jurisdiction} (${jurisdictionName(policy.jurisdiction)})`;
  return 'any location';
}

/** "eu-west-2 (Europe (London), GB)" for messages. */
export function describeLocation(info: LocationInfo): string {
  return `${info.code} (${info.name}${info.countries.length > 0 ? `, ${info.countries.join('/')}` : ', no fixed country'})`;
}
