/**
 * Google Cloud facts: where a Cloud KMS key lives, which arguments name a
 * customer-managed key, which project a resource belongs to, who may call a
 * Vertex AI endpoint and where its request/response logs go, what code and
 * HTTP callers are handed about Vertex AI (and so where Vertex AI is used),
 * and where log sinks send the Data Access audit logs. Rules, the data-flow
 * documentation and the Google constructs read them here.
 */
import type { Resource, ResourceGraph } from '../core/graph';
import { Reference, Unresolved, Value, asList, describeValue, isPlainObject, textOf, valueAt, walkKeys } from '../core/values';
import type { AnalysisContext } from './context';
import { memoByKey } from './context';
import { resolveResource } from './resolve';
import { GOOGLE_LOG_BUCKET_TYPES, TF_GOOGLE, TF_PREFIX } from './resource-types';

const KMS_CRYPTO_KEY_TYPE = TF_GOOGLE.kmsCryptoKey;
const KMS_KEY_RING_TYPE = TF_GOOGLE.kmsKeyRing;

/**
 * Cloud KMS names its multi-regions `europe`, `us` and `asia`, where BigQuery,
 * Cloud Logging and the location catalog say `eu`, `us` and `asia`. A
 * spelling alias, not residency data: both names denote the same place.
 */
const KMS_LOCATION_SPELLINGS: { readonly [kmsLocation: string]: string } = { europe: 'eu' };

/** A location as the location catalog spells it (`europe` → `eu`, lower case). */
export function catalogSpellingOfKmsLocation(location: string): string {
  const lower = location.trim().toLowerCase();
  return KMS_LOCATION_SPELLINGS[lower] ?? lower;
}

/** How Cloud KMS spells a catalog location (`eu` → `europe`), for fixes and for constructs creating key rings. */
export function kmsSpellingOfLocation(location: string): string {
  const lower = location.trim().toLowerCase();
  return Object.entries(KMS_LOCATION_SPELLINGS).find(([, catalog]) => catalog === lower)?.[0] ?? lower;
}

/** `projects/p/locations/L/keyRings/r[/cryptoKeys/k]` → `L`, when that segment is literal text. */
const KEY_PATH_LOCATION = /(?:^|\/)locations\/([^/]+)\/keyRings\//;

/** Where a customer-managed key lives: a literal location, or why it cannot be known. */
export type KeyLocation =
  | { readonly location: string; readonly via: string }
  | { readonly unresolved: string; readonly reason: string };

/**
 * The location of the Cloud KMS key a `kms_key_name`-style argument names:
 * parsed from a key path (`projects/p/locations/L/keyRings/r/cryptoKeys/k`,
 * also when only the project part is interpolated), or followed through a
 * `google_kms_crypto_key` of the same configuration to its key ring.
 */
export function keyLocation(value: Value | undefined, graph: ResourceGraph): KeyLocation {
  if (typeof value === 'string') {
    const match = KEY_PATH_LOCATION.exec(value);
    return match ? { location: match[1], via: value } : { unresolved: JSON.stringify(value), reason: 'it is not a Cloud KMS key name (projects/…/locations/…/keyRings/…/cryptoKeys/…)' };
  }
  if (value instanceof Reference) {
    const target = graph.get(value.target);
    if (target?.type === KMS_CRYPTO_KEY_TYPE) return keyRingLocation(target.properties.key_ring, graph, `${value.expression} → ${target.id}`);
    return { unresolved: value.expression, reason: `it refers to ${target ? target.type : 'a resource'} "${target?.id ?? value.target}", not to a google_kms_crypto_key` };
  }
  if (value instanceof Unresolved) {
    const match = KEY_PATH_LOCATION.exec(value.expression);
    if (match && !match[1].includes('${')) return { location: match[1], via: value.expression };
    const keys = value.references.map((key) => graph.get(key)).filter((resource): resource is Resource => resource?.type === KMS_CRYPTO_KEY_TYPE);
    if (keys.length === 1) return keyRingLocation(keys[0].properties.key_ring, graph, `${value.expression} → ${keys[0].id}`);
    return { unresolved: value.expression, reason: value.reason };
  }
  return { unresolved: describeValue(value), reason: 'no key is named' };
}

function keyRingLocation(keyRing: Value | undefined, graph: ResourceGraph, via: string): KeyLocation {
  const ring = graph.target(keyRing) ?? (keyRing instanceof Unresolved ? onlyOf(keyRing.references.map((key) => graph.get(key)).filter((resource) => resource?.type === KMS_KEY_RING_TYPE)) : undefined);
  if (ring?.type === KMS_KEY_RING_TYPE) {
    const location = ring.properties.location;
    if (typeof location === 'string') return { location, via: `${via} → ${ring.id}` };
    return { unresolved: `${via} → ${ring.id}.location = ${describeValue(location)}`, reason: 'the key ring location is known only at plan time' };
  }
  if (typeof keyRing === 'string' || keyRing instanceof Unresolved) {
    const text = typeof keyRing === 'string' ? keyRing : keyRing.expression;
    const match = KEY_PATH_LOCATION.exec(text);
    if (match && !match[1].includes('${')) return { location: match[1], via: `${via} → ${text}` };
  }
  return { unresolved: `${via} → key_ring = ${describeValue(keyRing)}`, reason: 'the key ring (and so the key location) is not in this configuration' };
}

function onlyOf<T>(items: readonly (T | undefined)[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** One argument that names a customer-managed key, with its dotted path for messages. */
export interface KeyArgument {
  readonly attribute: string;
  readonly value: Value;
}

/** Argument names that hold a Cloud KMS key across the google provider (`kms_key_name`, `default_kms_key_name`, `kms_key_self_link`). */
const KEY_ARGUMENT = /(?:^|_)kms_key_(?:name|self_link)$/;

/** Every argument of a resource, at any depth, that names a customer-managed key. */
export function keyArguments(resource: Resource): KeyArgument[] {
  const out: KeyArgument[] = [];
  // The keys down to a value; the dotted attribute is written only for the arguments found.
  const path: string[] = [];
  const visit = (value: Value): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (isPlainObject(value)) {
      for (const key in value) {
        const inner = value[key];
        path.push(key);
        if (key.includes('kms_key_') && KEY_ARGUMENT.test(key) && inner !== null && inner !== '') out.push({ attribute: path.join('.'), value: inner });
        else visit(inner);
        path.pop();
      }
    }
  };
  visit(resource.properties as { [key: string]: Value });
  return out;
}

/** The project a Google resource lands in, as the document states it. */
export interface ProjectOf {
  /** `undefined` when neither the resource nor its provider names a project (it comes from the environment at plan time). */
  readonly value: Value | undefined;
  /** `project` or `provider project`, for messages. */
  readonly attribute: string;
}

export function projectOf(resource: Resource): ProjectOf {
  if (resource.properties.project !== undefined && resource.properties.project !== null) return { value: resource.properties.project, attribute: 'project' };
  return { value: resource.providerConfig?.project ?? undefined, attribute: 'provider project' };
}

/**
 * A key under which two resources are known to share a project: the literal
 * project id, or, within one configuration, the same unresolved expression
 * (one variable has one value per plan). `undefined` when nothing names it.
 */
export function projectIdentity(resource: Resource, value: Value | undefined): string | undefined {
  if (typeof value === 'string') return `id:${value}`;
  if (value instanceof Reference || value instanceof Unresolved) return `expression:${resource.stack.name}:${value.expression}`;
  return undefined;
}

/** Where an endpoint's request/response logs go: a dataset of this configuration, or why that is unknown. */
export type PredictionLogDestination = { readonly dataset: Resource } | { readonly problem: string; readonly unverifiable: boolean };

/** The output URI of an endpoint's request/response logging. */
export const PREDICTION_LOG_URI = 'predict_request_response_logging_config.bigquery_destination.output_uri';

/**
 * The BigQuery dataset a Vertex AI endpoint writes request/response logs to:
 * `bq://project.dataset[.table]` naming a dataset of the configuration (by
 * its `dataset_id`, or through a reference), or why it cannot be known.
 */
export function predictionLogDestination(context: AnalysisContext, endpoint: Resource): PredictionLogDestination {
  return memoByKey(context, 'google.prediction-log-destination', endpoint, () => {
    const uri = valueAt(endpoint.properties, PREDICTION_LOG_URI);
    const datasets = context.graph.ofType(TF_GOOGLE.bigQueryDataset).filter((dataset) => dataset.stack === endpoint.stack);
    if (uri === undefined || uri === null || uri === '') return { problem: 'no output_uri is set, so Vertex AI creates a dataset of its own', unverifiable: false };
    if (typeof uri === 'string') {
      const match = /^bq:\/\/([^.]+)(?:\.([^.]+))?(?:\.[^.]+)?$/.exec(uri);
      if (!match) return { problem: `"${uri}" is not a bq://project.dataset URI`, unverifiable: true };
      if (!match[2]) return { problem: 'the URI names only a project, so Vertex AI creates a dataset of its own', unverifiable: false };
      const found = datasets.find((dataset) => dataset.properties.dataset_id === match[2] && (typeof dataset.properties.project !== 'string' || dataset.properties.project === match[1]));
      return found ? { dataset: found } : { problem: `dataset "${match[2]}" is not part of this configuration`, unverifiable: true };
    }
    const mentioned = uri instanceof Reference ? [uri.target] : uri instanceof Unresolved ? uri.references : [];
    const found = datasets.filter((dataset) => mentioned.includes(dataset.key));
    if (found.length === 1) return { dataset: found[0] };
    return { problem: 'the destination is known only at plan time', unverifiable: true };
  });
}

/**
 * Predefined roles that hold aiplatform.endpoints.predict, which every model call (predict, generateContent) needs:
 * Vertex AI User and Administrator, and their express-mode twins. Viewer roles cannot call models; service agent
 * roles belong to Google's own service agents, which Google grants them.
 */
const VERTEX_PREDICT_ROLES: ReadonlySet<string> = new Set(['roles/aiplatform.user', 'roles/aiplatform.admin', 'roles/aiplatform.expressUser', 'roles/aiplatform.expressAdmin']);
const PREDICT_PERMISSION = 'aiplatform.endpoints.predict';
const PROJECT_GRANT_TYPES: readonly string[] = [TF_GOOGLE.projectIamMember, TF_GOOGLE.projectIamBinding];
const ENDPOINT_GRANT_TYPES: readonly string[] = [TF_GOOGLE.vertexEndpointIamMember, TF_GOOGLE.vertexEndpointIamBinding];
const CUSTOM_ROLE_TYPES: readonly string[] = [TF_GOOGLE.projectCustomRole, TF_GOOGLE.organizationCustomRole];

/**
 * Whether a role lets its members call Vertex AI models: a predefined role holding aiplatform.endpoints.predict, or a
 * custom role of the configuration (by reference, or by its `projects/…/roles/<id>` name) that lists it.
 */
export function allowsVertexPredict(context: AnalysisContext, role: Value | undefined): boolean {
  const text = textOf(role);
  if (typeof role === 'string' && VERTEX_PREDICT_ROLES.has(role)) return true;
  const custom =
    resolveResource(context, role, CUSTOM_ROLE_TYPES) ??
    (text ? context.graph.ofType(...CUSTOM_ROLE_TYPES).find((candidate) => candidate.properties.role_id === /^(?:projects|organizations)\/[^/]+\/roles\/([^/]+)$/.exec(text)?.[1]) : undefined);
  return !!custom && asList(custom.properties.permissions).includes(PREDICT_PERMISSION);
}

/** The members a project-level grant gives a role that calls Vertex AI models; empty for any other resource. */
export function vertexPredictMembers(context: AnalysisContext, grant: Resource): readonly Value[] {
  if (!PROJECT_GRANT_TYPES.includes(grant.type) || !allowsVertexPredict(context, grant.properties.role)) return [];
  return [...asList(grant.properties.member), ...asList(grant.properties.members)].filter((member) => member !== '' && member !== null);
}

/** One member granted a Vertex AI role that reaches an endpoint. */
export interface VertexCaller {
  /** The IAM member or binding resource. */
  readonly grant: Resource;
  /** The member as written (`serviceAccount:…`, a reference to a service account). */
  readonly member: Value;
  /** The service account of the configuration the member names, if any. */
  readonly serviceAccount?: Resource;
  readonly role: string;
}

/**
 * Who may call each Vertex AI endpoint, by endpoint key: members of a
 * project-level grant of a Vertex AI role reach every endpoint of the
 * configuration; endpoint-level grants only their endpoint.
 */
export function vertexCallers(context: AnalysisContext): ReadonlyMap<string, readonly VertexCaller[]> {
  return context.memo('google.vertex-callers', () => {
    const { graph } = context;
    const endpoints = graph.ofType(TF_GOOGLE.vertexEndpoint);
    const callers = new Map<string, VertexCaller[]>();
    for (const grant of graph.ofType(...PROJECT_GRANT_TYPES, ...ENDPOINT_GRANT_TYPES)) {
      const role = textOf(grant.properties.role);
      if (!role || !allowsVertexPredict(context, grant.properties.role)) continue;
      const reached = ENDPOINT_GRANT_TYPES.includes(grant.type)
        ? endpoints.filter((endpoint) => resolveResource(context, grant.properties.endpoint, [TF_GOOGLE.vertexEndpoint]) === endpoint)
        : endpoints.filter((endpoint) => endpoint.stack === grant.stack);
      for (const member of [...asList(grant.properties.member), ...asList(grant.properties.members)]) {
        const serviceAccount = resolveResource(context, member, [TF_GOOGLE.serviceAccount]);
        for (const endpoint of reached) {
          let list = callers.get(endpoint.key);
          if (!list) callers.set(endpoint.key, (list = []));
          list.push({ grant, member, role, ...(serviceAccount ? { serviceAccount } : {}) });
        }
      }
    }
    return callers;
  });
}

/** The Google services a log sink can route to, as its destination names them. */
export type SinkService = 'logging' | 'storage' | 'bigquery' | 'pubsub' | 'other' | 'unknown';

/** Where a log sink's destination points, as far as the configuration says. */
export interface SinkTarget {
  /** The service the destination names: Cloud Logging (a log bucket), Cloud Storage, BigQuery, Pub/Sub; `unknown` when only plan time tells. */
  readonly service: SinkService;
  /** The resource of the configuration the destination names (a log bucket configuration, a bucket, a dataset, a topic), if any. */
  readonly resource?: Resource;
  /** The location a log bucket path names literally (`logging.googleapis.com/projects/p/locations/us-central1/buckets/b`). */
  readonly location?: string;
}

/** Services that keep what a sink routes to them (Pub/Sub and others pass it on). */
export const STORING_SINK_SERVICES: readonly SinkService[] = ['logging', 'storage', 'bigquery'];

const SINK_SERVICE = /^(logging|storage|bigquery|pubsub)\.googleapis\.com\//;
const LOG_BUCKET_PATH = /^logging\.googleapis\.com\/(?:projects|folders|organizations|billingAccounts)\/([^/]+)\/locations\/([^/]+)\/buckets\/([^/]+)$/;
const DATASET_PATH = /^bigquery\.googleapis\.com\/projects\/([^/]+)\/datasets\/([^/]+)$/;
const STORAGE_PATH = /^storage\.googleapis\.com\/([^/]+)$/;

/**
 * Where a sink's destination points: the resource it references, or the one a
 * path names by its own id (`…/locations/l/buckets/b`, `…/datasets/d`,
 * `storage.googleapis.com/b`). A path segment known only at plan time matches
 * any value, a literal one only itself; the literal location of a log bucket
 * path is kept whether or not the bucket is part of the configuration.
 */
export function sinkTarget(context: AnalysisContext, destination: Value | undefined): SinkTarget {
  const { graph } = context;
  const text = textOf(destination) ?? '';
  const named = SINK_SERVICE.exec(text)?.[1] as SinkService | undefined;
  const service: SinkService = named ?? (destination instanceof Unresolved || destination instanceof Reference || text === '' ? 'unknown' : 'other');
  const literal = (segment: string): boolean => !segment.includes('${');
  const matches = (segment: string, value: Value | undefined): boolean => !literal(segment) || typeof value !== 'string' || value === segment;
  const referenced = resolveResource(context, destination);
  const bucketPath = LOG_BUCKET_PATH.exec(text);
  const location = bucketPath && literal(bucketPath[2]) ? bucketPath[2] : undefined;
  const found = (resource: Resource | undefined): SinkTarget => ({ service, ...(resource ? { resource } : {}), ...(location ? { location } : {}) });
  if (referenced) return found(referenced);
  if (bucketPath) {
    const [, parent, place, bucketId] = bucketPath;
    return found(
      graph
        .ofType(...GOOGLE_LOG_BUCKET_TYPES)
        .find((config) => matches(bucketId, config.properties.bucket_id) && matches(place, config.properties.location) && (config.type !== TF_GOOGLE.loggingProjectBucket || matches(parent, config.properties.project))),
    );
  }
  const dataset = DATASET_PATH.exec(text);
  if (dataset) return found(graph.ofType(TF_GOOGLE.bigQueryDataset).find((candidate) => matches(dataset[2], candidate.properties.dataset_id) && literal(dataset[2]) && matches(dataset[1], candidate.properties.project)));
  const storage = STORAGE_PATH.exec(text);
  if (storage && literal(storage[1])) return found(graph.ofType(TF_GOOGLE.storageBucket).find((candidate) => candidate.properties.name === storage[1]));
  return found(undefined);
}

/** A sink that routes a project's Data Access audit logs to a service that keeps them. */
export interface AuditLogRoute {
  readonly sink: Resource;
  readonly target: SinkTarget;
}

/**
 * Where a project's Data Access audit logs of Vertex AI are kept, as far as
 * the configuration says: `kept` when a configuration of its _Default bucket
 * (whose retention LCG-RET-004 judges) receives them, or an enabled sink routes
 * them to a log bucket, dataset or storage bucket of the configuration (whose
 * retention the retention rules judge); `default` when they stay in _Default at
 * its default retention or go nowhere; `unknown` when a setting that decides it
 * is known only at plan time, or the only sinks that keep them route them to a
 * destination the configuration does not declare (whose retention it does not
 * show). A bucket, sink or exclusion whose project is known only at plan time
 * counts as the project's. `routes` are the sinks that route the logs to a
 * service that keeps them, declared or not (their locations matter too).
 */
export type AuditLogsKept = ({ readonly status: 'kept' } | { readonly status: 'default' | 'unknown'; readonly why: string }) & { readonly routes: readonly AuditLogRoute[] };


/**
 * Whether a log filter selects Vertex AI's Data Access audit logs: true when it names them (`data_access`), all
 * audit logs of a service or of Vertex AI without naming another log; false when it names only other logs (Admin
 * Activity, another service's); unknown when it excludes something (`NOT`, `-`), which the guardrail does not
 * evaluate, or is known only at plan time.
 */
function filterSelectsAuditLogs(filter: Value | undefined, emptyMeans: boolean): boolean | 'unknown' {
  if (filter === undefined || filter === null || filter === '') return emptyMeans;
  if (typeof filter !== 'string') return 'unknown';
  const text = filter.toLowerCase();
  if (/\bnot\b|(^|[\s(])-\s*[a-z]/.test(text)) return 'unknown';
  if (text.includes('data_access')) return true;
  // A filter on the audit logs or on Vertex AI without naming one log (Admin Activity, System Event, Policy) keeps them all.
  const namesAnotherLog = /cloudaudit\.googleapis\.com%2f(activity|system_event|policy)|\/logs\/(?!cloudaudit)/.test(text);
  if (namesAnotherLog) return false;
  if (text.includes('cloudaudit.googleapis.com')) return /servicename\s*[=:]\s*"?(?!aiplatform)[a-z]/.test(text) ? false : true;
  return text.includes('aiplatform.googleapis.com');
}

/** Whether a setting is on: true, false, or unknown. */
function flag(value: Value | undefined): boolean | 'unknown' {
  if (value === undefined || value === null) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return 'unknown';
}

export function dataAccessLogsKept(context: AnalysisContext, project: Value | undefined): AuditLogsKept {
  const { graph } = context;
  const sameProject = (value: Value | undefined): boolean => typeof value !== 'string' || typeof project !== 'string' || value === project;
  const unknowns: string[] = [];
  const refused: string[] = [];
  const routes: AuditLogRoute[] = [];
  // Sinks of the project, and of folders and organizations that include their children.
  for (const sink of graph.ofType(TF_GOOGLE.loggingProjectSink, TF_GOOGLE.loggingFolderSink, TF_GOOGLE.loggingOrganizationSink)) {
    const props = sink.properties;
    if (sink.type === TF_GOOGLE.loggingProjectSink && !sameProject(props.project)) continue;
    const name = sink.id;
    // A sink whose project is known only at plan time may be another project's.
    if (sink.type === TF_GOOGLE.loggingProjectSink && typeof props.project !== 'string' && props.project !== undefined && props.project !== null && typeof project === 'string') {
      unknowns.push(`${name}: project = ${describeValue(props.project)}`);
      continue;
    }
    if (sink.type !== TF_GOOGLE.loggingProjectSink) {
      const children = flag(props.include_children);
      if (children === false) continue;
      if (children === 'unknown') {
        unknowns.push(`${name}: include_children = ${describeValue(props.include_children)}`);
        continue;
      }
    }
    const disabled = flag(props.disabled);
    if (disabled === true) {
      refused.push(`${name} is disabled`);
      continue;
    }
    const selects = filterSelectsAuditLogs(props.filter, true);
    if (selects === false) {
      refused.push(`${name}'s filter ${JSON.stringify(props.filter)} does not select Data Access audit logs`);
      continue;
    }
    const excluded = asList(props.exclusions).some((exclusion) => isPlainObject(exclusion) && flag(exclusion.disabled) !== true && filterSelectsAuditLogs(exclusion.filter, false) === true);
    if (excluded) {
      refused.push(`${name} excludes audit logs`);
      continue;
    }
    const target = sinkTarget(context, props.destination);
    if (disabled === 'unknown' || selects === 'unknown' || target.service === 'unknown') {
      unknowns.push(`${name}: ${disabled === 'unknown' ? `disabled = ${describeValue(props.disabled)}` : selects === 'unknown' ? `filter = ${describeValue(props.filter)}` : `destination = ${describeValue(props.destination)}`}`);
      continue;
    }
    if (!STORING_SINK_SERVICES.includes(target.service)) {
      refused.push(`${name} routes to ${describeValue(props.destination)}, which keeps no logs`);
      continue;
    }
    routes.push({ sink, target });
  }
  // A store of the configuration keeps them, for as long as its retention rule allows.
  if (routes.some((route) => route.target.resource)) return { status: 'kept', routes };
  const undeclared = routes.map(({ sink }) => `${sink.id} routes them to ${describeValue(sink.properties.destination)}, which is not part of this configuration`);
  // The _Default bucket receives what the _Default sink routes, less what the project's exclusions drop.
  const exclusions = graph.ofType(TF_GOOGLE.loggingProjectExclusion).filter((exclusion) => sameProject(exclusion.properties.project) && flag(exclusion.properties.disabled) !== true);
  const dropping = exclusions.filter((exclusion) => filterSelectsAuditLogs(exclusion.properties.filter, false) !== false);
  const defaultBucket = graph.ofType(TF_GOOGLE.loggingProjectBucket).some((bucket) => (bucket.properties.bucket_id === '_Default' || bucket.properties.bucket_id instanceof Unresolved) && sameProject(bucket.properties.project));
  if (defaultBucket && dropping.length === 0 && unknowns.length === 0) return { status: 'kept', routes };
  // Sinks copy: logs routed to a store the configuration does not show are kept for as long as it says, which is unknown.
  if (undeclared.length > 0) return { status: 'unknown', why: [...undeclared, ...unknowns].join('; '), routes };
  if (dropping.length > 0) {
    const unresolved = dropping.filter((exclusion) => typeof exclusion.properties.filter !== 'string');
    const names = dropping.map((exclusion) => exclusion.id).join(', ');
    return unresolved.length === dropping.length
      ? { status: 'unknown', why: `project exclusion ${names} has a filter known only at plan time`, routes }
      : { status: 'default', why: `project exclusion ${names} drops audit logs before they reach the _Default bucket${refused.length > 0 ? `; ${refused.join('; ')}` : ''}`, routes };
  }
  if (unknowns.length > 0) return { status: 'unknown', why: unknowns.join('; '), routes };
  if (defaultBucket) return { status: 'kept', routes };
  return { status: 'default', why: refused.length > 0 ? refused.join('; ') : 'no google_logging_project_bucket_config with bucket_id = "_Default" and no log sink', routes };
}

/** Google types that run code with environment variables: Cloud Run services and jobs, Cloud Functions. */
export const GOOGLE_CODE_TYPES = ['google_cloud_run_v2_service', 'google_cloud_run_v2_job', 'google_cloud_run_service', 'google_cloudfunctions2_function', 'google_cloudfunctions_function'] as const;

/**
 * Google types that call the URLs they are configured with, Vertex AI's among them: a workflow's steps, the HTTP
 * target of a Cloud Scheduler job or a Cloud Tasks queue, the HTTP endpoint an Eventarc trigger delivers to.
 */
export const GOOGLE_HTTP_CALLER_TYPES = ['google_workflows_workflow', 'google_cloud_scheduler_job', 'google_cloud_tasks_queue', 'google_eventarc_trigger'] as const;

/** Every Google type whose configuration can point it at Vertex AI: code with an environment, and HTTP callers. */
export const VERTEX_CALLER_TYPES = [...GOOGLE_CODE_TYPES, ...GOOGLE_HTTP_CALLER_TYPES] as const;

/** Where each HTTP caller keeps what it calls: a workflow's source, the others' HTTP target or destination. */
const CALL_ARGUMENTS: { readonly [type: string]: readonly string[] } = {
  google_workflows_workflow: ['source_contents'],
  google_cloud_scheduler_job: ['http_target'],
  google_cloud_tasks_queue: ['http_target'],
  google_eventarc_trigger: ['destination'],
};

/**
 * Variables from which Vertex AI client libraries take the location of their
 * calls: the Gen AI SDK's GOOGLE_CLOUD_LOCATION, the Anthropic Vertex SDK's
 * CLOUD_ML_REGION, and the VERTEX_LOCATION / VERTEX_AI_REGION an app passes on.
 */
const VERTEX_LOCATION_SETTING = /^(?:GOOGLE_CLOUD_LOCATION|CLOUD_ML_REGION|(?:[A-Z0-9]+_)*VERTEX(?:_?AI)?_(?:LOCATION|REGION))$/i;

/** The location variable every Google client library reads: on its own it does not show that code calls Vertex AI. */
const GENERIC_LOCATION_SETTING = /^GOOGLE_CLOUD_LOCATION$/i;

/** Switches that send a client to Vertex AI: the Gen AI SDK's GOOGLE_GENAI_USE_VERTEXAI, Claude Code's CLAUDE_CODE_USE_VERTEX. */
const VERTEX_SWITCH = /^(?:GOOGLE_GENAI_USE_VERTEXAI|CLAUDE_CODE_USE_VERTEX)$/i;

/** How those switches are turned on (the SDKs accept `true` and `1`, Claude Code also `yes` and `on`). */
const SWITCH_ON = /^\s*(?:true|1|yes|on)\s*$/i;

/** The project of Vertex AI calls: the Anthropic Vertex SDK's ANTHROPIC_VERTEX_PROJECT_ID, VERTEXAI_PROJECT (LiteLLM), GOOGLE_VERTEX_PROJECT (AI SDK). */
const VERTEX_PROJECT_SETTING = /^(?:ANTHROPIC_VERTEX_PROJECT_ID|(?:[A-Z0-9]+_)*VERTEX(?:_?AI)?_PROJECT(?:_ID)?)$/i;

/** The project every Google client library reads: where calls go when no Vertex AI project is set. */
const GENERIC_PROJECT_SETTING = /^(?:GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|GCP_PROJECT)$/i;

/**
 * A location inside a Vertex AI path or regional host: `locations/us-central1/publishers/…` (a Gemini or partner
 * model), `…/endpoints/…`, `…/reasoningEngines/…`, `us-central1-aiplatform.googleapis.com`. Other services' paths
 * (`locations/global/models/general/nmt` of Cloud Translation) are not Vertex AI's.
 */
const VERTEX_PATH_LOCATION = /\blocations\/([a-z0-9-]+)\/(?:publishers|endpoints|reasoningEngines)\/|\b([a-z]+-[a-z]+\d+)-aiplatform\.googleapis\.com\b/g;

/** Text that calls Vertex AI, with or without a readable location: its API host, a publisher model (`publishers/google/models/…`), a Vertex AI path. */
const VERTEX_CALL_TEXT = /aiplatform\.googleapis\.com|\bgoogleapis\.aiplatform\.|\bpublishers\/[a-z0-9-]+\/models\/|\blocations\/[^/\s]+\/(?:publishers|endpoints|reasoningEngines)\//i;

/** The project a Vertex AI path names by id (`projects/acme-ml/locations/…`); a project number names no project id. */
const VERTEX_PATH_PROJECT = /\bprojects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/[a-z0-9-]+\/(?:publishers|endpoints|reasoningEngines)\//;

/** One setting or URL handed to code, and where (`template.containers[0].env[1].GOOGLE_CLOUD_LOCATION`). */
export interface VertexCodeSetting {
  readonly attribute: string;
  readonly value: Value;
}

/** What a configuration hands code about Vertex AI. */
export interface VertexCodeUse {
  /** The locations the code calls Vertex AI in: location settings, model and endpoint paths, regional hosts. */
  readonly locations: readonly VertexCodeSetting[];
  /**
   * What shows that the code calls Vertex AI at all: a switch to Vertex AI that is on (or known only at plan time),
   * a Vertex AI project or location setting, a Vertex AI URL or model path. GOOGLE_CLOUD_LOCATION and
   * GOOGLE_CLOUD_PROJECT alone are none: every Google client library reads them.
   */
  readonly signs: readonly VertexCodeSetting[];
  /** The project the calls go to, when a setting names it (a Vertex AI project setting first, then GOOGLE_CLOUD_PROJECT). */
  readonly project?: VertexCodeSetting;
}

const NO_CODE_USE: VertexCodeUse = { locations: [], signs: [] };

/**
 * What a Cloud Run service or job, or a Cloud Function, is handed about Vertex AI in its environment; what a
 * workflow, a Cloud Scheduler job, a Cloud Tasks queue or an Eventarc trigger calls of it by URL.
 */
export function vertexCodeUse(resource: Resource): VertexCodeUse {
  const code = (GOOGLE_CODE_TYPES as readonly string[]).includes(resource.type);
  const callArguments = CALL_ARGUMENTS[resource.type];
  if (!code && !callArguments) return NO_CODE_USE;
  const locations: VertexCodeSetting[] = [];
  const signs: VertexCodeSetting[] = [];
  let vertexProject: VertexCodeSetting | undefined;
  let pathProject: VertexCodeSetting | undefined;
  let genericProject: VertexCodeSetting | undefined;
  const addLocation = (entry: VertexCodeSetting): void => {
    // A regional host and the path after it name one location once.
    if (!locations.some((known) => known.attribute === entry.attribute && typeof known.value === 'string' && known.value === entry.value)) locations.push(entry);
  };
  const url = (value: Value, attribute: string): void => {
    const text = textOf(value);
    if (text === undefined) return;
    const call = VERTEX_CALL_TEXT.exec(text);
    // In a workflow's source, the URL or path that calls Vertex AI, not the whole source.
    if (call) signs.push({ attribute, value: text.length > 300 || text.includes('\n') ? tokenAround(text, call.index) : value });
    // A location segment written literally counts even where another part of the path is known only at plan time.
    for (const match of text.matchAll(VERTEX_PATH_LOCATION)) addLocation({ attribute, value: match[1] ?? match[2] });
    const project = VERTEX_PATH_PROJECT.exec(text)?.[1];
    if (project) pathProject ??= { attribute, value: project };
  };
  const setting = (name: string, value: Value | undefined, attribute: string): void => {
    if (value === undefined || value === null) return;
    if (VERTEX_LOCATION_SETTING.test(name)) {
      const entry = { attribute, value: typeof value === 'string' ? value.trim() : value };
      addLocation(entry);
      if (!GENERIC_LOCATION_SETTING.test(name)) signs.push(entry);
      return;
    }
    if (VERTEX_SWITCH.test(name)) {
      if (value === true || (typeof value === 'string' && SWITCH_ON.test(value)) || value instanceof Unresolved) signs.push({ attribute, value });
      return;
    }
    if (VERTEX_PROJECT_SETTING.test(name)) {
      signs.push({ attribute, value });
      vertexProject ??= { attribute, value };
      return;
    }
    if (GENERIC_PROJECT_SETTING.test(name)) {
      genericProject ??= { attribute, value };
      return;
    }
    url(value, attribute);
  };
  // Settings known only at plan time as a whole (`merge(var.envs, { GOOGLE_CLOUD_LOCATION = var.loc })`) may name any location.
  const unreadable = (value: Value, attribute: string): void => {
    if (value instanceof Unresolved && /LOCATION|REGION|VERTEX|aiplatform/i.test(value.expression)) locations.push({ attribute, value });
  };
  // A variable read from a secret at run time has a value the configuration does not hold.
  const fromSecret = (source: Value): Unresolved => new Unresolved(`secret ${describeValue(source)}`, 'the value is read from a secret at run time');
  // Environment variables wherever the type keeps them: `env { name value }` blocks, `environment_variables` maps,
  // `secret_environment_variables { key secret }` blocks.
  if (callArguments) {
    // Every text under the arguments that hold URLs: a workflow's source, a target's uri, host and path.
    walkKeys(
      callArguments.map((name) => [{ [name]: resource.properties[name] ?? null }, ''] as const),
      (_key, child, at) => {
        if (typeof child === 'string' || child instanceof Unresolved || child instanceof Reference) url(child, at);
        return false;
      },
    );
    // A workflow hands its steps variables of its own (`sys.get_env`).
    const variables = resource.properties.user_env_vars;
    if (isPlainObject(variables)) for (const [name, entry] of Object.entries(variables)) setting(name, entry, `user_env_vars.${name}`);
    else if (variables instanceof Unresolved) unreadable(variables, 'user_env_vars');
  }
  if (code) walkKeys([[resource.properties as Value, '']], (key, child, at) => {
    if ((key === 'env' || key === 'environment_variables') && child instanceof Unresolved) {
      unreadable(child, at);
      return true;
    }
    if (key === 'env') {
      asList(child).forEach((entry, index) => {
        if (entry instanceof Unresolved) unreadable(entry, `${at}[${index}]`);
        if (!isPlainObject(entry) || typeof entry.name !== 'string') return;
        const source = entry.value_source ?? entry.value_from;
        const value = entry.value ?? (source !== undefined && source !== null ? fromSecret(source) : undefined);
        setting(entry.name, value, `${at}[${index}].${entry.name}`);
      });
      return true;
    }
    if (key === 'environment_variables' && isPlainObject(child)) {
      for (const [name, entry] of Object.entries(child)) setting(name, entry, `${at}.${name}`);
      return true;
    }
    if (key === 'secret_environment_variables') {
      asList(child).forEach((entry, index) => {
        if (isPlainObject(entry) && typeof entry.key === 'string') setting(entry.key, fromSecret(entry.secret ?? null), `${at}[${index}].${entry.key}`);
      });
      return true;
    }
    return false;
  });
  // walkKeys visits the last of siblings first: reversed, the settings are in document order.
  locations.reverse();
  signs.reverse();
  const project = vertexProject ?? pathProject ?? genericProject;
  return { locations, signs, ...(project ? { project } : {}) };
}

/** The word of a text (up to white space or quotes) that holds `index`: the URL in a line of YAML. */
function tokenAround(text: string, index: number): string {
  const boundary = /[\s"'`]/;
  let start = index;
  let end = index;
  while (start > 0 && !boundary.test(text[start - 1])) start--;
  while (end < text.length && !boundary.test(text[end])) end++;
  return text.slice(start, end);
}

/** How a resource shows that Vertex AI is used, and in which project. */
export type VertexUse =
  /** A Vertex AI resource (endpoint, index, dataset, …). */
  | { readonly kind: 'resource'; readonly project: ProjectOf }
  /** Code handed Vertex AI settings; its calls go to the project a setting names, else to the code's own. */
  | { readonly kind: 'code'; readonly sign: VertexCodeSetting; readonly project: ProjectOf }
  /** A project-level grant, to at least one member, of a role that calls Vertex AI models. */
  | { readonly kind: 'grant'; readonly role: Value; readonly members: readonly Value[]; readonly project: ProjectOf };

/** Whether, and how, a resource shows that Vertex AI is used in a project: undefined for resources that show nothing. */
export function vertexUseOf(context: AnalysisContext, resource: Resource): VertexUse | undefined {
  if (resource.type.startsWith(TF_PREFIX.vertex)) return { kind: 'resource', project: projectOf(resource) };
  const code = vertexCodeUse(resource);
  if (code.signs.length > 0) {
    const named = code.project && code.project.value !== '' ? code.project : undefined;
    return { kind: 'code', sign: code.signs[0], project: named ? { value: named.value, attribute: named.attribute } : projectOf(resource) };
  }
  const members = vertexPredictMembers(context, resource);
  if (members.length > 0) return { kind: 'grant', role: resource.properties.role, members, project: projectOf(resource) };
  return undefined;
}
