/**
 * Encryption at rest of AWS log stores and trails, read once for the
 * encryption rule (which judges key custody) and the data-flow documentation
 * (which states it).
 */
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, describeValue, isPlainObject, isPresent, textOf, valueAt } from '../core/values';
import type { AnalysisContext } from './context';
import { CFN, TF_AWS } from './resource-types';
import { bucketCompanions } from './s3';
import { STORE_TYPES, collectionPolicies } from './prompt-stores';

/** Who holds the key that encrypts a store. */
export type EncryptionReading =
  /** A KMS key the customer controls (defined in the app, or named by key ARN or customer alias). */
  | { readonly kind: 'customer-managed'; readonly key: Value; readonly attribute: string; readonly detail: string }
  /** An AWS-managed KMS key (`alias/aws/...`, or SSE-KMS without a key); `found` is the setting as written. */
  | { readonly kind: 'aws-managed'; readonly attribute: string; readonly detail: string; readonly found: string }
  /** The service's own keys (SSE-S3, CloudWatch Logs service keys); `found` is the setting as written. */
  | { readonly kind: 'service-managed'; readonly attribute: string; readonly detail: string; readonly found: string }
  /** Known only at deploy time. */
  | { readonly kind: 'unresolved'; readonly value: Value; readonly attribute: string };

/** How the store, trail or log group is encrypted; undefined for types this reading does not cover. */
export function awsEncryption(context: AnalysisContext, resource: Resource): EncryptionReading | undefined {
  const props = resource.properties;
  switch (resource.type) {
    case CFN.logGroup:
      return kmsKey(props.KmsKeyId, 'KmsKeyId', 'CloudWatch Logs service-managed keys');
    case TF_AWS.logGroup:
      return kmsKey(props.kms_key_id, 'kms_key_id', 'CloudWatch Logs service-managed keys');
    case CFN.trail:
      return kmsKey(props.KMSKeyId, 'KMSKeyId', 'SSE-S3 (CloudTrail default)');
    case TF_AWS.trail:
      return kmsKey(props.kms_key_id, 'kms_key_id', 'SSE-S3 (CloudTrail default)');
    case CFN.bucket: {
      const encryption = props.BucketEncryption;
      if (encryption instanceof Unresolved) return { kind: 'unresolved', value: encryption, attribute: 'BucketEncryption' };
      const rule = isPlainObject(encryption) ? asList(encryption.ServerSideEncryptionConfiguration).find(isPlainObject) : undefined;
      const byDefault = rule && isPlainObject(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : undefined;
      return serverSide(byDefault?.SSEAlgorithm, byDefault?.KMSMasterKeyID, 'BucketEncryption');
    }
    case TF_AWS.bucket: {
      const [configuration] = bucketCompanions(context, resource, TF_AWS.bucketEncryption);
      const attribute = configuration ? `${TF_AWS.bucketEncryption} ${configuration.id}` : 'server_side_encryption_configuration';
      const settings = configuration ? valueAt(configuration.properties, 'rule.apply_server_side_encryption_by_default') : valueAt(props, 'server_side_encryption_configuration.rule.apply_server_side_encryption_by_default');
      if (settings instanceof Unresolved) return { kind: 'unresolved', value: settings, attribute };
      const byDefault = block(settings);
      return serverSide(byDefault?.sse_algorithm, byDefault?.kms_master_key_id, attribute);
    }
    case STORE_TYPES.table:
    case STORE_TYPES.globalTable:
    case STORE_TYPES.tfTable: {
      const terraform = resource.type === STORE_TYPES.tfTable;
      const attribute = terraform ? 'server_side_encryption' : 'SSESpecification';
      const spec = props[attribute];
      if (spec instanceof Unresolved) return { kind: 'unresolved', value: spec, attribute };
      const settings = block(spec);
      const enabled = settings?.[terraform ? 'enabled' : 'SSEEnabled'];
      if (enabled instanceof Unresolved) return { kind: 'unresolved', value: enabled, attribute };
      if (enabled !== true && enabled !== 'true') return { kind: 'service-managed', attribute, detail: 'an AWS owned key (DynamoDB default)', found: spec === undefined ? '(not set)' : `${attribute} disabled` };
      const key = settings?.[terraform ? 'kms_key_arn' : 'KMSMasterKeyId'];
      if (!isPresent(key) && resource.type === STORE_TYPES.globalTable) {
        // A global table names its customer-managed key per replica (Replicas[].SSESpecification.KMSMasterKeyId):
        // that of the stack's own region, else the first replica's.
        const replicas = asList(props.Replicas).map((replica, index) => ({ index, replica: block(replica) }));
        const own = replicas.find(({ replica }) => replica?.Region === resource.stack.region) ?? replicas[0];
        const replicaKey = block(own?.replica?.SSESpecification)?.KMSMasterKeyId;
        if (own && isPresent(replicaKey)) return kmsKey(replicaKey, `Replicas[${own.index}].SSESpecification.KMSMasterKeyId`, 'an AWS owned key');
      }
      if (!isPresent(key)) return { kind: 'aws-managed', attribute, detail: 'the AWS-managed key aws/dynamodb', found: `${attribute} enabled, no key` };
      return kmsKey(key, attribute, 'an AWS owned key');
    }
    case STORE_TYPES.collection:
    case STORE_TYPES.tfCollection: {
      const policies = collectionPolicies(context, resource, 'encryption');
      const attribute = 'encryption security policy';
      if (policies.length === 0) return { kind: 'unresolved', value: new Unresolved('no encryption policy in the app', 'the collection\'s encryption policy is defined outside the app'), attribute };
      const { policy, document } = policies[0];
      if (!isPlainObject(document)) return { kind: 'unresolved', value: document, attribute: `${attribute} ${policy.id}` };
      if (document.AWSOwnedKey === true) return { kind: 'service-managed', attribute: `${attribute} ${policy.id}`, detail: 'an AWS owned key (AWSOwnedKey: true)', found: 'AWSOwnedKey: true' };
      const key = document.KmsARN;
      // The ARN of a key the app defines, written into the policy at deploy time.
      if (key instanceof Unresolved && key.references.some((reference) => context.graph.get(reference)?.type === 'AWS::KMS::Key' || context.graph.get(reference)?.type === 'aws_kms_key')) {
        return { kind: 'customer-managed', key, attribute: `${attribute} ${policy.id}`, detail: `customer-managed KMS key ${key.expression}` };
      }
      return kmsKey(key, `${attribute} ${policy.id}`, 'an AWS owned key');
    }
  }
  return undefined;
}

function kmsKey(key: Value | undefined, attribute: string, defaultText: string, scheme = ''): EncryptionReading {
  if (!isPresent(key)) return { kind: 'service-managed', attribute, detail: defaultText, found: '(not set)' };
  const customer = (): EncryptionReading => ({ kind: 'customer-managed', key: key as Value, attribute, detail: `${scheme}customer-managed KMS key ${describeValue(key)}` });
  if (key instanceof Reference) return customer();
  const text = textOf(key);
  if (text !== undefined && /(^|:)alias\/aws\//.test(text)) return { kind: 'aws-managed', attribute, detail: `AWS-managed key ${text}`, found: text };
  if (typeof key === 'string') return customer();
  // An ARN built from pseudo parameters (partition, region, account) still names a key id or a customer alias;
  // a key id or alias that is itself a parameter names nothing the documents show.
  if (key instanceof Unresolved && /:(key\/[0-9a-f-]+|alias\/(?!aws\/)[\w/-]+)$/.test(key.expression)) return customer();
  return { kind: 'unresolved', value: key as Value, attribute };
}

function serverSide(algorithm: Value | undefined, key: Value | undefined, attribute: string): EncryptionReading {
  if (algorithm instanceof Unresolved) return { kind: 'unresolved', value: algorithm, attribute };
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
    if (!isPresent(key)) return { kind: 'aws-managed', attribute, detail: 'SSE-KMS with the AWS-managed key aws/s3', found: `SSEAlgorithm ${algorithm}, no key` };
    return kmsKey(key, attribute, 'SSE-KMS', 'SSE-KMS with ');
  }
  if (algorithm === 'AES256') return { kind: 'service-managed', attribute, detail: 'SSE-S3 (S3-managed keys)', found: 'SSEAlgorithm AES256' };
  if (isPresent(algorithm)) return { kind: 'service-managed', attribute, detail: `server-side encryption ${describeValue(algorithm)}`, found: `SSEAlgorithm ${describeValue(algorithm)}` };
  return { kind: 'service-managed', attribute, detail: 'SSE-S3 (S3 default encryption)', found: '(not set)' };
}

/** A reading as people read it. */
export function describeEncryption(reading: EncryptionReading): string {
  switch (reading.kind) {
    case 'customer-managed':
    case 'aws-managed':
    case 'service-managed':
      return reading.detail;
    case 'unresolved':
      return `${describeValue(reading.value)} (unresolved)`;
  }
}
