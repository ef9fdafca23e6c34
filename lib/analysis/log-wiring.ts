import type { RuleContext } from '../rules/rule';
import { Resource, ResourceGraph } from '../core/graph';
import { Unresolved, Value, isPlainObject } from '../core/values';

/** `audit`: an audit trail of model use; `content`: holds prompts and responses (personal data). */
export type LogRole = 'audit' | 'content';

/**
 * Tag (AWS, Azure) or label (Google) that declares a log store's role:
 * `audit`, `content` or `audit-content`. Our constructs set it; anyone can.
 */
export const LOG_ROLE_TAG = 'llm-guardrail-log-role';

/** Bedrock model-invocation logging as our construct synthesizes it (a custom resource). */
export const BEDROCK_LOGGING_CUSTOM_TYPE = 'Custom::BedrockInvocationLogging';

export type LogRoles = ReadonlyMap<string, ReadonlySet<LogRole>>;

/** Log roles per graph: graphs never change, and the rules and the data-flow documentation ask for the same graph's. */
const rolesOfGraph = new WeakMap<ResourceGraph, LogRoles>();

/** Which resources are audit-log or content-log stores, and why; computed once per graph. */
export function logRoles(context: RuleContext): LogRoles {
  return context.memo('log-roles', () => {
    let roles = rolesOfGraph.get(context.graph);
    if (!roles) rolesOfGraph.set(context.graph, (roles = computeLogRoles(context.graph)));
    return roles;
  });
}

function computeLogRoles(graph: ResourceGraph): LogRoles {
  const roles = new Map<string, Set<LogRole>>();
  const add = (resource: Resource | undefined, ...added: LogRole[]): void => {
    if (!resource) return;
    let set = roles.get(resource.key);
    if (!set) roles.set(resource.key, (set = new Set()));
    for (const role of added) set.add(role);
  };
  const byName = nameIndex(graph);
  const target = (value: Value | undefined, types: readonly string[]): Resource | undefined => {
    const direct = graph.target(value);
    if (direct) return types.includes(direct.type) ? direct : undefined;
    if (typeof value === 'string') return byName.get(`${types[0]}:${arnTail(value)}`);
    return undefined;
  };
  const logGroupTypes = ['AWS::Logs::LogGroup', 'aws_cloudwatch_log_group'];
  const bucketTypes = ['AWS::S3::Bucket', 'aws_s3_bucket'];

  for (const resource of graph.resources) {
    const declared = declaredRoles(resource);
    if (declared.length > 0) add(resource, ...declared);
    const props = resource.properties;
    switch (resource.type) {
      case 'AWS::CloudTrail::Trail':
        add(target(props.CloudWatchLogsLogGroupArn, logGroupTypes), 'audit');
        add(target(props.S3BucketName, bucketTypes), 'audit');
        break;
      case 'aws_cloudtrail':
        add(target(props.cloud_watch_logs_group_arn, logGroupTypes), 'audit');
        add(target(props.s3_bucket_name, bucketTypes), 'audit');
        break;
      case BEDROCK_LOGGING_CUSTOM_TYPE:
      case 'aws_bedrock_model_invocation_logging_configuration': {
        const config = block(props.LoggingConfig ?? props.logging_config);
        const content: LogRole[] = config && (config.textDataDeliveryEnabled ?? config.text_data_delivery_enabled) !== false ? ['audit', 'content'] : ['audit'];
        const cloudWatch = block(config?.cloudWatchConfig ?? config?.cloudwatch_config);
        const s3 = block(config?.s3Config ?? config?.s3_config);
        const large = block(cloudWatch?.largeDataDeliveryS3Config ?? cloudWatch?.large_data_delivery_s3_config);
        add(target(cloudWatch?.logGroupName ?? cloudWatch?.log_group_name, logGroupTypes), ...content);
        add(target(s3?.bucketName ?? s3?.bucket_name, bucketTypes), ...content);
        add(target(large?.bucketName ?? large?.bucket_name, bucketTypes), ...content);
        break;
      }
      case 'azurerm_monitor_diagnostic_setting':
        add(graph.target(props.log_analytics_workspace_id), 'audit');
        add(graph.target(props.storage_account_id), 'audit');
        break;
      case 'azurerm_log_analytics_workspace':
      case 'google_logging_project_bucket_config':
        add(resource, 'audit');
        break;
      case 'google_logging_project_sink':
        add(singleTarget(graph, props.destination), 'audit');
        break;
    }
  }
  return roles;
}

/**
 * The one resource a value points at: a reference, or a string built around a
 * single reference (`logging.googleapis.com/${google_logging_project_bucket_config.b.id}`).
 */
function singleTarget(graph: ResourceGraph, value: Value | undefined): Resource | undefined {
  const direct = graph.target(value);
  if (direct) return direct;
  return value instanceof Unresolved && value.references.length === 1 ? graph.get(value.references[0]) : undefined;
}

/** The roles a resource declares through the {@link LOG_ROLE_TAG} tag or label. */
export function declaredRoles(resource: Resource): LogRole[] {
  const value = tagValue(resource, LOG_ROLE_TAG);
  if (typeof value !== 'string') return [];
  return value
    .split(/[-,\s]+/)
    .filter((role): role is LogRole => role === 'audit' || role === 'content');
}

/** A tag (CloudFormation `Tags` list, Terraform `tags` map) or label (Google `labels`) value. */
export function tagValue(resource: Resource, key: string): Value | undefined {
  const { properties } = resource;
  const tags = properties.Tags ?? properties.tags ?? properties.labels;
  if (Array.isArray(tags)) {
    for (const tag of tags) if (isPlainObject(tag) && tag.Key === key) return tag.Value;
    return undefined;
  }
  if (isPlainObject(tags)) return tags[key];
  return undefined;
}

/** A single nested block: Terraform JSON writes blocks as objects or one-element lists. */
export function block(value: Value | undefined): { [key: string]: Value } | undefined {
  if (Array.isArray(value)) return isPlainObject(value[0]) ? value[0] : undefined;
  return isPlainObject(value) ? value : undefined;
}

function nameIndex(graph: ResourceGraph): Map<string, Resource> {
  const index = new Map<string, Resource>();
  for (const resource of graph.ofType('AWS::Logs::LogGroup', 'aws_cloudwatch_log_group')) {
    const name = resource.properties.LogGroupName ?? resource.properties.name;
    if (typeof name === 'string') index.set(`AWS::Logs::LogGroup:${name}`, resource);
  }
  for (const resource of graph.ofType('AWS::S3::Bucket', 'aws_s3_bucket')) {
    const name = resource.properties.BucketName ?? resource.properties.bucket;
    if (typeof name === 'string') index.set(`AWS::S3::Bucket:${name}`, resource);
  }
  return index;
}

/** `arn:aws:logs:r:a:log-group:NAME:*` → `NAME`; `arn:aws:s3:::NAME` → `NAME`; a plain name stays. */
function arnTail(value: string): string {
  const logGroup = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)/.exec(value);
  if (logGroup) return logGroup[1];
  const bucket = /^arn:[^:]+:s3:::([^/]+)/.exec(value);
  return bucket ? bucket[1] : value;
}
