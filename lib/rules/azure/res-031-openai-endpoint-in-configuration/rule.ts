import { ACCOUNT_TYPES, accountSubdomain, isAccount } from '../../../analysis/azure';
import { providerSignsOf } from '../../../analysis/providers';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * Code that is handed an Azure OpenAI endpoint (`AZURE_OPENAI_ENDPOINT`, an
 * app setting, a container's environment) calls an account this
 * configuration declares: otherwise the account's region, deployment types and
 * diagnostic settings — everything the Azure rules judge — cannot be read.
 */
export const azureOpenAiEndpointInConfiguration: ResourceRule = {
  id: 'LCG-RES-031',
  title: 'Azure OpenAI endpoints handed to code are accounts the configuration declares',
  category: 'residency',
  severity: 'error',
  rationale:
    'An app setting such as AZURE_OPENAI_ENDPOINT=https://oai-shared-eastus2.openai.azure.com sends prompts to an account the configuration does not hold: its region, its deployment types (GlobalStandard processes anywhere) and its diagnostic settings are unknown, so the calls cannot be shown to stay inside the jurisdiction or to be logged.',
  remediation: 'Point the code at an account of the configuration (by reference to its endpoint), or check the shared account where it is declared and acknowledge LCG-RES-031 with that review.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: ['*'],
  formats: ['terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    const endpoints = providerSignsOf(context, resource).azureEndpoints;
    // An account's own endpoint attributes (and its private endpoints' DNS) name itself.
    if (!endpoints || endpoints.length === 0 || isAccount(resource)) return undefined;
    const known = context.memo('azure.account-subdomains', () => {
      const subdomains = new Set<string>();
      const keys = new Set<string>();
      for (const account of context.graph.ofType(...ACCOUNT_TYPES)) {
        if (!isAccount(account)) continue;
        keys.add(account.key);
        const subdomain = accountSubdomain(account);
        if (subdomain) subdomains.add(subdomain);
      }
      return { subdomains, keys };
    });
    const violations: Violation[] = [];
    for (const endpoint of endpoints) {
      if (endpoint.subdomain !== undefined ? known.subdomains.has(endpoint.subdomain) : (endpoint.references ?? []).some((key) => known.keys.has(key))) continue;
      const literal = endpoint.subdomain !== undefined;
      violations.push({
        message: literal
          ? `${resource.type} "${resource.id}" sends prompts to Azure AI account "${endpoint.subdomain}", which this configuration does not declare: where it processes them and whether it logs them cannot be judged (${endpoint.where}).`
          : `Cannot verify where ${resource.type} "${resource.id}" sends prompts: the Azure AI endpoint in ${endpoint.where} is built from values known only at plan time, and from no account of the configuration.`,
        found: `${endpoint.where} = ${endpoint.text}`,
        expected: 'the endpoint of an Azure OpenAI or AI Services account this configuration declares',
        fix: 'reference the account of the configuration (its endpoint attribute), or acknowledge LCG-RES-031 citing the review of the shared account',
        attribute: endpoint.where,
        ...(literal ? {} : { cannotVerify: true }),
      });
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};
