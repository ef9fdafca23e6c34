import { describeLocation, judgeLocation, placementOf } from '../../../analysis/locations';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/** Every Terraform resource that has a location lies inside the workload's jurisdiction. */
export const locatedResourceResidency: ResourceRule = {
  id: 'LCG-RES-001',
  title: 'Located resources stay in the allowed jurisdiction',
  category: 'residency',
  severity: 'error',
  rationale:
    'A resource placed outside the jurisdiction stores or processes data there: a transfer to a third country (GDPR Chapter V) or a breach of a residency commitment. A location the guardrail cannot resolve cannot be shown to comply.',
  remediation: 'Set the resource location to a region the policy allows, as a literal or a reference to a resource with a literal location.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: ['*'],
  formats: ['terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const placement = placementOf(resource);
    if (resource.stack.format !== 'terraform' || !placement) return undefined;
    const verdict = judgeLocation(policy, placement.cloud, placement.value);
    if (verdict.status === 'allowed') return COMPLIANT;
    if (verdict.status === 'unverifiable') {
      return [
        {
          message: `Cannot verify the location of ${resource.type} "${resource.id}": ${verdict.reason}.`,
          found: `${placement.attribute} = ${verdict.found}`,
          expected: verdict.expected,
          fix: `set ${placement.attribute === 'provider region' ? `the ${placement.cloud} provider region` : `"${placement.attribute}"`} to a literal allowed location`,
          attribute: placement.attribute,
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message: `${resource.type} "${resource.id}" is placed outside the allowed jurisdiction.`,
        found: `${placement.attribute} = ${describeLocation(verdict.info)}`,
        expected: verdict.expected,
        fix: `move it: set "${placement.attribute}" to ${verdict.expected}`,
        attribute: placement.attribute,
      },
    ];
  },
};
