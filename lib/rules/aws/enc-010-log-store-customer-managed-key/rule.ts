import { awsEncryption, describeEncryption } from '../../../analysis/encryption';
import { logRolesOf } from '../../../analysis/log-wiring';
import { AWS_TYPES } from '../../../analysis/resource-types';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { customerManagedKeySeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * (An error when the policy requires customer-managed keys, a warning
 * otherwise.) CloudTrail trails and the
 * log groups and buckets that hold audit or prompt/response logs are
 * encrypted with a KMS key the customer controls.
 */
export const awsLogStoreCustomerManagedKey: ResourceRule = {
  id: 'LCG-ENC-010',
  title: 'AWS audit and invocation log stores use customer-managed KMS keys',
  category: 'encryption',
  severity: 'error',
  rationale:
    'Invocation logs hold prompts and responses (personal data, PHI); trails hold the audit record. With a customer-managed key the customer decides who may decrypt them, sees every decryption in CloudTrail and can revoke access; AWS-managed keys (aws/s3) and service-owned keys give none of that. An error when the policy sets requireCustomerManagedKeys, a warning otherwise: the frameworks ask for encryption, not for who holds the key.',
  remediation: 'Encrypt with a customer-managed KMS key: LogGroup encryptionKey, Bucket encryption KMS with encryptionKey, Trail encryptionKey (the Bedrock constructs create one).',
  clauses: [CLAUSES.hipaaEncryption, CLAUSES.soc2Encryption, CLAUSES.gdprSecurity],
  resourceTypes: [...AWS_TYPES.logGroups, ...AWS_TYPES.buckets, ...AWS_TYPES.trails],
  severityUnder: customerManagedKeySeverity,
  check(resource, context) {
    const trail = AWS_TYPES.trails.includes(resource.type);
    const roles = trail ? undefined : logRolesOf(context, resource);
    if (!trail && !roles) return undefined;
    const reading = awsEncryption(context, resource);
    if (!reading) return undefined;
    if (reading.kind === 'customer-managed') return COMPLIANT;
    const what = trail ? 'trail' : `${[...roles!].sort().join(' and ')} ${AWS_TYPES.logGroups.includes(resource.type) ? 'log group' : 'log bucket'}`;
    const expected = 'a customer-managed KMS key (defined in the app, or named by key ARN)';
    switch (reading.kind) {
      case 'unresolved':
        return [
          {
            message: `Cannot verify that the ${what} "${resource.id}" is encrypted with a customer-managed key: its key is known only at deploy time.`,
            found: `${reading.attribute} = ${describeValue(reading.value)}`,
            expected,
            attribute: reading.attribute,
            cannotVerify: true,
          },
        ];
      default:
        return [
          {
            message: `The ${what} "${resource.id}" is not encrypted with a customer-managed KMS key: it uses ${describeEncryption(reading)}.`,
            found: `${reading.attribute} = ${reading.found}`,
            expected,
            attribute: reading.attribute,
          },
        ];
    }
  },
};
