import { hostsOpenAiModels } from '../../../analysis/azure';
import { TF_AZURE } from '../../../analysis/resource-types';
import { Unresolved, describeValue, switchValue } from '../../../core/values';
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
    'With public network access on, prompts and responses cross the internet and anyone with a credential can call the endpoint from anywhere. It is on unless public_network_access_enabled is false. A warning, and an error when the policy requires private network paths.',
  remediation: 'Set public_network_access_enabled = false and reach the account through an azurerm_private_endpoint (subresource "account") in the jurisdiction.',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries, CLAUSES.gdprSecurity],
  resourceTypes: [TF_AZURE.cognitiveAccount],
  severityUnder: privateNetworkSeverity,
  check(resource) {
    if (!hostsOpenAiModels(resource)) return undefined;
    const value = resource.properties.public_network_access_enabled;
    const enabled = switchValue(value);
    if (enabled === false) return COMPLIANT;
    return [
      {
        message:
          enabled !== 'unknown'
            ? `${resource.id} accepts calls from the public internet.`
            : `Cannot verify that ${resource.id} refuses public network access: public_network_access_enabled is ${value instanceof Unresolved ? 'known only at plan time' : 'not a boolean'}.`,
        found: value === undefined ? 'public_network_access_enabled not set (defaults to true)' : `public_network_access_enabled = ${describeValue(value)}`,
        expected: 'public_network_access_enabled = false',
        fix: 'set public_network_access_enabled = false and add an azurerm_private_endpoint for the account',
        attribute: 'public_network_access_enabled',
        ...(enabled === 'unknown' ? { cannotVerify: true } : {}),
      },
    ];
  },
};
