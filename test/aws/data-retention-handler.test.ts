/**
 * The Custom::BedrockDataRetention handler with the real @aws-sdk/client-bedrock
 * client, talking HTTP to a server on 127.0.0.1 that stands in for the Bedrock
 * API (GET/PUT /data-retention) and CloudFormation's response URL.
 */
import { CustomResourceEvent, handler } from '../../constructs/aws/handlers/data-retention';
import { customResourceEvent, useFakeBedrock } from '../support/fake-bedrock';

describe('Custom::BedrockDataRetention handler against a local Bedrock API', () => {
  const bedrock = useFakeBedrock();
  const event = (requestType: CustomResourceEvent['RequestType'], properties: { [key: string]: unknown }, physicalResourceId?: string): CustomResourceEvent =>
    customResourceEvent(bedrock, 'Custom::BedrockDataRetention', requestType, properties, physicalResourceId);

  test('GIVEN an account at inherit WHEN created with mode none THEN the handler puts it, reads it back and reports SUCCESS', async () => {
    const response = await handler(event('Create', { Mode: 'none', RetainOnDelete: 'true' }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'bedrock-data-retention:111111111111/eu-central-1', Data: { Action: 'created', Mode: 'none' } });
    expect(bedrock.dataRetention).toBe('none');
    expect(bedrock.bedrockCalls('/data-retention')).toEqual(['PUT', 'GET']);
    expect(JSON.parse(bedrock.requests.find((request) => request.method === 'PUT' && request.path === '/data-retention')!.body)).toEqual({ mode: 'none' });
    expect(bedrock.responses.at(-1)).toEqual(response);
  });

  test('GIVEN the service keeps another mode WHEN created THEN the read-back fails the deployment naming both modes', async () => {
    bedrock.dataRetentionInstead = 'default';
    try {
      const response = await handler(event('Create', { Mode: 'none' }));
      expect(response.Status).toBe('FAILED');
      expect(response.Reason).toContain('Bedrock did not keep the data retention mode: read back "default" after writing "none"');
    } finally {
      bedrock.dataRetentionInstead = undefined;
    }
  });

  test('GIVEN an unknown mode WHEN created THEN the handler fails before calling the API', async () => {
    const before = bedrock.requests.length;
    const response = await handler(event('Create', { Mode: 'aws_review' }));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('Mode must be one of none, default, provider_data_share, inherit, found "aws_review"');
    expect(bedrock.requests.slice(before).filter((request) => request.path === '/data-retention')).toEqual([]);
  });

  test('GIVEN our mode WHEN deleted with RetainOnDelete false THEN it is restored to inherit; GIVEN someone changed it THEN it is left alone', async () => {
    bedrock.dataRetention = 'none';
    const restored = await handler(event('Delete', { Mode: 'none', RetainOnDelete: 'false' }, 'bedrock-data-retention:111111111111/eu-central-1'));
    expect(restored.Data).toEqual({ Action: 'restored to inherit' });
    expect(bedrock.dataRetention).toBe('inherit');

    bedrock.dataRetention = 'default';
    const left = await handler(event('Delete', { Mode: 'none', RetainOnDelete: 'false' }, 'bedrock-data-retention:111111111111/eu-central-1'));
    expect(left.Data).toEqual({ Action: 'none (the account now has mode default)' });
    expect(bedrock.dataRetention).toBe('default');
  });

  test('GIVEN the default RetainOnDelete WHEN deleted THEN the mode stays', async () => {
    bedrock.dataRetention = 'none';
    const response = await handler(event('Delete', { Mode: 'none' }, 'bedrock-data-retention:111111111111/eu-central-1'));
    expect(response.Data).toEqual({ Action: 'kept (RetainOnDelete)' });
    expect(bedrock.dataRetention).toBe('none');
  });

  test('GIVEN the API refuses WHEN created THEN FAILED carries the API error', async () => {
    bedrock.failNext = { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform bedrock:PutAccountDataRetention' };
    const response = await handler(event('Create', { Mode: 'none' }));
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^Create of Bedrock account data retention failed: AccessDeniedException: not authorized to perform bedrock:PutAccountDataRetention \(HTTP 403\)/);
  });
});
