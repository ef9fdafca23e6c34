import { declaredProviders, providerSignsOf } from '../../../analysis/providers';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * Every external LLM provider the output shows the app calls — a provider's
 * host in an environment variable, app setting or parameter, a secret or
 * setting named like its API key — is declared, so that its posture is judged.
 */
export const undeclaredProvider: ResourceRule = {
  id: 'LCG-PRV-002',
  title: 'External LLM providers the app calls are declared',
  category: 'provider',
  severity: 'error',
  rationale:
    'A call to OpenAI, Anthropic, Cohere, Mistral, Together AI or Hugging Face from a function or container leaves the cloud the rest of the gate judges: nothing about its residency, BAA, retention or training is known until the team declares the provider, the offering, the host and the contract evidence it holds.',
  remediation: 'Declare the provider — in a declarations file passed with --providers, the template Metadata key LlmGuardrail::ExternalProviders, or the Terraform comment "//".llm-guardrail.providers: provider, offering, host or region, data classification, evidence.',
  clauses: [CLAUSES.gdprAccountability, CLAUSES.soc2Monitoring],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  check(resource, context) {
    const { signs, unresolved } = providerSignsOf(context, resource);
    if (signs.length === 0 && unresolved.length === 0) return undefined;
    const declared = declaredProviders(context);
    const violations: Violation[] = [];
    for (const sign of signs) {
      if (declared.has(sign.provider.id)) continue;
      violations.push({
        message: `${resource.type} "${resource.id}" calls ${sign.provider.name}, which the app does not declare.`,
        found: `${sign.where} holds ${sign.found}`,
        expected: `a declaration of ${sign.provider.id} (provider, offering, host, data classification, evidence)`,
        fix: `declare it: { name, provider: ${sign.provider.id}, host, dataClassification, evidence } in a --providers file (or the template's LlmGuardrail::ExternalProviders metadata)`,
        attribute: sign.where,
      });
    }
    for (const setting of unresolved) {
      violations.push({
        message: `Cannot verify which LLM provider ${resource.type} "${resource.id}" calls: its endpoint setting is known only at deploy time.`,
        found: setting,
        expected: 'a literal endpoint host, declared with its provider',
        fix: 'write the endpoint host literally (or declare the provider and acknowledge LCG-PRV-002 for this setting)',
        cannotVerify: true,
      });
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};
