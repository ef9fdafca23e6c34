/**
 * Lambda handler of the Custom::BedrockInvocationLogging resource: puts,
 * verifies and (optionally) deletes the account's Bedrock model-invocation
 * logging configuration for the region the function runs in.
 *
 * Every failure is reported to CloudFormation as FAILED with the API's own
 * message, so the deployment stops; nothing is swallowed. The Bedrock API is
 * idempotent (a put replaces the whole configuration), so retries are safe.
 * The Lambda runtime provides @aws-sdk/client-bedrock.
 */
import * as http from 'http';
import * as https from 'https';
import {
  BedrockClient,
  DeleteModelInvocationLoggingConfigurationCommand,
  GetModelInvocationLoggingConfigurationCommand,
  LoggingConfig,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';

/** The subset of a CloudFormation custom-resource request this handler reads. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
}

/** What the handler answers CloudFormation. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
}

/** The part of the Lambda context the handler uses. */
export interface HandlerContext {
  readonly logStreamName?: string;
  /** Milliseconds left before Lambda stops the function. */
  getRemainingTimeInMillis?(): number;
}

/** Time kept back from the function's deadline to tell CloudFormation why the work did not finish. */
const RESPONSE_RESERVE_MS = 5_000;
/** The longest one Bedrock API call may take. */
const MAX_CALL_MS = 30_000;

/** Prefix of the physical id reported when a create fails, so that the rollback delete knows there is nothing to undo. */
const FAILED_CREATE_PREFIX = 'failed-create:';

export async function handler(event: CustomResourceEvent, context: HandlerContext = {}): Promise<CustomResourceResponse> {
  let response: CustomResourceResponse;
  try {
    const outcome = await apply(event, deadlineOf(context));
    response = { ...identity(event), Status: 'SUCCESS', PhysicalResourceId: outcome.physicalResourceId, Data: outcome.data };
    console.log(JSON.stringify({ requestType: event.RequestType, outcome }));
  } catch (error) {
    const message = describeError(error);
    console.error(JSON.stringify({ requestType: event.RequestType, error: message }));
    response = {
      ...identity(event),
      Status: 'FAILED',
      Reason: `${event.RequestType} of Bedrock model-invocation logging failed: ${message}${context.logStreamName ? ` (log stream ${context.logStreamName})` : ''}`.slice(0, 4000),
      PhysicalResourceId: event.PhysicalResourceId ?? `${FAILED_CREATE_PREFIX}${event.RequestId}`,
    };
  }
  // If CloudFormation cannot be told, let the invocation fail so that Lambda logs and retries it.
  await sendResponse(event.ResponseURL, response);
  return response;
}

interface Outcome {
  readonly physicalResourceId: string;
  readonly data: { [key: string]: string };
}

/** When the handler must have answered, from the function's remaining time (Lambda's 15-minute maximum otherwise). */
function deadlineOf(context: HandlerContext): number {
  const remaining = context.getRemainingTimeInMillis?.() ?? 900_000;
  return Date.now() + Math.max(remaining - RESPONSE_RESERVE_MS, 1_000);
}

/**
 * A Bedrock client whose every call ends before the function's deadline: a
 * hanging call fails with a reason CloudFormation shows, instead of the
 * resource waiting an hour for the custom-resource timeout.
 */
function boundedClient(deadline: number): { send: BedrockClient['send'] } {
  const client = new BedrockClient({});
  return {
    send: (async (command: Parameters<BedrockClient['send']>[0]) => {
      const budget = Math.min(MAX_CALL_MS, deadline - Date.now());
      if (budget <= 0) throw new Error('no time left before the function times out');
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), budget);
      try {
        return await client.send(command, { abortSignal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) throw new Error(`${command.constructor.name.replace(/Command$/, '')} did not answer within ${Math.ceil(budget / 1000)} s (the function must answer CloudFormation before it times out)`);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }) as BedrockClient['send'],
  };
}

async function apply(event: CustomResourceEvent, deadline: number): Promise<Outcome> {
  const client = boundedClient(deadline);
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

function booleanProperty(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${where} must be true or false, found ${JSON.stringify(value)}`);
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${where} must be a non-empty string, found ${JSON.stringify(value)}`);
  return value;
}

function record(value: unknown, where: string): { [key: string]: unknown } {
  if (!isRecord(value)) throw new Error(`${where} must be an object, found ${JSON.stringify(value)}`);
  return value;
}

function isRecord(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `123456789012/eu-central-1` from `arn:aws:cloudformation:eu-central-1:123456789012:stack/…`. */
function environmentOf(stackId: string): string {
  const [, , , region, account] = stackId.split(':');
  return `${account ?? 'unknown-account'}/${region ?? 'unknown-region'}`;
}

function identity(event: CustomResourceEvent): Pick<CustomResourceResponse, 'StackId' | 'RequestId' | 'LogicalResourceId'> {
  return { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
}

/** The API's error name and message (`AccessDeniedException: …`), never a bare "Error". */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message || '(no message)'}${status ? ` (HTTP ${status})` : ''}`;
  }
  return String(error);
}

/** PUTs the response to CloudFormation's pre-signed URL. */
function sendResponse(responseUrl: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  const url = new URL(responseUrl);
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (reply) => {
        reply.resume();
        reply.on('end', () => (reply.statusCode && reply.statusCode < 300 ? resolve() : reject(new Error(`CloudFormation response URL answered HTTP ${reply.statusCode}`))));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
