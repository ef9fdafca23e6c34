/**
 * Log wiring: which resources deliver the logs of model calls where (trails,
 * Bedrock invocation logging, Azure diagnostic settings, Cloud Logging sinks,
 * Vertex AI request/response logging), where those logs are forwarded
 * (subscription filters, delivery streams, Event Hubs), and so which
 * resources hold audit logs or prompt/response content. The retention and
 * encryption rules judge exactly these stores; the data-flow documentation
 * draws exactly these deliveries.
 */
import type { Cloud, Resource } from '../core/graph';
import { Unresolved, Value, block, describeValue, valueAt } from '../core/values';
import type { AnalysisContext } from './context';
import { diagnosticSettingTarget } from './azure';
import { predictionLogDestination, sinkTarget } from './google';
import { dataCaptureOf } from './sagemaker';
import { resolveResource } from './resolve';
import { AWS_TYPES, CFN, GOOGLE_LOG_BUCKET_TYPES, TF_AWS, TF_AZURE, TF_GOOGLE } from './resource-types';
import { tagValue } from './tags';

/** `audit`: an audit trail of model use; `content`: holds prompts and responses (personal data). */
export type LogRole = 'audit' | 'content';

/**
 * Tag (AWS, Azure) or label (Google) that declares a log store's role:
 * `audit`, `content` or `audit-content`. Our constructs set it; anyone can.
 */
export const LOG_ROLE_TAG = 'llm-guardrail-log-role';

/** What a delivery carries. */
export type LogData =
  | 'cloudtrail'
  | 'invocation-content'
  | 'invocation-metadata'
  | 'diagnostic'
  | 'sink-routed'
  | 'request-response'
  | 'subscription'
  | 'stream';

/** Where the logs of a delivery come from. */
export type LogSource =
  /** The model calls made in a stack's account (a trail, invocation logging, a project's log sink). */
  | { readonly kind: 'model-calls'; readonly cloud: Cloud; readonly stack: string }
  /** One resource: the account a diagnostic setting targets, the endpoint that logs its requests, a log store that forwards. */
  | { readonly kind: 'resource'; readonly resource: Resource };

/** A destination outside the documents, known only by what names it. */
export interface ExternalDestination {
  readonly kind: 'external';
  readonly cloud: Cloud;
  /** How people name it: `Event Hub logs`, `Sink destination bigquery.googleapis.com/…`. */
  readonly label: string;
  /** The region an ARN names, when it names one. */
  readonly region?: string;
  /** The account an ARN names, when it names one. */
  readonly account?: string;
  /** Whether the destination is named only at deploy or plan time (a parameter, a variable). */
  readonly unknown?: boolean;
}

export interface LogDelivery {
  /** The resource that makes the delivery happen: a trail, a logging configuration, a diagnostic setting, a sink, an endpoint, a subscription filter, a stream. */
  readonly via: Resource;
  readonly from: LogSource;
  readonly to: Resource | ExternalDestination;
  readonly data: LogData;
  /** Roles the destination takes on (forwarders pass on the roles of what they forward). */
  readonly roles: readonly LogRole[];
  /** The property of `via` that names the destination. */
  readonly attribute: string;
  /** Azure diagnostic settings: the categories it enables, as people read them. */
  readonly categories?: string;
}

export interface LogWiring {
  /** Every delivery, in document order of the resources that make them; forwards come after what they forward. */
  readonly deliveries: readonly LogDelivery[];
  /** Log stores (graph key → roles): every resource that holds audit logs or prompt/response content. */
  readonly roles: ReadonlyMap<string, ReadonlySet<LogRole>>;
  /** The log stores, in document order. */
  readonly stores: readonly Resource[];
  /** Forwarders that pass logs on without keeping them as a store (streams, Event Hubs, functions), by key, with the roles they carry. */
  readonly forwarders: ReadonlyMap<string, ReadonlySet<LogRole>>;
}

/** Resource types that keep log entries (and so have a retention); anything else that receives logs forwards them. */
const STORE_TYPES: readonly string[] = [
  ...AWS_TYPES.logGroups,
  ...AWS_TYPES.buckets,
  TF_AZURE.logAnalyticsWorkspace,
  TF_AZURE.storageAccount,
  ...GOOGLE_LOG_BUCKET_TYPES,
  TF_GOOGLE.bigQueryDataset,
  TF_GOOGLE.bigQueryTable,
  TF_GOOGLE.storageBucket,
];

/** The log wiring of the run's graph, computed once. */
export function logWiring(context: AnalysisContext): LogWiring {
  return context.memo('log-wiring', () => computeLogWiring(context));
}

/** The roles of one log store, or undefined when the resource holds no logs of model use. */
export function logRolesOf(context: AnalysisContext, resource: Resource): ReadonlySet<LogRole> | undefined {
  return logWiring(context).roles.get(resource.key);
}

function computeLogWiring(context: AnalysisContext): LogWiring {
  const { graph } = context;
  const deliveries: LogDelivery[] = [];
  const roles = new Map<string, Set<LogRole>>();
  const forwarders = new Map<string, Set<LogRole>>();
  const addRoles = (resource: Resource, added: readonly LogRole[]): void => {
    const table = STORE_TYPES.includes(resource.type) || declaredRoles(resource).length > 0 ? roles : forwarders;
    let set = table.get(resource.key);
    if (!set) table.set(resource.key, (set = new Set()));
    for (const role of added) set.add(role);
  };
  const deliver = (delivery: LogDelivery): void => {
    deliveries.push(delivery);
    if (!('kind' in delivery.to)) addRoles(delivery.to, delivery.roles);
  };

  for (const resource of graph.resources) {
    const declared = declaredRoles(resource);
    if (declared.length > 0) addRoles(resource, declared);
    const props = resource.properties;
    const modelCalls: LogSource = { kind: 'model-calls', cloud: resource.cloud, stack: resource.stack.name };
    switch (resource.type) {
      case CFN.trail:
      case TF_AWS.trail: {
        const destinations: [string, readonly string[]][] = [
          [resource.type === CFN.trail ? 'CloudWatchLogsLogGroupArn' : 'cloud_watch_logs_group_arn', AWS_TYPES.logGroups],
          [resource.type === CFN.trail ? 'S3BucketName' : 's3_bucket_name', AWS_TYPES.buckets],
        ];
        for (const [attribute, types] of destinations) {
          const to = resolveResource(context, props[attribute], types);
          if (to) deliver({ via: resource, from: modelCalls, to, data: 'cloudtrail', roles: ['audit'], attribute });
        }
        break;
      }
      case CFN.invocationLogging:
      case TF_AWS.invocationLogging: {
        const cloudFormation = resource.type === CFN.invocationLogging;
        const config = block(props[cloudFormation ? 'LoggingConfig' : 'logging_config']);
        if (!config) break;
        const withText = config[cloudFormation ? 'textDataDeliveryEnabled' : 'text_data_delivery_enabled'] !== false;
        const carried: LogRole[] = withText ? ['audit', 'content'] : ['audit'];
        const data: LogData = withText ? 'invocation-content' : 'invocation-metadata';
        const cloudWatch = block(config[cloudFormation ? 'cloudWatchConfig' : 'cloudwatch_config']);
        const s3 = block(config[cloudFormation ? 's3Config' : 's3_config']);
        const large = block(cloudWatch?.[cloudFormation ? 'largeDataDeliveryS3Config' : 'large_data_delivery_s3_config']);
        const destinations: [Value | undefined, string, readonly string[]][] = cloudFormation
          ? [
              [cloudWatch?.logGroupName, 'LoggingConfig.cloudWatchConfig.logGroupName', AWS_TYPES.logGroups],
              [s3?.bucketName, 'LoggingConfig.s3Config.bucketName', AWS_TYPES.buckets],
              [large?.bucketName, 'LoggingConfig.cloudWatchConfig.largeDataDeliveryS3Config.bucketName', AWS_TYPES.buckets],
            ]
          : [
              [cloudWatch?.log_group_name, 'logging_config.cloudwatch_config.log_group_name', AWS_TYPES.logGroups],
              [s3?.bucket_name, 'logging_config.s3_config.bucket_name', AWS_TYPES.buckets],
              [large?.bucket_name, 'logging_config.cloudwatch_config.large_data_delivery_s3_config.bucket_name', AWS_TYPES.buckets],
            ];
        for (const [value, attribute, types] of destinations) {
          const to = resolveResource(context, value, types);
          if (to) deliver({ via: resource, from: modelCalls, to, data, roles: carried, attribute });
        }
        break;
      }
      case TF_AZURE.diagnosticSetting: {
        const categories = diagnosticCategories(resource);
        for (const account of diagnosticSettingTarget(context, resource).accounts) {
          const from: LogSource = { kind: 'resource', resource: account };
          for (const attribute of ['log_analytics_workspace_id', 'storage_account_id']) {
            const to = resolveResource(context, props[attribute]);
            if (to) deliver({ via: resource, from, to, data: 'diagnostic', roles: ['audit'], attribute, categories });
          }
          const hub = props.eventhub_authorization_rule_id ?? props.eventhub_name;
          if (hub !== undefined && hub !== null) {
            const attribute = props.eventhub_authorization_rule_id !== undefined ? 'eventhub_authorization_rule_id' : 'eventhub_name';
            const to = resolveResource(context, props.eventhub_authorization_rule_id) ?? resolveResource(context, props.eventhub_name);
            deliver({ via: resource, from, to: to ?? { kind: 'external', cloud: 'azure', label: `Event Hub ${describeValue(props.eventhub_name ?? hub)}` }, data: 'diagnostic', roles: ['audit'], attribute, categories });
          }
        }
        break;
      }
      case TF_GOOGLE.loggingProjectSink: {
        // A disabled sink routes nothing.
        if (props.disabled === true || props.disabled === 'true') break;
        const to = sinkTarget(context, props.destination).resource;
        deliver({ via: resource, from: modelCalls, to: to ?? { kind: 'external', cloud: 'google', label: `Sink destination ${describeValue(props.destination)}` }, data: 'sink-routed', roles: ['audit'], attribute: 'destination' });
        break;
      }
      case CFN.sageMakerEndpointConfig:
      case TF_AWS.sageMakerEndpointConfig: {
        // Data capture records requests and responses of a self-hosted model: a content log.
        const capture = dataCaptureOf(context, resource);
        if (capture.status !== 'off' && capture.bucket) deliver({ via: resource, from: { kind: 'resource', resource }, to: capture.bucket, data: 'request-response', roles: ['content'], attribute: `${capture.attribute} destination` });
        break;
      }
      case TF_GOOGLE.vertexEndpoint: {
        // Logging switched on, or by a value known only at plan time (it may be on): the destination may hold prompts.
        const enabled = valueAt(props, 'predict_request_response_logging_config.enabled');
        if (enabled !== true && !(enabled instanceof Unresolved)) break;
        const destination = predictionLogDestination(context, resource);
        if ('dataset' in destination) {
          deliver({ via: resource, from: { kind: 'resource', resource }, to: destination.dataset, data: 'request-response', roles: ['content'], attribute: 'predict_request_response_logging_config.bigquery_destination.output_uri' });
        }
        break;
      }
    }
    // Workspaces and log buckets exist to keep logs: judged as audit stores whatever feeds them.
    if (resource.type === TF_AZURE.logAnalyticsWorkspace || GOOGLE_LOG_BUCKET_TYPES.includes(resource.type)) addRoles(resource, ['audit']);
  }

  // Forwards, after the deliveries that give their sources roles: subscription filters, then delivery streams.
  for (const filter of graph.ofType(...AWS_TYPES.subscriptionFilters)) {
    const cloudFormation = filter.type === CFN.subscriptionFilter;
    const source = resolveResource(context, filter.properties[cloudFormation ? 'LogGroupName' : 'log_group_name'], AWS_TYPES.logGroups);
    const carried = source ? roles.get(source.key) : undefined;
    if (!source || !carried) continue;
    const attribute = cloudFormation ? 'DestinationArn' : 'destination_arn';
    const value = filter.properties[attribute];
    const to = resolveResource(context, value) ?? externalByArn(value, 'Subscription destination');
    deliver({ via: filter, from: { kind: 'resource', resource: source }, to, data: 'subscription', roles: [...carried], attribute });
  }
  for (const stream of graph.ofType(...AWS_TYPES.firehoses)) {
    const carried = forwarders.get(stream.key) ?? roles.get(stream.key);
    if (!carried) continue;
    const props = stream.properties;
    const s3 = block(props.ExtendedS3DestinationConfiguration ?? props.S3DestinationConfiguration ?? props.extended_s3_configuration ?? props.s3_configuration);
    const to = resolveResource(context, s3?.BucketARN ?? s3?.bucket_arn, AWS_TYPES.buckets);
    if (to) deliver({ via: stream, from: { kind: 'resource', resource: stream }, to, data: 'stream', roles: [...carried], attribute: stream.type === CFN.firehose ? 'S3 destination BucketARN' : 's3 destination bucket_arn' });
    // Any other destination (an HTTP endpoint, Splunk, OpenSearch, Redshift, Snowflake, a bucket outside the app) keeps
    // the logs where the documents do not show it.
    else {
      const external = firehoseDestination(stream);
      if (external) deliver({ via: stream, from: { kind: 'resource', resource: stream }, to: external.to, data: 'stream', roles: [...carried], attribute: external.attribute });
    }
  }

  const stores = graph.resources.filter((resource) => roles.has(resource.key));
  return { deliveries, roles, stores, forwarders };
}

/** The roles a resource declares through the {@link LOG_ROLE_TAG} tag or label. */
function declaredRoles(resource: Resource): LogRole[] {
  const value = tagValue(resource, LOG_ROLE_TAG);
  if (typeof value !== 'string') return [];
  return value.split(/[-,\s]+/).filter((role): role is LogRole => role === 'audit' || role === 'content');
}

/** Firehose destinations other than a bucket of the app: the property that names one, and how people name it. */
const FIREHOSE_DESTINATIONS: readonly (readonly [cloudFormation: string, terraform: string, what: string, name: readonly string[]])[] = [
  ['HttpEndpointDestinationConfiguration', 'http_endpoint_configuration', 'HTTP endpoint', ['EndpointConfiguration.Url', 'url']],
  ['SplunkDestinationConfiguration', 'splunk_configuration', 'Splunk', ['HECEndpoint', 'hec_endpoint']],
  ['AmazonopensearchserviceDestinationConfiguration', 'opensearch_configuration', 'OpenSearch domain', ['DomainARN', 'domain_arn']],
  ['ElasticsearchDestinationConfiguration', 'elasticsearch_configuration', 'Elasticsearch domain', ['DomainARN', 'domain_arn']],
  ['AmazonOpenSearchServerlessDestinationConfiguration', 'opensearchserverless_configuration', 'OpenSearch Serverless collection', ['CollectionEndpoint', 'collection_endpoint']],
  ['RedshiftDestinationConfiguration', 'redshift_configuration', 'Redshift cluster', ['ClusterJDBCURL', 'cluster_jdbcurl']],
  ['SnowflakeDestinationConfiguration', 'snowflake_configuration', 'Snowflake account', ['AccountUrl', 'account_url']],
  ['IcebergDestinationConfiguration', 'iceberg_configuration', 'Iceberg tables', ['CatalogConfiguration.CatalogARN', 'catalog_arn']],
  ['ExtendedS3DestinationConfiguration', 'extended_s3_configuration', 'bucket', ['BucketARN', 'bucket_arn']],
  ['S3DestinationConfiguration', 's3_configuration', 'bucket', ['BucketARN', 'bucket_arn']],
];

/** Where a delivery stream that writes to no bucket of the app sends what it carries, or undefined when it names no destination. */
function firehoseDestination(stream: Resource): { to: ExternalDestination; attribute: string } | undefined {
  const props = stream.properties;
  const cloudFormation = stream.type === CFN.firehose;
  for (const [cfnName, tfName, what, names] of FIREHOSE_DESTINATIONS) {
    const config = props[cloudFormation ? cfnName : tfName];
    if (config === undefined) continue;
    const path = names[cloudFormation ? 0 : 1];
    const value = valueAt(block(config) ?? {}, path);
    const attribute = `${cloudFormation ? cfnName : tfName}.${path}`;
    return { to: externalByArn(value, `Firehose ${what}`), attribute };
  }
  return undefined;
}

/** A destination named by ARN outside the documents: its region and account still tell where the logs go. */
function externalByArn(value: Value | undefined, what: string): ExternalDestination {
  const arn = typeof value === 'string' ? /^arn:[^:]+:[^:]+:([^:]*):([^:]*):/.exec(value) : undefined;
  return { kind: 'external', cloud: 'aws', label: `${what} ${describeValue(value)}`, ...(arn?.[1] ? { region: arn[1] } : {}), ...(arn?.[2] ? { account: arn[2] } : {}), ...(typeof value === 'string' && !value.includes('${') ? {} : { unknown: true }) };
}

/** The categories a diagnostic setting enables, as people read them. */
function diagnosticCategories(setting: Resource): string {
  const categories = new Set<string>();
  for (const key of ['enabled_log', 'log']) {
    const entries = setting.properties[key];
    for (const entry of Array.isArray(entries) ? entries : entries === undefined || entries === null ? [] : [entries]) {
      const log = block(entry);
      if (!log || log.enabled === false) continue;
      const category = log.category !== undefined && log.category !== '' ? log.category : log.category_group;
      if (category !== undefined && category !== null) categories.add(typeof category === 'string' ? category : category instanceof Unresolved ? category.expression : describeValue(category));
    }
  }
  return categories.size > 0 ? [...categories].sort().join(', ') : 'no log category enabled';
}
