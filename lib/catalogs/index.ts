/**
 * Catalogs kept as data (`./data/*.json`, each with its sources and as-of
 * date): every region of each cloud → countries → jurisdictions, Bedrock
 * inference-profile geographies, Azure OpenAI deployment types. Loaded lazily
 * on first use so that importing the package stays cheap.
 */
import { InputError } from '../core/errors';

export type CatalogCloud = 'aws' | 'azure' | 'google';

export interface LocationInfo {
  /** Normalized location code (`eu-central-1`, `westeurope`, `europe-west4`). */
  readonly code: string;
  readonly name: string;
  /** Every country where data in this location may reside; empty for `global`. */
  readonly countries: readonly string[];
  /** Google only: region, multi-region, dual-region or global. */
  readonly kind?: string;
}

interface CatalogFile<T> {
  readonly source: readonly string[];
  readonly asOf: string;
  readonly notes: readonly string[];
  readonly data: T;
}

interface LocationEntry {
  name?: string;
  displayName?: string;
  countries: string[];
  kind?: string;
  partition?: string;
  geography?: string;
}

export interface DataZone {
  readonly name: string;
  readonly countries: readonly string[];
  readonly regions: readonly string[];
}

export interface InferenceGeography {
  readonly name: string;
  readonly destinationRegions: readonly string[];
  readonly sourceRegions: readonly string[];
  readonly anywhere: boolean;
}

export interface DeploymentType {
  readonly processing: 'regional' | 'data-zone' | 'global';
  readonly description: string;
}

const cache = new Map<string, Map<string, unknown>>();

/**
 * The catalog entry under a key the input chose, own entries only: a name
 * like `constructor` or `toString` must not find what every object inherits.
 */
function own<T>(table: { readonly [key: string]: T } | undefined, key: string): T | undefined {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function load<T>(file: string, key: string): CatalogFile<T> {
  let byKey = cache.get(file);
  if (!byKey) cache.set(file, (byKey = new Map()));
  let entry = byKey.get(key) as CatalogFile<T> | undefined;
  if (!entry) {
    // Lazy require keeps import time low; the JSON is copied next to the compiled code.
    const raw = require(`./data/${file}`) as { source: string[]; asOf: string; notes?: string[]; [key: string]: unknown };
    entry = { source: raw.source, asOf: raw.asOf, notes: raw.notes ?? [], data: raw[key] as T };
    byKey.set(key, entry);
  }
  return entry;
}

const LOCATION_FILES: { readonly [cloud in CatalogCloud]: string } = {
  aws: 'aws-regions.json',
  azure: 'azure-regions.json',
  google: 'google-locations.json',
};

function locations(cloud: CatalogCloud): { [code: string]: LocationEntry } {
  return load<{ [code: string]: LocationEntry }>(LOCATION_FILES[cloud], 'locations').data;
}

let azureAliases: Map<string, string> | undefined;

/**
 * The catalog spelling of a location: lower case; Azure display names
 * (`West Europe`) become region names (`westeurope`); Google zones
 * (`europe-west4-a`) become their region.
 */
export function normalizeLocation(cloud: CatalogCloud, location: string): string {
  const lower = location.trim().toLowerCase();
  if (cloud === 'azure') {
    const compact = lower.replace(/[\s_-]+/g, '');
    if (!azureAliases) {
      azureAliases = new Map();
      for (const [code, entry] of Object.entries(locations('azure'))) {
        azureAliases.set(code, code);
        if (entry.displayName) azureAliases.set(entry.displayName.toLowerCase().replace(/[\s_-]+/g, ''), code);
      }
    }
    return azureAliases.get(compact) ?? compact;
  }
  if (cloud === 'google') {
    const catalog = locations('google');
    if (own(catalog, lower) === undefined) {
      const zone = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(lower);
      if (zone && own(catalog, zone[1]) !== undefined) return zone[1];
    }
  }
  return lower;
}

/** Lookups already made, per cloud: the location catalogs never change while the process runs, and rules ask for the same few locations thousands of times. */
const lookups: { readonly [cloud in CatalogCloud]: Map<string, LocationInfo | undefined> } = { aws: new Map(), azure: new Map(), google: new Map() };

/** Catalog entry for a location, or undefined when the catalog does not know it. */
export function lookupLocation(cloud: CatalogCloud, location: string): LocationInfo | undefined {
  const known = lookups[cloud];
  if (known.has(location)) return known.get(location);
  const code = normalizeLocation(cloud, location);
  const entry = own(locations(cloud), code);
  const info = entry ? Object.freeze({ code, name: entry.displayName ?? entry.name ?? code, countries: entry.countries, kind: entry.kind }) : undefined;
  known.set(location, info);
  return info;
}

export function isKnownLocation(cloud: CatalogCloud, location: string): boolean {
  return lookupLocation(cloud, location) !== undefined;
}

/** Every location code of a cloud, sorted. */
export function locationCodes(cloud: CatalogCloud): string[] {
  return Object.keys(locations(cloud)).sort();
}

/** The spellings of a cloud's locations a policy may use: the codes, and for Azure also the display names ("West Europe"). */
export function locationSpellings(cloud: CatalogCloud): string[] {
  const names = locationCodes(cloud);
  if (cloud !== 'azure') return names;
  const displayNames = Object.values(locations('azure')).flatMap((entry) => (entry.displayName ? [entry.displayName] : []));
  return [...names, ...[...new Set(displayNames)].sort()];
}

/** Jurisdiction codes the catalog defines (EU, EEA, US, UK, …). */
export function jurisdictionCodes(): string[] {
  return Object.keys(load<{ [code: string]: unknown }>('jurisdictions.json', 'jurisdictions').data);
}

/** Countries of a jurisdiction, or undefined when it is unknown. */
export function jurisdictionCountries(code: string): readonly string[] | undefined {
  const entry = own(load<{ [code: string]: { countries: string[] } }>('jurisdictions.json', 'jurisdictions').data, code.toUpperCase());
  return entry?.countries;
}

/** The name of a jurisdiction, for messages. */
export function jurisdictionName(code: string): string {
  return own(load<{ [code: string]: { name: string } }>('jurisdictions.json', 'jurisdictions').data, code.toUpperCase())?.name ?? code;
}

/** Whether every country a set may reach lies inside the jurisdiction (an empty set — `global` — never does). */
export function countriesInJurisdiction(countries: readonly string[], jurisdiction: string): boolean {
  const allowed = jurisdictionCountries(jurisdiction);
  return !!allowed && countries.length > 0 && countries.every((country) => allowed.includes(country));
}

/** Whether a known location lies inside the jurisdiction; false for unknown locations. */
export function locationInJurisdiction(cloud: CatalogCloud, location: string, jurisdiction: string): boolean {
  const info = lookupLocation(cloud, location);
  return !!info && countriesInJurisdiction(info.countries, jurisdiction);
}

/** The file name of the built-in inference-profile catalog. */
export const INFERENCE_PROFILE_CATALOG = 'bedrock-inference-profiles.json';

/** An inference-profile catalog read from the account (`llm-guardrail catalog refresh aws`), used before the built-in one. */
let inferenceProfileOverride: { readonly file: string; readonly asOf: string; readonly source: readonly string[]; readonly geographies: { readonly [prefix: string]: InferenceGeography } } | undefined;

/**
 * Uses the inference-profile catalog in `file` (as `catalog refresh aws`
 * writes it) before the built-in one: its geographies replace the built-in
 * entries of the same prefix. `undefined` goes back to the built-in catalog.
 */
export function useInferenceProfileCatalog(file: string | undefined): void {
  if (file === undefined) {
    inferenceProfileOverride = undefined;
    return;
  }
  if (inferenceProfileOverride?.file === file) return;
  inferenceProfileOverride = { file, ...readInferenceProfileCatalog(file) };
}

/** Reads and checks a catalog file: one line naming the file and the problem when it is not one. */
export function readInferenceProfileCatalog(file: string): { asOf: string; source: string[]; geographies: { [prefix: string]: InferenceGeography } } {
  const fail = (what: string): never => {
    throw new InputError(`inference-profile catalog ${file}: ${what}`, 'write it with `llm-guardrail catalog refresh aws`, or fix the file');
  };
  let raw: unknown;
  try {
    raw = JSON.parse(require('fs').readFileSync(file, 'utf8'));
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code ? 'cannot be read' : 'is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('is not an object');
  const record = raw as { asOf?: unknown; source?: unknown; geographies?: unknown };
  if (typeof record.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(record.asOf)) fail('"asOf" must be a date YYYY-MM-DD');
  if (typeof record.geographies !== 'object' || record.geographies === null || Array.isArray(record.geographies)) fail('"geographies" must map prefixes to geographies');
  const geographies: { [prefix: string]: InferenceGeography } = {};
  for (const [prefix, entry] of Object.entries(record.geographies as object)) {
    const geography = entry as Partial<InferenceGeography>;
    const regions = (value: unknown): value is string[] => Array.isArray(value) && value.every((region) => typeof region === 'string');
    if (typeof geography.name !== 'string' || !regions(geography.destinationRegions) || !regions(geography.sourceRegions) || typeof geography.anywhere !== 'boolean') {
      fail(`geography "${prefix}" needs name, destinationRegions, sourceRegions and anywhere`);
    }
    geographies[prefix] = geography as InferenceGeography;
  }
  return { asOf: record.asOf as string, source: Array.isArray(record.source) ? record.source.map(String) : [], geographies };
}

/** The geographies in effect (the built-in catalog, with the policy's catalog over it) and their prefixes, longest first. */
interface GeographyTable {
  readonly builtIn: object;
  readonly override: typeof inferenceProfileOverride;
  readonly geographies: { readonly [prefix: string]: InferenceGeography };
  readonly prefixes: readonly string[];
}

/** The table follows the catalogs it is made of: rebuilt only when the policy's catalog changes. */
let geographyTable: GeographyTable | undefined;

function geographyTableOf(): GeographyTable {
  const builtIn = load<{ [prefix: string]: InferenceGeography }>(INFERENCE_PROFILE_CATALOG, 'geographies').data;
  if (geographyTable?.builtIn !== builtIn || geographyTable.override !== inferenceProfileOverride) {
    const merged = inferenceProfileOverride ? { ...builtIn, ...inferenceProfileOverride.geographies } : builtIn;
    geographyTable = { builtIn, override: inferenceProfileOverride, geographies: merged, prefixes: Object.keys(merged).sort((a, b) => b.length - a.length) };
  }
  return geographyTable;
}

function geographies(): { readonly [prefix: string]: InferenceGeography } {
  return geographyTableOf().geographies;
}

/** Bedrock cross-region inference profile geography by id prefix (`eu`, `us`, `global`, …). */
export function inferenceGeography(prefix: string): InferenceGeography | undefined {
  return own(geographies(), prefix);
}

/** What AWS managed policies allow of Bedrock invoke, by policy name. */
export interface ManagedPolicyCatalog {
  readonly grantsInvoke: { readonly [name: string]: { readonly actions: readonly string[]; readonly resources: readonly string[] } };
  readonly noInvoke: readonly string[];
}

/** The AWS managed policies that allow Bedrock invoke, and common ones that do not (`data/aws-managed-policies.json`). */
export function awsManagedPolicies(): ManagedPolicyCatalog {
  return load<ManagedPolicyCatalog>('aws-managed-policies.json', 'policies').data;
}

/** The date the inference-profile catalog was last checked. */
export function inferenceProfilesAsOf(): string {
  return inferenceProfileOverride?.asOf ?? load(INFERENCE_PROFILE_CATALOG, 'geographies').asOf;
}

/** All inference-profile prefixes, longest first (so `us-gov` wins over `us`). */
export function inferenceGeographyPrefixes(): readonly string[] {
  return geographyTableOf().prefixes;
}

/** Azure OpenAI deployment type (the azurerm deployment `sku.name`). */
export function azureDeploymentType(skuName: string): DeploymentType | undefined {
  return own(load<{ [name: string]: DeploymentType }>('azure-openai-deployment-types.json', 'deploymentTypes').data, skuName);
}

/** Every Azure OpenAI deployment type the catalog knows, sorted. */
export function azureDeploymentTypeNames(): string[] {
  return Object.keys(load<{ [name: string]: DeploymentType }>('azure-openai-deployment-types.json', 'deploymentTypes').data).sort();
}

/** The Azure OpenAI data zone an account region belongs to. */
export function azureDataZoneOfRegion(region: string): (DataZone & { code: string }) | undefined {
  const zones = load<{ [code: string]: DataZone }>('azure-regions.json', 'dataZones').data ?? {};
  const code = normalizeLocation('azure', region);
  for (const [zoneCode, zone] of Object.entries(zones)) {
    if (zone.regions.includes(code)) return { ...zone, code: zoneCode };
  }
  return undefined;
}

/** Amazon Bedrock service facts: the IAM actions that send prompts, CloudTrail data-event types, the runtime endpoint service. */
export interface BedrockServiceCatalog {
  /** IAM actions that let a principal send prompts to a model. */
  readonly invokeActions: readonly string[];
  /** `resources.type` values of advanced event selectors that record Bedrock data-plane calls. */
  readonly cloudTrailDataEventResourceTypes: readonly string[];
  /** Data-plane actions recorded only as CloudTrail data events → the resources.type that records them. */
  readonly dataEventActions: { readonly [action: string]: string };
  /** Suffix of the interface endpoint service name `com.amazonaws.<region>.<suffix>`. */
  readonly runtimeEndpointService: string;
  /** Provider prefixes of foundation-model ids (`anthropic` of `anthropic.claude-…`). */
  readonly modelProviders: readonly string[];
  /** Properties through which Bedrock resources choose a model or profile, per document format. */
  readonly modelSettings: { readonly cloudformation: readonly string[]; readonly terraform: readonly string[] };
  /** Patterns (case-insensitive regular expressions) of environment-variable names that hand code a model or a region. */
  readonly codeSettings: { readonly model: string; readonly region: string; readonly sdkRegion: readonly string[]; readonly sdkEndpoint: readonly string[] };
}

/** Bedrock facts kept as data (`data/aws-bedrock.json`). */
export function bedrockService(): BedrockServiceCatalog {
  return (bedrockServiceCatalog ??= require('./data/aws-bedrock.json') as BedrockServiceCatalog);
}

// The catalogs below are read on first use and kept: rules ask for them per resource, and a require() per call costs path resolution.
let bedrockServiceCatalog: BedrockServiceCatalog | undefined;
let terraformLocationCatalog: TerraformLocationCatalog | undefined;
let resourceCoverageCatalog: ResourceCoverageCatalog | undefined;

/** Where Terraform resources are placed when they name no location of their own. */
export interface TerraformLocationCatalog {
  /** Locations the google provider applies when a resource sets none (`google_bigquery_dataset` → `US`). */
  readonly locationDefaults: { readonly [type: string]: string };
  /** Google types placed in the provider's region when they set none. */
  readonly googleProviderRegionTypes: readonly string[];
  /** AWS type prefixes of global services, which have no region. */
  readonly awsGlobalTypePrefixes: readonly string[];
}

export function terraformLocations(): TerraformLocationCatalog {
  return (terraformLocationCatalog ??= require('./data/terraform-locations.json') as TerraformLocationCatalog);
}

/** Which resource types cannot carry prompts or their logs, and the family of the others (`data/resource-coverage.json`). */
export interface ResourceCoverageCatalog {
  readonly outOfScope: { readonly exact: readonly string[]; readonly prefixes: readonly string[] };
  readonly families: readonly { readonly family: string; readonly prefixes: readonly string[] }[];
  readonly azapiTypes: readonly { readonly family: string; readonly namespaces: readonly string[] }[];
}

export function resourceCoverage(): ResourceCoverageCatalog {
  return (resourceCoverageCatalog ??= require('./data/resource-coverage.json') as ResourceCoverageCatalog);
}

/** Sources and as-of dates of every catalog, for reports and the docs. */
/** Whether a fact about a provider is shown by its own pages, and where. `unknown`: not shown when the catalog was dated. */
export interface ProviderFact {
  readonly source: string;
}

export interface ProviderOffering {
  readonly id: string;
  readonly name: string;
  readonly baa: ProviderFact & { readonly status: 'available' | 'not-available' | 'unknown' | 'not-applicable'; readonly conditions?: string };
  readonly attestations: ProviderFact & { readonly status: 'known' | 'unknown' | 'not-applicable'; readonly items: readonly string[] };
  readonly residency: ProviderFact & {
    /** Where requests are processed unless configured otherwise: `global`, a jurisdiction, `per-endpoint`/`per-deployment`, or `unknown`. */
    readonly default: string;
    readonly options: readonly { readonly jurisdiction: string; readonly how: string; readonly hosts: readonly string[] }[];
  };
  readonly retention: ProviderFact & {
    /** Days the provider keeps prompts and responses (abuse monitoring included); null when unknown or not applicable. */
    readonly days: number | null;
    readonly zeroRetention: 'default' | 'by-approval' | 'not-offered' | 'unknown';
    readonly description: string;
  };
  readonly training: ProviderFact & { readonly status: 'no' | 'opt-in' | 'unless-opted-out' | 'yes' | 'unknown'; readonly description: string };
  /** What in synthesized output shows this offering rather than the provider's own API (partner models on a cloud). */
  readonly signals?: {
    /** Azure deployments' `model.format` (`Mistral AI`, `Cohere`). */
    readonly azureModelFormats?: readonly string[];
    /** Model resource paths in any string (`publishers/anthropic/models/`, `registries/azureml-mistral/`). */
    readonly modelPaths?: readonly string[];
    /** Setting names the vendor's SDK reads for this offering (`ANTHROPIC_VERTEX_PROJECT_ID`). */
    readonly settingNames?: readonly string[];
    /** LLM gateway model prefixes that name this offering (`vertex_ai/claude`, `azure_ai/mistral`). */
    readonly gatewayModels?: readonly string[];
  };
}

export interface LlmProvider {
  readonly id: string;
  readonly name: string;
  /** The offering a declaration that names none means, when the provider has several (its own API). */
  readonly defaultOffering?: string;
  /** API hosts, as an app's configuration names them. */
  readonly hosts: readonly string[];
  /** Host patterns (`*.endpoints.huggingface.cloud`). */
  readonly hostPatterns?: readonly string[];
  /** Names teams give the provider's API key (secrets, environment variables). */
  readonly secretNames: readonly string[];
  /** The provider prefixes of LLM gateway model names (LiteLLM `model: anthropic/…`, `together_ai/…`). */
  readonly gatewayPrefixes?: readonly string[];
  /** Starts of model names a gateway routes to this provider without a prefix (`gpt-`, `claude-`). */
  readonly gatewayModelNames?: readonly string[];
  /** Self-hosted serving: setting names that choose the model served (`HF_MODEL_ID`). */
  readonly settingNames?: readonly string[];
  /** Self-hosted serving: container images of model servers (text-generation-inference, vLLM). */
  readonly imagePatterns?: readonly string[];
  /** Self-hosted serving: resource types that serve a model in the team's account (SageMaker endpoints). */
  readonly resourceTypes?: readonly string[];
  /** The provider's subprocessor list, when it publishes one. */
  readonly subprocessors: string | null;
  readonly offerings: readonly ProviderOffering[];
}

/** The posture catalog of external LLM providers, dated, each fact with its source. */
export function llmProviders(): {
  readonly asOf: string;
  readonly notes: readonly string[];
  readonly providers: readonly LlmProvider[];
  readonly cloudGatewayPrefixes: readonly string[];
  readonly cloudHostPatterns: readonly string[];
} {
  const entry = load<LlmProvider[]>('llm-providers.json', 'providers');
  return { asOf: entry.asOf, notes: entry.notes, providers: entry.data, cloudGatewayPrefixes: cloudGatewayPrefixes(), cloudHostPatterns: (load<string[]>('llm-providers.json', 'cloudHostPatterns').data ?? []) as readonly string[] };
}

/** LLM gateway prefixes of the clouds' own model services (LiteLLM `bedrock/`, `azure/`, `vertex_ai/`): judged by the cloud rules, not as external providers. */
function cloudGatewayPrefixes(): readonly string[] {
  return (load<string[]>('llm-providers.json', 'cloudGatewayPrefixes').data ?? []) as readonly string[];
}

export function catalogSources(): { file: string; asOf: string; source: readonly string[] }[] {
  const files: [string, string][] = [
    ['jurisdictions.json', 'jurisdictions'],
    ['aws-regions.json', 'locations'],
    ['azure-regions.json', 'locations'],
    ['google-locations.json', 'locations'],
    ['bedrock-inference-profiles.json', 'geographies'],
    ['azure-openai-deployment-types.json', 'deploymentTypes'],
    ['aws-managed-policies.json', 'policies'],
    ['llm-providers.json', 'providers'],
  ];
  const sources = files.map(([file, key]) => {
    const entry = load(file, key);
    return { file, asOf: entry.asOf, source: entry.source };
  });
  if (inferenceProfileOverride) sources.push({ file: inferenceProfileOverride.file, asOf: inferenceProfileOverride.asOf, source: inferenceProfileOverride.source });
  return sources;
}
