import { describeLocation, judgeLocation } from '../../../analysis/residency';
import { Unresolved, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { VPC_ENDPOINT, bedrockCatalog } from '../../../analysis/bedrock';
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
  resourceTypes: [VPC_ENDPOINT],
  check(resource, { policy }) {
    const serviceName = resource.properties.ServiceName;
    const suffix = `.${bedrockCatalog().runtimeEndpointService}`;
    const text = typeof serviceName === 'string' ? serviceName : serviceName instanceof Unresolved ? serviceName.expression : undefined;
    if (text === undefined || !text.endsWith(suffix)) {
      // A service name known only at deploy time might be bedrock-runtime: fail closed only if it could be.
      if (!(serviceName instanceof Unresolved) || !/bedrock/i.test(text ?? '')) return undefined;
    }
    if (!policy.constrainsResidency) return COMPLIANT;
    const serviceRegion = resource.properties.ServiceRegion;
    const attribute = serviceRegion !== undefined ? 'ServiceRegion' : 'ServiceName';
    const region = serviceRegion !== undefined ? serviceRegion : /^com\.amazonaws\.([^.]+)\./.exec(text ?? '')?.[1];
    const regionValue = typeof region === 'string' && region.includes('${') ? new Unresolved(region, 'deploy-time region') : region;
    const verdict = judgeLocation(policy, 'aws', regionValue ?? undefined);
    if (verdict.status === 'allowed') return COMPLIANT;
    const found = `${attribute} = ${describeValue(attribute === 'ServiceRegion' ? serviceRegion : serviceName)}`;
    if (verdict.status === 'unverifiable') {
      return [{ message: `Cannot verify which region bedrock-runtime endpoint "${resource.id}" sends prompts to: ${verdict.reason}.`, found, expected: verdict.expected, fix: 'give the stack an explicit env: { region } and build the service name from it', attribute }];
    }
    return [{ message: `Bedrock runtime endpoint "${resource.id}" sends prompts to ${describeLocation(verdict.info)}.`, found, expected: verdict.expected, fix: `use com.amazonaws.<region>.bedrock-runtime with a region in ${verdict.expected}`, attribute }];
  },
};
