/** Severities that the policy decides: where a requirement is a warning by default and an error when the policy asks for it. */
import type { Severity } from '../core/findings';
import type { GuardrailPolicy } from './policy';

/** Public network paths to a model endpoint: errors when the policy requires private paths, warnings otherwise. */
export function privateNetworkSeverity(policy: GuardrailPolicy): Severity {
  return policy.requirePrivateNetwork ? 'error' : 'warning';
}

/** Shared-key authentication: an error when HIPAA demands unique user identification (§164.312(a)(2)(i)), a warning otherwise. */
export function keyAuthenticationSeverity(policy: GuardrailPolicy): Severity {
  return policy.frameworks.includes('hipaa') ? 'error' : 'warning';
}
