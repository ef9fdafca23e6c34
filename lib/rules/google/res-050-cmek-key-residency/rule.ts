import { catalogSpellingOfKmsLocation, keyArguments, keyLocation, kmsSpellingOfLocation } from '../../../analysis/google';
import { describeLocation, judgeLocation, placementOf } from '../../../analysis/locations';
import { TF_GOOGLE, TF_PREFIX } from '../../../analysis/resource-types';
import { normalizeLocation } from '../../../catalogs';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

const KMS_CRYPTO_KEY_TYPE = TF_GOOGLE.kmsCryptoKey;

/**
 * Customer-managed keys of Google resources (Vertex AI endpoints, log
 * buckets, BigQuery datasets, …) live in the resource's own location and
 * inside the jurisdiction.
 */
export const googleCmekKeyResidency: ResourceRule = {
  id: 'LCG-RES-050',
  title: 'Google customer-managed keys are in the resource location and the jurisdiction',
  category: 'residency',
  severity: 'error',
  rationale:
    'Vertex AI, Cloud Logging and BigQuery only accept a Cloud KMS key from the location of the resource it protects; a key elsewhere fails at deploy time or, for resources that accept it, keeps the key material (and the power to decrypt) outside the jurisdiction.',
  remediation: 'Create the key ring in the same location as the resource (Cloud KMS spells the EU multi-region `europe`) and reference the google_kms_crypto_key, or name a key whose path has that location.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.gdprSecurity, CLAUSES.soc2Encryption, CLAUSES.hipaaEncryption],
  resourceTypes: ['*'],
  formats: ['terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { graph, policy }) {
    if (resource.cloud !== 'google' || resource.type.startsWith(TF_PREFIX.googleKms)) return undefined;
    const keys = keyArguments(resource);
    if (keys.length === 0) return undefined;
    const placement = placementOf(resource);
    const resourceLocation = typeof placement?.value === 'string' ? normalizeLocation('google', placement.value) : undefined;
    const violations: Violation[] = [];
    for (const { attribute, value } of keys) {
      const key = keyLocation(value, graph);
      if ('unresolved' in key) {
        violations.push({
          message: `Cannot verify where the customer-managed key of ${resource.type} "${resource.id}" lives: ${key.reason}.`,
          found: `${attribute} = ${key.unresolved}`,
          expected: resourceLocation ? `a ${KMS_CRYPTO_KEY_TYPE} in ${resourceLocation}` : `a ${KMS_CRYPTO_KEY_TYPE} with a literal location`,
          fix: `reference a ${KMS_CRYPTO_KEY_TYPE} whose key ring has a literal location, or name the key by its full path`,
          attribute,
          cannotVerify: true,
        });
        continue;
      }
      const location = catalogSpellingOfKmsLocation(key.location);
      const verdict = judgeLocation(policy, 'google', location);
      if (verdict.status === 'denied') {
        violations.push({
          message: `The customer-managed key of ${resource.type} "${resource.id}" lies outside the allowed jurisdiction.`,
          found: `${attribute} = ${key.via} (key in ${describeLocation(verdict.info)})`,
          expected: `a key in ${verdict.expected}`,
          // Creating the key ring next to the resource helps only when the resource itself is inside the policy.
          fix:
            resourceLocation && judgeLocation(policy, 'google', resourceLocation).status === 'allowed'
              ? `create the key ring in ${resourceLocation} and use a key from it`
              : `move the resource and its key ring to ${verdict.expected}`,
          attribute,
        });
      } else if (verdict.status === 'unverifiable') {
        violations.push({
          message: `Cannot verify where the customer-managed key of ${resource.type} "${resource.id}" lives: ${verdict.reason}.`,
          found: `${attribute} = ${key.via}`,
          expected: `a key in ${verdict.expected}`,
          fix: 'use a key ring in a Cloud KMS location the catalog knows',
          attribute,
          cannotVerify: true,
        });
      }
      // The resource's own location is judged by LCG-RES-001; compare only when it is known.
      if (resourceLocation && normalizeLocation('google', location) !== resourceLocation) {
        violations.push({
          message: `The customer-managed key of ${resource.type} "${resource.id}" is in another location than the resource.`,
          found: `${attribute} = ${key.via} (key in ${key.location}, resource in ${resourceLocation})`,
          expected: `a key in Cloud KMS location "${kmsSpellingOfLocation(resourceLocation)}"`,
          fix: `create the key ring with location "${kmsSpellingOfLocation(resourceLocation)}" and use a key from it`,
          attribute,
        });
      }
    }
    return violations;
  },
};
