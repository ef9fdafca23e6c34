/**
 * Where prompts, documents and conversations are stored outside the logs:
 * the vector stores of knowledge bases (retrieved chunks are personal data),
 * the buckets their data sources read documents from, and the tables that
 * code calling Bedrock writes to (chat history). Retention, encryption and
 * network rules judge these stores, and the data-flow documentation draws them.
 */
import type { Resource } from '../core/graph';
import { Unresolved, Value, asList, block, isPlainObject, textOf, valueAt } from '../core/values';
import { bedrockCallers, bedrockPrincipals } from './bedrock-callers';
import type { AnalysisContext } from './context';
import { principalsOf } from './iam';
import { resolveResource } from './resolve';
import { AWS_TYPES } from './resource-types';

/** Store types, CloudFormation and Terraform. */
export const STORE_TYPES = {
  collection: 'AWS::OpenSearchServerless::Collection',
  securityPolicy: 'AWS::OpenSearchServerless::SecurityPolicy',
  table: 'AWS::DynamoDB::Table',
  globalTable: 'AWS::DynamoDB::GlobalTable',
  tfCollection: 'aws_opensearchserverless_collection',
  tfSecurityPolicy: 'aws_opensearchserverless_security_policy',
  tfTable: 'aws_dynamodb_table',
} as const;

const KNOWLEDGE_BASES = ['AWS::Bedrock::KnowledgeBase', 'aws_bedrockagent_knowledge_base'];
const DATA_SOURCES = ['AWS::Bedrock::DataSource', 'aws_bedrockagent_data_source'];
const COLLECTIONS = [STORE_TYPES.collection, STORE_TYPES.tfCollection];
const TABLES = [STORE_TYPES.table, STORE_TYPES.globalTable, STORE_TYPES.tfTable];

/** The tag (or label) by which a team says what a store holds: `prompts` (conversations) or `none`. */
export const DATA_ROLE_TAG = 'llm-guardrail-data-role';

/**
 * What a store holds: a knowledge base's vector index, the documents a data
 * source reads, conversations (chat history) — or, for a table code calling
 * Bedrock writes whose role cannot be known, possibly conversations.
 */
export type StoreKind = 'vector-store' | 'documents' | 'conversations' | 'possible-conversations';

export interface PromptStore {
  readonly resource: Resource;
  readonly kind: StoreKind;
  /** Why it counts, for messages: `the vector store of knowledge base "Claims"`. */
  readonly why: string;
  /** For a table: the code (or its role) that uses it. */
  readonly writer?: Resource;
}

/** Every store of prompts, documents or conversations, once each, in document order; once per run. */
export function promptStores(context: AnalysisContext): readonly PromptStore[] {
  return context.memo('prompt-stores', () => {
    const stores = new Map<string, PromptStore>();
    const add = (resource: Resource | undefined, kind: StoreKind, why: string, writer?: Resource): void => {
      if (resource && !stores.has(resource.key)) stores.set(resource.key, { resource, kind, why, ...(writer ? { writer } : {}) });
    };
    const { graph } = context;
    for (const kb of graph.ofType(...KNOWLEDGE_BASES)) {
      const terraform = kb.stack.format === 'terraform';
      const arn = terraform ? valueAt(kb.properties, 'storage_configuration.opensearch_serverless_configuration.collection_arn') : valueAt(kb.properties, 'StorageConfiguration.OpensearchServerlessConfiguration.CollectionArn');
      add(resolveResource(context, arn, COLLECTIONS), 'vector-store', `the vector store of knowledge base "${kb.id}"`);
    }
    for (const source of graph.ofType(...DATA_SOURCES)) {
      const terraform = source.stack.format === 'terraform';
      const arn = terraform ? valueAt(source.properties, 'data_source_configuration.s3_configuration.bucket_arn') : valueAt(source.properties, 'DataSourceConfiguration.S3Configuration.BucketArn');
      add(resolveResource(context, arn, AWS_TYPES.buckets), 'documents', `the documents of data source "${source.id}"`);
    }
    const callers = bedrockCallers(context);
    // The identities that may call Bedrock: the roles of the callers, and every principal an invoke grant reaches
    // (the code that runs as it may be defined elsewhere).
    const callerRoles = new Set(bedrockPrincipals(context));
    for (const caller of callers) {
      const role = resolveResource(context, caller.properties.Role ?? caller.properties.role, AWS_TYPES.principals);
      if (role) callerRoles.add(role.key);
    }
    for (const table of graph.ofType(...TABLES)) {
      const tableName = textOf(table.properties.TableName ?? table.properties.name);
      const caller = callers.find((candidate) => mentions(candidate, table.key, tableName));
      const writer = caller ?? writingCaller(context, table, callerRoles);
      if (!writer) continue;
      const declared = tagValue(table, DATA_ROLE_TAG);
      if (declared === 'none') continue;
      const conversations = declared === 'prompts' || /chat|histor|conversation|session|message|memory|prompt|transcript/i.test(`${table.id} ${textOf(table.properties.TableName ?? table.properties.name) ?? ''}`);
      add(table, conversations ? 'conversations' : 'possible-conversations', `a table ${writer.type} "${writer.id}" (which ${caller ? 'calls' : 'may call'} Bedrock) uses`, writer);
    }
    return [...stores.values()];
  });
}

/**
 * Whether a resource's properties mention another resource: a reference, an
 * expression built around it, or its literal name (Terraform resolves
 * `${aws_dynamodb_table.t.name}` to the name it sets).
 */
function mentions(resource: Resource, key: string, name: string | undefined): boolean {
  const pending: Value[] = [resource.properties as Value];
  while (pending.length > 0) {
    const value = pending.pop();
    if (name !== undefined && typeof value === 'string' && value === name) return true;
    if (value instanceof Unresolved) {
      if (value.references.includes(key)) return true;
    } else if (value !== null && typeof value === 'object' && 'target' in value && (value as { target: string }).target === key) {
      return true;
    } else if (Array.isArray(value)) pending.push(...value);
    else if (isPlainObject(value)) pending.push(...Object.values(value));
  }
  return false;
}

/** A caller whose role's policies name the table. */
function writingCaller(context: AnalysisContext, table: Resource, callerRoles: ReadonlySet<string>): Resource | undefined {
  for (const holder of context.graph.referrers(table.key)) {
    if (!AWS_TYPES.policies.includes(holder.type) && !AWS_TYPES.principals.includes(holder.type)) continue;
    const principal = principalsOf(context, holder).find((candidate) => callerRoles.has(candidate.key));
    if (principal) return principal;
  }
  return undefined;
}

/** A tag's value on a CloudFormation (Tags list) or Terraform (tags map) resource. */
function tagValue(resource: Resource, key: string): string | undefined {
  const tags = resource.properties.Tags ?? resource.properties.tags;
  if (isPlainObject(tags)) return textOf(tags[key]);
  for (const tag of asList(tags)) if (isPlainObject(tag) && tag.Key === key) return textOf(tag.Value);
  return undefined;
}

/** Whether a table expires its items (DynamoDB TTL): yes, no, or known only at deploy time. */
export function tableTimeToLive(table: Resource): { readonly state: boolean | 'unknown'; readonly found: string; readonly attribute: string } {
  const terraform = table.stack.format === 'terraform';
  const attribute = terraform ? 'ttl' : 'TimeToLiveSpecification';
  const spec = table.properties[attribute];
  if (spec instanceof Unresolved) return { state: 'unknown', found: `${attribute} = ${spec.expression}`, attribute };
  const enabled = block(spec)?.[terraform ? 'enabled' : 'Enabled'];
  if (enabled instanceof Unresolved) return { state: 'unknown', found: `${attribute}.${terraform ? 'enabled' : 'Enabled'} = ${enabled.expression}`, attribute };
  const on = enabled === true || enabled === 'true';
  return { state: on, found: on ? `${attribute} enabled` : `${attribute} = ${spec === undefined ? '(not set)' : 'disabled'}`, attribute };
}

/** An OpenSearch Serverless security policy's rules that cover a collection, parsed. */
export function collectionPolicies(context: AnalysisContext, collection: Resource, type: 'encryption' | 'network'): { readonly policy: Resource; readonly document: Value }[] {
  const name = textOf(collection.properties.Name ?? collection.properties.name);
  const out: { policy: Resource; document: Value }[] = [];
  for (const policy of context.graph.ofType(STORE_TYPES.securityPolicy, STORE_TYPES.tfSecurityPolicy)) {
    if ((policy.properties.Type ?? policy.properties.type) !== type) continue;
    const raw = policy.properties.Policy ?? policy.properties.policy;
    let document: Value = raw ?? null;
    // CDK writes a policy built with JSON.stringify around tokens as a join: parse its text, keeping the tokens unresolved.
    const text = typeof raw === 'string' ? raw : raw instanceof Unresolved ? raw.expression : undefined;
    if (text !== undefined) {
      try {
        document = raw instanceof Unresolved ? withTokens(JSON.parse(text) as Value, raw) : (JSON.parse(text) as Value);
      } catch {
        document = raw instanceof Unresolved ? raw : new Unresolved(text, 'a security policy that is not JSON');
      }
    }
    if (document instanceof Unresolved || name === undefined) {
      out.push({ policy, document: document instanceof Unresolved ? document : new Unresolved(String(raw), 'the collection name is known only at deploy time') });
      continue;
    }
    const entries = Array.isArray(document) ? document : [document];
    for (const entry of entries) {
      if (!isPlainObject(entry)) continue;
      const covers = asList(entry.Rules).some((rule) => isPlainObject(rule) && rule.ResourceType === 'collection' && asList(rule.Resource).some((pattern) => typeof pattern === 'string' && globMatches(pattern, `collection/${name}`)));
      if (covers) out.push({ policy, document: entry });
    }
  }
  return out;
}

/** Strings of a parsed document that still hold `${…}` are deploy-time values of the resources the source mentions. */
function withTokens(value: Value, source: Unresolved): Value {
  if (typeof value === 'string') return value.includes('${') ? new Unresolved(value, source.reason, source.references.filter((key) => value.includes(`\${${key.split('/').pop()}`))) : value;
  if (Array.isArray(value)) return value.map((item) => withTokens(item, source));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withTokens(item, source)]));
  return value;
}

function globMatches(pattern: string, text: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(text);
}
