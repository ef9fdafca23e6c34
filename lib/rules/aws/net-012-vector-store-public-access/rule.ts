import { STORE_TYPES, collectionPolicies, promptStores } from '../../../analysis/prompt-stores';
import { describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/** Knowledge-base vector stores are reachable only from private networks: no OpenSearch Serverless network policy allows public access. */
export const vectorStorePublicAccess: ResourceRule = {
  id: 'LCG-NET-012',
  title: 'Knowledge-base vector stores are not reachable from the public internet',
  category: 'network',
  severity: 'warning',
  severityUnder: (policy) => (policy.requirePrivateNetwork ? 'error' : 'warning'),
  rationale:
    'A knowledge base\'s OpenSearch Serverless collection holds chunks of the indexed documents. A network policy with AllowFromPublic: true exposes its endpoint to the internet, guarded by IAM alone; private workloads reach it through VPC endpoints.',
  remediation: 'Set AllowFromPublic: false and list SourceVPCEs (or SourceServices: bedrock.amazonaws.com) in the collection\'s network policy.',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries],
  resourceTypes: [STORE_TYPES.collection, STORE_TYPES.tfCollection],
  check(resource, context) {
    const store = promptStores(context).find((candidate) => candidate.resource === resource);
    if (!store || store.kind !== 'vector-store') return undefined;
    const policies = collectionPolicies(context, resource, 'network');
    if (policies.length === 0) {
      return [{ message: `Cannot verify who can reach vector store "${resource.id}" (${store.why}): no network policy of the app covers it.`, found: 'no network security policy in the app', expected: 'a network policy with AllowFromPublic: false', fix: 'define the collection\'s network policy in the app', attribute: 'network security policy', cannotVerify: true }];
    }
    const violations: Violation[] = [];
    for (const { policy, document } of policies) {
      const attribute = `network security policy ${policy.id}`;
      if (!isPlainObject(document)) {
        violations.push({ message: `Cannot verify who can reach vector store "${resource.id}": network policy "${policy.id}" is known only at deploy time.`, found: `${attribute} = ${describeValue(document)}`, expected: 'AllowFromPublic: false', attribute, cannotVerify: true });
      } else if (document.AllowFromPublic === true) {
        violations.push({ message: `Vector store "${resource.id}" (${store.why}) is reachable from the public internet.`, found: `${attribute}: AllowFromPublic = true`, expected: 'AllowFromPublic: false, with SourceVPCEs', attribute });
      }
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};
