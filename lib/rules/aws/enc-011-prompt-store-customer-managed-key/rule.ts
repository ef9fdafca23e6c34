import { awsEncryption, describeEncryption } from '../../../analysis/encryption';
import { STORE_TYPES, promptStores } from '../../../analysis/prompt-stores';
import { AWS_TYPES } from '../../../analysis/resource-types';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { customerManagedKeySeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

/** What each kind of store is called in messages. */
const KIND_NAMES = { 'vector-store': 'vector store', documents: 'document bucket', conversations: 'conversation table', 'possible-conversations': 'table' } as const;

/**
 * (An error when the policy requires customer-managed keys, a warning
 * otherwise.) The stores that hold
 * prompts and the data retrieved for them — knowledge-base vector stores,
 * their document buckets, conversation tables — are encrypted with a KMS key
 * the customer controls.
 */
export const promptStoreCustomerManagedKey: ResourceRule = {
  id: 'LCG-ENC-011',
  title: 'Knowledge-base vector stores, document buckets and conversation tables use customer-managed KMS keys',
  category: 'encryption',
  severity: 'error',
  rationale:
    'A knowledge base\'s vector store holds chunks of the documents it indexes, its data source bucket holds the documents, and a chat-history table holds prompts and answers: personal data, often PHI. An OpenSearch Serverless collection encrypted with an AWS owned key (AWSOwnedKey: true) or a table with DynamoDB\'s default encryption gives the customer no control over who decrypts them. An error when the policy sets requireCustomerManagedKeys, a warning otherwise: the frameworks ask for encryption, not for who holds the key.',
  remediation:
    'Encrypt with a customer-managed KMS key: an OpenSearch Serverless encryption policy with KmsARN, SSESpecification with KMSMasterKeyId (server_side_encryption with kms_key_arn), bucket encryption aws:kms with a key of the app.',
  clauses: [CLAUSES.hipaaEncryption, CLAUSES.soc2Encryption, CLAUSES.gdprSecurity],
  resourceTypes: [STORE_TYPES.collection, STORE_TYPES.tfCollection, STORE_TYPES.table, STORE_TYPES.globalTable, STORE_TYPES.tfTable, ...AWS_TYPES.buckets],
  severityUnder: customerManagedKeySeverity,
  check(resource, context) {
    const store = promptStores(context).find((candidate) => candidate.resource === resource);
    if (!store || store.kind === 'possible-conversations') return undefined;
    const reading = awsEncryption(context, resource);
    if (!reading) return undefined;
    const what = `${KIND_NAMES[store.kind]} "${resource.id}" (${store.why})`;
    const expected = 'a customer-managed KMS key (defined in the app, or named by key ARN)';
    if (reading.kind === 'customer-managed') return COMPLIANT;
    if (reading.kind === 'unresolved') {
      return [{ message: `Cannot verify that the ${what} is encrypted with a customer-managed key: ${describeValue(reading.value)} is known only at deploy time or outside the app.`, found: `${reading.attribute} = ${describeValue(reading.value)}`, expected, attribute: reading.attribute, cannotVerify: true }];
    }
    return [{ message: `The ${what} is not encrypted with a customer-managed KMS key: it uses ${describeEncryption(reading)}.`, found: `${reading.attribute} = ${reading.found}`, expected, attribute: reading.attribute }];
  },
};
