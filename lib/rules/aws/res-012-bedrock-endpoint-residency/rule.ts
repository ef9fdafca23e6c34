import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { bedrockRuntimeEndpoint } from '../../../analysis/bedrock';
import { AWS_TYPES } from '../../../analysis/resource-types';
import { COMPLIANT, ResourceRule } from '../../rule';

/** Interface VPC endpoints for bedrock-runtime reach the service in an allowed region. */
export const bedrockEndpointResidency: ResourceRule = {
  id: 'LCG-RES-012',
  title: 'Bedrock runtime VPC endpoints reach an in-jurisdiction region',
  category: 'residency',
  severity: 'error',
  rationale:
    'A bedrock-runtime interface endpoint sends every prompt that uses it to the service region named in its service name (or ServiceRegion for cross-region PrivateLink). An endpoint for another region moves the prompts there.',
  remediation: 'Use the endpoint service com.amazonaws.<allowed region>.bedrock-runtime (InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME in an allowed stack region) and no ServiceRegion outside the jurisdiction.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: AWS_TYPES.vpcEndpoints,
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const endpoint = bedrockRuntimeEndpoint(resource);
    if (!endpoint) return undefined;
    const { regionAttribute: attribute } = endpoint;
    const verdict = judgeLocation(policy, 'aws', endpoint.region);
    if (verdict.status === 'allowed') return COMPLIANT;
    const found = `${attribute} = ${describeValue(resource.properties[attribute])}`;
    if (verdict.status === 'unverifiable') {
      return [
        {
          message: `Cannot verify which region bedrock-runtime endpoint "${resource.id}" sends prompts to: ${verdict.reason}.`,
          found,
          expected: verdict.expected,
          fix: 'give the stack an explicit env: { region } and build the service name from it',
          attribute,
          cannotVerify: true,
        },
      ];
    }
    return [{ message: `Bedrock runtime endpoint "${resource.id}" sends prompts to ${describeLocation(verdict.info)}.`, found, expected: verdict.expected, fix: `use com.amazonaws.<region>.bedrock-runtime with a region in ${verdict.expected}`, attribute }];
  },
};
