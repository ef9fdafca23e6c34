import { bedrockRuntimeEndpoints } from '../../../analysis/bedrock';
import { describeEnvironment, sameAccountAndRegion } from '../../../analysis/environments';
import { describeGrant, invokeGrantsByStack } from '../../../analysis/iam';
import { CLAUSES } from '../../../policy/frameworks';
import { privateNetworkSeverity } from '../../../policy/severity';
import { COMPLIANT, StackRule } from '../../rule';

/**
 * A stack that can invoke Bedrock has an interface VPC endpoint for
 * bedrock-runtime (private DNS on) in its account and region. A warning, and
 * an error when the policy requires private network paths.
 */
export const bedrockPrivateEndpoint: StackRule = {
  id: 'LCG-NET-010',
  title: 'Stacks that can invoke Bedrock have a private bedrock-runtime endpoint',
  category: 'network',
  severity: 'warning',
  rationale:
    'Without an interface endpoint, prompts travel to the public bedrock-runtime endpoint over the internet (TLS-protected, but outside the network boundary). Policies for PHI usually require private paths (HIPAA transmission security).',
  remediation: 'Add BedrockPrivateEndpoint (an interface VPC endpoint for bedrock-runtime with private DNS and a policy limited to the granted models) in the same account and region.',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries, CLAUSES.gdprSecurity],
  resourceTypes: ['stack'],
  formats: ['cloudformation'],
  severityUnder: privateNetworkSeverity,
  checkStack(stack, context) {
    if (stack.format !== 'cloudformation') return undefined;
    const grants = invokeGrantsByStack(context).get(stack.name);
    if (!grants || grants.length === 0) return undefined;
    let unknown = false;
    for (const endpoint of bedrockRuntimeEndpoints(context)) {
      if (!endpoint.privateDns) continue;
      const same = sameAccountAndRegion(stack, endpoint.resource.stack);
      if (same === 'unknown') unknown = true;
      if (same === 'yes') return COMPLIANT;
    }
    return [
      {
        message: unknown
          ? `Cannot verify that stack "${stack.name}" (which can invoke Bedrock) has a private bedrock-runtime endpoint: an account or region is known only at deploy time.`
          : `Stack "${stack.name}" can invoke Bedrock (${describeGrant(grants[0])}) but ${describeEnvironment(stack)} has no private bedrock-runtime endpoint in the app: prompts use the public endpoint.`,
        found: 'no AWS::EC2::VPCEndpoint for bedrock-runtime with PrivateDnsEnabled in the same account and region',
        expected: `an interface endpoint com.amazonaws.${typeof stack.region === 'string' ? stack.region : '<region>'}.bedrock-runtime with PrivateDnsEnabled: true`,
        attribute: 'environment',
        ...(unknown ? { cannotVerify: true } : {}),
      },
    ];
  },
};
