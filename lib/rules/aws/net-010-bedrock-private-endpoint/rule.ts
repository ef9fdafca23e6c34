import { bedrockRuntimeEndpoints } from '../../../analysis/bedrock';
import { accountOf, describeSite, invocationSitesOf, regionOf, samePlace } from '../../../analysis/invocation-sites';
import { CLAUSES } from '../../../policy/frameworks';
import { privateNetworkSeverity } from '../../../policy/severity';
import { StackRule, Violation } from '../../rule';
import { describeCallers } from '../log-010-bedrock-invocation-logging-coverage/rule';

/**
 * Every account and region the app invokes Bedrock in has an interface VPC
 * endpoint for bedrock-runtime (private DNS on) in the app. A warning, and an
 * error when the policy requires private network paths.
 */
export const bedrockPrivateEndpoint: StackRule = {
  id: 'LCG-NET-010',
  title: 'Every account and region the app invokes Bedrock in has a private bedrock-runtime endpoint',
  category: 'network',
  severity: 'warning',
  rationale:
    'Without an interface endpoint, prompts travel to the public bedrock-runtime endpoint over the internet (TLS-protected, but outside the network boundary). Policies for PHI usually require private paths (HIPAA transmission security).',
  remediation: 'Add BedrockPrivateEndpoint (an interface VPC endpoint for bedrock-runtime with private DNS and a policy limited to the granted models), or an aws_vpc_endpoint for bedrock-runtime with private_dns_enabled, in the same account and region.',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries, CLAUSES.gdprSecurity],
  resourceTypes: ['stack'],
  formats: ['cloudformation', 'terraform'],
  severityUnder: privateNetworkSeverity,
  checkStack(stack, context) {
    const sites = invocationSitesOf(context, stack);
    if (sites.length === 0) return undefined;
    const endpoints = bedrockRuntimeEndpoints(context).filter((endpoint) => endpoint.privateDns);
    return sites.flatMap((site): Violation[] => {
      let unknown = false;
      for (const endpoint of endpoints) {
        const serves = typeof endpoint.region === 'string' && !endpoint.region.includes('${') ? { known: endpoint.region } : regionOf(endpoint.resource);
        const account = samePlace(accountOf(endpoint.resource), site.account);
        const region = samePlace(serves, site.region);
        if (account === 'yes' && region === 'yes') return [];
        if (account !== 'no' && region !== 'no') unknown = true;
      }
      const environment = describeSite(site);
      const region = 'known' in site.region ? site.region.known : '<region>';
      return [
        {
          message: unknown
            ? `Cannot verify that ${describeCallers(site)} reaches Bedrock over a private endpoint: an account or region is known only at deploy time.`
            : `Bedrock may be invoked in ${environment} (${describeCallers(site)}) but there is no private bedrock-runtime endpoint for it in the app: prompts use the public endpoint.`,
          found: 'no interface VPC endpoint for bedrock-runtime with private DNS in the same account and region',
          expected: `an interface endpoint com.amazonaws.${region}.bedrock-runtime with private DNS enabled`,
          attribute: 'environment',
          ...(unknown ? { cannotVerify: true } : {}),
        },
      ];
    });
  },
};
