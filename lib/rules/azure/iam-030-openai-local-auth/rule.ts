import { ACCOUNT_TYPES, accountLocalAuth, hostsOpenAiModels } from '../../../analysis/azure';
import { Unresolved, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { keyAuthenticationSeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * Azure OpenAI accounts accept only Microsoft Entra ID tokens: key
 * authentication (`local_auth_enabled`, on unless set to false) is off.
 */
export const azureOpenAiLocalAuth: ResourceRule = {
  id: 'LCG-IAM-030',
  title: 'Azure OpenAI accounts turn off key authentication',
  category: 'identity',
  severity: 'warning',
  rationale:
    'An account key is a shared secret: anyone holding it can call the model, and the Audit and RequestResponse logs cannot tell callers apart. Microsoft Entra ID tokens identify each caller. Key authentication is on unless local_auth_enabled is false (local_authentication_enabled on azurerm_ai_services; body.properties.disableLocalAuth = true on an azapi account). A warning, and an error when HIPAA is in force (unique user identification, §164.312(a)(2)(i)).',
  remediation: 'Set local_auth_enabled = false and grant callers the "Cognitive Services OpenAI User" role instead of handing out keys.',
  clauses: [CLAUSES.hipaaAccessControl, CLAUSES.soc2LogicalAccess],
  resourceTypes: [...ACCOUNT_TYPES],
  severityUnder: keyAuthenticationSeverity,
  check(resource) {
    if (!hostsOpenAiModels(resource)) return undefined;
    const { attribute, value, on, whenUnset, off } = accountLocalAuth(resource);
    if (on === false) return COMPLIANT;
    return [
      {
        message:
          on !== 'unknown'
            ? `${resource.id} accepts account keys, so callers are not individually identified.`
            : `Cannot verify that ${resource.id} refuses account keys: ${attribute} is ${value instanceof Unresolved ? 'known only at plan time' : 'not a boolean'}.`,
        found: value === undefined ? `${attribute} not set (${whenUnset})` : `${attribute} = ${describeValue(value)}`,
        expected: off,
        fix: `set ${off} and use Microsoft Entra ID role assignments for callers`,
        attribute,
        ...(on === 'unknown' ? { cannotVerify: true } : {}),
      },
    ];
  },
};
