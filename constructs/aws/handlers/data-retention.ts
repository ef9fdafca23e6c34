/**
 * Lambda handler of the Custom::BedrockDataRetention resource: sets, verifies
 * and (optionally) restores the account's Bedrock data retention mode for the
 * region the function runs in (PutAccountDataRetention, GetAccountDataRetention).
 * The setting is per account and region; a put replaces it, so retries are safe.
 */
import { DataRetentionMode, GetAccountDataRetentionCommand, PutAccountDataRetentionCommand } from '@aws-sdk/client-bedrock';
import { BoundedClient, CustomResourceEvent, CustomResourceResponse, FAILED_CREATE_PREFIX, HandlerContext, Outcome, booleanProperty, environmentOf, runCustomResource } from './runtime';

export type { CustomResourceEvent, CustomResourceResponse, HandlerContext } from './runtime';

/** The modes an account may be set to (the project-level `aws_review` is not one). */
export const ACCOUNT_DATA_RETENTION_MODES = ['none', 'default', 'provider_data_share', 'inherit'] as const;

export function handler(event: CustomResourceEvent, context: HandlerContext = {}): Promise<CustomResourceResponse> {
  return runCustomResource(event, context, 'Bedrock account data retention', (client) => apply(event, client));
}

async function apply(event: CustomResourceEvent, client: BoundedClient): Promise<Outcome> {
  const physicalResourceId = event.PhysicalResourceId ?? `bedrock-data-retention:${environmentOf(event.StackId)}`;
  const wanted = modeOf(event.ResourceProperties.Mode);
  if (event.RequestType === 'Delete') {
    if (physicalResourceId.startsWith(FAILED_CREATE_PREFIX)) return { physicalResourceId, data: { Action: 'none (create had failed)' } };
    if (booleanProperty(event.ResourceProperties.RetainOnDelete, 'RetainOnDelete', true)) return { physicalResourceId, data: { Action: 'kept (RetainOnDelete)' } };
    const current = (await client.send(new GetAccountDataRetentionCommand({}))).mode;
    // Someone else changed the mode since: restoring would undo their setting.
    if (current !== wanted) return { physicalResourceId, data: { Action: `none (the account now has mode ${current ?? 'unknown'})` } };
    await client.send(new PutAccountDataRetentionCommand({ mode: 'inherit' }));
    return { physicalResourceId, data: { Action: 'restored to inherit' } };
  }
  await client.send(new PutAccountDataRetentionCommand({ mode: wanted }));
  const stored = (await client.send(new GetAccountDataRetentionCommand({}))).mode;
  if (stored !== wanted) throw new Error(`Bedrock did not keep the data retention mode: read back ${JSON.stringify(stored ?? null)} after writing "${wanted}"`);
  return { physicalResourceId, data: { Action: event.RequestType === 'Create' ? 'created' : 'updated', Mode: wanted } };
}

function modeOf(value: unknown): DataRetentionMode {
  if (typeof value === 'string' && (ACCOUNT_DATA_RETENTION_MODES as readonly string[]).includes(value)) return value as DataRetentionMode;
  throw new Error(`Mode must be one of ${ACCOUNT_DATA_RETENTION_MODES.join(', ')}, found ${JSON.stringify(value)}`);
}
