/**
 * Declarations of the external LLM providers an app calls (OpenAI, Anthropic,
 * Cohere, …): which provider and offering, the host or region used, the data
 * classification sent, and the contract evidence the team holds. They deploy
 * nothing and are read from where they are written:
 *
 * - a CloudFormation template's top-level `Metadata` under
 *   `LlmGuardrail::ExternalProviders` (what the CDK construct writes);
 * - a Terraform JSON configuration's top-level `"//"` comment under
 *   `llm-guardrail.providers` (what the CDKTF construct writes);
 * - a declarations file (`--providers <file>`, or the policy key `providers`)
 *   for apps that use neither.
 *
 * Each declaration becomes a resource of type `LlmGuardrail::ExternalProvider`
 * in the graph, so the rules judge it and findings name it like any resource.
 */
import * as fs from 'fs';
import * as path from 'path';
import { printable } from '../core/printable';
import { llmProviders } from '../catalogs';
import { InputError } from '../core/errors';
import { Resource, ResourceGraph, StackInfo } from '../core/graph';
import { Value, isJsonObject } from '../core/values';
import { DATA_CLASSIFICATIONS } from '../policy/spec';
import { checkDocument } from './json-file';

export const PROVIDER_DECLARATION_TYPE = 'LlmGuardrail::ExternalProvider';
/** Where a CloudFormation template holds the declarations: its top-level Metadata key. */
export const CFN_PROVIDERS_METADATA = 'LlmGuardrail::ExternalProviders';
/** Where a Terraform JSON configuration holds them: `"//": { "llm-guardrail": { "providers": [...] } }`. */
export const TF_PROVIDERS_COMMENT = 'llm-guardrail';

/** The keys a declaration may have. */
export const DECLARATION_KEYS = ['name', 'provider', 'offering', 'host', 'region', 'dataClassification', 'licence', 'fallbackFor', 'evidence'] as const;
/** The evidence documents a declaration may name, each with its dates. */
export const EVIDENCE_KEYS = ['baa', 'dpa', 'zeroRetention', 'trainingOptOut', 'soc2', 'bridgeLetter', 'vendorReview'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The fields of each evidence document, and which of them are dates. */
const EVIDENCE_FIELDS: { readonly [key in (typeof EVIDENCE_KEYS)[number]]: { readonly dates: readonly string[]; readonly text: readonly string[] } } = {
  baa: { dates: ['signed'], text: ['reference'] },
  dpa: { dates: ['signed'], text: ['reference'] },
  zeroRetention: { dates: ['approved'], text: ['reference'] },
  trainingOptOut: { dates: ['date'], text: ['reference'] },
  soc2: { dates: ['periodStart', 'periodEnd'], text: ['reference', 'criteria'] },
  bridgeLetter: { dates: ['date', 'coversUntil'], text: ['reference'] },
  vendorReview: { dates: ['date'], text: ['reviewer'] },
};

/** Turns a list of declarations into graph resources; one clear line (what, where, fix) for anything malformed. */
export function declarationResources(declarations: unknown, stack: StackInfo, where: string): Resource[] {
  if (!Array.isArray(declarations)) throw new InputError(`${where}: provider declarations must be a list`, 'write providers: [{ name, provider, host, dataClassification, evidence }]');
  const names = new Set<string>();
  return declarations.map((declaration, index) => {
    const at = `${where}[${index}]`;
    const checked = validateDeclaration(declaration, at);
    if (names.has(checked.name)) throw new InputError(`${at}: a second declaration named "${checked.name}"`, 'give each declared provider a unique name');
    names.add(checked.name);
    return { key: `${stack.name}/${checked.name}`, id: checked.name, type: PROVIDER_DECLARATION_TYPE, cloud: 'other', stack, properties: checked as unknown as { [key: string]: Value } };
  });
}

/** The graph with the declarations of a file (`--providers`, the policy key `providers`) as a stack of its own. */
export function withDeclarationsFile(graph: ResourceGraph, file: string | undefined): ResourceGraph {
  if (file === undefined) return graph;
  const { stack, resources } = readDeclarationsFile(file);
  return graph.with([stack], resources);
}

/** A declarations file (YAML or JSON): `providers: [...]`, read into a stack of its own. */
export function readDeclarationsFile(file: string): { stack: StackInfo; resources: Resource[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: provider declarations file cannot be read`, 'check the path given to --providers or the policy key providers');
  }
  let document: unknown;
  try {
    // Read as strictly as policy files: unknown tags, duplicate keys, several documents and alias bombs are refused.
    // Loaded here, not at import: most runs have no declarations file, and the gates pay for every module they load.
    const { parseDocument } = require('yaml') as typeof import('yaml');
    const parsed = parseDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { strict: true, uniqueKeys: true, prettyErrors: false });
    const [problem] = [...parsed.errors, ...parsed.warnings];
    if (problem) throw new Error(problem.message);
    document = parsed.toJS({ maxAliasCount: 100 });
    JSON.stringify(document);
  } catch (error) {
    throw new InputError(`${file}: not valid YAML or JSON (${printable(String((error as Error).message).split('\n')[0])})`, 'write providers: [{ name, provider, host, dataClassification, evidence }]');
  }
  checkDocument(document, file);
  if (!isJsonObject(document) || document.providers === undefined) throw new InputError(`${file}: no "providers" list`, 'write providers: [{ name, provider, host, dataClassification, evidence }]');
  const extra = Object.keys(document).filter((key) => key !== 'providers' && key !== '$schema');
  if (extra.length > 0) throw new InputError(`${file}: unknown key "${extra[0]}"`, 'a declarations file holds providers (and $schema)');
  const stack: StackInfo = { name: path.basename(file), format: 'declarations', file };
  return { stack, resources: declarationResources(document.providers, stack, `${file}: providers`) };
}

/** A provider declaration as written in code, a template, a Terraform comment or a declarations file. */
export interface ProviderDeclarationSpec {
  /** Unique name of the declaration in the app (findings name it). */
  readonly name: string;
  /** A provider of the catalog (`llm-guardrail providers`), or `other`. */
  readonly provider: string;
  /** The offering; optional when the provider has one or a default (its own API). */
  readonly offering?: string;
  /** The API host the app calls (`eu.api.openai.com`). */
  readonly host?: string;
  /** The cloud region, for per-endpoint offerings and self-hosted models (`eu-west-1`). */
  readonly region?: string;
  /** What the app sends: public, internal, confidential, pii or phi. */
  readonly dataClassification: string;
  /** The model's licence, for self-hosted open weights. */
  readonly licence?: string;
  /** The declaration this one takes over from when it fails (failover or routing): it must match that one's posture. */
  readonly fallbackFor?: string;
  /** Contract evidence the team holds, each document with its dates. */
  readonly evidence?: { readonly [document: string]: { readonly [field: string]: string } };
}

/** Checks one declaration (structure, catalog ids, dates); throws one InputError line naming `at`. */
export function validateProviderDeclaration(value: unknown, at: string): ProviderDeclarationSpec {
  return validateDeclaration(value, at);
}

/** A declaration as the reader validated it: the offering resolved, the host lower-cased, the evidence checked. */
export interface ProviderDeclaration {
  readonly name: string;
  readonly provider: string;
  readonly offering: string;
  readonly host?: string;
  readonly region?: string;
  readonly dataClassification: string;
  readonly licence?: string;
  readonly fallbackFor?: string;
  readonly evidence: { readonly [document: string]: { readonly [field: string]: string } };
}

function validateDeclaration(value: unknown, at: string): ProviderDeclaration {
  if (!isJsonObject(value)) throw new InputError(`${at}: a provider declaration must be an object`, 'e.g. { name: chat-fallback, provider: openai, host: eu.api.openai.com, dataClassification: pii }');
  for (const key of Object.keys(value)) {
    if (!(DECLARATION_KEYS as readonly string[]).includes(key)) throw new InputError(`${at}: unknown key "${key}"`, `allowed keys: ${DECLARATION_KEYS.join(', ')}`);
  }
  if (typeof value.name !== 'string' || !/^[\w.-]{1,64}$/.test(value.name)) throw new InputError(`${at}.name must be a short name (letters, digits, . _ -), found ${JSON.stringify(value.name)}`, 'e.g. name: chat-fallback');
  const catalog = llmProviders().providers;
  const provider = catalog.find((entry) => entry.id === value.provider);
  if (!provider) throw new InputError(`${at}.provider: unknown provider ${JSON.stringify(value.provider)}`, `use one of: ${catalog.map((entry) => entry.id).join(', ')} (llm-guardrail providers)`);
  const offerings = provider.offerings.map((offering) => offering.id);
  const offering = value.offering === undefined ? (offerings.length === 1 ? offerings[0] : provider.defaultOffering) : value.offering;
  if (typeof offering !== 'string' || !offerings.includes(offering)) {
    throw new InputError(`${at}.offering: ${value.offering === undefined ? `${provider.id} has several offerings` : `unknown offering ${JSON.stringify(value.offering)}`}`, `use one of: ${offerings.join(', ')}`);
  }
  for (const key of ['host', 'region', 'licence', 'fallbackFor'] as const) {
    if (value[key] !== undefined && (typeof value[key] !== 'string' || value[key] === '')) throw new InputError(`${at}.${key} must be a string`, `e.g. ${key}: ${key === 'host' ? 'eu.api.openai.com' : key === 'region' ? 'eu-west-1' : key === 'licence' ? 'apache-2.0' : 'chat-primary'}`);
  }
  if (provider.id === 'self-hosted' && value.licence === undefined) throw new InputError(`${at}: a self-hosted model's declaration names its licence`, 'e.g. licence: apache-2.0 (the model card says which)');
  if (typeof value.dataClassification !== 'string' || !(DATA_CLASSIFICATIONS as readonly string[]).includes(value.dataClassification)) {
    throw new InputError(`${at}.dataClassification: ${JSON.stringify(value.dataClassification)} is not a classification`, `use one of: ${DATA_CLASSIFICATIONS.join(', ')}`);
  }
  const evidence = value.evidence ?? {};
  if (!isJsonObject(evidence)) throw new InputError(`${at}.evidence must be an object`, `documents: ${EVIDENCE_KEYS.join(', ')}`);
  const checked: { [document: string]: { [field: string]: string } } = {};
  for (const [document, fields] of Object.entries(evidence)) {
    const shape = EVIDENCE_FIELDS[document as (typeof EVIDENCE_KEYS)[number]];
    if (!shape || !Object.prototype.hasOwnProperty.call(EVIDENCE_FIELDS, document)) throw new InputError(`${at}.evidence: unknown document "${document}"`, `documents: ${EVIDENCE_KEYS.join(', ')}`);
    if (!isJsonObject(fields)) throw new InputError(`${at}.evidence.${document} must be an object`, `fields: ${[...shape.dates, ...shape.text].join(', ')}`);
    for (const [field, fieldValue] of Object.entries(fields)) {
      if (shape.dates.includes(field)) {
        if (typeof fieldValue !== 'string' || !DATE.test(fieldValue) || Number.isNaN(Date.parse(fieldValue))) throw new InputError(`${at}.evidence.${document}.${field} must be a date YYYY-MM-DD, found ${JSON.stringify(fieldValue)}`, 'e.g. 2026-06-30');
      } else if (shape.text.includes(field)) {
        if (typeof fieldValue !== 'string' || fieldValue.trim() === '') throw new InputError(`${at}.evidence.${document}.${field} must be text`, 'e.g. a contract or ticket reference');
      } else throw new InputError(`${at}.evidence.${document}: unknown field "${field}"`, `fields: ${[...shape.dates, ...shape.text].join(', ')}`);
    }
    const missing = shape.dates.filter((field) => fields[field] === undefined);
    if (missing.length > 0) throw new InputError(`${at}.evidence.${document} needs ${missing.join(' and ')}`, `fields: ${[...shape.dates, ...shape.text].join(', ')}`);
    checked[document] = fields as { [field: string]: string };
  }
  return {
    name: value.name,
    provider: provider.id,
    offering,
    ...(typeof value.host === 'string' ? { host: value.host.toLowerCase() } : {}),
    ...(typeof value.region === 'string' ? { region: value.region } : {}),
    dataClassification: value.dataClassification,
    ...(typeof value.licence === 'string' ? { licence: value.licence } : {}),
    ...(typeof value.fallbackFor === 'string' ? { fallbackFor: value.fallbackFor } : {}),
    evidence: checked,
  };
}

/** Where the declarations file schema is written, relative to the package root; `npm run schema` regenerates it. */
export const PROVIDERS_SCHEMA_FILE = 'schema/providers.schema.json';

/**
 * The JSON Schema of declarations files, generated from the lists the
 * validator checks against (keys, catalog providers and offerings,
 * classifications, evidence documents and their date fields), so editors
 * complete and check what the tool accepts.
 */
export function providerDeclarationsSchema(): { [key: string]: unknown } {
  const catalog = llmProviders().providers;
  const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
  const evidence = Object.fromEntries(
    EVIDENCE_KEYS.map((document) => {
      const shape = EVIDENCE_FIELDS[document];
      return [
        document,
        {
          type: 'object',
          additionalProperties: false,
          required: [...shape.dates],
          properties: Object.fromEntries([...shape.dates.map((field) => [field, date]), ...shape.text.map((field) => [field, { type: 'string', minLength: 1, pattern: '\\S' }])]),
        },
      ];
    }),
  );
  const declaration: { [key: string]: unknown } = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'provider', 'dataClassification'],
    properties: {
      name: { type: 'string', pattern: '^[\\w.-]{1,64}$', description: 'Unique name of the declaration (findings name it)' },
      provider: { enum: catalog.map((provider) => provider.id), description: 'A provider of the catalog (llm-guardrail providers), or other' },
      offering: { enum: catalog.flatMap((provider) => provider.offerings.map((offering) => offering.id)), description: 'The offering; optional when the provider has one or a default (its own API)' },
      host: { type: 'string', minLength: 1, description: 'The API host the app calls, e.g. eu.api.openai.com' },
      region: { type: 'string', minLength: 1, description: 'The cloud region, for per-endpoint offerings and self-hosted models' },
      dataClassification: { enum: [...DATA_CLASSIFICATIONS] },
      licence: { type: 'string', minLength: 1, description: "The model's licence, for self-hosted open weights" },
      fallbackFor: { type: 'string', minLength: 1, description: 'The declaration this one takes over from (failover): it must match its posture' },
      evidence: { type: 'object', additionalProperties: false, properties: evidence, description: 'Contract evidence the team holds, each document with its dates' },
    },
    // The offering belongs to the provider; a provider with several and no default needs one named; a self-hosted model names its licence.
    allOf: catalog.map((provider) => {
      const required = [...(provider.offerings.length > 1 && provider.defaultOffering === undefined ? ['offering'] : []), ...(provider.id === 'self-hosted' ? ['licence'] : [])];
      return {
        if: { properties: { provider: { const: provider.id } }, required: ['provider'] },
        then: { ...(required.length > 0 ? { required } : {}), properties: { offering: { enum: provider.offerings.map((offering) => offering.id) } } },
      };
    }),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'llm-compliance-guardrail provider declarations',
    description: 'The external LLM providers an app calls, with the host or region used, the data sent and the contract evidence held.',
    type: 'object',
    additionalProperties: false,
    required: ['providers'],
    properties: { $schema: { type: 'string' }, providers: { type: 'array', items: declaration } },
  };
}
