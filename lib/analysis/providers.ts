/**
 * External LLM providers: the declarations an app makes (resources of type
 * `LlmGuardrail::ExternalProvider`), where a declared provider processes
 * requests, and the providers a synthesized output shows it calls — provider
 * hosts in environment variables, app settings or parameters, and secrets
 * named like provider keys. Rules and the data-flow documentation read them here.
 */
import { LlmProvider, ProviderOffering, countriesInJurisdiction, jurisdictionCodes, jurisdictionCountries, llmProviders, lookupLocation } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, describeValue } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import { PROVIDER_DECLARATION_TYPE, ProviderDeclaration } from '../input/provider-declarations';
import { deploymentModel, isDeployment } from './azure';
import { AnalysisContext, sparseFact } from './context';

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

/** What a sign shows: the provider, and the offering when the output shows which (Claude on Vertex AI, Mistral on Azure). */
export interface ProviderTarget {
  readonly provider: LlmProvider;
  readonly offering?: ProviderOffering;
}

/** A sign in a resource that it calls an external provider. */
export interface ProviderSign extends ProviderTarget {
  /** The host it calls, when the sign is a host the catalog lists: a declaration of another host does not cover it. */
  readonly host?: string;
  /** The cloud region a dedicated endpoint's host names: a declaration of another region does not cover it. */
  readonly region?: string;
  /** Where in the resource: `Environment.Variables.OPENAI_API_KEY`, `Name`. */
  readonly where: string;
  /** What was found: the host or the key name. */
  readonly found: string;
}

/** A failover an LLM gateway configuration sets up: requests for `primary` go to `fallback` when it fails. */
export interface GatewayFailover {
  readonly where: string;
  readonly primary: GatewayMember;
  readonly fallback: GatewayMember;
}

/** A model of a gateway failover: its name in the configuration, its provider, and the host its `api_base` names. */
export interface GatewayMember extends ProviderTarget {
  readonly model: string;
  readonly host?: string;
}

/** The providers a resource shows it calls, the endpoint settings it cannot read, and the failovers its gateway configuration sets up. */
export interface ProviderSigns {
  readonly signs: readonly ProviderSign[];
  /** Endpoint settings (`LLM_BASE_URL`) known only at deploy time: they may call any provider. */
  readonly unresolved: readonly string[];
  readonly failovers: readonly GatewayFailover[];
  /** Failovers a gateway configuration sets up that cannot be judged, with where and why. */
  readonly unjudgedFailovers: readonly string[];
  /** Azure OpenAI or AI Services endpoints it names (`https://<account>.openai.azure.com`): accounts it calls. */
  readonly azureEndpoints?: readonly AzureEndpoint[];
}

/** An Azure AI account endpoint a resource names: the account's subdomain, or the resources an unresolved one is built from. */
export interface AzureEndpoint {
  readonly where: string;
  readonly text: string;
  /** The subdomain (`oai-chat-weu`), when literal. */
  readonly subdomain?: string;
  /** Keys of the resources an endpoint known only at deploy or plan time is built from. */
  readonly references?: readonly string[];
}

/** An Azure AI account's endpoint host: `<subdomain>.openai.azure.com`, `.cognitiveservices.azure.com`, `.services.ai.azure.com`. */
const AZURE_ENDPOINT = /(?:^|[^a-z0-9.$}-])([a-z0-9][a-z0-9-]*)\.(?:openai|cognitiveservices|services\.ai)\.azure\.com\b/gi;
const AZURE_ENDPOINT_SUFFIX = /\.(?:openai|cognitiveservices|services\.ai)\.azure\.com\b/i;

/** The name a target is declared under: `anthropic`, or `anthropic (offering anthropic/vertex)`. */
export function targetName(target: ProviderTarget): string {
  return target.offering ? `${target.offering.name} (provider ${target.provider.id}, offering ${target.offering.id})` : target.provider.name;
}

/** Names under which a value holds an LLM endpoint's address, whatever the provider. */
const ENDPOINT_SETTING = /^(?:[A-Z0-9]+_)*(?:LLM|AI|MODEL|CHAT|COMPLETION|OPENAI|ANTHROPIC|MISTRAL|COHERE|TOGETHER|HF|INFERENCE)_?(?:API_)?(?:BASE(?:_?URL)?|ENDPOINT|HOST|URL)$/i;

/**
 * The endpoint settings that name an LLM API by their own name (`OPENAI_BASE_URL`, `LLM_ENDPOINT`, `AI_HOST`): a
 * literal host there that no catalog entry names is a provider to declare. Settings that only may be an LLM's
 * (`MODEL_URL`, `CHAT_URL`) count when their value is unknown.
 */
const LLM_ENDPOINT_SETTING = /^(?:[A-Z0-9]+_)*(?:LLM|AI|GENAI|OPENAI|ANTHROPIC|MISTRAL|COHERE|TOGETHER|HF|INFERENCE)_?(?:API_)?(?:BASE(?:_?URL)?|ENDPOINT|HOST|URL)$/i;

/** {@link ENDPOINT_SETTING} inside a longer text, written in capitals as variable names are. */
const ENDPOINT_SETTING_IN_TEXT = /\b(?:[A-Z0-9]+_)*(?:LLM|AI|MODEL|CHAT|COMPLETION|OPENAI|ANTHROPIC|MISTRAL|COHERE|TOGETHER|HF|INFERENCE)_?(?:API_)?(?:BASE(?:_?URL)?|ENDPOINT|HOST|URL)\b/;

const NO_SIGNS: ProviderSigns = { signs: [], unresolved: [], failovers: [], unjudgedFailovers: [] };
const isNoSigns = (signs: ProviderSigns): boolean => signs === NO_SIGNS;

/**
 * The external providers a resource shows it calls: a provider's host in any
 * string it holds, a provider's key name as a setting name or a secret name,
 * a partner model on a cloud (an Azure deployment's `model.format`, a Vertex
 * `publishers/anthropic/models/…` path), the models of an LLM gateway
 * configuration (LiteLLM `model_list`) and the failovers it sets up
 * (`fallbacks`).
 */
export function providerSigns(resource: Resource): ProviderSigns {
  if (resource.type === PROVIDER_DECLARATION) return NO_SIGNS;
  const scanner = new SignScanner(signMatchers(), resource.cloud === 'azure', SECRET_STORE_TYPE.test(resource.type));
  for (const target of scanner.matchers.byResourceType.get(resource.type) ?? []) scanner.add(target, 'type', `${resource.type} (serves a model in your account)`);
  if (isDeployment(resource)) {
    const format = deploymentModel(resource)?.format;
    const target = typeof format === 'string' ? scanner.matchers.byAzureFormat.get(format.toLowerCase()) : undefined;
    if (target) scanner.add(target, 'model.format', `model.format = ${format} (a partner model on Azure)`);
    // A format known only at plan time may be a partner's (Mistral AI, Cohere): whose model it is cannot be read.
    if (format instanceof Unresolved || format instanceof Reference) scanner.unresolved().push(`model.format = ${format.expression}`);
  }
  scanner.walk(resource.properties as Value);
  return scanner.result();
}

/**
 * One scan of a resource's properties for provider signs. Its lists are
 * created only when something is found: most resources show no provider.
 */
class SignScanner {
  private signs?: ProviderSign[];
  private unresolvedSettings?: string[];
  private failovers?: GatewayFailover[];
  private unjudgedFailovers?: string[];
  private azureEndpoints?: AzureEndpoint[];
  /** Whether an endpoint setting names a host — a cloud's own AI service, or another — so that the SDK's default host is not the one called. */
  private endpointSet?: 'azure-openai' | 'cloud' | 'other';
  private seen?: Set<string>;
  /** Where the value being read is (`Environment.Variables.OPENAI_API_KEY`): its keys, rendered only where a sign is found. */
  private readonly path: (string | number)[] = [];

  constructor(
    readonly matchers: SignMatchers,
    private readonly exactNamesOnly = false,
    /** A secret or parameter store: it holds a key, and calls nothing. */
    private readonly secretStore = false,
  ) {}

  add(target: ProviderTarget & { readonly host?: string; readonly region?: string }, where: string, found: string, keyName = false): void {
    const key = `${target.provider.id}|${target.offering?.id ?? ''}|${target.host ?? ''}|${target.region ?? ''}|${where}`;
    const seen = (this.seen ??= new Set());
    if (seen.has(key)) return;
    seen.add(key);
    const sign: ProviderSign = { ...target, where, found };
    (this.signs ??= []).push(sign);
    if (keyName) this.fuzzyOrKey.add(sign);
    if (keyName && this.matchers.byName.has(found)) this.exactNames.add(sign);
  }

  /** Signs that are key or setting names: what an endpoint setting pointed at a cloud's own service makes the cloud's. */
  readonly fuzzyOrKey = new Set<ProviderSign>();
  /** Signs of a key name written exactly (`OPENAI_API_KEY`, not `/prod/openai-api-key`): settings code reads. */
  readonly exactNames = new Set<ProviderSign>();

  unresolved(): string[] {
    return (this.unresolvedSettings ??= []);
  }

  result(): ProviderSigns {
    if (!this.signs && !this.unresolvedSettings && !this.failovers && !this.unjudgedFailovers && !this.azureEndpoints) return NO_SIGNS;
    if (this.signs && this.endpointSet === undefined && !this.secretStore) this.signs = withDefaultHosts(this.signs, (this.unresolvedSettings ?? []).length > 0, this.exactNames);
    // The OpenAI SDK pointed at an Azure OpenAI account with its key: the OpenAI key is the account's (other providers' keys stay).
    if (this.signs && this.endpointSet === 'azure-openai') this.signs = this.signs.filter((sign) => sign.provider.id !== 'openai' || sign.host !== undefined || sign.offering !== undefined || !this.fuzzyOrKey.has(sign));
    if (this.signs && this.signs.length === 0 && !this.unresolvedSettings && !this.failovers && !this.unjudgedFailovers && !this.azureEndpoints) return NO_SIGNS;
    return { signs: this.signs ?? [], unresolved: this.unresolvedSettings ?? [], failovers: this.failovers ?? [], unjudgedFailovers: this.unjudgedFailovers ?? [], ...(this.azureEndpoints ? { azureEndpoints: this.azureEndpoints } : {}) };
  }

  // Depth is bounded by the readers (MAX_DOCUMENT_DEPTH), so the recursion is too.
  walk(value: Value): void {
    if (typeof value === 'string') {
      // JSON held in a string (Terraform's container_definitions, a secret's SecretString, a configuration blob) is read
      // as the document it is, key names included; an LLM gateway's configuration is read whole by the scan.
      const parsed = this.depth < MAX_EMBEDDED_DEPTH && !value.includes('model_list') ? embeddedJson(value) : undefined;
      // (embeddedJson refuses documents nested deeper than configuration is: they are scanned as text.)
      if (parsed !== undefined) {
        this.depth++;
        this.walk(parsed);
        this.depth--;
        return;
      }
      this.scan(value);
      for (const target of this.named(value)) this.add(target, render(this.path), value, true);
      // The clouds' own AI endpoints are no provider sign, but which account they name is a fact of its own.
      if (value.includes('.azure.com') && AZURE_ENDPOINT_SUFFIX.test(value)) this.azureEndpoint(value);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    // A value known only at deploy or plan time still shows the hosts its expression names (`https://${var.x}.api.openai.com`).
    if (value instanceof Unresolved || value instanceof Reference) {
      if (value instanceof Unresolved && AZURE_ENDPOINT_SUFFIX.test(value.expression)) this.azureEndpoint(value.expression, value.references);
      this.scan(value.expression);
      // A whole block known only at plan time (`jsonencode([{ environment = [{ name = "LLM_BASE_URL", value = var.x }] }])`)
      // that names an endpoint setting may point it at any provider, unless it names one's host.
      const setting = value instanceof Unresolved ? ENDPOINT_SETTING_IN_TEXT.exec(value.expression)?.[0] : undefined;
      if (setting && !this.matchers.anything.test(value.expression.toLowerCase())) this.unresolved().push(`${render(this.path)}: ${setting} in ${value.expression}`);
      return;
    }
    const { path, matchers } = this;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        this.walk(value[index]);
        path.pop();
      }
      return;
    }
    if (isGatewayContainer(value)) this.gatewayCommand(value);
    for (const key in value) {
      const inner = value[key];
      path.push(key);
      for (const target of this.named(key)) this.add(target, render(path), key, true);
      // An endpoint setting known only at deploy time may call any provider, unless its expression names one's host.
      if (inner instanceof Unresolved && ENDPOINT_SETTING.test(key) && !matchers.anything.test(inner.expression.toLowerCase())) this.unresolved().push(`${render(path)} = ${inner.expression}`);
      // An endpoint setting with a literal host no catalog entry names (OPENAI_BASE_URL=https://api.example-llm.com/v1)
      // calls a provider the catalog does not know; a cloud's own AI service is judged by the cloud rules.
      if (typeof inner === 'string' && ENDPOINT_SETTING.test(key)) {
        const host = hostOf(inner);
        const cloud = host !== undefined && matchers.cloudHost.test(host);
        const llm = LLM_ENDPOINT_SETTING.test(key);
        // An LLM endpoint setting decides which host the SDK calls: a cloud's own AI service (Azure OpenAI through the
        // OpenAI SDK), or another one.
        if (host && llm) this.endpointSet = cloud && AZURE_OPENAI_HOST.test(host) ? (this.endpointSet ?? 'azure-openai') : cloud ? (this.endpointSet ?? 'cloud') : 'other';
        if (host && !cloud && llm && !matchers.anything.test(host)) this.add({ provider: matchers.other, host }, render(path), `${host} (a host the catalog does not know)`);
      }
      this.walk(inner);
      path.pop();
    }
  }

  /** Nesting of JSON read out of strings, bounded. */
  private depth = 0;

  /**
   * The model an LLM gateway container is started with (`litellm --model
   * anthropic/claude-…`, `--api_base` too), read from its command line as the
   * gateway reads it: a provider like one of its `model_list`.
   */
  private gatewayCommand(container: { readonly [key: string]: Value }): void {
    for (const key in container) {
      if (!COMMAND_KEY.test(key)) continue;
      const line = container[key];
      const tokens = (Array.isArray(line) ? line : [line]).flatMap((token): Value[] => (typeof token === 'string' ? token.split(/\s+/).filter(Boolean) : [token]));
      const option = (name: string): Value | undefined => {
        for (let index = 0; index < tokens.length; index++) {
          const token = tokens[index];
          if (token === `--${name}`) return tokens[index + 1];
          if (typeof token === 'string' && token.startsWith(`--${name}=`)) return token.slice(name.length + 3);
        }
        return undefined;
      };
      const model = option('model');
      if (model === undefined) continue;
      this.path.push(key);
      const where = render(this.path);
      this.path.pop();
      if (typeof model !== 'string') {
        this.unresolved().push(`${where}: --model ${describeValue(model)} (the model an LLM gateway is started with, known only at deploy or plan time)`);
        continue;
      }
      const apiBase = option('api_base');
      const entry = gatewayEntry(model.toLowerCase(), typeof apiBase === 'string' ? apiBase.toLowerCase() : undefined, this.matchers);
      if (entry?.kind === 'provider') this.add(entry.target, where, `${entry.target.found} (LLM gateway --model)`);
    }
  }

  /**
   * The providers a name is the key name of: as written (`OPENAI_API_KEY`), in
   * another case or with dashes (`openai-api-key`, `OpenAi__ApiKey` is not
   * one), or as the last part of a path or ARN (`/chat/prod/OPENAI_API_KEY`,
   * `prod/chat/OPENAI_API_KEY`, `…:secret:chat:OPENAI_API_KEY::`).
   */
  named(name: string): readonly ProviderTarget[] {
    const { byName } = this.matchers;
    const exact = byName.get(name);
    if (exact) return exact;
    // Key names end in KEY, TOKEN or an ID: a test that allocates nothing skips the other names. In Azure, a Key Vault
    // secret named openai-api-key is as likely Azure OpenAI's key: only the exact names count there.
    if (name.length > 512 || this.exactNamesOnly || !KEY_NAME_HINT.test(name)) return NO_TARGETS;
    const normalized = name.toUpperCase().replace(/-/g, '_');
    const direct = byName.get(normalized);
    if (direct) return direct;
    if (!/[/:]/.test(name)) return NO_TARGETS;
    const out: ProviderTarget[] = [];
    for (const segment of normalized.split(/[/:]/)) {
      const targets = segment !== '' ? byName.get(segment) : undefined;
      if (targets) out.push(...targets);
    }
    return out;
  }

  /** Records the Azure AI account endpoints a text names; one whose subdomain is not literal, with what it is built from. */
  private azureEndpoint(text: string, references?: readonly string[]): void {
    const where = render(this.path);
    const list = (this.azureEndpoints ??= []);
    let literal = false;
    AZURE_ENDPOINT.lastIndex = 0;
    for (const match of text.matchAll(AZURE_ENDPOINT)) {
      literal = true;
      // privatelink.openai.azure.com is the private DNS zone of every account, not one of them.
      if (match[1].toLowerCase() !== 'privatelink') list.push({ where, text, subdomain: match[1].toLowerCase() });
    }
    if (!literal) list.push({ where, text, references: references ?? [] });
  }

  private scan(text: string): void {
    const { matchers } = this;
    // Most strings name no host, image, model path or gateway model list: one case-insensitive test skips them.
    if (!matchers.anythingOrGateway.test(text)) return;
    const lower = text.toLowerCase();
    if (lower.includes('model_list')) {
      const where = render(this.path);
      const gateway = readGateway(text, matchers);
      for (const model of gateway.models) this.add(model, where, `${model.found} (LLM gateway model_list)`);
      for (const failover of gateway.failovers) (this.failovers ??= []).push({ where, ...failover });
      for (const what of gateway.unjudged) (this.unjudgedFailovers ??= []).push(`${where}: ${what}`);
      for (const what of gateway.unresolved) this.unresolved().push(`${where}: ${what}`);
    }
    // Most strings name no host, image or model path: one test of the combined pattern skips them.
    if (!matchers.anything.test(lower)) return;
    const where = render(this.path);
    for (const { target, host } of matchers.hosts) if (containsHost(lower, host)) this.add({ ...target, host }, where, host);
    for (const { target, pattern } of matchers.hostPatterns) {
      const match = pattern.exec(lower);
      // A dedicated endpoint's host names its cloud region (`x.us-east-1.aws.endpoints.huggingface.cloud`).
      const region = match ? HOST_REGION.exec(match[0])?.[1] : undefined;
      if (match) this.add({ ...target, ...(region !== undefined ? { region } : {}) }, where, match[0]);
    }
    for (const { target, image } of matchers.images) if (lower.includes(image)) this.add(target, where, `image ${image}`);
    for (const { target, path } of matchers.modelPaths) if (lower.includes(path)) this.add(target, where, `${path}… (a partner model on a cloud)`);
  }
}

const NO_TARGETS: readonly ProviderTarget[] = [];

/** Where a container's command line is: ECS `Command`/`EntryPoint`, Terraform and Kubernetes `command`/`entryPoint`/`args`. */
const COMMAND_KEY = /^(?:command|entry_?point|args)$/i;

/** A container of an LLM gateway (LiteLLM): its image, or its command line, names it. */
function isGatewayContainer(value: { readonly [key: string]: Value }): boolean {
  for (const key in value) {
    const inner = value[key];
    if (/^image$/i.test(key) && typeof inner === 'string' && /litellm/i.test(inner)) return true;
    if (COMMAND_KEY.test(key) && (Array.isArray(inner) ? inner : [inner]).some((token) => typeof token === 'string' && /(?:^|[\s/])litellm(?:\s|$)/i.test(token))) return true;
  }
  return false;
}

/** Types that store a secret or parameter (a key), and call no provider themselves. */
const SECRET_STORE_TYPE = /secret|ssm_parameter|SSM::Parameter|key_vault|KeyVault/i;

/** An Azure OpenAI or AI Services account's host, which the OpenAI SDK can call with the account's key. */
const AZURE_OPENAI_HOST = /\.(?:openai|cognitiveservices|services\.ai)\.azure\.com$/i;

/** The cloud region in a dedicated endpoint's host name: `<id>.<region>.<aws|azure|gcp>.endpoints.huggingface.cloud`. */
const HOST_REGION = /\.([a-z]{2,}(?:-[a-z]+)+-?\d+)\.(?:aws|azure|gcp)\./;

/** What every key and setting name of the catalog contains (…_API_KEY, HF_TOKEN, HF_MODEL_ID, …_PROJECT_ID, CLAUDE_CODE_USE_VERTEX). */
const KEY_NAME_HINT = /key|token|_id|vertex/i;

/** How deeply JSON read out of strings is read out of strings again. */
const MAX_EMBEDDED_DEPTH = 3;

/** The JSON object or array a string holds, if it holds one (and is not too large to be configuration). */
function embeddedJson(text: string): Value | undefined {
  const first = text.charCodeAt(0);
  // '[' or '{': most strings are neither.
  if ((first !== 0x5b && first !== 0x7b) || text.length > 1_000_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && depthAtMost(parsed, MAX_EMBEDDED_NESTING) ? (parsed as Value) : undefined;
  } catch {
    return undefined;
  }
}

/** How deeply JSON held in a string may nest to be read as a document (configuration nests a few levels). */
const MAX_EMBEDDED_NESTING = 64;

/** Whether a parsed value nests no deeper than `limit`, measured without recursion. */
function depthAtMost(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > limit) return false;
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return true;
}

/**
 * A key name alone (`OPENAI_API_KEY`) with no host of its provider beside it
 * calls the provider's default host, which the SDK uses unless told
 * otherwise: where the host chooses the processing region (OpenAI's
 * `eu.api.openai.com`), a declaration of another host does not cover it. An
 * endpoint setting known only at deploy time, or one naming any host, decides
 * instead: left as it is.
 */
function withDefaultHosts(signs: ProviderSign[], endpointUnresolved: boolean, exactNames: ReadonlySet<ProviderSign>): ProviderSign[] {
  if (endpointUnresolved) return signs;
  return signs.map((sign) => {
    if (!exactNames.has(sign) || sign.host !== undefined || sign.offering !== undefined || sign.provider.hosts.length === 0) return sign;
    if (!sign.provider.offerings.some((offering) => offering.residency.options.some((option) => option.hosts.length > 0))) return sign;
    if (signs.some((other) => other.provider === sign.provider && other.host !== undefined)) return sign;
    return { ...sign, host: sign.provider.hosts[0], found: `${sign.found} (no base URL beside it: the SDK calls ${sign.provider.hosts[0]})` };
  });
}

/** Where a value sits in a resource's properties: its keys and indexes from the root, rendered only when a sign is found there. */
type Where = readonly (string | number)[];

function render(at: Where): string {
  let text = '';
  for (const segment of at) text = typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment;
  return text;
}

/** {@link providerSigns} once per resource and run: the rules and the documentation read the same signs. */
export function providerSignsOf(context: AnalysisContext, resource: Resource): ProviderSigns {
  return sparseFact(context, 'providers.signs', resource, providerSigns, NO_SIGNS, isNoSigns);
}

/**
 * The declarations that cover a target: of its provider, and of its offering
 * when the sign shows one — a sign that shows no offering (a host, a key name)
 * is the provider's own API, which a partner offering (Claude on Vertex AI)
 * does not cover; of its host when a gateway names one and the declaration does.
 */
export function declarationsFor(context: AnalysisContext, target: ProviderTarget & { readonly host?: string; readonly region?: string }): readonly Resource[] {
  const declared = declaredProviders(context).get(target.provider.id) ?? [];
  return declared.filter((resource) => {
    const declaration = declarationOf(resource)!;
    const offering = catalogEntryOf(declaration).offering;
    if (target.offering ? declaration.offering !== target.offering.id : offering.signals !== undefined) return false;
    if (target.region !== undefined && declaration.region !== undefined && declaration.region !== target.region) return false;
    return target.host === undefined || declaration.host === undefined || declaration.host === target.host;
  });
}

interface GatewayModel extends ProviderTarget {
  readonly found: string;
  /** The host its `api_base` names, when literal. */
  readonly host?: string;
}

/** What a gateway model is: an external provider's, a cloud's own (judged by the cloud rules), or unknown. */
type GatewayEntry = { readonly kind: 'provider'; readonly target: GatewayModel } | { readonly kind: 'cloud'; readonly prefix: string };

/** What a gateway configuration shows: its models, the failovers it sets up, and what of it cannot be read. */
interface GatewayReading {
  readonly models: readonly GatewayModel[];
  readonly failovers: readonly Omit<GatewayFailover, 'where'>[];
  /** Failovers the gateway sets up that cannot be judged (a cloud's own model, a configuration that does not parse). */
  readonly unjudged: readonly string[];
  /** Endpoints known only at run time (`api_base: os.environ/…`). */
  readonly unresolved: readonly string[];
}

/**
 * The models of a LiteLLM configuration (`model_list`, each `litellm_params.model`
 * with its provider prefix, and `api_base` when it names a host) and the
 * failovers of its `fallbacks` lists (`router_settings`, `litellm_settings`
 * or top level; `default_fallbacks` apply to every model). YAML merge keys are
 * honoured as LiteLLM's loader does. A configuration that does not parse is
 * read by its `model:` lines, and its failovers cannot be judged.
 */
function readGateway(text: string, matchers: SignMatchers): GatewayReading {
  let parsed: unknown;
  try {
    const yaml: typeof import('yaml') = require('yaml');
    parsed = yaml.parse(text, { maxAliasCount: 100, uniqueKeys: false, merge: true, logLevel: 'error' });
  } catch {
    parsed = undefined;
  }
  const config = isJsonRecord(parsed) ? parsed : undefined;
  if (!config || !Array.isArray(config.model_list)) {
    const models: GatewayModel[] = [];
    for (const match of text.toLowerCase().matchAll(/["']?model["']?\s*[:=]\s*["']?([a-z_]+\/[\w.@:-]*)/g)) {
      const entry = gatewayEntry(match[1], undefined, matchers);
      if (entry?.kind === 'provider') models.push(entry.target);
    }
    const unjudged = /fallbacks/i.test(text) ? ['its fallbacks: the configuration is not YAML the guardrail can read (an expression known only at plan time, or a syntax error)'] : [];
    return { models, failovers: [], unjudged, unresolved: [] };
  }
  const byName = new Map<string, GatewayEntry[]>();
  const unresolved: string[] = [];
  for (const entry of config.model_list) {
    if (!isJsonRecord(entry) || !isJsonRecord(entry.litellm_params)) continue;
    const model = entry.litellm_params.model;
    if (typeof model !== 'string') continue;
    const name = typeof entry.model_name === 'string' ? entry.model_name : model;
    const apiBase = typeof entry.litellm_params.api_base === 'string' ? entry.litellm_params.api_base.toLowerCase() : undefined;
    // An endpoint read from the environment at run time may be any provider's.
    if (apiBase?.startsWith('os.environ/')) unresolved.push(`model ${name} (${model}): api_base = ${apiBase}`);
    const found = gatewayEntry(model.toLowerCase(), apiBase?.startsWith('os.environ/') ? undefined : apiBase, matchers);
    if (!found) continue;
    byName.set(name, [...(byName.get(name) ?? []), found]);
  }
  const models = [...byName.values()].flat().flatMap((entry) => (entry.kind === 'provider' ? [entry.target] : []));
  // Pairs of model names; default_fallbacks apply to every model, taken once per distinct target so that the work stays small.
  const pairs = new Map<string, [string, string]>();
  const entryKey = (entry: GatewayEntry): string => (entry.kind === 'cloud' ? `cloud:${entry.prefix}` : `${entry.target.provider.id}|${entry.target.offering?.id ?? ''}|${entry.target.host ?? ''}`);
  const addPair = (primary: string, fallback: string): void => {
    const key = `${(byName.get(primary) ?? []).map(entryKey).sort().join(',')}\u0000${(byName.get(fallback) ?? []).map(entryKey).sort().join(',')}`;
    if (!pairs.has(key)) pairs.set(key, [primary, fallback]);
  };
  for (const list of [config, config.router_settings, config.litellm_settings].filter(isJsonRecord)) {
    for (const [key, value] of Object.entries(list)) {
      if (!Array.isArray(value)) continue;
      if (key === 'default_fallbacks') {
        for (const fallback of value) if (typeof fallback === 'string') for (const primary of byName.keys()) if (primary !== fallback) addPair(primary, fallback);
      } else if (key.endsWith('fallbacks')) {
        for (const item of value) {
          if (!isJsonRecord(item)) continue;
          for (const [primary, fallbacks] of Object.entries(item)) for (const fallback of Array.isArray(fallbacks) ? fallbacks : [fallbacks]) if (typeof fallback === 'string') addPair(primary, fallback);
        }
      }
    }
  }
  const failovers: Omit<GatewayFailover, 'where'>[] = [];
  const unjudged: string[] = [];
  const seen = new Set<string>();
  for (const [primaryName, fallbackName] of pairs.values()) {
    const primaries = byName.get(primaryName) ?? [];
    const fallbacks = byName.get(fallbackName) ?? [];
    if (primaries.length === 0 || fallbacks.length === 0) {
      unjudged.push(`${primaryName} → ${fallbackName}: ${primaries.length === 0 ? primaryName : fallbackName} is not a model of the model_list the guardrail can read`);
      continue;
    }
    for (const primary of primaries) {
      for (const fallback of fallbacks) {
        const key = `${entryKey(primary)}\u0000${entryKey(fallback)}`;
        if (seen.has(key) || key === `${entryKey(fallback)}\u0000${entryKey(primary)}`) continue;
        seen.add(key);
        if (primary.kind === 'cloud' || fallback.kind === 'cloud') {
          const cloud = primary.kind === 'cloud' ? `${primaryName} (${primary.prefix}/)` : `${fallbackName} (${(fallback as { prefix: string }).prefix}/)`;
          unjudged.push(`${primaryName} → ${fallbackName}: ${cloud} is a cloud's own model, whose posture the cloud rules judge, not the provider catalog`);
          continue;
        }
        const member = (name: string, target: GatewayModel) => ({ model: name, provider: target.provider, ...(target.offering ? { offering: target.offering } : {}), ...(target.host ? { host: target.host } : {}) });
        failovers.push({ primary: member(primaryName, primary.target), fallback: member(fallbackName, fallback.target) });
      }
    }
  }
  return { models, failovers, unjudged, unresolved };
}

/** What a gateway model is: a partner offering (`vertex_ai/claude-…`), a provider by prefix or by the host its `api_base` names, a cloud's own model, or another provider. */
function gatewayEntry(model: string, apiBase: string | undefined, matchers: SignMatchers): GatewayEntry | undefined {
  const host = apiBase === undefined ? undefined : /^(?:[a-z]+:\/\/)?([^/:?#]+)/.exec(apiBase)?.[1];
  const provider = (target: ProviderTarget, found: string): GatewayEntry => ({ kind: 'provider', target: { ...target, found, ...(host ? { host } : {}) } });
  if (apiBase !== undefined) {
    const byHost = matchers.hosts.find(({ host: known }) => containsHost(apiBase, known)) ?? matchers.hostPatterns.find(({ pattern }) => pattern.test(apiBase));
    if (byHost) return provider(byHost.target, `${model} at ${apiBase}`);
  }
  const offering = matchers.gatewayModels.find(({ prefix }) => model.startsWith(prefix));
  if (offering) return provider(offering.target, model);
  // A model without a provider prefix is routed by its name (`gpt-4o` to OpenAI, `claude-…` to Anthropic), as a gateway's model map does.
  const bare = model.includes('/') ? undefined : matchers.byModelName.find(({ start }) => model.toLowerCase().startsWith(start));
  const prefix = bare ? (bare.provider.gatewayPrefixes?.[0] ?? bare.provider.id) : model.split('/')[0];
  if (matchers.cloudPrefixes.has(prefix)) return { kind: 'cloud', prefix };
  const known = bare ? bare.provider : matchers.byGatewayPrefix.get(prefix);
  // openai/… with an api_base elsewhere is an OpenAI-compatible server, not OpenAI; a prefix the catalog does not know is another provider.
  if (known && apiBase === undefined) {
    // Without api_base the SDK calls the provider's default host; where the host chooses the processing region, that host is the one to declare.
    const defaultHost = known.offerings.some((candidate) => candidate.residency.options.some((option) => option.hosts.length > 0)) ? known.hosts[0] : undefined;
    return { kind: 'provider', target: { provider: known, found: bare ? `${model} (routed to ${known.name} by its name)` : `${prefix}/`, ...(defaultHost ? { host: defaultHost } : {}) } };
  }
  if (known && known.hosts.length === 0) return provider({ provider: known }, bare ? model : `${prefix}/`);
  if (known) return provider({ provider: matchers.other }, `${model} at ${apiBase} (an OpenAI-compatible server the catalog does not know)`);
  if (!model.includes('/')) return undefined;
  return provider({ provider: matchers.other }, `${prefix}/ (a provider the catalog does not know)`);
}

function isJsonRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface SignMatchers {
  readonly hosts: readonly { readonly target: ProviderTarget; readonly host: string }[];
  readonly hostPatterns: readonly { readonly target: ProviderTarget; readonly pattern: RegExp }[];
  readonly images: readonly { readonly target: ProviderTarget; readonly image: string }[];
  readonly modelPaths: readonly { readonly target: ProviderTarget; readonly path: string }[];
  /** Key and setting names (`OPENAI_API_KEY`, `HF_MODEL_ID`, `ANTHROPIC_VERTEX_PROJECT_ID`) → what they show. */
  readonly byName: ReadonlyMap<string, readonly ProviderTarget[]>;
  readonly byResourceType: ReadonlyMap<string, readonly ProviderTarget[]>;
  /** Azure `model.format`, lower-cased → the partner offering. */
  readonly byAzureFormat: ReadonlyMap<string, ProviderTarget>;
  readonly byGatewayPrefix: ReadonlyMap<string, LlmProvider>;
  /** Starts of bare model names, longest first, with the provider a gateway routes them to. */
  readonly byModelName: readonly { readonly start: string; readonly provider: LlmProvider }[];
  /** Gateway prefixes of the clouds' own model services (`bedrock/`, `azure/`, `vertex_ai/`). */
  readonly cloudPrefixes: ReadonlySet<string>;
  /** Gateway model prefixes of partner offerings (`vertex_ai/claude`). */
  readonly gatewayModels: readonly { readonly target: ProviderTarget; readonly prefix: string }[];
  readonly other: LlmProvider;
  /** Host names of the clouds' own AI services (Azure OpenAI, Bedrock, Vertex AI). */
  readonly cloudHost: RegExp;
  /** Any host, host pattern, image or model path of the catalog: a string without one is skipped at once. */
  readonly anything: RegExp;
  /** {@link anything} or a gateway's `model_list`, in any case: whether a string needs a closer look. */
  readonly anythingOrGateway: RegExp;
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
  const offerings = catalog.flatMap((provider) => provider.offerings.map((offering): Required<ProviderTarget> => ({ provider, offering })));
  const hosts = catalog.flatMap((provider) => provider.hosts.map((host) => ({ target: { provider }, host })));
  const hostPatterns = catalog.flatMap((provider) => (provider.hostPatterns ?? []).map((pattern) => ({ target: { provider }, pattern: new RegExp(`[a-z0-9][a-z0-9.-]*${escape(pattern.slice(1))}`) })));
  const images = catalog.flatMap((provider) => (provider.imagePatterns ?? []).map((image) => ({ target: { provider }, image })));
  const modelPaths = offerings.flatMap((target) => (target.offering.signals?.modelPaths ?? []).map((path) => ({ target, path: path.toLowerCase() })));
  const fragments = [...hosts.map((entry) => entry.host), ...catalog.flatMap((provider) => (provider.hostPatterns ?? []).map((pattern) => pattern.slice(2))), ...images.map((entry) => entry.image), ...modelPaths.map((entry) => entry.path)].map(escape);
  const matchers: SignMatchers = {
    hosts,
    hostPatterns,
    images,
    modelPaths,
    byName: listed([
      ...catalog.flatMap((provider) => [...provider.secretNames, ...(provider.settingNames ?? [])].map((name): [string, ProviderTarget] => [name, { provider }])),
      ...offerings.flatMap((target) => (target.offering.signals?.settingNames ?? []).map((name): [string, ProviderTarget] => [name, target])),
    ]),
    byResourceType: listed(catalog.flatMap((provider) => (provider.resourceTypes ?? []).map((type): [string, ProviderTarget] => [type, { provider }]))),
    byAzureFormat: new Map(offerings.flatMap((target) => (target.offering.signals?.azureModelFormats ?? []).map((format): [string, ProviderTarget] => [format.toLowerCase(), target]))),
    byGatewayPrefix: new Map(catalog.flatMap((provider) => (provider.gatewayPrefixes ?? []).map((prefix): [string, LlmProvider] => [prefix, provider]))),
    byModelName: catalog.flatMap((provider) => (provider.gatewayModelNames ?? []).map((start) => ({ start: start.toLowerCase(), provider }))).sort((a, b) => b.start.length - a.start.length),
    cloudPrefixes: new Set(llmProviders().cloudGatewayPrefixes),
    gatewayModels: offerings.flatMap((target) => (target.offering.signals?.gatewayModels ?? []).map((prefix) => ({ target, prefix: prefix.toLowerCase() }))),
    other: catalog.find((provider) => provider.id === 'other')!,
    cloudHost: new RegExp(llmProviders().cloudHostPatterns.join('|'), 'i'),
    anything: fragments.length > 0 ? new RegExp(fragments.join('|')) : /(?!)/,
    anythingOrGateway: new RegExp([...fragments, 'model_list'].join('|'), 'i'),
  };
  compiled = { catalog, matchers };
  return matchers;
}

/** The host of an HTTP or WebSocket URL or of a bare host name (not an s3:// or other location), lower-cased, without port or trailing dot; undefined for anything else. */
function hostOf(text: string): string | undefined {
  const trimmed = text.trim().toLowerCase();
  const match = /^(?:(?:https?|wss?):\/\/)?(?:[^@/\s]*@)?(\[[0-9a-f:]+\]|[a-z0-9.-]+)(?::\d+)?(?:[/?#].*)?$/.exec(trimmed);
  if (!match) return undefined;
  const host = match[1].replace(/\.$/, '');
  // A bare word (a name, a flag) is no host; an IP address or a name with a dot, or localhost, is.
  return host.includes('.') || host.startsWith('[') || host === 'localhost' ? host : undefined;
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
