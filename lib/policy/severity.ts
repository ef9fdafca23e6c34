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

/**
 * Customer-managed keys: an error when the policy asks for them, a warning
 * otherwise. No framework the presets cover requires them (HIPAA's encryption
 * specification §164.312(a)(2)(iv) is addressable and met by provider-managed
 * keys; GDPR Art. 32, SOC 2 CC6.7 and the EU AI Act ask for appropriate
 * encryption, not for who holds the key): the choice is the team's.
 */
export function customerManagedKeySeverity(policy: GuardrailPolicy): Severity {
  return policy.requireCustomerManagedKeys ? 'error' : 'warning';
}
