import { declarationOf, declarationsFor, providerSignsOf, targetName } from '../../../analysis/providers';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * Every external LLM provider the output shows the app calls — a provider's
 * host in an environment variable, app setting or parameter, a secret or
 * setting named like its API key, a partner model on a cloud (Claude on
 * Vertex AI, Mistral or Cohere on Azure), a model of an LLM gateway
 * configuration — is declared, so that its posture is judged. A partner model
 * is declared with its offering: the vendor's own API has other terms.
 */
export const undeclaredProvider: ResourceRule = {
  id: 'LCG-PRV-002',
  title: 'External LLM providers the app calls are declared',
  category: 'provider',
  severity: 'error',
  rationale:
    'A call to OpenAI, Anthropic, Cohere, Mistral, Together AI or Hugging Face from a function or container leaves the cloud the rest of the gate judges: nothing about its residency, BAA, retention or training is known until the team declares the provider, the offering, the host and the contract evidence it holds. A partner model on a cloud (Claude on Vertex AI, Mistral or Cohere on Azure) comes under terms other than the cloud\'s own models and the vendor\'s own API: it is declared with its offering.',
  remediation: 'Declare the provider — in a declarations file passed with --providers, the template Metadata key LlmGuardrail::ExternalProviders, or the Terraform comment "//".llm-guardrail.providers: provider, offering, host or region, data classification, evidence.',
  clauses: [CLAUSES.gdprAccountability, CLAUSES.soc2Monitoring],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  check(resource, context) {
    const { signs, unresolved } = providerSignsOf(context, resource);
    if (signs.length === 0 && unresolved.length === 0) return undefined;
    const violations: Violation[] = [];
    // One finding per provider, offering and host, naming every place the resource shows it.
    const groups = new Map<string, (typeof signs)[number][]>();
    for (const sign of signs) {
      const key = `${sign.provider.id}|${sign.offering?.id ?? ''}|${sign.host ?? ''}|${sign.region ?? ''}`;
      const group = groups.get(key);
      if (group) group.push(sign);
      else groups.set(key, [sign]);
    }
    for (const group of groups.values()) {
      const [sign] = group;
      const found = group.map((each) => `${each.where} holds ${each.found}`).join('; ');
      if (declarationsFor(context, sign).length > 0) continue;
      // The provider is declared, but for other hosts: the call is not the one declared.
      const otherHosts = sign.host === undefined ? [] : declarationsFor(context, { provider: sign.provider, ...(sign.offering ? { offering: sign.offering } : {}) }).map((resource) => declarationOf(resource)!.host ?? '');
      if (otherHosts.length > 0) {
        violations.push({
          message: `${resource.type} "${resource.id}" calls ${targetName(sign)} at ${sign.host}, but the app declares it only at ${[...new Set(otherHosts)].join(', ')}.`,
          found,
          expected: `a declaration of ${sign.provider.id} with host ${sign.host}, or the declared host in ${sign.where}`,
          fix: `call the declared host, or declare ${sign.host} (with its own residency and evidence)`,
          attribute: sign.where,
        });
        continue;
      }
      // The provider is declared, but in another region than the endpoint's host names.
      const otherRegions = sign.region === undefined ? [] : declarationsFor(context, { provider: sign.provider, ...(sign.offering ? { offering: sign.offering } : {}) }).map((resource) => declarationOf(resource)!.region ?? '');
      if (otherRegions.length > 0) {
        violations.push({
          message: `${resource.type} "${resource.id}" calls ${targetName(sign)} in ${sign.region}, but the app declares it only in ${[...new Set(otherRegions)].join(', ')}.`,
          found,
          expected: `a declaration of ${sign.provider.id} with region ${sign.region}, or an endpoint in the declared region`,
          fix: `call the endpoint in the declared region, or declare the one in ${sign.region} (with its own residency and evidence)`,
          attribute: sign.where,
        });
        continue;
      }
      const fields = sign.offering ? `provider: ${sign.provider.id}, offering: ${sign.offering.id}, region` : `provider: ${sign.provider.id}, host`;
      violations.push({
        message: `${resource.type} "${resource.id}" calls ${targetName(sign)}, which the app does not declare.`,
        found,
        expected: `a declaration of ${sign.offering ? `${sign.provider.id} with offering ${sign.offering.id}` : sign.provider.id} (provider, offering, host or region, data classification, evidence)`,
        fix: `declare it: { name, ${fields}, dataClassification, evidence } in a --providers file (or the template's LlmGuardrail::ExternalProviders metadata)`,
        attribute: sign.where,
      });
    }
    for (const setting of unresolved) {
      violations.push({
        message: `Cannot verify which LLM provider ${resource.type} "${resource.id}" calls: its endpoint is known only at deploy or run time.`,
        found: setting,
        expected: 'a literal endpoint host, declared with its provider',
        fix: 'write the endpoint host literally (or declare the provider and acknowledge LCG-PRV-002 for this setting)',
        cannotVerify: true,
      });
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};
