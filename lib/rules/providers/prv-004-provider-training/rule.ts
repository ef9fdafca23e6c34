import { SENSITIVE_CLASSIFICATIONS, catalogEntryOf, declarationOf, PROVIDER_DECLARATION } from '../../../analysis/providers';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * An external provider does not train its models on the data the app sends:
 * it does not by default, or the team has opted out and declares it.
 */
export const providerTraining: ResourceRule = {
  id: 'LCG-PRV-004',
  title: 'External LLM providers do not train on the data the app sends',
  category: 'provider',
  severity: 'error',
  rationale:
    'Data used to train a provider\'s models is kept and reused for a purpose the data subject never agreed to (GDPR Art. 5(1)(b), purpose limitation) and may surface in other customers\' outputs. Some offerings train unless the customer opts out (Cohere), some cannot opt out at all (Mistral\'s free tier).',
  remediation: 'Use an offering that does not train on API data, or opt out and declare it (evidence.trainingOptOut with its date and reference).',
  clauses: [CLAUSES.gdprPurposeLimitation, CLAUSES.soc2Confidentiality],
  resourceTypes: [PROVIDER_DECLARATION],
  formats: ['cloudformation', 'terraform'],
  check(resource) {
    const declaration = declarationOf(resource);
    if (!declaration) return undefined;
    const { offering } = catalogEntryOf(declaration);
    const training = offering.training;
    if (training.status === 'no' || training.status === 'opt-in') return COMPLIANT;
    const optedOut = declaration.evidence.trainingOptOut !== undefined;
    if (optedOut && training.status !== 'yes') return COMPLIANT;
    const severity = SENSITIVE_CLASSIFICATIONS.includes(declaration.dataClassification) ? 'error' : 'warning';
    const found = `${offering.name}: ${training.description}; ${optedOut ? 'evidence.trainingOptOut declared' : 'no evidence.trainingOptOut'}`;
    if (training.status === 'unknown') {
      return [
        { message: `Cannot verify that ${offering.name} does not train on the data of "${declaration.name}": the vendor's pages did not show it, and no opt-out is declared.`, found, expected: 'no training on API data, or a declared opt-out', fix: 'declare the opt-out you hold (evidence.trainingOptOut), or use an offering that does not train', attribute: 'evidence.trainingOptOut', cannotVerify: true },
      ];
    }
    return [
      {
        message: training.status === 'yes' ? `${offering.name} trains on the data "${declaration.name}" sends (${declaration.dataClassification}), and offers no opt-out.` : `${offering.name} trains on the data "${declaration.name}" sends (${declaration.dataClassification}) unless the customer opts out, and no opt-out is declared.`,
        found,
        expected: 'no training on API data, or a declared opt-out',
        fix: training.status === 'yes' ? 'use an offering that does not train on API data (a paid plan)' : 'opt out in the provider\'s data controls and declare it (evidence.trainingOptOut { date, reference })',
        attribute: 'evidence.trainingOptOut',
        severity,
      },
    ];
  },
};
