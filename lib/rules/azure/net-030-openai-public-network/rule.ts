import { ACCOUNT_TYPES, accountPublicNetwork, hostsOpenAiModels } from '../../../analysis/azure';
import { Unresolved, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { privateNetworkSeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * Azure OpenAI accounts are reached over private endpoints only: public
 * network access (on unless `public_network_access_enabled` is false) is off.
 */
export const azureOpenAiPublicNetwork: ResourceRule = {
  id: 'LCG-NET-030',
  title: 'Azure OpenAI accounts turn off public network access',
  category: 'network',
  severity: 'warning',
  rationale:
    'With public network access on, prompts and responses cross the internet and anyone with a credential can call the endpoint from anywhere. It is on unless public_network_access_enabled is false (public_network_access = "Disabled" on azurerm_ai_services; body.properties.publicNetworkAccess = "Disabled" on an azapi account). A warning, and an error when the policy requires private network paths.',
  remediation: 'Set public_network_access_enabled = false and reach the account through an azurerm_private_endpoint (subresource "account") in the jurisdiction.',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries, CLAUSES.gdprSecurity],
  resourceTypes: [...ACCOUNT_TYPES],
  severityUnder: privateNetworkSeverity,
  check(resource) {
    if (!hostsOpenAiModels(resource)) return undefined;
    const { attribute, value, on, whenUnset, off } = accountPublicNetwork(resource);
    if (on === false) return COMPLIANT;
    return [
      {
        message:
          on !== 'unknown'
            ? `${resource.id} accepts calls from the public internet.`
            : `Cannot verify that ${resource.id} refuses public network access: ${attribute} is ${value instanceof Unresolved ? 'known only at plan time' : 'not a value the guardrail knows'}.`,
        found: value === undefined ? `${attribute} not set (${whenUnset})` : `${attribute} = ${describeValue(value)}`,
        expected: off,
        fix: `set ${off} and add an azurerm_private_endpoint for the account`,
        attribute,
        ...(on === 'unknown' ? { cannotVerify: true } : {}),
      },
    ];
  },
};
