/**
 * Lambda handler of the Custom::BedrockInvocationLogging resource: puts,
 * verifies and (optionally) deletes the account's Bedrock model-invocation
 * logging configuration for the region the function runs in. The Bedrock API
 * is idempotent (a put replaces the whole configuration), so retries are safe.
 */
import {
  DeleteModelInvocationLoggingConfigurationCommand,
  GetModelInvocationLoggingConfigurationCommand,
  LoggingConfig,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import { BoundedClient, CustomResourceEvent, CustomResourceResponse, FAILED_CREATE_PREFIX, HandlerContext, Outcome, booleanProperty, environmentOf, isRecord, record, runCustomResource, text } from './runtime';

export type { CustomResourceEvent, CustomResourceResponse, HandlerContext } from './runtime';

export function handler(event: CustomResourceEvent, context: HandlerContext = {}): Promise<CustomResourceResponse> {
  return runCustomResource(event, context, 'Bedrock model-invocation logging', (client) => apply(event, client));
}

async function apply(event: CustomResourceEvent, client: BoundedClient): Promise<Outcome> {
  const physicalResourceId = `bedrock-model-invocation-logging:${environmentOf(event.StackId)}`;
  if (event.RequestType === 'Delete') {
    if (event.PhysicalResourceId?.startsWith(FAILED_CREATE_PREFIX)) return { physicalResourceId: event.PhysicalResourceId, data: { Action: 'none (create had failed)' } };
    if (booleanProperty(event.ResourceProperties.RetainOnDelete, 'RetainOnDelete', true)) {
      return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId, data: { Action: 'kept (RetainOnDelete)' } };
    }
    const wanted = loggingConfigOf(event.ResourceProperties);
    const current = (await client.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig;
    // Another configuration replaced ours (e.g. the resource moved): deleting would switch off someone else's logging.
    if (current && !sameDestinations(current, wanted)) {
      return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId, data: { Action: 'none (the account now has another configuration)' } };
    }
    await client.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
    return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId, data: { Action: 'deleted' } };
  }

  const wanted = loggingConfigOf(event.ResourceProperties);
  await client.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig: wanted }));
  const stored = (await client.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig;
  const differences = stored ? settingDifferences(wanted, stored) : ['no configuration'];
  if (differences.length > 0) {
    throw new Error(`Bedrock did not keep the configuration: ${differences.join('; ')} (read back ${JSON.stringify(stored ?? null)} after writing ${JSON.stringify(wanted)})`);
  }
  return {
    physicalResourceId,
    data: {
      Action: event.RequestType === 'Create' ? 'created' : 'updated',
      LogGroupName: wanted.cloudWatchConfig?.logGroupName ?? '',
      BucketName: wanted.s3Config?.bucketName ?? '',
    },
  };
}

/**
 * Reads the LoggingConfig property. CloudFormation passes every scalar of a
 * custom resource as a string, so booleans arrive as "true"/"false".
 */
function loggingConfigOf(properties: { readonly [key: string]: unknown }): LoggingConfig {
  const raw = properties.LoggingConfig;
  if (!isRecord(raw)) throw new Error('the LoggingConfig property is missing');
  const config: LoggingConfig = {};
  if (raw.cloudWatchConfig !== undefined) {
    const cloudWatch = record(raw.cloudWatchConfig, 'LoggingConfig.cloudWatchConfig');
    config.cloudWatchConfig = {
      logGroupName: text(cloudWatch.logGroupName, 'LoggingConfig.cloudWatchConfig.logGroupName'),
      roleArn: text(cloudWatch.roleArn, 'LoggingConfig.cloudWatchConfig.roleArn'),
      largeDataDeliveryS3Config: cloudWatch.largeDataDeliveryS3Config === undefined ? undefined : s3ConfigOf(cloudWatch.largeDataDeliveryS3Config, 'LoggingConfig.cloudWatchConfig.largeDataDeliveryS3Config'),
    };
  }
  if (raw.s3Config !== undefined) config.s3Config = s3ConfigOf(raw.s3Config, 'LoggingConfig.s3Config');
  if (!config.cloudWatchConfig && !config.s3Config) throw new Error('LoggingConfig names no destination (cloudWatchConfig or s3Config)');
  for (const key of ['textDataDeliveryEnabled', 'imageDataDeliveryEnabled', 'embeddingDataDeliveryEnabled', 'videoDataDeliveryEnabled', 'audioDataDeliveryEnabled'] as const) {
    if (raw[key] !== undefined) config[key] = booleanProperty(raw[key], `LoggingConfig.${key}`, false);
  }
  return config;
}

function s3ConfigOf(value: unknown, where: string): { bucketName: string; keyPrefix?: string } {
  const s3 = record(value, where);
  return { bucketName: text(s3.bucketName, `${where}.bucketName`), keyPrefix: s3.keyPrefix === undefined || s3.keyPrefix === '' ? undefined : text(s3.keyPrefix, `${where}.keyPrefix`) };
}

/** The data types a configuration delivers; unset means not delivered. */
const DELIVERY_FLAGS = ['textDataDeliveryEnabled', 'imageDataDeliveryEnabled', 'embeddingDataDeliveryEnabled', 'videoDataDeliveryEnabled', 'audioDataDeliveryEnabled'] as const;

/**
 * Every setting the read-back differs in from what was written: destinations,
 * prefixes, the CloudWatch delivery role, the data types delivered. A
 * configuration whose role is someone else's delivers nothing of ours.
 */
function settingDifferences(wanted: LoggingConfig, stored: LoggingConfig): string[] {
  const compare: [string, unknown, unknown][] = [
    ['cloudWatchConfig.logGroupName', wanted.cloudWatchConfig?.logGroupName, stored.cloudWatchConfig?.logGroupName],
    ['cloudWatchConfig.roleArn', wanted.cloudWatchConfig?.roleArn, stored.cloudWatchConfig?.roleArn],
    ['cloudWatchConfig.largeDataDeliveryS3Config.bucketName', wanted.cloudWatchConfig?.largeDataDeliveryS3Config?.bucketName, stored.cloudWatchConfig?.largeDataDeliveryS3Config?.bucketName],
    ['cloudWatchConfig.largeDataDeliveryS3Config.keyPrefix', wanted.cloudWatchConfig?.largeDataDeliveryS3Config?.keyPrefix ?? '', stored.cloudWatchConfig?.largeDataDeliveryS3Config?.keyPrefix ?? ''],
    ['s3Config.bucketName', wanted.s3Config?.bucketName, stored.s3Config?.bucketName],
    ['s3Config.keyPrefix', wanted.s3Config?.keyPrefix ?? '', stored.s3Config?.keyPrefix ?? ''],
    ...DELIVERY_FLAGS.map((flag): [string, unknown, unknown] => [flag, wanted[flag] ?? false, stored[flag] ?? false]),
  ];
  return compare.filter(([, want, got]) => want !== got).map(([name, want, got]) => `${name} is ${JSON.stringify(got ?? null)}, not ${JSON.stringify(want ?? null)}`);
}

/** Whether two configurations deliver to the same log group and buckets. */
function sameDestinations(a: LoggingConfig, b: LoggingConfig): boolean {
  return (
    a.cloudWatchConfig?.logGroupName === b.cloudWatchConfig?.logGroupName &&
    a.cloudWatchConfig?.largeDataDeliveryS3Config?.bucketName === b.cloudWatchConfig?.largeDataDeliveryS3Config?.bucketName &&
    a.s3Config?.bucketName === b.s3Config?.bucketName &&
    (a.s3Config?.keyPrefix ?? '') === (b.s3Config?.keyPrefix ?? '')
  );
}
