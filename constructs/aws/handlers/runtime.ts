/**
 * What every custom-resource handler of the package shares: the request and
 * response shapes, answering CloudFormation (FAILED with the API's own
 * message, never swallowed), a Bedrock client whose calls end before the
 * function's deadline, and strict readers of the properties CloudFormation
 * hands over (every scalar a string). The Lambda runtime provides
 * @aws-sdk/client-bedrock.
 */
import * as http from 'http';
import * as https from 'https';
import { BedrockClient } from '@aws-sdk/client-bedrock';

/** The subset of a CloudFormation custom-resource request a handler reads. */
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

/** What a handler answers CloudFormation. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
}

/** The part of the Lambda context a handler uses. */
export interface HandlerContext {
  readonly logStreamName?: string;
  /** Milliseconds left before Lambda stops the function. */
  getRemainingTimeInMillis?(): number;
}

/** What a handler's work produced. */
export interface Outcome {
  readonly physicalResourceId: string;
  readonly data: { [key: string]: string };
}

/** Prefix of the physical id reported when a create fails, so that the rollback delete knows there is nothing to undo. */
export const FAILED_CREATE_PREFIX = 'failed-create:';
/** Time kept back from the function's deadline to tell CloudFormation why the work did not finish. */
const RESPONSE_RESERVE_MS = 5_000;
/** The longest one Bedrock API call may take. */
const MAX_CALL_MS = 30_000;

/**
 * Runs `apply` for a request and answers CloudFormation: SUCCESS with its
 * outcome, or FAILED with `<what> failed: <the API's message>`. If
 * CloudFormation cannot be told, the invocation itself fails, so that Lambda
 * logs and retries it.
 */
export async function runCustomResource(
  event: CustomResourceEvent,
  context: HandlerContext,
  what: string,
  apply: (client: BoundedClient) => Promise<Outcome>,
): Promise<CustomResourceResponse> {
  let response: CustomResourceResponse;
  try {
    const outcome = await apply(boundedClient(deadlineOf(context)));
    response = { ...identity(event), Status: 'SUCCESS', PhysicalResourceId: outcome.physicalResourceId, Data: outcome.data };
    console.log(JSON.stringify({ requestType: event.RequestType, outcome }));
  } catch (error) {
    const message = describeError(error);
    console.error(JSON.stringify({ requestType: event.RequestType, error: message }));
    response = {
      ...identity(event),
      Status: 'FAILED',
      Reason: `${event.RequestType} of ${what} failed: ${message}${context.logStreamName ? ` (log stream ${context.logStreamName})` : ''}`.slice(0, 4000),
      PhysicalResourceId: event.PhysicalResourceId ?? `${FAILED_CREATE_PREFIX}${event.RequestId}`,
    };
  }
  await sendResponse(event.ResponseURL, response);
  return response;
}

/** When the handler must have answered, from the function's remaining time (Lambda's 15-minute maximum otherwise). */
function deadlineOf(context: HandlerContext): number {
  const remaining = context.getRemainingTimeInMillis?.() ?? 900_000;
  return Date.now() + Math.max(remaining - RESPONSE_RESERVE_MS, 1_000);
}

/** A Bedrock client whose every call ends before the function's deadline. */
export interface BoundedClient {
  send: BedrockClient['send'];
}

/**
 * A hanging call fails with a reason CloudFormation shows, instead of the
 * resource waiting an hour for the custom-resource timeout.
 */
function boundedClient(deadline: number): BoundedClient {
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

export function booleanProperty(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${where} must be true or false, found ${JSON.stringify(value)}`);
}

export function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${where} must be a non-empty string, found ${JSON.stringify(value)}`);
  return value;
}

export function record(value: unknown, where: string): { [key: string]: unknown } {
  if (!isRecord(value)) throw new Error(`${where} must be an object, found ${JSON.stringify(value)}`);
  return value;
}

export function isRecord(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `123456789012/eu-central-1` from `arn:aws:cloudformation:eu-central-1:123456789012:stack/…`. */
export function environmentOf(stackId: string): string {
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
