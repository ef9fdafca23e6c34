/**
 * External LLM providers: the declarations an app makes (resources of type
 * `LlmGuardrail::ExternalProvider`), where a declared provider processes
 * requests, and the providers a synthesized output shows it calls — provider
 * hosts in environment variables, app settings or parameters, and secrets
 * named like provider keys. Rules and the data-flow documentation read them here.
 */
import { LlmProvider, ProviderOffering, countriesInJurisdiction, jurisdictionCodes, jurisdictionCountries, llmProviders, lookupLocation } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, isPlainObject } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import { PROVIDER_DECLARATION_TYPE, ProviderDeclaration } from '../input/provider-declarations';
import { AnalysisContext, memoByKey } from './context';

/** The resource type a declaration is read into (one home: the reader). */
export const PROVIDER_DECLARATION = PROVIDER_DECLARATION_TYPE;

export type { ProviderDeclaration } from '../input/provider-declarations';

/** Classifications whose data must not be trained on or go unreviewed. */
export const SENSITIVE_CLASSIFICATIONS: readonly string[] = ['confidential', 'pii', 'phi'];

export function declarationOf(resource: Resource): ProviderDeclaration | undefined {
  return resource.type === PROVIDER_DECLARATION ? (resource.properties as unknown as ProviderDeclaration) : undefined;
}

/** The catalog entries of a declaration. */
export function catalogEntryOf(declaration: ProviderDeclaration): { readonly provider: LlmProvider; readonly offering: ProviderOffering } {
  const provider = llmProviders().providers.find((entry) => entry.id === declaration.provider)!;
  return { provider, offering: provider.offerings.find((entry) => entry.id === declaration.offering)! };
}

/** The declared providers of the graph, by provider id; once per run. */
export function declaredProviders(context: AnalysisContext): ReadonlyMap<string, readonly Resource[]> {
  return context.memo('providers.declared', () => {
    const byProvider = new Map<string, Resource[]>();
    for (const resource of context.graph.ofType(PROVIDER_DECLARATION)) {
      const declaration = declarationOf(resource)!;
      let list = byProvider.get(declaration.provider);
      if (!list) byProvider.set(declaration.provider, (list = []));
      list.push(resource);
    }
    return byProvider;
  });
}

/**
 * Where a declared provider processes requests: the jurisdiction of the
 * residency option whose host the declaration uses, the region's countries
 * for per-endpoint and self-hosted offerings, the offering's default
 * otherwise; `unknown` with the reason when the catalog or the declaration
 * does not say.
 */
export type Processing =
  | { readonly status: 'known'; readonly where: string; readonly countries: readonly string[] | 'anywhere'; readonly how: string }
  | { readonly status: 'unknown'; readonly reason: string };

export function processingOf(declaration: ProviderDeclaration): Processing {
  const { provider, offering } = catalogEntryOf(declaration);
  const { residency } = offering;
  if (residency.default === 'per-endpoint' || residency.default === 'per-deployment') {
    if (!declaration.region) return { status: 'unknown', reason: `${offering.name} runs where its ${residency.default === 'per-endpoint' ? 'endpoint' : 'deployment'} runs, and the declaration names no region` };
    const location = (['aws', 'azure', 'google'] as const).map((cloud) => lookupLocation(cloud, declaration.region!)).find((found) => found !== undefined);
    if (!location) return { status: 'unknown', reason: `region "${declaration.region}" is not an AWS, Azure or Google Cloud location the catalog knows` };
    return { status: 'known', where: `${location.code} (${location.name})`, countries: location.countries, how: `region ${declaration.region}` };
  }
  const host = declaration.host;
  if (host !== undefined) {
    const option = residency.options.find((candidate) => candidate.hosts.includes(host) && candidate.hosts.length > 0 && !provider.hosts.every((known) => candidate.hosts.includes(known)));
    if (option) return geography(option.jurisdiction, option.how);
    const known = provider.hosts.includes(host) || (provider.hostPatterns ?? []).some((pattern) => hostMatches(pattern, host));
    if (!known) return { status: 'unknown', reason: `host ${host} is not one the catalog lists for ${provider.name} (${provider.hosts.join(', ') || 'none'})` };
  } else if (residency.options.length > 0) {
    return { status: 'unknown', reason: `the declaration names no host, and ${provider.name} processes by default ${residency.default === 'global' ? 'in any region' : `in ${residency.default}`} unless ${residency.options.map((option) => option.how).join(' or ')}` };
  }
  if (residency.default === 'unknown') return { status: 'unknown', reason: `where ${offering.name} processes requests is unknown: the vendor's pages did not show it (catalog as of ${llmProviders().asOf})` };
  return geography(residency.default, `${offering.name}'s default processing`);
}

function geography(code: string, how: string): Processing {
  if (code === 'global') return { status: 'known', where: 'any region (global)', countries: 'anywhere', how };
  if (!jurisdictionCodes().includes(code)) return { status: 'unknown', reason: `processing geography "${code}" is not a jurisdiction the catalog knows` };
  return { status: 'known', where: code, countries: jurisdictionCountries(code) ?? [], how };
}

/** Whether processing stays inside the policy's jurisdiction. */
export function processingAllowed(policy: GuardrailPolicy, processing: Extract<Processing, { status: 'known' }>): boolean {
  if (!policy.jurisdiction) return true;
  if (processing.countries === 'anywhere') return false;
  return countriesInJurisdiction(processing.countries, policy.jurisdiction);
}

export function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}

/** A sign in a resource that it calls an external provider. */
export interface ProviderSign {
  readonly provider: LlmProvider;
  /** Where in the resource: `Environment.Variables.OPENAI_API_KEY`, `Name`. */
  readonly where: string;
  /** What was found: the host or the key name. */
  readonly found: string;
}

/** Names under which a value holds an LLM endpoint's address, whatever the provider. */
const ENDPOINT_SETTING = /^(?:[A-Z0-9]+_)*(?:LLM|AI|MODEL|CHAT|COMPLETION|OPENAI|ANTHROPIC|MISTRAL|COHERE|TOGETHER|HF|INFERENCE)_?(?:API_)?(?:BASE(?:_?URL)?|ENDPOINT|HOST|URL)$/i;

/**
 * The external providers a resource shows it calls: a provider's host in any
 * string it holds, or a provider's key name as a setting name or a secret
 * name. `unresolved` lists endpoint settings (`LLM_BASE_URL`) whose value is
 * known only at deploy time: they may call any provider.
 */
export function providerSigns(resource: Resource): { readonly signs: readonly ProviderSign[]; readonly unresolved: readonly string[] } {
  if (resource.type === PROVIDER_DECLARATION) return { signs: [], unresolved: [] };
  const matchers = signMatchers();
  const signs: ProviderSign[] = [];
  const unresolved: string[] = [];
  const seen = new Set<string>();
  const add = (provider: LlmProvider, where: string, found: string): void => {
    const key = `${provider.id}|${where}`;
    if (seen.has(key)) return;
    seen.add(key);
    signs.push({ provider, where, found });
  };
  for (const provider of matchers.byResourceType.get(resource.type) ?? []) add(provider, 'type', `${resource.type} (serves a model in your account)`);
  const scan = (text: string, where: string): void => {
    const lower = text.toLowerCase();
    // An LLM gateway configuration (LiteLLM model_list) names providers by prefix: model: anthropic/claude-…
    if (lower.includes('litellm_params') || lower.includes('model_list')) {
      for (const match of lower.matchAll(/["']?model["']?\s*[:=]\s*["']?([a-z_]+)\//g)) {
        const provider = matchers.byGatewayPrefix.get(match[1]);
        if (provider) add(provider, where, `${match[1]}/ (LLM gateway model_list)`);
      }
    }
    // Most strings name no host and no image: one test of the combined pattern skips them.
    if (!matchers.anything.test(lower)) return;
    for (const { provider, host } of matchers.hosts) if (containsHost(lower, host)) add(provider, where, host);
    for (const { provider, pattern } of matchers.hostPatterns) {
      const match = pattern.exec(lower);
      if (match) add(provider, where, match[0]);
    }
    for (const { provider, image } of matchers.images) if (lower.includes(image)) add(provider, where, `image ${image}`);
  };
  const pending: [Value, string][] = [[resource.properties as Value, '']];
  while (pending.length > 0) {
    const [value, where] = pending.pop()!;
    if (typeof value === 'string') {
      scan(value, where);
      for (const provider of matchers.byName.get(value) ?? []) add(provider, where, value);
      continue;
    }
    // A value known only at deploy or plan time still shows the hosts its expression names (`https://${var.x}.api.openai.com`).
    if (value instanceof Unresolved || value instanceof Reference) {
      scan(value.expression, where);
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, `${where}[${index}]`]));
      continue;
    }
    if (!isPlainObject(value)) continue;
    for (const [key, inner] of Object.entries(value)) {
      const path = where ? `${where}.${key}` : key;
      for (const provider of matchers.byName.get(key) ?? []) add(provider, path, key);
      // An app setting written as { name: "OPENAI_API_KEY", value: … } (ECS, Cloud Run, App Service).
      if ((key === 'name' || key === 'Name') && typeof inner === 'string') for (const provider of matchers.byName.get(inner) ?? []) add(provider, path, inner);
      // An endpoint setting known only at deploy time may call any provider, unless its expression names one's host.
      if (ENDPOINT_SETTING.test(key) && inner instanceof Unresolved && !matchers.anything.test(inner.expression.toLowerCase())) unresolved.push(`${path} = ${inner.expression}`);
      pending.push([inner, path]);
    }
  }
  return { signs, unresolved };
}

/** {@link providerSigns} once per resource and run: the rule and the documentation read the same signs. */
export function providerSignsOf(context: AnalysisContext, resource: Resource): ReturnType<typeof providerSigns> {
  return memoByKey(context, 'providers.signs', resource.key, () => providerSigns(resource));
}

interface SignMatchers {
  readonly hosts: readonly { readonly provider: LlmProvider; readonly host: string }[];
  readonly hostPatterns: readonly { readonly provider: LlmProvider; readonly pattern: RegExp }[];
  readonly images: readonly { readonly provider: LlmProvider; readonly image: string }[];
  /** Key and setting names (`OPENAI_API_KEY`, `HF_MODEL_ID`) → their providers. */
  readonly byName: ReadonlyMap<string, readonly LlmProvider[]>;
  readonly byResourceType: ReadonlyMap<string, readonly LlmProvider[]>;
  readonly byGatewayPrefix: ReadonlyMap<string, LlmProvider>;
  /** Any host, host pattern or image of the catalog: a string without one is skipped at once. */
  readonly anything: RegExp;
}

let compiled: { readonly catalog: readonly LlmProvider[]; readonly matchers: SignMatchers } | undefined;

/** The catalog's signals compiled once (the catalog is data loaded once; its compiled form follows it). */
function signMatchers(): SignMatchers {
  const catalog = llmProviders().providers;
  if (compiled?.catalog === catalog) return compiled.matchers;
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const listed = <T>(entries: [string, T][]): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const [key, value] of entries) out.set(key, [...(out.get(key) ?? []), value]);
    return out;
  };
  const hosts = catalog.flatMap((provider) => provider.hosts.map((host) => ({ provider, host })));
  const hostPatterns = catalog.flatMap((provider) => (provider.hostPatterns ?? []).map((pattern) => ({ provider, pattern: new RegExp(`[a-z0-9-]+${escape(pattern.slice(1))}`) })));
  const images = catalog.flatMap((provider) => (provider.imagePatterns ?? []).map((image) => ({ provider, image })));
  const fragments = [...hosts.map((entry) => entry.host), ...catalog.flatMap((provider) => (provider.hostPatterns ?? []).map((pattern) => pattern.slice(2))), ...images.map((entry) => entry.image)].map(escape);
  const matchers: SignMatchers = {
    hosts,
    hostPatterns,
    images,
    byName: listed(catalog.flatMap((provider) => [...provider.secretNames, ...(provider.settingNames ?? [])].map((name): [string, LlmProvider] => [name, provider]))),
    byResourceType: listed(catalog.flatMap((provider) => (provider.resourceTypes ?? []).map((type): [string, LlmProvider] => [type, provider]))),
    byGatewayPrefix: new Map(catalog.flatMap((provider) => (provider.gatewayPrefixes ?? []).map((prefix): [string, LlmProvider] => [prefix, provider]))),
    anything: fragments.length > 0 ? new RegExp(fragments.join('|')) : /(?!)/,
  };
  compiled = { catalog, matchers };
  return matchers;
}

function containsHost(text: string, host: string): boolean {
  const index = text.indexOf(host);
  if (index < 0) return false;
  const before = index === 0 ? '' : text[index - 1];
  const after = text[index + host.length] ?? '';
  // api.openai.com inside eu.api.openai.com is the EU host, not the global one.
  return !/[a-z0-9.-]/.test(before) && !/[a-z0-9-]/.test(after);
}

/** How long after its period ends a SOC 2 Type II report is relied on. */
export const SOC2_REPORT_MONTHS = 12;
/** How often a provider that receives personal or confidential data is reviewed. */
export const VENDOR_REVIEW_DAYS = 90;

/** `date` plus months, as YYYY-MM-DD (the day clamped to the month's end). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const target = new Date(`${date}T00:00:00Z`);
  target.setUTCDate(target.getUTCDate() + days);
  return target.toISOString().slice(0, 10);
}

/** A declared evidence document and the day it stops showing anything (null: it does not expire). */
export interface EvidenceExpiry {
  readonly declaration: string;
  readonly provider: string;
  readonly document: string;
  readonly reference?: string;
  readonly expires: string | null;
  /** Why it expires then: "12 months after the report period ended on 2026-06-30". */
  readonly basis: string;
}

/** Each evidence document of a declaration with the day it goes stale, as LCG-PRV-006 judges it. */
export function evidenceExpiries(declaration: ProviderDeclaration): EvidenceExpiry[] {
  const out: EvidenceExpiry[] = [];
  const entry = (document: string, expires: string | null, basis: string): void => {
    const fields = declaration.evidence[document];
    out.push({ declaration: declaration.name, provider: declaration.provider, document, ...(fields?.reference ? { reference: fields.reference } : {}), expires, basis });
  };
  for (const document of Object.keys(declaration.evidence)) {
    const fields = declaration.evidence[document];
    if (document === 'soc2') entry(document, addMonths(fields.periodEnd, SOC2_REPORT_MONTHS), `${SOC2_REPORT_MONTHS} months after the report period ended on ${fields.periodEnd}`);
    else if (document === 'bridgeLetter') entry(document, fields.coversUntil, `the last day the bridge letter covers`);
    else if (document === 'vendorReview') entry(document, addDays(fields.date, VENDOR_REVIEW_DAYS), `${VENDOR_REVIEW_DAYS} days after the review on ${fields.date}`);
    else entry(document, null, 'in force until withdrawn');
  }
  return out;
}
