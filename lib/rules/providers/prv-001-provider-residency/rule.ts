import { catalogEntryOf, declarationOf, PROVIDER_DECLARATION, processingAllowed, processingOf } from '../../../analysis/providers';
import { jurisdictionName } from '../../../catalogs';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * A declared external provider processes requests inside the policy's
 * jurisdiction, as the declared host or region chooses: `eu.api.openai.com`
 * on an EU project stays in the EU; `api.openai.com` and the Anthropic API
 * may process anywhere.
 */
export const providerResidency: ResourceRule = {
  id: 'LCG-PRV-001',
  title: 'Declared external LLM providers process requests inside the jurisdiction',
  category: 'provider',
  severity: 'error',
  rationale:
    'A prompt sent to an external provider is processed where that provider runs it: a host without a residency option sends personal data to any region (a transfer under GDPR Chapter V). Where the provider offers a regional option, only the host or region that selects it keeps the data in.',
  remediation: 'Call the provider through the host or region of its in-jurisdiction option (llm-guardrail providers lists them), or use a provider that offers one; declare the host the app uses.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [PROVIDER_DECLARATION],
  formats: ['cloudformation', 'terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const declaration = declarationOf(resource);
    if (!declaration) return undefined;
    const { offering } = catalogEntryOf(declaration);
    const processing = processingOf(declaration);
    const expected = `processing in ${jurisdictionName(policy.jurisdiction ?? '')}`;
    const options = offering.residency.options.map((option) => `${option.jurisdiction}: ${option.how}`).join('; ') || 'none in the catalog';
    const found = declaration.host ? `host ${declaration.host}` : declaration.region ? `region ${declaration.region}` : 'no host or region declared';
    if (processing.status === 'unknown') {
      return [
        {
          message: `Cannot verify where ${offering.name} processes the requests of "${declaration.name}": ${processing.reason}.`,
          found,
          expected,
          fix: `declare the host or region the app calls; the offering's options: ${options}`,
          attribute: declaration.host ? 'host' : 'region',
          cannotVerify: true,
        },
      ];
    }
    if (processingAllowed(policy, processing)) return COMPLIANT;
    return [
      {
        message: `"${declaration.name}" sends ${declaration.dataClassification} data to ${offering.name}, which processes it in ${processing.where} (${processing.how}), outside the allowed jurisdiction.`,
        found,
        expected,
        fix: `use an in-jurisdiction option of ${offering.name} (${options}), or a provider that offers one`,
        attribute: declaration.host ? 'host' : 'region',
      },
    ];
  },
};
