/**
 * Log and audit destinations in the data flow, and what they forward to: the
 * stores the engine recognizes as audit or content logs (CloudWatch log
 * groups, S3 buckets, Log Analytics workspaces, storage accounts, Cloud
 * Logging buckets, BigQuery datasets), the resources that fill them (trails,
 * invocation logging, diagnostic settings, log sinks), and further sinks
 * (subscription filters, Firehose, Event Hubs).
 */
import type { CatalogCloud } from '../catalogs';
import type { Resource } from '../core/graph';
import { BEDROCK_LOGGING_CUSTOM_TYPE, LogRole, block, logRoles } from '../analysis/log-wiring';
import { placementOf } from '../analysis/locations';
import { ruleContext } from '../engine/evaluate';
import { Unresolved, Value, describeValue, isPlainObject } from '../core/values';
import { valueAt } from '../analysis/google';
import { CLOUD_NAMES, EndpointGroup, FlowBuilder, IN_TRANSIT, NodeDraft, compareText } from './model';
import { asList, resolveResource, resourceLabel } from '../analysis/resolve';

const LOG_GROUP_TYPES = ['AWS::Logs::LogGroup', 'aws_cloudwatch_log_group'];
const BUCKET_TYPES = ['AWS::S3::Bucket', 'aws_s3_bucket'];
const FIREHOSE_TYPES = ['AWS::KinesisFirehose::DeliveryStream', 'aws_kinesis_firehose_delivery_stream'];
const SUBSCRIPTION_TYPES = ['AWS::Logs::SubscriptionFilter', 'aws_cloudwatch_log_subscription_filter'];

const DATA = {
  content: 'prompts, responses and call metadata',
  audit: 'audit events (caller, time, model, operation)',
  cloudTrail: 'API audit events (CloudTrail)',
  invocationContent: 'invocation logs: prompts, responses and metadata',
  invocationMetadata: 'invocation logs: metadata only',
  sinkRouted: 'log entries routed by the sink',
  requestResponse: 'sampled prompts and responses (request/response logging)',
  subscription: 'log events (subscription filter)',
  delivered: 'log events delivered by the stream',
};

export function discoverLogs(builder: FlowBuilder): void {
  const { graph, policy } = builder;
  const roles = logRoles(ruleContext(graph, policy));
  const stores = new Map<string, NodeDraft>();
  const store = (resource: Resource, kind: 'log' | 'sink' = 'log'): NodeDraft => {
    const existing = stores.get(resource.key);
    if (existing) return existing;
    const draft = builder.node(`${kind}:${resource.key}`, kind, resource.cloud, resourceLabel(resource), (node) => {
      builder.attach(node, resource);
      describeStore(builder, node, resource, roles.get(resource.key));
    });
    stores.set(resource.key, draft);
    return draft;
  };
  // Endpoint nodes by the resources they stand for (all endpoints exist once log discovery starts).
  let holding: Map<string, NodeDraft[]> | undefined;
  const endpointsHolding = (): Map<string, NodeDraft[]> => {
    if (holding) return holding;
    holding = new Map();
    const endpoints = [...builder.nodes.values()].filter((node) => node.kind === 'endpoint').sort((a, b) => compareText(a.id, b.id));
    for (const endpoint of endpoints) {
      for (const key of endpoint.resources.keys()) {
        let list = holding.get(key);
        if (!list) holding.set(key, (list = []));
        list.push(endpoint);
      }
    }
    return holding;
  };
  const fed = new Set<string>();
  const feed = (endpoints: readonly NodeDraft[], destination: NodeDraft, data: string, via?: Resource): void => {
    for (const endpoint of endpoints) builder.hop(endpoint, destination, data, IN_TRANSIT.providerInternal, via);
    if (endpoints.length > 0) fed.add(destination.id);
  };
  // Stores that receive the logs of a group of endpoints: drawn once every store of the group is known.
  const groupFeeds = new Map<string, { group: EndpointGroup; edges: Map<string, GroupEdge> }>();
  const feedGroup = (group: EndpointGroup, destination: NodeDraft, data: string, via?: Resource): void => {
    if (group.endpoints.length === 0) return;
    let entry = groupFeeds.get(group.id);
    if (!entry) groupFeeds.set(group.id, (entry = { group, edges: new Map() }));
    // An endpoint added meanwhile (unnamed Bedrock models) joins the group.
    entry.group = group;
    entry.edges.set(`${destination.id}\u0000${data}\u0000${via?.key ?? ''}`, { destination, data, via });
    fed.add(destination.id);
  };

  for (const resource of graph.resources) {
    const props = resource.properties;
    switch (resource.type) {
      case 'AWS::CloudTrail::Trail':
      case 'aws_cloudtrail': {
        const group = builder.endpointGroup('aws', resource.stack.name);
        const logGroup = resolveResource(graph, props.CloudWatchLogsLogGroupArn ?? props.cloud_watch_logs_group_arn, LOG_GROUP_TYPES);
        const bucket = resolveResource(graph, props.S3BucketName ?? props.s3_bucket_name, BUCKET_TYPES);
        for (const target of [logGroup, bucket]) if (target) feedGroup(group, store(target), DATA.cloudTrail, resource);
        break;
      }
      case BEDROCK_LOGGING_CUSTOM_TYPE:
      case 'aws_bedrock_model_invocation_logging_configuration': {
        const config = block(props.LoggingConfig ?? props.logging_config);
        const withText = (config?.textDataDeliveryEnabled ?? config?.text_data_delivery_enabled) !== false;
        const cloudWatch = block(config?.cloudWatchConfig ?? config?.cloudwatch_config);
        const s3 = block(config?.s3Config ?? config?.s3_config);
        const large = block(cloudWatch?.largeDataDeliveryS3Config ?? cloudWatch?.large_data_delivery_s3_config);
        const targets = [
          resolveResource(graph, cloudWatch?.logGroupName ?? cloudWatch?.log_group_name, LOG_GROUP_TYPES),
          resolveResource(graph, s3?.bucketName ?? s3?.bucket_name, BUCKET_TYPES),
          resolveResource(graph, large?.bucketName ?? large?.bucket_name, BUCKET_TYPES),
        ];
        const near = builder.endpointGroup('aws', resource.stack.name);
        const unnamed = near.endpoints.length > 0 ? undefined : unnamedBedrock(builder, resource);
        const data = withText ? DATA.invocationContent : DATA.invocationMetadata;
        for (const target of targets) {
          if (!target) continue;
          if (unnamed) feed([unnamed], store(target), data, resource);
          else feedGroup(near, store(target), data, resource);
        }
        break;
      }
      case 'azurerm_monitor_diagnostic_setting': {
        const target = resolveResource(graph, props.target_resource_id);
        const endpoints = target ? (endpointsHolding().get(target.key) ?? []) : [];
        if (endpoints.length === 0) break;
        const data = `diagnostic logs (${diagnosticCategories(resource)})`;
        for (const destination of [props.log_analytics_workspace_id, props.storage_account_id]) {
          const found = resolveResource(graph, destination);
          if (found) feed(endpoints, store(found), data, resource);
        }
        const hub = props.eventhub_authorization_rule_id ?? props.eventhub_name;
        if (hub !== undefined && hub !== null) {
          const found = resolveResource(graph, props.eventhub_authorization_rule_id) ?? resolveResource(graph, props.eventhub_name);
          const sink = found
            ? store(found, 'sink')
            : builder.node(`sink:${resource.key}:event-hub`, 'sink', 'azure', `Event Hub ${describeValue(props.eventhub_name ?? hub)}`, (node) => builder.attach(node, resource));
          feed(endpoints, sink, data, resource);
        }
        break;
      }
      case 'google_logging_project_sink': {
        const destination = resolveResource(graph, props.destination) ?? sinkDestination(builder, props.destination);
        const node = destination
          ? store(destination)
          : builder.node(`log:${resource.key}:destination`, 'log', 'google', `Sink destination ${describeValue(props.destination)}`, (draft) => builder.attach(draft, resource));
        feedGroup(builder.endpointGroup('google', resource.stack.name), node, DATA.sinkRouted, resource);
        break;
      }
      case 'google_vertex_ai_endpoint': {
        if (valueAt(props, 'predict_request_response_logging_config.enabled') !== true) break;
        const outputUri = valueAt(props, 'predict_request_response_logging_config.bigquery_destination.output_uri');
        const dataset = resolveResource(graph, outputUri, ['google_bigquery_dataset', 'google_bigquery_table']) ?? datasetOfUri(graph.ofType('google_bigquery_dataset'), outputUri);
        const endpoint = builder.nodes.get(`endpoint:${resource.key}`);
        if (dataset && endpoint) {
          const node = store(dataset);
          node.details.add('holds prompts and responses (request/response logging)');
          feed([endpoint], node, DATA.requestResponse, resource);
        }
        break;
      }
    }
  }

  // Stores known only by their role (tag, workspace, log bucket): fed by the endpoints of their cloud.
  for (const resource of graph.resources) {
    const role = roles.get(resource.key);
    if (!role) continue;
    const node = store(resource);
    if (fed.has(node.id) || resource.cloud === 'other') continue;
    feedGroup(builder.endpointGroup(resource.cloud, resource.stack.name), node, role.has('content') ? DATA.content : DATA.audit);
  }
  for (const { group, edges } of groupFeeds.values()) drawGroup(builder, group, [...edges.values()]);

  // Further sinks: subscription filters on log groups, and what delivery streams write to.
  for (const filter of graph.ofType(...SUBSCRIPTION_TYPES)) {
    const logGroup = resolveResource(graph, filter.properties.LogGroupName ?? filter.properties.log_group_name, LOG_GROUP_TYPES);
    const from = logGroup ? stores.get(logGroup.key) : undefined;
    if (!from) continue;
    const destinationValue = filter.properties.DestinationArn ?? filter.properties.destination_arn;
    const destination = resolveResource(graph, destinationValue);
    const sink = destination
      ? (stores.get(destination.key) ?? store(destination, 'sink'))
      : builder.node(`sink:${filter.key}`, 'sink', 'aws', `Subscription destination ${describeValue(destinationValue)}`, (node) => {
          builder.attach(node, filter);
          node.details.add('outside this configuration');
          // The destination's ARN still tells where the log events go.
          const arn = typeof destinationValue === 'string' ? /^arn:[^:]+:[^:]+:([^:]*):([^:]*):/.exec(destinationValue) : undefined;
          if (arn?.[1]) node.location = builder.locate('aws', arn[1]);
          if (arn?.[2]) node.details.add(`account ${arn[2]}`);
        });
    builder.hop(from, sink, DATA.subscription, IN_TRANSIT.providerInternal, filter);
  }
  for (const stream of graph.ofType(...FIREHOSE_TYPES)) {
    const from = stores.get(stream.key);
    if (!from) continue;
    const props = stream.properties;
    const s3 = block(props.ExtendedS3DestinationConfiguration ?? props.S3DestinationConfiguration ?? props.extended_s3_configuration ?? props.s3_configuration);
    const bucket = resolveResource(graph, s3?.BucketARN ?? s3?.bucket_arn, BUCKET_TYPES);
    if (bucket) builder.hop(from, stores.get(bucket.key) ?? store(bucket, 'sink'), DATA.delivered, IN_TRANSIT.providerInternal, stream);
  }
}

interface GroupEdge {
  readonly destination: NodeDraft;
  readonly data: string;
  readonly via?: Resource;
}

/**
 * Hops from a group of endpoints to the stores of their logs. Linking each
 * endpoint to each store draws endpoints × stores hops, which is what a
 * reviewer wants to read for a few of them. When that is more than twice the
 * endpoints + stores hops that a `route` node in between draws, the logs go
 * through it instead: many endpoints logging to many stores stay readable, and
 * the documentation grows linearly with the configuration.
 */
function drawGroup(builder: FlowBuilder, group: EndpointGroup, edges: readonly GroupEdge[]): void {
  const { endpoints } = group;
  if (endpoints.length * edges.length <= 2 * (endpoints.length + edges.length)) {
    for (const edge of edges) for (const endpoint of endpoints) builder.hop(endpoint, edge.destination, edge.data, IN_TRANSIT.providerInternal, edge.via);
    return;
  }
  const cloud = CLOUD_NAMES[group.cloud];
  const label = group.stack ? `Logs of the ${endpoints.length} ${cloud} model endpoints of ${group.stack}` : `Logs of all ${endpoints.length} ${cloud} model endpoints`;
  const route = builder.node(`route:${group.id}`, 'route', group.cloud, label, (draft) => {
    if (group.stack) draft.stacks.add(group.stack);
    draft.details.add(`delivered to ${edges.length} log stores and sinks`);
  });
  const carried = [...new Set(edges.map((edge) => edge.data))].sort(compareText).join('; ');
  for (const endpoint of endpoints) builder.hop(endpoint, route, carried, IN_TRANSIT.providerInternal);
  for (const edge of edges) builder.hop(route, edge.destination, edge.data, IN_TRANSIT.providerInternal, edge.via);
}

/**
 * Invocation logging without any grant naming a model: the models are called
 * by principals outside the documents, so the diagram still shows where the
 * logs of those calls go.
 */
function unnamedBedrock(builder: FlowBuilder, logging: Resource): NodeDraft {
  const endpoint = builder.node(`endpoint:aws:${logging.stack.name}:unnamed-models`, 'endpoint', 'aws', `Amazon Bedrock (${logging.stack.name}: models not named in this configuration)`, (draft) => {
    draft.stacks.add(logging.stack.name);
    const placed = placementOf(logging);
    draft.location = builder.locate('aws', placed?.value);
    draft.processingGeography = 'unknown: no grant in the documents names a model or inference profile';
    draft.encryptionAtRest = 'no data store declared for the model endpoint';
  });
  const network = builder.internet('aws');
  builder.hop(builder.externalCallers('aws'), network, 'prompts and model responses', IN_TRANSIT.publicInternet);
  builder.hop(network, endpoint, 'prompts and model responses', IN_TRANSIT.toEndpoint);
  return endpoint;
}

/**
 * A log sink destination written as a literal path names a resource of the
 * configuration by its own id: `logging.googleapis.com/projects/p/locations/l/buckets/b`,
 * `bigquery.googleapis.com/projects/p/datasets/d`, `storage.googleapis.com/b`.
 */
function sinkDestination(builder: FlowBuilder, destination: Value | undefined): Resource | undefined {
  if (typeof destination !== 'string') return undefined;
  const { graph } = builder;
  const bucket = /^logging\.googleapis\.com\/.*\/locations\/([^/]+)\/buckets\/([^/]+)$/.exec(destination);
  if (bucket) return graph.ofType('google_logging_project_bucket_config').find((config) => config.properties.bucket_id === bucket[2] && config.properties.location === bucket[1]);
  const dataset = /^bigquery\.googleapis\.com\/.*\/datasets\/([^/]+)$/.exec(destination);
  if (dataset) return graph.ofType('google_bigquery_dataset').find((candidate) => candidate.properties.dataset_id === dataset[1]);
  const storage = /^storage\.googleapis\.com\/([^/]+)$/.exec(destination);
  if (storage) return graph.ofType('google_storage_bucket').find((candidate) => candidate.properties.name === storage[1]);
  return undefined;
}

/** `bq://project.dataset[.table]` names a dataset by its `dataset_id`. */
function datasetOfUri(datasets: readonly Resource[], uri: Value | undefined): Resource | undefined {
  const match = typeof uri === 'string' ? /^bq:\/\/[^.]+\.([^.]+)/.exec(uri) : undefined;
  return match ? datasets.find((dataset) => dataset.properties.dataset_id === match[1]) : undefined;
}

function diagnosticCategories(setting: Resource): string {
  const categories = new Set<string>();
  for (const key of ['enabled_log', 'log']) {
    for (const entry of asList(setting.properties[key])) {
      if (!isPlainObject(entry) || entry.enabled === false) continue;
      const category = entry.category ?? entry.category_group;
      if (category !== undefined && category !== null) categories.add(typeof category === 'string' ? category : describeValue(category));
    }
  }
  return categories.size > 0 ? [...categories].sort(compareText).join(', ') : 'no log category enabled';
}

/** Location, retention, encryption at rest and immutability of a log store, as far as the documents state them. */
function describeStore(builder: FlowBuilder, node: NodeDraft, resource: Resource, roles: ReadonlySet<LogRole> | undefined): void {
  if (roles) node.details.add(`log role: ${[...roles].sort().join(' and ')}`);
  const placed = placementOf(resource);
  if (placed) node.location = builder.locate(placed.cloud as CatalogCloud, placed.value);
  const props = resource.properties;
  const related = (type: string): Resource[] => builder.graph.referrers(resource.key).filter((referrer) => referrer.type === type);
  switch (resource.type) {
    case 'AWS::Logs::LogGroup':
    case 'aws_cloudwatch_log_group': {
      node.retention = days(props.RetentionInDays ?? props.retention_in_days, 'never expires');
      const key = props.KmsKeyId ?? props.kms_key_id;
      node.encryptionAtRest = present(key) ? `KMS key ${describeValue(key)}` : 'CloudWatch Logs service-managed keys';
      node.immutability = 'none (log events can be deleted)';
      return;
    }
    case 'AWS::S3::Bucket':
      describeCloudFormationBucket(node, props);
      return;
    case 'aws_s3_bucket':
      describeTerraformBucket(node, props, related);
      return;
    case 'azurerm_log_analytics_workspace': {
      node.retention = days(props.retention_in_days, '30 days (default)');
      for (const table of related('azurerm_log_analytics_workspace_table')) {
        node.details.add(`table ${describeValue(table.properties.name)}: total retention ${days(table.properties.total_retention_in_days, 'as the workspace')}`);
      }
      node.encryptionAtRest = 'Microsoft-managed keys';
      node.immutability = 'none (data can be purged)';
      return;
    }
    case 'azurerm_storage_account': {
      const policy = related('azurerm_storage_management_policy')[0];
      const deleteAfter = policy ? valueAt(policy.properties, 'rule.actions.base_blob.delete_after_days_since_modification_greater_than') : undefined;
      node.retention = days(deleteAfter, 'never expires (no lifecycle management policy)');
      const key = block(props.customer_managed_key);
      node.encryptionAtRest = key ? `customer-managed key ${describeValue(key.key_vault_key_id)}` : 'Microsoft-managed keys';
      const immutability = block(props.immutability_policy);
      node.immutability = immutability
        ? `immutability policy ${describeValue(immutability.state)}, ${days(immutability.period_since_creation_in_days, 'no period')}`
        : 'none';
      return;
    }
    case 'google_logging_project_bucket_config': {
      node.retention = days(props.retention_days, '30 days (default)');
      const key = valueAt(props, 'cmek_settings.kms_key_name');
      node.encryptionAtRest = present(key) ? `customer-managed key ${describeValue(key)}` : 'Google-managed keys';
      node.immutability = props.locked === true ? 'locked (retention cannot be reduced, bucket cannot be deleted)' : props.locked === undefined || props.locked === false ? 'not locked' : `locked = ${describeValue(props.locked)}`;
      return;
    }
    case 'google_bigquery_dataset': {
      const expirations = [
        [props.default_table_expiration_ms, 'default table expiration'],
        [props.default_partition_expiration_ms, 'default partition expiration'],
      ] as const;
      const stated = expirations
        .filter(([value]) => value !== undefined && value !== null)
        .map(([value, what]) => (typeof value === 'number' ? `${Math.round(value / 86_400_000)} days (${what})` : `${describeValue(value)} (${what}, unresolved)`));
      node.retention = stated.length > 0 ? stated.join('; ') : 'never expires (no default table or partition expiration)';
      const key = valueAt(props, 'default_encryption_configuration.kms_key_name');
      node.encryptionAtRest = present(key) ? `customer-managed key ${describeValue(key)}` : 'Google-managed keys';
      node.immutability = 'none';
      return;
    }
    case 'google_storage_bucket': {
      const age = asList(props.lifecycle_rule)
        .filter((rule) => isPlainObject(rule) && valueAt(rule, 'action.type') === 'Delete')
        .map((rule) => valueAt(rule as { [key: string]: Value }, 'condition.age'));
      node.retention = days(age.find((value) => typeof value === 'number') ?? age[0], 'never expires (no delete lifecycle rule)');
      const key = valueAt(props, 'encryption.default_kms_key_name');
      node.encryptionAtRest = present(key) ? `customer-managed key ${describeValue(key)}` : 'Google-managed keys';
      const period = valueAt(props, 'retention_policy.retention_period');
      const locked = valueAt(props, 'retention_policy.is_locked') === true;
      node.immutability =
        typeof period === 'number' ? `retention policy ${Math.round(period / 86_400)} days${locked ? ', locked' : ''}` : present(period) ? `retention policy ${describeValue(period)}` : 'none';
      return;
    }
  }
}

function describeCloudFormationBucket(node: NodeDraft, props: { readonly [key: string]: Value }): void {
  const lifecycle = props.LifecycleConfiguration;
  const rules = isPlainObject(lifecycle) ? asList(lifecycle.Rules).filter(isPlainObject) : [];
  node.retention =
    lifecycle instanceof Unresolved
      ? `${lifecycle.expression} (unresolved)`
      : bucketExpiration(rules.map((rule) => ({ enabled: rule.Status === 'Enabled', days: rule.ExpirationInDays, scoped: rule.Prefix !== undefined || (isPlainObject(rule.Filter) ? Object.keys(rule.Filter).length > 0 : rule.Filter !== undefined) })));
  const encryption = isPlainObject(props.BucketEncryption) ? asList(props.BucketEncryption.ServerSideEncryptionConfiguration).filter(isPlainObject)[0] : undefined;
  const byDefault = encryption && isPlainObject(encryption.ServerSideEncryptionByDefault) ? encryption.ServerSideEncryptionByDefault : undefined;
  node.encryptionAtRest = sseText(byDefault?.SSEAlgorithm, byDefault?.KMSMasterKeyID);
  const lock = isPlainObject(props.ObjectLockConfiguration) ? block(props.ObjectLockConfiguration.Rule) : undefined;
  const retention = lock ? block(lock.DefaultRetention) : undefined;
  node.immutability = lockText(props.ObjectLockEnabled === true, retention?.Mode, retention?.Days, retention?.Years);
  if (isPlainObject(props.VersioningConfiguration) && props.VersioningConfiguration.Status === 'Enabled') node.details.add('versioning enabled');
}

function describeTerraformBucket(node: NodeDraft, props: { readonly [key: string]: Value }, related: (type: string) => Resource[]): void {
  const rules = related('aws_s3_bucket_lifecycle_configuration').flatMap((configuration) => asList(configuration.properties.rule).filter(isPlainObject));
  node.retention = bucketExpiration(rules.map((rule) => ({ enabled: rule.status === 'Enabled', days: valueAt(rule, 'expiration.days'), scoped: rule.filter !== undefined && rule.filter !== null && !(isPlainObject(rule.filter) && Object.keys(rule.filter).length === 0) })));
  const encryption = related('aws_s3_bucket_server_side_encryption_configuration')[0];
  const byDefault = encryption ? block(valueAt(encryption.properties, 'rule.apply_server_side_encryption_by_default')) : undefined;
  node.encryptionAtRest = sseText(byDefault?.sse_algorithm, byDefault?.kms_master_key_id);
  const lock = related('aws_s3_bucket_object_lock_configuration')[0];
  const retention = lock ? block(valueAt(lock.properties, 'rule.default_retention')) : undefined;
  node.immutability = lockText(props.object_lock_enabled === true || lock !== undefined, retention?.mode, retention?.days, retention?.years);
}

function bucketExpiration(rules: readonly { enabled: boolean; days: Value | undefined; scoped: boolean }[]): string {
  const unresolved = rules.find((rule) => rule.days instanceof Unresolved);
  if (unresolved) return `${describeValue(unresolved.days)} (unresolved)`;
  const whole = rules.filter((rule) => rule.enabled && !rule.scoped && typeof rule.days === 'number').map((rule) => rule.days as number);
  if (whole.length > 0) return `${Math.min(...whole)} days (lifecycle expiration)`;
  const scoped = rules.filter((rule) => rule.enabled && typeof rule.days === 'number').map((rule) => rule.days as number);
  if (scoped.length > 0) return `never expires for the whole bucket (${Math.min(...scoped)} days for objects a lifecycle filter selects)`;
  return 'never expires (no lifecycle expiration)';
}

function sseText(algorithm: Value | undefined, key: Value | undefined): string {
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') return present(key) ? `SSE-KMS with key ${describeValue(key)}` : 'SSE-KMS with the AWS-managed key';
  if (algorithm === 'AES256') return 'SSE-S3 (S3-managed keys)';
  if (present(algorithm)) return `server-side encryption ${describeValue(algorithm)}`;
  return 'SSE-S3 (S3 default encryption)';
}

function lockText(enabled: boolean, mode: Value | undefined, lockDays: Value | undefined, years: Value | undefined): string {
  if (!enabled) return 'none (no Object Lock)';
  if (!present(mode)) return 'Object Lock enabled, no default retention';
  const period = typeof years === 'number' ? `${years} years` : days(lockDays, 'no period');
  return `Object Lock ${describeValue(mode).replace(/"/g, '')}, ${period}`;
}

/** A retention in days as people read it: `365 days`, the text for "not set", or the unresolved expression. */
function days(value: Value | undefined, absent: string): string {
  if (typeof value === 'number') return value === 0 ? absent : `${value} days`;
  if (value === undefined || value === null) return absent;
  if (typeof value === 'string' && /^\d+$/.test(value)) return `${value} days`;
  return `${describeValue(value)} (unresolved)`;
}

function present(value: Value | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}
