import type { Resource } from '../../../core/graph';
import { logRoles } from '../../../analysis/log-wiring';
import { Unresolved, Value, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { TRAIL } from '../../../analysis/bedrock';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const BUCKET = 'AWS::S3::Bucket';

/**
 * When the policy requires customer-managed keys, CloudTrail trails and the
 * log groups and buckets that hold audit or prompt/response logs are
 * encrypted with a KMS key the customer controls.
 */
export const awsLogStoreCustomerManagedKey: ResourceRule = {
  id: 'LCG-ENC-010',
  title: 'AWS audit and invocation log stores use customer-managed KMS keys',
  category: 'encryption',
  severity: 'error',
  rationale:
    'Invocation logs hold prompts and responses (personal data, PHI); trails hold the audit record. With a customer-managed key the customer decides who may decrypt them, sees every decryption in CloudTrail and can revoke access; AWS-managed keys (aws/s3) and service-owned keys give none of that.',
  remediation: 'Encrypt with a customer-managed KMS key: LogGroup encryptionKey, Bucket encryption KMS with encryptionKey, Trail encryptionKey (the Bedrock constructs create one).',
  clauses: [CLAUSES.hipaaEncryption, CLAUSES.soc2Encryption, CLAUSES.gdprSecurity],
  resourceTypes: [LOG_GROUP, BUCKET, TRAIL],
  check(resource, context) {
    if (!context.policy.requireCustomerManagedKeys) return undefined;
    if (resource.type === TRAIL) return keyViolations(resource, resource.properties.KMSKeyId, 'KMSKeyId', 'trail');
    const roles = logRoles(context).get(resource.key);
    if (!roles) return undefined;
    const role = [...roles].sort().join(' and ');
    if (resource.type === LOG_GROUP) return keyViolations(resource, resource.properties.KmsKeyId, 'KmsKeyId', `${role} log group`);
    return bucketViolations(resource, `${role} log bucket`);
  },
};

function keyViolations(resource: Resource, key: Value | undefined, attribute: string, what: string): Violation[] {
  if (key === undefined || key === null || key === '') {
    return [
      {
        message: `${what[0].toUpperCase()}${what.slice(1)} "${resource.id}" is not encrypted with a customer-managed KMS key.`,
        found: `${attribute} = (not set)`,
        expected: 'the ARN of a customer-managed KMS key',
        attribute,
      },
    ];
  }
  if (typeof key === 'string' && isAwsManagedKey(key)) {
    return [{ message: `${what[0].toUpperCase()}${what.slice(1)} "${resource.id}" uses an AWS-managed key.`, found: `${attribute} = ${key}`, expected: 'the ARN of a customer-managed KMS key', attribute }];
  }
  return COMPLIANT as Violation[];
}

function bucketViolations(resource: Resource, what: string): Violation[] {
  const attribute = 'BucketEncryption';
  const encryption = resource.properties.BucketEncryption;
  if (encryption instanceof Unresolved) {
    return [{ message: `Cannot verify the encryption key of ${what} "${resource.id}": it is known only at deploy time.`, found: `${attribute} = ${encryption.expression}`, expected: 'SSE-KMS with a customer-managed key', attribute }];
  }
  const rules = isPlainObject(encryption) && Array.isArray(encryption.ServerSideEncryptionConfiguration) ? encryption.ServerSideEncryptionConfiguration : [];
  for (const rule of rules) {
    const defaults = isPlainObject(rule) && isPlainObject(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : undefined;
    if (!defaults) continue;
    const algorithm = defaults.SSEAlgorithm;
    if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
      return [
        {
          message: `${what[0].toUpperCase()}${what.slice(1)} "${resource.id}" is encrypted with S3-managed keys, not a customer-managed KMS key.`,
          found: `${attribute} SSEAlgorithm = ${describeValue(algorithm)}`,
          expected: 'SSEAlgorithm aws:kms with KMSMasterKeyID of a customer-managed key',
          attribute,
        },
      ];
    }
    const key = defaults.KMSMasterKeyID;
    if (key === undefined) {
      return [
        {
          message: `${what[0].toUpperCase()}${what.slice(1)} "${resource.id}" uses SSE-KMS with the AWS-managed key aws/s3.`,
          found: `${attribute} KMSMasterKeyID = (not set)`,
          expected: 'KMSMasterKeyID of a customer-managed key',
          attribute,
        },
      ];
    }
    if (typeof key === 'string' && isAwsManagedKey(key)) {
      return [{ message: `${what[0].toUpperCase()}${what.slice(1)} "${resource.id}" uses an AWS-managed key.`, found: `${attribute} KMSMasterKeyID = ${key}`, expected: 'KMSMasterKeyID of a customer-managed key', attribute }];
    }
    if (key instanceof Unresolved) {
      return [{ message: `Cannot verify that the key of ${what} "${resource.id}" is customer-managed: it is known only at deploy time.`, found: `${attribute} KMSMasterKeyID = ${key.expression}`, expected: 'a customer-managed KMS key defined in the app or named by ARN', attribute }];
    }
    return COMPLIANT as Violation[];
  }
  return [
    {
      message: `${what[0].toUpperCase()}${what.slice(1)} "${resource.id}" has no KMS encryption configuration (S3 then uses S3-managed keys).`,
      found: `${attribute} = ${describeValue(encryption)}`,
      expected: 'SSE-KMS with a customer-managed key',
      attribute,
    },
  ];
}

/** `alias/aws/s3`, `arn:aws:kms:…:alias/aws/logs`: keys AWS manages for the customer. */
function isAwsManagedKey(key: string): boolean {
  return /(^|:)alias\/aws\//.test(key);
}
