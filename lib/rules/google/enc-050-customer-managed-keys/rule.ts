import { TF_GOOGLE } from '../../../analysis/resource-types';
import type { ResourceGraph } from '../../../core/graph';
import { Reference, Unresolved, Value, describeValue, valueAt } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { customerManagedKeySeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

const KMS_CRYPTO_KEY_TYPE = TF_GOOGLE.kmsCryptoKey;

/** Where each resource type takes its customer-managed key (google provider 6.x argument names). */
const KEY_ARGUMENT_BY_TYPE: { readonly [type: string]: string } = {
  google_vertex_ai_endpoint: 'encryption_spec.kms_key_name',
  google_vertex_ai_dataset: 'encryption_spec.kms_key_name',
  google_vertex_ai_featurestore: 'encryption_spec.kms_key_name',
  google_vertex_ai_tensorboard: 'encryption_spec.kms_key_name',
  google_vertex_ai_reasoning_engine: 'encryption_spec.kms_key_name',
  google_logging_project_bucket_config: 'cmek_settings.kms_key_name',
  google_bigquery_dataset: 'default_encryption_configuration.kms_key_name',
};

const KEY_PATH = /(?:^|\/)projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

/**
 * (An error when the policy requires customer-managed keys, a warning
 * otherwise.) Vertex AI endpoints and
 * datasets, log buckets and BigQuery datasets name a Cloud KMS key.
 */
export const googleCustomerManagedKeys: ResourceRule = {
  id: 'LCG-ENC-050',
  title: 'Vertex AI resources, log buckets and BigQuery datasets use customer-managed keys',
  category: 'encryption',
  severity: 'error',
  rationale:
    'With Google-managed keys the customer cannot revoke access to prompts, predictions and logs at rest or prove who could decrypt them; policies that ask for keys the customer controls (and can destroy) set requireCustomerManagedKeys: an error then, a warning otherwise.',
  remediation: 'Create a google_kms_crypto_key in the resource location and reference it from the resource (encryption_spec, cmek_settings or default_encryption_configuration), granting the service agent roles/cloudkms.cryptoKeyEncrypterDecrypter.',
  clauses: [CLAUSES.gdprSecurity, CLAUSES.soc2Encryption, CLAUSES.hipaaEncryption],
  resourceTypes: Object.keys(KEY_ARGUMENT_BY_TYPE),
  severityUnder: customerManagedKeySeverity,
  check(resource, { graph, policy }) {
    const attribute = KEY_ARGUMENT_BY_TYPE[resource.type];
    const value = valueAt(resource.properties, attribute);
    const blockName = attribute.split('.')[0];
    if (value === undefined || value === null || value === '') {
      return [
        {
          message: `${resource.type} "${resource.id}" is encrypted with a Google-managed key${policy.requireCustomerManagedKeys ? '; the policy requires a customer-managed key' : ': the customer cannot revoke access to it or show key custody'}.`,
          found: `${attribute} = (not set)`,
          expected: `${attribute} naming a ${KMS_CRYPTO_KEY_TYPE}`,
          fix: `add a ${blockName} block whose kms_key_name references a ${KMS_CRYPTO_KEY_TYPE} in the resource location`,
          attribute,
        },
      ];
    }
    if (namesKey(value, graph)) return COMPLIANT;
    return [
      {
        message: `Cannot verify that ${resource.type} "${resource.id}" uses a customer-managed key: ${attribute} is ${value instanceof Unresolved ? `known only at plan time (${value.reason})` : 'not a Cloud KMS key'}.`,
        found: `${attribute} = ${describeValue(value)}`,
        expected: `a reference to a ${KMS_CRYPTO_KEY_TYPE} or a key path projects/…/locations/…/keyRings/…/cryptoKeys/…`,
        fix: `reference the ${KMS_CRYPTO_KEY_TYPE} (its id) or write the full key path`,
        attribute,
        cannotVerify: true,
      },
    ];
  },
};

/** Whether a value evidently names a Cloud KMS key: a key path, a key of this configuration, or a key data source. */
function namesKey(value: Value, graph: ResourceGraph): boolean {
  if (typeof value === 'string') return KEY_PATH.test(value);
  if (value instanceof Reference) return graph.get(value.target)?.type === KMS_CRYPTO_KEY_TYPE;
  if (value instanceof Unresolved) {
    if (KEY_PATH.test(value.expression)) return true;
    if (value.references.some((key) => graph.get(key)?.type === KMS_CRYPTO_KEY_TYPE)) return true;
    return /^\$\{data\.google_kms_crypto_key\.[\w-]+\.id\}$/.test(value.expression);
  }
  return false;
}
