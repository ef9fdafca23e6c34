import * as fs from 'fs';
import * as path from 'path';
import {
  CatalogCloud,
  azureDataZoneOfRegion,
  azureDeploymentType,
  catalogSources,
  inferenceGeography,
  jurisdictionCodes,
  jurisdictionCountries,
  locationCodes,
  locationInJurisdiction,
  lookupLocation,
  normalizeLocation,
} from '../../lib/catalogs';

const DATA = path.join(__dirname, '..', '..', 'lib', 'catalogs', 'data');

describe('catalog files', () => {
  test.each(fs.readdirSync(DATA).filter((file) => file.endsWith('.json')))('%s names its sources and an as-of date', (file) => {
    const catalog = JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8'));
    expect(Array.isArray(catalog.source) && catalog.source.length).toBeGreaterThan(0);
    expect(catalog.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('every location of every cloud maps to ISO country codes', () => {
    for (const cloud of ['aws', 'azure', 'google'] as CatalogCloud[]) {
      for (const code of locationCodes(cloud)) {
        const info = lookupLocation(cloud, code)!;
        for (const country of info.countries) expect(country).toMatch(/^[A-Z]{2}$/);
        if (info.kind !== 'global') expect(info.countries.length).toBeGreaterThan(0);
      }
    }
  });

  test('catalogSources lists every catalog with its as-of date', () => {
    const sources = catalogSources();
    expect(sources.map((entry) => entry.file)).toEqual(expect.arrayContaining(['aws-regions.json', 'azure-regions.json', 'google-locations.json', 'jurisdictions.json']));
    for (const entry of sources) expect(entry.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('jurisdictions', () => {
  test('the EU has its 27 member states and the EEA adds Iceland, Liechtenstein and Norway', () => {
    expect(jurisdictionCountries('EU')).toHaveLength(27);
    expect(jurisdictionCountries('EEA')).toEqual(expect.arrayContaining([...jurisdictionCountries('EU')!, 'IS', 'LI', 'NO']));
    expect(jurisdictionCountries('EEA')).toHaveLength(30);
  });

  test('the policy jurisdictions the product promises exist', () => {
    expect(jurisdictionCodes()).toEqual(expect.arrayContaining(['EU', 'EEA', 'US', 'UK', 'CH', 'CA', 'JP', 'AU']));
  });

  test('the United Kingdom and Switzerland are not EU members', () => {
    expect(jurisdictionCountries('EU')).not.toContain('GB');
    expect(jurisdictionCountries('EU')).not.toContain('CH');
  });
});

describe('prefix traps: London and Zurich are not in the EU on any cloud', () => {
  test.each([
    ['aws', 'eu-west-2', 'GB'],
    ['aws', 'eu-central-2', 'CH'],
    ['google', 'europe-west2', 'GB'],
    ['google', 'europe-west6', 'CH'],
    ['azure', 'uksouth', 'GB'],
    ['azure', 'ukwest', 'GB'],
    ['azure', 'switzerlandnorth', 'CH'],
    ['azure', 'switzerlandwest', 'CH'],
  ] as [CatalogCloud, string, string][])('%s %s lies in %s, outside the EU', (cloud, region, country) => {
    expect(lookupLocation(cloud, region)?.countries).toEqual([country]);
    expect(locationInJurisdiction(cloud, region, 'EU')).toBe(false);
    expect(locationInJurisdiction(cloud, region, country === 'GB' ? 'UK' : 'CH')).toBe(true);
  });

  test.each([
    ['aws', 'eu-central-1', 'DE'],
    ['aws', 'eu-west-1', 'IE'],
    ['aws', 'eu-west-3', 'FR'],
    ['google', 'europe-west4', 'NL'],
    ['google', 'europe-west3', 'DE'],
    ['azure', 'westeurope', 'NL'],
    ['azure', 'germanywestcentral', 'DE'],
    ['azure', 'swedencentral', 'SE'],
  ] as [CatalogCloud, string, string][])('%s %s lies in %s, inside the EU', (cloud, region, country) => {
    expect(lookupLocation(cloud, region)?.countries).toEqual([country]);
    expect(locationInJurisdiction(cloud, region, 'EU')).toBe(true);
  });

  test('Norway is in the EEA but not the EU', () => {
    expect(locationInJurisdiction('azure', 'norwayeast', 'EU')).toBe(false);
    expect(locationInJurisdiction('azure', 'norwayeast', 'EEA')).toBe(true);
  });
});

describe('location spelling', () => {
  test('Azure display names and region names are the same location', () => {
    expect(normalizeLocation('azure', 'West Europe')).toBe('westeurope');
    expect(normalizeLocation('azure', 'UK South')).toBe('uksouth');
    expect(lookupLocation('azure', 'Germany West Central')?.code).toBe('germanywestcentral');
  });

  test('Google zones resolve to their region; multi-regions are case-insensitive', () => {
    expect(lookupLocation('google', 'europe-west4-a')?.code).toBe('europe-west4');
    expect(lookupLocation('google', 'EU')?.code).toBe('eu');
    expect(locationInJurisdiction('google', 'EU', 'EU')).toBe(true);
    expect(locationInJurisdiction('google', 'US', 'US')).toBe(true);
  });

  test('global locations are in no jurisdiction', () => {
    expect(lookupLocation('google', 'global')?.countries).toEqual([]);
    for (const code of jurisdictionCodes()) expect(locationInJurisdiction('google', 'global', code)).toBe(false);
  });

  test('unknown locations are unknown, never allowed', () => {
    expect(lookupLocation('aws', 'eu-moon-1')).toBeUndefined();
    expect(locationInJurisdiction('aws', 'eu-moon-1', 'EU')).toBe(false);
    expect(lookupLocation('azure', 'atlantis')).toBeUndefined();
  });
});

describe('Bedrock inference profile geographies', () => {
  test('global. may route anywhere', () => {
    expect(inferenceGeography('global')?.anywhere).toBe(true);
  });

  test('every destination region of every geography is in the AWS catalog', () => {
    for (const prefix of ['us', 'eu', 'apac', 'jp', 'au', 'ca', 'us-gov']) {
      const geography = inferenceGeography(prefix);
      expect(geography).toBeDefined();
      for (const region of geography!.destinationRegions) expect(lookupLocation('aws', region)).toBeDefined();
    }
  });

  test('us. stays in North America and jp. stays in Japan', () => {
    const japan = inferenceGeography('jp')!.destinationRegions.flatMap((region) => lookupLocation('aws', region)!.countries);
    expect(new Set(japan)).toEqual(new Set(['JP']));
    const us = inferenceGeography('us')!.destinationRegions.flatMap((region) => lookupLocation('aws', region)!.countries);
    expect(new Set(us)).toEqual(new Set(['US']));
  });
});

describe('Azure OpenAI deployment types and data zones', () => {
  test.each([
    ['Standard', 'regional'],
    ['ProvisionedManaged', 'regional'],
    ['DataZoneStandard', 'data-zone'],
    ['DataZoneProvisionedManaged', 'data-zone'],
    ['DataZoneBatch', 'data-zone'],
    ['GlobalStandard', 'global'],
    ['GlobalProvisionedManaged', 'global'],
    ['GlobalBatch', 'global'],
  ])('%s processes %s', (sku, processing) => {
    expect(azureDeploymentType(sku)?.processing).toBe(processing);
  });

  test('an account in an EU region belongs to the EU data zone; a US region to the US zone', () => {
    expect(azureDataZoneOfRegion('swedencentral')?.code).toBe('eu');
    expect(azureDataZoneOfRegion('East US 2')?.code).toBe('us');
  });
});
