import type { CatalogCloud } from '../catalogs';
import { Resource } from '../core/graph';
import { Unresolved, Value } from '../core/values';

interface TerraformLocationCatalog {
  locationDefaults: { [type: string]: string };
  googleProviderRegionTypes: string[];
  awsGlobalTypePrefixes: string[];
}

let catalog: TerraformLocationCatalog | undefined;
function terraformLocations(): TerraformLocationCatalog {
  return (catalog ??= require('../catalogs/data/terraform-locations.json') as TerraformLocationCatalog);
}

export interface PlacedValue {
  readonly cloud: CatalogCloud;
  /** The location as the document states it (string, `Unresolved`, or undefined when nothing sets it). */
  readonly value: Value | undefined;
  /** Where the value comes from, for messages: `location`, `provider region`, `stack region`, `default`. */
  readonly attribute: string;
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
    return properties.location !== undefined ? { cloud: 'azure', value: properties.location, attribute: 'location' } : undefined;
  }
  if (resource.cloud === 'google') {
    if (properties.location !== undefined) return { cloud: 'google', value: properties.location, attribute: 'location' };
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
