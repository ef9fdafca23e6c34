/**
 * A stand-in for the Bedrock control-plane API on 127.0.0.1, for the custom
 * resource handlers tested with the real @aws-sdk/client-bedrock client:
 * model-invocation logging (PUT/GET/DELETE /logging/modelinvocations), the
 * account data retention mode (PUT/GET /data-retention) and CloudFormation's
 * response URL.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import type { CustomResourceResponse } from '../../constructs/aws/handlers/runtime';

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

export class FakeBedrock {
  readonly requests: RecordedRequest[] = [];
  readonly responses: CustomResourceResponse[] = [];
  stored: object | undefined;
  /** Answer the next Bedrock call with this error. */
  failNext?: { status: number; type: string; message: string };
  /** Keep this instead of what was put (a service that silently ignores part of a request). */
  storeInstead?: object;
  /** Wait this long before answering Bedrock calls (a hanging API). */
  delayMs = 0;
  /** The account data retention mode (GET/PUT /data-retention). */
  dataRetention: string | undefined;
  /** Keep this mode instead of what was put. */
  dataRetentionInstead?: string;
  /** Per region (from the request's SigV4 credential scope): what GET answers instead of the shared state. */
  readonly regional = new Map<string, { logging?: object | null; retention?: string; denied?: boolean }>();
  /** Inference profiles by `<region>/<id>`: the foundation-model ARNs they route to. */
  readonly profiles = new Map<string, string[]>();
  /** ListInferenceProfiles answers by region, in pages of this size. */
  readonly listedProfiles = new Map<string, { inferenceProfileId: string; models: string[] }[]>();
  pageSize = 2;
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((request, reply) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => this.answer(request, body, reply));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  bedrockCalls(path = '/logging/modelinvocations'): string[] {
    return this.requests.filter((request) => request.path === path).map((request) => request.method);
  }

  private answer(request: http.IncomingMessage, body: string, reply: http.ServerResponse): void {
    const path = (request.url ?? '').split('?')[0];
    this.requests.push({ method: request.method ?? '', path, body });
    if (path === '/cloudformation-response') {
      this.responses.push(JSON.parse(body));
      reply.writeHead(200).end();
      return;
    }
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'unknown';
    const json = (value: object): void => {
      reply.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    const regional = this.regional.get(region);
    if (regional?.denied && request.method === 'GET') {
      reply.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }).end(JSON.stringify({ message: `not authorized in ${region}` }));
      return;
    }
    if (path.startsWith('/inference-profiles/') && request.method === 'GET') {
      const id = decodeURIComponent(path.slice('/inference-profiles/'.length));
      const models = this.profiles.get(`${region}/${id}`);
      if (!models) {
        reply.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' }).end(JSON.stringify({ message: `no profile ${id} in ${region}` }));
        return;
      }
      json({ inferenceProfileId: id, inferenceProfileName: id, inferenceProfileArn: `arn:aws:bedrock:${region}:111111111111:inference-profile/${id}`, status: 'ACTIVE', type: 'SYSTEM_DEFINED', models: models.map((modelArn) => ({ modelArn })) });
      return;
    }
    if (path === '/inference-profiles' && request.method === 'GET') {
      const all = this.listedProfiles.get(region) ?? [];
      const start = Number(new URL(request.url ?? '', 'http://x').searchParams.get('nextToken') ?? '0');
      const page = all.slice(start, start + this.pageSize);
      json({
        inferenceProfileSummaries: page.map((profile) => ({ inferenceProfileId: profile.inferenceProfileId, inferenceProfileName: profile.inferenceProfileId, inferenceProfileArn: `arn:aws:bedrock:${region}:111111111111:inference-profile/${profile.inferenceProfileId}`, status: 'ACTIVE', type: 'SYSTEM_DEFINED', models: profile.models.map((modelArn) => ({ modelArn })) })),
        ...(start + this.pageSize < all.length ? { nextToken: String(start + this.pageSize) } : {}),
      });
      return;
    }
    if (regional && request.method === 'GET' && (path === '/logging/modelinvocations' || path === '/data-retention')) {
      json(path === '/data-retention' ? { mode: regional.retention ?? 'inherit' } : regional.logging ? { loggingConfig: regional.logging } : {});
      return;
    }
    if (path !== '/logging/modelinvocations' && path !== '/data-retention') {
      reply.writeHead(404).end();
      return;
    }
    if (this.delayMs > 0) {
      const delay = this.delayMs;
      this.delayMs = 0;
      setTimeout(() => this.answer(request, body, reply), delay).unref();
      this.requests.pop();
      return;
    }
    if (this.failNext) {
      const { status, type, message } = this.failNext;
      this.failNext = undefined;
      reply.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type }).end(JSON.stringify({ message }));
      return;
    }
    if (path === '/data-retention') {
      if (request.method === 'PUT') {
        this.dataRetention = this.dataRetentionInstead ?? JSON.parse(body).mode;
        json({ mode: this.dataRetention, updatedAt: new Date().toISOString() });
      } else if (request.method === 'GET') {
        json({ mode: this.dataRetention ?? 'inherit' });
      } else {
        reply.writeHead(405).end();
      }
      return;
    }
    if (request.method === 'PUT') {
      this.stored = this.storeInstead ?? JSON.parse(body).loggingConfig;
      json({});
    } else if (request.method === 'GET') {
      json(this.stored ? { loggingConfig: this.stored } : {});
    } else if (request.method === 'DELETE') {
      this.stored = undefined;
      json({});
    } else {
      reply.writeHead(405).end();
    }
  }
}

/** The stack every handler test deploys into, and a custom-resource request for it that answers to `bedrock`. */
export const TEST_STACK_ID = 'arn:aws:cloudformation:eu-central-1:111111111111:stack/Workload/5b1f2c40-0000-0000-0000-000000000000';

export function customResourceEvent(bedrock: FakeBedrock, resourceType: string, requestType: 'Create' | 'Update' | 'Delete', resourceProperties: { [key: string]: unknown }, physicalResourceId?: string) {
  return {
    RequestType: requestType,
    ResponseURL: `${bedrock.url}/cloudformation-response?signature=abc`,
    StackId: TEST_STACK_ID,
    RequestId: `request-${requestType}-${bedrock.requests.length}`,
    LogicalResourceId: resourceType.replace(/^Custom::Bedrock/, ''),
    ResourceType: resourceType,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: resourceProperties,
  };
}

/**
 * Starts the server before the tests and points the real SDK at it (endpoint,
 * region, test credentials, one attempt); restores the environment after.
 */
export function useFakeBedrock(): FakeBedrock {
  const bedrock = new FakeBedrock();
  const saved = { ...process.env };
  beforeAll(async () => {
    await bedrock.start();
    process.env.AWS_ENDPOINT_URL_BEDROCK = bedrock.url;
    process.env.AWS_REGION = 'eu-central-1';
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
    process.env.AWS_MAX_ATTEMPTS = '1';
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    process.env = saved;
    await bedrock.stop();
  });
  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  return bedrock;
}

