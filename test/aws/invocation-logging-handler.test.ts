/**
 * The Custom::BedrockInvocationLogging handler with the real
 * @aws-sdk/client-bedrock client, talking HTTP to a server on 127.0.0.1 that
 * stands in for the Bedrock control-plane API and for CloudFormation's
 * response URL.
 */
import { CustomResourceEvent, handler } from '../../constructs/aws/handlers/invocation-logging';
import { customResourceEvent, useFakeBedrock } from '../support/fake-bedrock';

const PHYSICAL_ID = 'bedrock-model-invocation-logging:111111111111/eu-central-1';

/** LoggingConfig as CloudFormation hands it to the function: every scalar a string. */
function properties(bucketName = 'invocation-logs-bucket', retainOnDelete = 'true'): { [key: string]: unknown } {
  return {
    ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:handler',
    RetainOnDelete: retainOnDelete,
    LoggingConfig: {
      cloudWatchConfig: {
        logGroupName: 'invocation-logs',
        roleArn: 'arn:aws:iam::111111111111:role/delivery',
        largeDataDeliveryS3Config: { bucketName, keyPrefix: 'bedrock-invocation-logs-large-data' },
      },
      s3Config: { bucketName, keyPrefix: 'bedrock-invocation-logs' },
      textDataDeliveryEnabled: 'true',
      imageDataDeliveryEnabled: 'false',
      embeddingDataDeliveryEnabled: 'false',
      videoDataDeliveryEnabled: 'false',
    },
  };
}

describe('Custom::BedrockInvocationLogging handler against a local Bedrock API', () => {
  const bedrock = useFakeBedrock();
  let errors: jest.SpyInstance;

  beforeEach(() => {
    errors = jest.spyOn(console, 'error');
  });

  const event = (requestType: CustomResourceEvent['RequestType'], resourceProperties: { [key: string]: unknown }, physicalResourceId?: string): CustomResourceEvent =>
    customResourceEvent(bedrock, 'Custom::BedrockInvocationLogging', requestType, resourceProperties, physicalResourceId);

  test('GIVEN no configuration WHEN created THEN the handler puts it with real booleans, reads it back and reports SUCCESS', async () => {
    const response = await handler(event('Create', properties()));
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe(PHYSICAL_ID);
    const put = bedrock.requests.find((request) => request.method === 'PUT' && request.path === '/logging/modelinvocations');
    expect(JSON.parse(put!.body).loggingConfig).toEqual({
      cloudWatchConfig: { logGroupName: 'invocation-logs', roleArn: 'arn:aws:iam::111111111111:role/delivery', largeDataDeliveryS3Config: { bucketName: 'invocation-logs-bucket', keyPrefix: 'bedrock-invocation-logs-large-data' } },
      s3Config: { bucketName: 'invocation-logs-bucket', keyPrefix: 'bedrock-invocation-logs' },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
      videoDataDeliveryEnabled: false,
    });
    expect(bedrock.responses.at(-1)).toEqual(response);
    expect(bedrock.bedrockCalls()).toEqual(['PUT', 'GET']);
  });

  test('GIVEN a configuration WHEN the same create is retried THEN it is idempotent', async () => {
    const before = bedrock.stored;
    const response = await handler(event('Create', properties()));
    expect(response.Status).toBe('SUCCESS');
    expect(bedrock.stored).toEqual(before);
  });

  test('GIVEN a configuration WHEN updated to a new bucket THEN the new configuration replaces it under the same physical id', async () => {
    const response = await handler(event('Update', properties('new-logs-bucket'), PHYSICAL_ID));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: { Action: 'updated', BucketName: 'new-logs-bucket', LogGroupName: 'invocation-logs' } });
    expect(bedrock.stored).toMatchObject({ s3Config: { bucketName: 'new-logs-bucket' } });
  });

  test('GIVEN the default RetainOnDelete WHEN the resource is deleted THEN logging stays on', async () => {
    const calls = bedrock.bedrockCalls().length;
    const response = await handler(event('Delete', properties('new-logs-bucket'), PHYSICAL_ID));
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Action: 'kept (RetainOnDelete)' } });
    expect(bedrock.bedrockCalls().length).toBe(calls);
    expect(bedrock.stored).toBeDefined();
  });

  test('GIVEN another configuration replaced ours WHEN our resource is deleted with RetainOnDelete false THEN the other one is left alone', async () => {
    const response = await handler(event('Delete', properties('old-logs-bucket', 'false'), PHYSICAL_ID));
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Action: 'none (the account now has another configuration)' } });
    expect(bedrock.stored).toMatchObject({ s3Config: { bucketName: 'new-logs-bucket' } });
  });

  test('GIVEN our configuration WHEN deleted with RetainOnDelete false THEN the handler deletes it', async () => {
    const response = await handler(event('Delete', properties('new-logs-bucket', 'false'), PHYSICAL_ID));
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Action: 'deleted' } });
    expect(bedrock.bedrockCalls().slice(-2)).toEqual(['GET', 'DELETE']);
    expect(bedrock.stored).toBeUndefined();
  });

  test('GIVEN the API refuses WHEN created THEN the handler reports FAILED with the API error, logs it, and the rollback delete does nothing', async () => {
    bedrock.failNext = { status: 403, type: 'AccessDeniedException', message: 'User is not authorized to perform: bedrock:PutModelInvocationLoggingConfiguration' };
    const response = await handler(event('Create', properties()), { logStreamName: '2026/11/25/[$LATEST]abc' });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('Create of Bedrock model-invocation logging failed: AccessDeniedException: User is not authorized to perform: bedrock:PutModelInvocationLoggingConfiguration (HTTP 403)');
    expect(response.Reason).toContain('log stream 2026/11/25/[$LATEST]abc');
    expect(bedrock.responses.at(-1)?.Status).toBe('FAILED');
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('AccessDeniedException'));

    const calls = bedrock.bedrockCalls().length;
    const rollback = await handler(event('Delete', properties(), response.PhysicalResourceId));
    expect(rollback).toMatchObject({ Status: 'SUCCESS', Data: { Action: 'none (create had failed)' } });
    expect(bedrock.bedrockCalls().length).toBe(calls);
  });

  test('GIVEN the service keeps something else WHEN created THEN the read-back check fails the deployment', async () => {
    bedrock.storeInstead = { s3Config: { bucketName: 'somebody-elses-bucket' }, textDataDeliveryEnabled: false };
    try {
      const response = await handler(event('Create', properties()));
      expect(response.Status).toBe('FAILED');
      expect(response.Reason).toContain('Bedrock did not keep the configuration');
    } finally {
      bedrock.storeInstead = undefined;
    }
  });

  test('GIVEN the service keeps our destinations but another account\'s delivery role WHEN created THEN the read-back check names the role and fails the deployment', async () => {
    const written = properties();
    const config = written.LoggingConfig as { cloudWatchConfig: { roleArn: string } };
    bedrock.storeInstead = {
      cloudWatchConfig: { ...config.cloudWatchConfig, roleArn: 'arn:aws:iam::222222222222:role/delivery' },
      s3Config: { bucketName: 'invocation-logs-bucket', keyPrefix: 'bedrock-invocation-logs' },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
      videoDataDeliveryEnabled: false,
    };
    try {
      const response = await handler(event('Create', written));
      expect(response.Status).toBe('FAILED');
      expect(response.Reason).toContain('cloudWatchConfig.roleArn is "arn:aws:iam::222222222222:role/delivery", not "arn:aws:iam::111111111111:role/delivery"');
    } finally {
      bedrock.storeInstead = undefined;
    }
  });

  test('GIVEN a Bedrock call that hangs WHEN created THEN the handler answers FAILED before the function times out, naming the call', async () => {
    bedrock.delayMs = 10_000;
    const started = Date.now();
    // 6.5 s left: 5 s are kept to answer CloudFormation, so the call may take 1.5 s.
    const response = await handler(event('Create', properties()), { getRemainingTimeInMillis: () => 6_500 });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/PutModelInvocationLoggingConfiguration did not answer within [12] s \(the function must answer CloudFormation before it times out\)/);
    expect(Date.now() - started).toBeLessThan(6_500);
    expect(bedrock.responses.at(-1)).toEqual(response);
  });

  test('GIVEN a malformed property WHEN created THEN the handler fails before calling the API', async () => {
    const calls = bedrock.bedrockCalls().length;
    const broken = properties();
    (broken.LoggingConfig as { textDataDeliveryEnabled: string }).textDataDeliveryEnabled = 'yes';
    const response = await handler(event('Create', broken));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('LoggingConfig.textDataDeliveryEnabled must be true or false, found "yes"');
    expect(bedrock.bedrockCalls().length).toBe(calls);
  });

  test('GIVEN CloudFormation cannot be told WHEN the handler finishes THEN the invocation itself fails (so Lambda logs and retries it)', async () => {
    await expect(handler({ ...event('Create', properties()), ResponseURL: `${bedrock.url}/not-a-response-url` })).rejects.toThrow('CloudFormation response URL answered HTTP 404');
  });
});
