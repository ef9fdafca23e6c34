/**
 * Building blocks shared by the logging constructs: a customer-managed key the
 * log services may use, and log groups and buckets that are encrypted,
 * private and kept exactly as long as the policy says.
 */
import { Duration, RemovalPolicy, Stack, Tags, Validations, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { RetentionPlan } from './policy-defaults';

/** Services that write into the log stores and need the key. */
export interface LogKeyServices {
  /** CloudWatch Logs in the stack region (encrypted log groups). */
  readonly cloudWatchLogs?: boolean;
  /** Amazon Bedrock delivering invocation logs to S3. */
  readonly bedrock?: boolean;
  /** AWS CloudTrail delivering trail logs to S3. */
  readonly cloudTrail?: boolean;
}

/** A customer-managed key with rotation, usable by the given log services of this account and region only. */
export function createLogKey(scope: Construct, id: string, description: string, services: LogKeyServices, removalPolicy: RemovalPolicy): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, id, { description, enableKeyRotation: true, removalPolicy, pendingWindow: Duration.days(30) });
  if (services.cloudWatchLogs) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsLogGroupsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
      }),
    );
  }
  if (services.bedrock) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BedrockWritesInvocationLogsOfThisAccount',
        principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:*` },
        },
      }),
    );
  }
  if (services.cloudTrail) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsTrailsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesTheKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
      }),
    );
  }
  return key;
}

/** What a log store holds, written to the {@link LOG_ROLE_TAG} tag. */
export type LogStoreRole = 'audit' | 'audit-content';

/** A KMS-encrypted log group with the planned retention, tagged with its role. */
export function createLogGroup(scope: Construct, id: string, key: kms.IKey, plan: RetentionPlan, role: LogStoreRole, removalPolicy: RemovalPolicy): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, id, { encryptionKey: key, retention: plan.cloudWatchDays as logs.RetentionDays, removalPolicy });
  Tags.of(logGroup).add(LOG_ROLE_TAG, role);
  return logGroup;
}

/**
 * A log bucket: SSE-KMS with the key, versioned, all public access blocked,
 * TLS only, bucket-owner-enforced, and a whole-bucket lifecycle rule that
 * expires current and old versions inside the policy range.
 */
export function createLogBucket(
  scope: Construct,
  id: string,
  key: kms.IKey,
  plan: RetentionPlan,
  role: LogStoreRole,
  removalPolicy: RemovalPolicy,
  serverAccessLogsBucket: s3.IBucket | undefined,
): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket,
    serverAccessLogsPrefix: serverAccessLogsBucket ? `${id.toLowerCase()}-access-logs/` : undefined,
    removalPolicy,
    lifecycleRules: [
      {
        id: 'policy-retention',
        enabled: true,
        expiration: Duration.days(plan.s3ExpirationDays),
        noncurrentVersionExpiration: Duration.days(plan.s3NoncurrentDays),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ],
  });
  Tags.of(bucket).add(LOG_ROLE_TAG, role);
  acknowledge(
    bucket,
    ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
    'Replicating log objects to another region would carry prompts and audit records out of the residency the policy sets; durability comes from versioning, retention and S3 redundancy within the region.',
  );
  return bucket;
}

/** Records acknowledgements of checker findings (cdk-nag packs) through the CDK's own mechanism. */
export function acknowledge(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}
