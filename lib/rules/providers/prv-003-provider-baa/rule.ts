import { catalogEntryOf, declarationOf, PROVIDER_DECLARATION } from '../../../analysis/providers';
import { llmProviders } from '../../../catalogs';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * Protected health information goes to an external provider only under a
 * business associate agreement the team holds for the offering it uses.
 */
export const providerBaa: ResourceRule = {
  id: 'LCG-PRV-003',
  title: 'External LLM providers that receive PHI are under a BAA',
  category: 'provider',
  severity: 'error',
  rationale:
    'HIPAA lets a covered entity disclose PHI to a business associate only under a business associate agreement (§164.502(e), §164.504(e)). A provider BAA covers only the offering and configuration it names: the Anthropic BAA does not cover Claude bought through a cloud, whose own BAA does.',
  remediation: 'Sign the provider\'s BAA for the offering used and declare it (evidence.baa with the date signed and the reference), or send no PHI to that provider.',
  clauses: [CLAUSES.hipaaBusinessAssociates],
  resourceTypes: [PROVIDER_DECLARATION],
  formats: ['cloudformation', 'terraform'],
  check(resource, { policy, today }) {
    const declaration = declarationOf(resource);
    if (!declaration) return undefined;
    const phi = declaration.dataClassification === 'phi' || policy.dataClassification === 'phi' || policy.frameworks.includes('hipaa');
    if (!phi) return undefined;
    const { offering } = catalogEntryOf(declaration);
    const baa = offering.baa;
    if (baa.status === 'not-applicable') return COMPLIANT;
    const signed = declaration.evidence.baa?.signed;
    if (signed !== undefined && signed <= today) return COMPLIANT;
    const found = signed !== undefined ? `evidence.baa.signed = ${signed} (after ${today})` : 'no evidence.baa';
    if (signed === undefined && baa.status === 'unknown') {
      return [
        {
          message: `Cannot verify that "${declaration.name}" may receive PHI: ${offering.name}'s pages did not show a BAA (catalog as of ${llmProviders().asOf}), and none is declared.`,
          found,
          expected: 'a signed BAA for this offering, declared as evidence.baa { signed, reference }',
          fix: `declare the BAA you hold for ${offering.name}, or send it no PHI`,
          attribute: 'evidence.baa',
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message:
          signed !== undefined
            ? `The BAA declared for "${declaration.name}" is not in force yet: PHI may not go to ${offering.name} before it is signed.`
            : baa.status === 'not-available'
              ? `"${declaration.name}" would send PHI to ${offering.name}, which offers no BAA.`
              : `"${declaration.name}" sends PHI to ${offering.name} without a declared BAA (${offering.name} offers one: ${baa.conditions ?? 'see its source'}).`,
        found,
        expected: 'a signed BAA for this offering, declared as evidence.baa { signed, reference }',
        fix: baa.status === 'not-available' ? 'use a provider or offering with a BAA (the cloud providers\' own model services are covered by their BAAs), or send no PHI' : `sign the BAA for ${offering.name} and declare it`,
        attribute: 'evidence.baa',
      },
    ];
  },
};
